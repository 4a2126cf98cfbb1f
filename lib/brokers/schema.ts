/**
 * Broker settings (the Brokers page and /api/brokers). Browser-safe: shared by the editor UI
 * and the server. Secrets (password, private key, key passphrase) are write-only: the API
 * accepts them, stores them sealed (lib/server/secrets.ts) and only ever answers whether one
 * is set.
 *
 *   GET    /api/brokers            → BrokerView[]   (viewer; the default broker "" first)
 *   POST   /api/brokers            ← BrokerInput    → BrokerView (admin)      201
 *   GET    /api/brokers/:id        → BrokerView
 *   PUT    /api/brokers/:id        ← BrokerInput    → BrokerView (admin; a secret left out stays as it is, "" clears it)
 *   DELETE /api/brokers/:id        → 204 (admin; 409 naming the nodes that still use it)
 *   POST   /api/brokers/test       ← BrokerInput (+ optional id to reuse stored secrets) → BrokerTestResult (admin)
 */
import { z } from "zod";

export const BROKER_URL_RE = /^(mqtts?|wss?):\/\/[^\s/]+/;

const pem = (what: string) =>
  z
    .string()
    .max(64 * 1024, `${what} is larger than 64 KB: paste one PEM certificate`)
    .refine((v) => v.trim() === "" || /-----BEGIN [A-Z0-9 ]+-----/.test(v), {
      message: `${what} must be PEM text starting with -----BEGIN ...-----`,
    });

/** Settings stored in Broker.settings (JSON) — nothing secret. */
export const brokerSettingsSchema = z.object({
  url: z
    .string()
    .trim()
    .regex(BROKER_URL_RE, "URL must look like mqtt://host:1883, mqtts://host:8883, ws://host:9001/mqtt or wss://…"),
  /** Unique per connection; "" → generated `flowhouse-<instance>-<random>` when the broker is saved. */
  clientId: z.string().trim().max(128).default(""),
  username: z.string().max(256).default(""),
  keepaliveSeconds: z.number().int().min(0).max(65535).default(60),
  /**
   * false (default) → persistent session: the client id is generated once and kept, so the
   * broker queues QoS ≥ 1 messages for our subscriptions while Flowhouse is down and delivers
   * them after the reconnect (MQTT 5: for the session expiry below). true → start fresh.
   */
  cleanSession: z.boolean().default(false),
  /** MQTT 5 session expiry interval in seconds when cleanSession is false. */
  sessionExpirySeconds: z.number().int().min(0).max(4294967295).default(86400),
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  tls: z
    .object({
      /** CA certificate(s) (PEM) to trust; "" → the system's CAs. */
      ca: pem("CA certificate").default(""),
      /** Client certificate (PEM) for brokers that want one (AWS IoT style). The key is a secret. */
      cert: pem("Client certificate").default(""),
      /** false → accept any server certificate (shown with a warning). */
      verify: z.boolean().default(true),
      /** SNI / expected host name when it differs from the URL's host. */
      servername: z.string().trim().max(255).default(""),
    })
    .default({ ca: "", cert: "", verify: true, servername: "" }),
  /** Birth/last will: retained `online` on connect, `offline` as LWT and on clean shutdown. */
  status: z
    .object({
      enabled: z.boolean().default(true),
      /** "" → flowhouse/<instance>/status */
      topic: z.string().trim().max(1024).default(""),
      online: z.string().max(1024).default("online"),
      offline: z.string().max(1024).default("offline"),
    })
    .default({ enabled: true, topic: "", online: "online", offline: "offline" }),
});
export type BrokerSettings = z.output<typeof brokerSettingsSchema>;

/** Write-only secrets. undefined = keep the stored one, "" = clear it. */
export const brokerSecretsInputSchema = z.object({
  password: z.string().max(1024).optional(),
  /** Client private key (PEM). */
  key: pem("Client key").optional(),
  /** Passphrase of an encrypted client key. */
  passphrase: z.string().max(1024).optional(),
});

export const brokerInputSchema = z.object({
  name: z.string().trim().min(1, "Give the broker a name").max(100),
  settings: brokerSettingsSchema,
  secrets: brokerSecretsInputSchema.default({}),
});
export type BrokerInput = z.input<typeof brokerInputSchema>;

export const brokerTestInputSchema = brokerInputSchema.extend({ id: z.string().optional() });

export const brokerHealthSchema = z.object({
  connected: z.boolean(),
  /** The last connection error in words ("Connection refused: bad user name or password"), null after a successful connect. */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastConnectedAt: z.string().nullable(),
  /** Successful re-connections since the app started. */
  reconnects: z.number().int(),
  /** QoS 1/2 publishes waiting in the outbox for this broker. */
  outbox: z.number().int(),
});
export type BrokerHealth = z.infer<typeof brokerHealthSchema>;

export const brokerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** "settings" = a row of the Brokers page; "env" = the default broker (embedded or MQTT_URL), read-only;
   *  "flow" = an mqtt-broker config node from the deployed flows with no row (Node-RED import), editable by saving it as a row. */
  source: z.enum(["settings", "env", "flow"]),
  settings: brokerSettingsSchema,
  /** Which secrets are stored (values are never returned). */
  secretsSet: z.object({ password: z.boolean(), key: z.boolean(), passphrase: z.boolean() }),
  health: brokerHealthSchema,
  /** Human-readable warnings: TLS verification off, duplicate client id, plain mqtt:// with a password... */
  warnings: z.array(z.string()),
  /** Ids of deployed nodes that use this broker. */
  usedBy: z.array(z.string()),
});
export type BrokerView = z.infer<typeof brokerViewSchema>;

export const brokerTestResultSchema = z.object({
  ok: z.boolean(),
  /** Milliseconds until CONNACK, when ok. */
  ms: z.number().optional(),
  error: z.string().optional(),
});
export type BrokerTestResult = z.infer<typeof brokerTestResultSchema>;
