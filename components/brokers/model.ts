/**
 * The Brokers page's form model: a BrokerView ↔ editable form state ↔ BrokerInput, and zod
 * issues → messages per form field. Pure (no React), unit-tested.
 */
import { brokerInputSchema, type BrokerInput, type BrokerView } from "../../lib/brokers/schema";

export interface BrokerFormState {
  /** Existing broker being edited (a row, or a flow's mqtt-broker node being saved as a row); null = new. */
  id: string | null;
  name: string;
  url: string;
  clientId: string;
  username: string;
  /** "" = keep the stored password (or none). */
  password: string;
  clearPassword: boolean;
  keepaliveSeconds: string;
  cleanSession: boolean;
  protocolVersion: 4 | 5;
  sessionExpirySeconds: string;
  ca: string;
  cert: string;
  /** "" = keep the stored key. */
  key: string;
  clearKey: boolean;
  passphrase: string;
  verify: boolean;
  servername: string;
  statusEnabled: boolean;
  statusTopic: string;
  statusOnline: string;
  statusOffline: string;
  /** What is stored already (write-only secrets). */
  secretsSet: { password: boolean; key: boolean; passphrase: boolean };
}

export function emptyForm(): BrokerFormState {
  return {
    id: null,
    name: "",
    url: "mqtt://",
    clientId: "",
    username: "",
    password: "",
    clearPassword: false,
    keepaliveSeconds: "60",
    // Persistent by default: QoS ≥ 1 messages sent while Flowhouse is down arrive afterwards.
    cleanSession: false,
    protocolVersion: 4,
    sessionExpirySeconds: "86400",
    ca: "",
    cert: "",
    key: "",
    clearKey: false,
    passphrase: "",
    verify: true,
    servername: "",
    statusEnabled: true,
    statusTopic: "",
    statusOnline: "online",
    statusOffline: "offline",
    secretsSet: { password: false, key: false, passphrase: false },
  };
}

export function formFromView(view: BrokerView): BrokerFormState {
  const s = view.settings;
  return {
    id: view.id,
    name: view.name,
    url: s.url,
    clientId: s.clientId,
    username: s.username,
    password: "",
    clearPassword: false,
    keepaliveSeconds: String(s.keepaliveSeconds),
    cleanSession: s.cleanSession,
    protocolVersion: s.protocolVersion,
    sessionExpirySeconds: String(s.sessionExpirySeconds),
    ca: s.tls.ca,
    cert: s.tls.cert,
    key: "",
    clearKey: false,
    passphrase: "",
    verify: s.tls.verify,
    servername: s.tls.servername,
    statusEnabled: s.status.enabled,
    statusTopic: s.status.topic,
    statusOnline: s.status.online,
    statusOffline: s.status.offline,
    secretsSet: view.secretsSet,
  };
}

/** A whole number from a text box; NaN-free: what cannot be read is sent as text so zod names it. */
function num(text: string): number | string {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** The request body. Secrets left empty are left out (kept); "clear" sends "". */
export function inputFromForm(f: BrokerFormState): BrokerInput {
  const secrets: { password?: string; key?: string; passphrase?: string } = {};
  if (f.clearPassword) secrets.password = "";
  else if (f.password !== "") secrets.password = f.password;
  if (f.clearKey) {
    secrets.key = "";
    secrets.passphrase = "";
  } else {
    if (f.key !== "") secrets.key = f.key;
    if (f.passphrase !== "") secrets.passphrase = f.passphrase;
  }
  return {
    name: f.name,
    settings: {
      url: f.url,
      clientId: f.clientId,
      username: f.username,
      keepaliveSeconds: num(f.keepaliveSeconds) as number,
      cleanSession: f.cleanSession,
      sessionExpirySeconds: num(f.sessionExpirySeconds) as number,
      protocolVersion: f.protocolVersion,
      tls: { ca: f.ca, cert: f.cert, verify: f.verify, servername: f.servername },
      status: { enabled: f.statusEnabled, topic: f.statusTopic, online: f.statusOnline, offline: f.statusOffline },
    },
    secrets,
  };
}

/** Form field names, keyed by the API's field paths. */
const FIELD_OF_PATH: Partial<Record<string, keyof BrokerFormState>> = {
  name: "name",
  "settings.url": "url",
  "settings.clientId": "clientId",
  "settings.username": "username",
  "settings.keepaliveSeconds": "keepaliveSeconds",
  "settings.sessionExpirySeconds": "sessionExpirySeconds",
  "settings.protocolVersion": "protocolVersion",
  "settings.tls.ca": "ca",
  "settings.tls.cert": "cert",
  "settings.tls.servername": "servername",
  "settings.status.topic": "statusTopic",
  "settings.status.online": "statusOnline",
  "settings.status.offline": "statusOffline",
  "secrets.password": "password",
  "secrets.key": "key",
  "secrets.passphrase": "passphrase",
};

export type FormErrors = Partial<Record<keyof BrokerFormState | "form", string>>;

/** API/zod issue list ({path, message}) → one message per form field; unknown paths go to "form". */
export function errorsFromIssues(issues: readonly { path: string; message: string }[]): FormErrors {
  const out: FormErrors = {};
  for (const issue of issues) {
    const field: keyof BrokerFormState | "form" = FIELD_OF_PATH[issue.path] ?? "form";
    const text = field === "form" && issue.path ? `${issue.path}: ${issue.message}` : issue.message;
    out[field] = out[field] ? `${out[field]}; ${text}` : text;
  }
  return out;
}

/** Checks the form as the server will (same zod schema) plus the pairs the server checks. */
export function validateForm(f: BrokerFormState): FormErrors {
  const parsed = brokerInputSchema.safeParse(inputFromForm(f));
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const keyStored = f.secretsSet.key && !f.clearKey;
  if (f.cert.trim() !== "" && f.key.trim() === "" && !keyStored) {
    issues.push({ path: "secrets.key", message: "A client certificate needs its private key: paste or upload the client key too" });
  }
  if ((f.key.trim() !== "" || keyStored) && f.cert.trim() === "") {
    issues.push({ path: "settings.tls.cert", message: "A client key needs its certificate: paste or upload the client certificate too" });
  }
  return errorsFromIssues(issues);
}

/** The instance id, read from the default broker's status topic `flowhouse/<instance>/status`. */
export function instanceIdFrom(views: readonly BrokerView[]): string | null {
  const topic = views.find((v) => v.id === "")?.settings.status.topic ?? "";
  const m = /^flowhouse\/([^/]+)\/status$/.exec(topic);
  return m ? m[1] : null;
}

/** `flowhouse-<instance>-<random4>`, like the server generates. */
export function generateClientId(instance: string | null, random: () => number = Math.random): string {
  const hex = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return instance ? `flowhouse-${instance}-${hex}` : `flowhouse-${Math.floor(random() * 0xffffffff).toString(16).padStart(8, "0")}-${hex}`;
}

/** "3 s ago", "5 min ago" for last-error/last-connected times. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** The one-line state of a broker in words. */
export function stateText(view: BrokerView): { tone: "ok" | "bad" | "idle"; text: string } {
  if (view.health.connected) return { tone: "ok", text: "Connected" };
  if (view.health.lastError) return { tone: "bad", text: view.health.lastError };
  return { tone: "idle", text: view.usedBy.length > 0 || view.source !== "flow" ? "Connecting…" : "Not connected (no node uses it)" };
}
