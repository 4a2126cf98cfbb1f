/**
 * "Test connection" on the Brokers page: one fresh MQTT.js client with the given options,
 * bounded in time, closed afterwards. Also turns MQTT.js / socket / TLS errors into words.
 */
import { randomBytes } from "node:crypto";
import { connect, type IClientOptions } from "mqtt";
import type { BrokerConnectionOptions } from "../mqtt/connections";
import type { BrokerTestResult } from "./schema";
import { urlHost } from "./options";

/** MQTT.js client options for BrokerConnectionOptions (TLS included, no reconnect). */
export function toClientOptions(options: BrokerConnectionOptions, clientId: string, timeoutMs: number): IClientOptions {
  const o: IClientOptions = {
    clientId,
    username: options.username,
    password: options.password,
    keepalive: options.keepaliveSeconds ?? 60,
    clean: true,
    protocolVersion: options.protocolVersion ?? 4,
    connectTimeout: timeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
  };
  const tls = options.tls;
  if (tls) {
    if (tls.ca) o.ca = tls.ca;
    if (tls.cert) o.cert = tls.cert;
    if (tls.key) o.key = tls.key;
    if (tls.passphrase) (o as IClientOptions & { passphrase?: string }).passphrase = tls.passphrase;
    o.rejectUnauthorized = tls.rejectUnauthorized ?? true;
    if (tls.servername) o.servername = tls.servername;
  }
  return o;
}

const CODE_TEXT: Record<string, (where: string) => string> = {
  ECONNREFUSED: (w) => `Connection refused by ${w}: is the broker running and listening on that port?`,
  ENOTFOUND: (w) => `Host ${w} not found: check the host name in the URL`,
  EAI_AGAIN: (w) => `Host ${w} could not be looked up (DNS): check the host name and the network`,
  ETIMEDOUT: (w) => `No answer from ${w}: check the address, the port and any firewall`,
  EHOSTUNREACH: (w) => `${w} is unreachable: check the address and the network`,
  ECONNRESET: (w) => `${w} closed the connection: a TLS port spoken to with mqtt:// (or the reverse), or the broker refused the client`,
  EPIPE: (w) => `${w} closed the connection while connecting`,
  DEPTH_ZERO_SELF_SIGNED_CERT: () => "The broker's certificate is self-signed: paste its CA certificate in TLS, or turn verification off",
  SELF_SIGNED_CERT_IN_CHAIN: () => "The broker's certificate chain ends in a self-signed CA that is not trusted: paste that CA certificate in TLS",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => "The broker's certificate is not signed by a trusted CA: paste the CA certificate in TLS",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => "The CA that signed the broker's certificate is not trusted: paste the CA certificate in TLS",
  CERT_HAS_EXPIRED: () => "The broker's certificate has expired: renew it on the broker",
  ERR_TLS_CERT_ALTNAME_INVALID: () =>
    "The broker's certificate is for another host name: connect with the name in the certificate, or set the TLS server name",
};

/** A connection error in words, naming the broker and what to do. */
export function describeConnectError(err: unknown, url: string): string {
  const e = err as { message?: string; code?: unknown; errors?: { code?: unknown }[] };
  const port = /:(\d+)(?:\/|$)/.exec(url.replace(/^[a-z]+:\/\//i, "x://"))?.[1];
  const where = `${urlHost(url) || url}${port ? `:${port}` : ""}`;
  const code = typeof e?.code === "string" ? e.code : typeof e?.errors?.[0]?.code === "string" ? (e.errors[0].code as string) : undefined;
  if (code && CODE_TEXT[code]) return CODE_TEXT[code](where);
  const message = typeof e?.message === "string" && e.message !== "" ? e.message : code ?? String(err);
  if (/bad user ?name or password/i.test(message)) return `${message}: check the username and password for ${where}`;
  if (/not authori[sz]ed/i.test(message)) {
    return `${message}: the broker refused these credentials (Mosquitto 2 says this for a wrong password too); check the username and password, then the broker's access rules`;
  }
  if (/identifier rejected|client identifier not valid/i.test(message)) return `${message}: the broker does not accept the client id; choose another`;
  if (/unacceptable protocol version|unsupported protocol version/i.test(message)) return `${message}: switch the protocol between MQTT 3.1.1 and 5`;
  if (/wrong version number|packet length/i.test(message)) return `${message}: mqtts:// to a plain port, or mqtt:// to a TLS port? Check the URL's scheme and port`;
  if (/bad decrypt|bad password read/i.test(message)) return `${message}: the client key passphrase is wrong`;
  return message;
}

/** Connects once (≤ timeoutMs), then disconnects. Never throws. */
export async function testBrokerConnection(options: BrokerConnectionOptions, timeoutMs = 5000): Promise<BrokerTestResult> {
  const started = Date.now();
  const clientId = `${options.clientId || "flowhouse"}-test-${randomBytes(2).toString("hex")}`.slice(0, 128);
  let clientOptions: IClientOptions;
  try {
    clientOptions = toClientOptions(options, clientId, timeoutMs);
  } catch (err) {
    return { ok: false, error: describeConnectError(err, options.url) };
  }
  return new Promise<BrokerTestResult>((resolve) => {
    let done = false;
    let client: ReturnType<typeof connect> | null = null;
    const finish = (result: BrokerTestResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const c = client;
      if (c) {
        c.removeAllListeners("error");
        c.on("error", () => undefined);
        c.end(true);
        c.stream?.destroy();
      }
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `No answer from ${options.url} within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}: check the address, the port and any firewall` }),
      timeoutMs,
    );
    try {
      client = connect(options.url, clientOptions);
    } catch (err) {
      finish({ ok: false, error: describeConnectError(err, options.url) });
      return;
    }
    client.on("connect", () => finish({ ok: true, ms: Date.now() - started }));
    client.on("error", (err) => finish({ ok: false, error: describeConnectError(err, options.url) }));
    // 'close' can come just before the 'error' that explains it: give the error a moment.
    client.on("close", () => setTimeout(() => finish({ ok: false, error: `${options.url} closed the connection before accepting it` }), 100));
  });
}
