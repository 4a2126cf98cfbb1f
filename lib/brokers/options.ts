/**
 * Pure mappings between the three ways a broker is described:
 *  - BrokerSettings + secrets (a row of the Brokers page, lib/brokers/schema.ts),
 *  - a Node-RED `mqtt-broker` config node (flows imported from Node-RED),
 *  - BrokerConnectionOptions (what the ConnectionManager connects with),
 * plus the warnings shown on the Brokers page. No I/O; browser-safe.
 */
import type { BrokerConnectionOptions } from "../mqtt/connections";
import { brokerCredentials, brokerUrl } from "../nodes/mqtt-broker/broker-url";
import type { ConfigNode } from "../flow/schema";
import { brokerSettingsSchema, type BrokerSettings } from "./schema";

export interface BrokerSecrets {
  password: string;
  key: string;
  passphrase: string;
}

export const NO_SECRETS: BrokerSecrets = { password: "", key: "", passphrase: "" };

/** `flowhouse/<instance>/status` */
export function defaultStatusTopic(instanceId: string): string {
  return `flowhouse/${instanceId}/status`;
}

const nonEmpty = (v: string): string | undefined => (v === "" ? undefined : v);

/** A row's settings and opened secrets → how the ConnectionManager connects. */
export function settingsToOptions(settings: BrokerSettings, secrets: BrokerSecrets, instanceId: string): BrokerConnectionOptions {
  const tlsUrl = /^(mqtts|wss):/i.test(settings.url);
  const tls = settings.tls;
  const options: BrokerConnectionOptions = {
    url: settings.url,
    clientId: nonEmpty(settings.clientId),
    username: nonEmpty(settings.username),
    password: nonEmpty(secrets.password),
    keepaliveSeconds: settings.keepaliveSeconds,
    clean: settings.cleanSession,
    protocolVersion: settings.protocolVersion,
  };
  if (!settings.cleanSession && settings.protocolVersion === 5) options.sessionExpirySeconds = settings.sessionExpirySeconds;
  if (tlsUrl || tls.ca || tls.cert || secrets.key) {
    options.tls = {
      ca: nonEmpty(tls.ca),
      cert: nonEmpty(tls.cert),
      key: nonEmpty(secrets.key),
      passphrase: nonEmpty(secrets.passphrase),
      rejectUnauthorized: tls.verify,
      servername: nonEmpty(tls.servername),
    };
  }
  if (settings.status.enabled) {
    options.status = {
      topic: settings.status.topic || defaultStatusTopic(instanceId),
      online: settings.status.online,
      offline: settings.status.offline,
    };
  }
  return options;
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const flag = (v: unknown, dflt: boolean): boolean => (v === undefined || v === null || v === "" ? dflt : v === true || v === "true");

/**
 * A Node-RED mqtt-broker config node (Node-RED field names) → Broker settings and secrets, for
 * the Brokers page (source "flow") and for "Save as broker". Birth/will topics become the
 * status topic; without them the default status topic is used.
 */
export function configNodeToSettings(config: Record<string, unknown>): { settings: BrokerSettings; secrets: BrokerSecrets } {
  const creds = brokerCredentials(config as Parameters<typeof brokerCredentials>[0]);
  const keepalive = Number(config.keepalive);
  const expiry = Number(config.sessionExpiry);
  const willTopic = str(config.willTopic);
  const birthTopic = str(config.birthTopic);
  const settings = brokerSettingsSchema.parse({
    url: brokerUrl(config as Parameters<typeof brokerUrl>[0]).replace(/^tcp:/i, "mqtt:").replace(/^(ssl|tls):/i, "mqtts:"),
    clientId: str(config.clientid).trim().slice(0, 128),
    username: creds.username ?? "",
    keepaliveSeconds: Number.isInteger(keepalive) && keepalive >= 0 && keepalive <= 65535 ? keepalive : 60,
    cleanSession: flag(config.cleansession, true),
    sessionExpirySeconds: Number.isInteger(expiry) && expiry > 0 ? expiry : 86400,
    protocolVersion: str(config.protocolVersion) === "5" ? 5 : 4,
    tls: { ca: "", cert: "", verify: true, servername: "" },
    status: {
      enabled: true,
      topic: willTopic || birthTopic,
      online: (birthTopic && str(config.birthPayload)) || "online",
      offline: (willTopic && str(config.willPayload)) || "offline",
    },
  });
  // A TLS broker verifies the certificate only when the node says so (Node-RED's field).
  if (flag(config.usetls, false) || /^(mqtts|wss):/i.test(settings.url)) settings.tls.verify = flag(config.verifyservercert, false);
  return { settings, secrets: { ...NO_SECRETS, password: creds.password ?? "" } };
}

/** Connection options for a Node-RED mqtt-broker config node of the deployed flows. */
export function configNodeToOptions(config: Record<string, unknown>, instanceId: string): BrokerConnectionOptions {
  const { settings, secrets } = configNodeToSettings(config);
  return settingsToOptions(settings, secrets, instanceId);
}

/**
 * A row as a Node-RED mqtt-broker config node, without credentials (user and password stay
 * in Flowhouse), so an exported flows.json imports into Node-RED with its broker.
 */
/** Marks the mqtt-broker nodes Flowhouse adds for its Broker rows to a document it compiles (never exported). */
export const ROW_MARKER = "flowhouseBrokerRow";

export function settingsToConfigNode(id: string, name: string, settings: BrokerSettings, instanceId: string, opts: { marker?: boolean } = {}): ConfigNode {
  const statusTopic = settings.status.enabled ? settings.status.topic || defaultStatusTopic(instanceId) : "";
  const url = new URL(settings.url.replace(/^(mqtts?|wss?):/i, (m) => (m.toLowerCase().startsWith("ws") ? m : "http:")));
  const scheme = settings.url.slice(0, settings.url.indexOf(":")).toLowerCase();
  const isWs = scheme === "ws" || scheme === "wss";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const config: Record<string, unknown> = {
    broker: isWs ? settings.url : host,
    port: isWs ? "" : url.port || (scheme === "mqtts" ? "8883" : "1883"),
    usetls: scheme === "mqtts" || scheme === "wss",
    verifyservercert: settings.tls.verify,
    clientid: settings.clientId,
    autoConnect: true,
    protocolVersion: String(settings.protocolVersion),
    keepalive: String(settings.keepaliveSeconds),
    cleansession: settings.cleanSession,
    autoUnsubscribe: true,
    birthTopic: statusTopic,
    birthQos: "1",
    birthRetain: "true",
    birthPayload: settings.status.enabled ? settings.status.online : "",
    birthMsg: {},
    closeTopic: statusTopic,
    closeQos: "1",
    closeRetain: "true",
    closePayload: settings.status.enabled ? settings.status.offline : "",
    closeMsg: {},
    willTopic: statusTopic,
    willQos: "1",
    willRetain: "true",
    willPayload: settings.status.enabled ? settings.status.offline : "",
    willMsg: {},
    userProps: "",
    sessionExpiry: settings.protocolVersion === 5 && !settings.cleanSession ? String(settings.sessionExpirySeconds) : "",
  };
  if (opts.marker) config[ROW_MARKER] = true;
  return { id, type: "mqtt-broker", name, config };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/** The host part of a broker URL ("" when unreadable). */
export function urlHost(url: string): string {
  const m = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url.trim());
  return m ? m[1] : "";
}

export interface WarningInput {
  id: string;
  name: string;
  /** Effective client id ("" = generated at each connect). */
  clientId: string;
  url: string;
  cleanSession: boolean;
  verify: boolean;
  hasPassword: boolean;
}

/** Warnings for one broker, given every broker (for duplicate client ids). */
export function brokerWarnings(b: WarningInput, all: readonly WarningInput[]): string[] {
  const out: string[] = [];
  const scheme = b.url.slice(0, Math.max(0, b.url.indexOf(":"))).toLowerCase();
  const host = urlHost(b.url);
  if ((scheme === "mqtts" || scheme === "wss") && !b.verify) {
    out.push(
      "TLS certificate verification is off: anyone between Flowhouse and the broker can pose as the broker. Add the broker's CA certificate and turn verification on.",
    );
  }
  if ((scheme === "mqtt" || scheme === "ws") && b.hasPassword && host !== "" && !LOOPBACK.test(host)) {
    out.push(
      `The password is sent unencrypted over ${scheme}:// to ${host}: use ${scheme === "mqtt" ? "mqtts://" : "wss://"} (TLS) for brokers on other machines.`,
    );
  }
  if (b.clientId !== "") {
    const others = all.filter((o) => o.id !== b.id && o.clientId === b.clientId);
    if (others.length > 0) {
      out.push(
        `Client id '${b.clientId}' is also used by ${others.map((o) => `'${o.name}'`).join(", ")}: a broker disconnects the older of two clients with the same id, so they would keep kicking each other off. Give each broker its own client id.`,
      );
    }
  }
  if (!b.cleanSession && b.clientId === "") {
    out.push(
      "Persistent session with a client id generated at each connect: the broker cannot find the session again after a restart. Set a fixed client id.",
    );
  }
  return out;
}
