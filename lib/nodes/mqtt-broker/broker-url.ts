/**
 * How an mqtt-broker config node (Node-RED fields) becomes what MQTT.js connects to. Pure and
 * browser-safe: the editor shows the URL, the connection manager uses it.
 */

/** The fields brokerUrl reads; numbers may arrive as strings from flows.json. */
export interface BrokerAddress {
  broker?: string;
  port?: number | string;
  usetls?: boolean | string;
}

// Node-RED's test: a bare IPv6 address needs brackets in a URL (mqtt://[::1]:1883).
function isIpv6(host: string): boolean {
  return host.includes(":") && /^[0-9a-fA-F:.]+(%[0-9a-zA-Z]+)?$/.test(host);
}

/**
 * mqtt://host:port, or mqtts://host:port when `usetls`. A `broker` that already is a URL
 * (mqtt://, mqtts://, ws://, wss://, tcp://, ...) is used as it is, as Node-RED does. An empty
 * host means localhost; an empty port means 1883.
 */
export function brokerUrl(config: BrokerAddress): string {
  const host = (config.broker ?? "").trim();
  if (host.includes("://")) return host;
  const tls = config.usetls === true || config.usetls === "true";
  const scheme = tls ? "mqtts" : "mqtt";
  if (host === "") return `${scheme}://localhost:1883`;
  const portText = config.port === undefined || config.port === null ? "" : String(config.port).trim();
  const port = portText === "" || portText === "0" ? "1883" : portText;
  const hostPart = isIpv6(host) && !host.startsWith("[") ? `[${host}]` : host;
  return `${scheme}://${hostPart}:${port}`;
}

/** Node-RED keeps user/password in `credentials`; Flowhouse also accepts them in the config. */
export function brokerCredentials(config: {
  user?: unknown;
  password?: unknown;
  credentials?: { user?: unknown; password?: unknown } | null;
}): { username?: string; password?: string } {
  const pick = (a: unknown, b: unknown): string | undefined => {
    if (typeof a === "string" && a !== "") return a;
    if (typeof b === "string" && b !== "") return b;
    return undefined;
  };
  return {
    username: pick(config.credentials?.user, config.user),
    password: pick(config.credentials?.password, config.password),
  };
}
