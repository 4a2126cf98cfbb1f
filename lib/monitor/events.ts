/**
 * Contract of the live topic monitor and the dashboard's live values: HTTP bodies and
 * socket.io events, shared by the server (lib/monitor), the monitor page, the dashboard page
 * and tests. Pure and browser-safe (zod only).
 *
 * ## socket.io namespace "/monitor" (authenticated like HTTP: session cookie or
 *    `auth: { token }`; any role may connect, viewer included)
 * Client → server:
 *   "tree:subscribe"   TreeSubscribe   → "tree:snapshot" at once, then "tree:updates" batches
 *   "tree:unsubscribe"
 *   "topic:select"     TopicSelect     → "topic:snapshot" at once, then "topic:messages" batches
 *                      (topic null = deselect)
 *   "pause"            PauseRequest    → while paused nothing is sent for tree/topic; on resume a
 *                      fresh "tree:snapshot" (and "topic:snapshot") is sent
 *   "values:subscribe" ValuesSubscribe → "values:snapshot" at once, then "values:updates"
 *                      (the dashboard; replaces the previous list; empty list = stop)
 *   Every client→server event takes an optional ack callback: `(reply: AckReply) => void`
 *   (`{ok:false, error}` when the request was invalid, e.g. an unknown broker).
 * Server → client:
 *   "tree:snapshot"    TreeSnapshot    every topic matching the subscription (sorted by topic, limited)
 *   "tree:updates"     TreeUpdates     changed rows since the last batch, ONE row per topic
 *                      (coalesced: the row is the topic's current state), at most ~10 batches/s
 *   "topic:snapshot"   TopicDetail     stats + the whole history ring of the selected topic
 *   "topic:messages"   TopicMessages   the selected topic's new messages since the last batch
 *                      (every message, in order, unless more arrived than the ring holds:
 *                      then `skipped` says how many were not sent)
 *   "values:snapshot" / "values:updates"  LiveValue[] (coalesced per binding, ~10 batches/s)
 *   "monitor:brokers"  BrokerInfo[]    on connect and when the list changes
 *
 * ## HTTP (viewer unless noted; errors are `{error, details?}` with 4xx)
 *   GET  /api/monitor/brokers                                   → BrokerListResponse
 *   GET  /api/monitor/tree?broker=&prefix=&q=&sys=1&offset=&limit= → TreeResponse
 *   GET  /api/monitor/topic?broker=&topic=                      → TopicDetail (404 if never seen)
 *   POST /api/monitor/publish   (editor) ← PublishRequest       → PublishResponse (400 + reason)
 *   GET  /api/monitor/publish                                   → PublishedListResponse (recent publishes)
 *   POST /api/monitor/clear-retained (editor) ← ClearRetainedRequest → ClearRetainedResponse
 *   GET  /api/monitor/history-settings                          → HistorySettings
 *   PUT  /api/monitor/history-settings (editor) ← HistorySettingsInput → HistorySettings
 *   GET  /api/history?broker=&topic=&path=&from=&to=&points=    → HistoryResponse
 *        (from/to: ms epoch or ISO; default the last 24 h; points: max points, default 500)
 *   GET  /api/topics, PATCH /api/topics                         → lib/api/schemas.ts
 *   GET  /api/dashboards                                        → DashboardList (lib/dashboard/schema.ts)
 *   GET  /api/dashboards/:id                                    → Dashboard (404)
 *   PUT  /api/dashboards/:id    (editor) ← Dashboard (id in body must equal :id) → Dashboard
 *        (400 invalid JSON/body shape, 422 id mismatch)
 *   DELETE /api/dashboards/:id  (editor)                        → { deleted: true } (404)
 *
 * Payload text: `value`/`payload` strings are the payload decoded as UTF-8 when it is valid
 * UTF-8 (`encoding: "utf8"`), else base64 (`encoding: "base64"`). Payloads longer than the
 * server keeps (64 KB; tree previews 200 characters) are cut and `truncated` is true; `size`
 * is always the real byte length.
 */
import { z } from "zod";

// ---- shared pieces --------------------------------------------------------------------

/** Broker id: "" = the default broker (embedded or MQTT_URL), else an mqtt-broker config node id. */
export const brokerIdSchema = z.string().max(200).default("");

export const payloadEncodingSchema = z.enum(["utf8", "base64"]);
export type PayloadEncoding = z.infer<typeof payloadEncodingSchema>;

export const brokerInfoSchema = z.object({
  id: z.string(),
  /** "Embedded broker" / the config node's name */
  name: z.string(),
  /** URL with the password removed */
  url: z.string(),
  connected: z.boolean(),
});
export type BrokerInfo = z.infer<typeof brokerInfoSchema>;
export const brokerListResponseSchema = z.object({ brokers: z.array(brokerInfoSchema) });
export type BrokerListResponse = z.infer<typeof brokerListResponseSchema>;

/** One topic in the tree: its current state. */
export const topicRowSchema = z.object({
  topic: z.string(),
  /** Preview of the last payload (≤ 200 characters, see `truncated`). */
  value: z.string(),
  encoding: payloadEncodingSchema,
  /** The preview was cut (payload longer than the preview). */
  truncated: z.boolean(),
  /** Bytes of the last payload. */
  size: z.number(),
  /** The last message came with the retain flag (a retained message delivered on subscribe). */
  retained: z.boolean(),
  qos: z.number().int().min(0).max(2),
  /** Messages seen since the server started (or since the topic was first seen). */
  messages: z.number(),
  /** Messages per second over the last ~10 s. */
  rate: z.number(),
  /** ms epoch of the last message. */
  lastTime: z.number(),
  /** Whether the last payload parses as a finite number (charts can show it). */
  numeric: z.boolean(),
});
export type TopicRow = z.infer<typeof topicRowSchema>;

/** A message as kept in a topic's history ring. */
export const monitorMessageSchema = z.object({
  /** Per-topic sequence number (increasing by 1 per message). */
  seq: z.number(),
  time: z.number(),
  payload: z.string(),
  encoding: payloadEncodingSchema,
  truncated: z.boolean(),
  size: z.number(),
  qos: z.number().int().min(0).max(2),
  retain: z.boolean(),
});
export type MonitorMessage = z.infer<typeof monitorMessageSchema>;

export const topicDetailSchema = z.object({
  broker: z.string(),
  topic: z.string(),
  row: topicRowSchema,
  /** Oldest first. Capped per topic (100 messages / 256 KB) and globally. */
  history: z.array(monitorMessageSchema),
  /** From the catalogue (PATCH /api/topics). */
  description: z.string(),
  unit: z.string(),
});
export type TopicDetail = z.infer<typeof topicDetailSchema>;

/** Per-subtree counts: the children of the requested prefix. */
export const subtreeCountSchema = z.object({
  /** Full path of the child, e.g. "house/garage". */
  path: z.string(),
  /** Last level, e.g. "garage". */
  name: z.string(),
  /** Topics at or below it. */
  topics: z.number(),
  /** Messages at or below it. */
  messages: z.number(),
  /** Whether `path` itself is a topic with a value. */
  hasValue: z.boolean(),
});
export type SubtreeCount = z.infer<typeof subtreeCountSchema>;

// ---- tree ---------------------------------------------------------------------------

export const treeSubscribeSchema = z.object({
  broker: brokerIdSchema,
  /** Only topics at or below this level path ("house/garage" → house/garage and house/garage/…). "" = all. */
  prefix: z.string().max(65535).default(""),
  /** Case-insensitive substring of the topic or of the value preview. */
  q: z.string().max(500).default(""),
  /** Include `$SYS/…` (and other `$` topics). The UI shows them in their own section. */
  sys: z.boolean().default(true),
  /** Most topics in the snapshot (updates are not limited). */
  limit: z.number().int().min(1).max(100_000).default(50_000),
});
export type TreeSubscribe = z.input<typeof treeSubscribeSchema>;

export const treeSnapshotSchema = z.object({
  broker: z.string(),
  prefix: z.string(),
  q: z.string(),
  /** Sorted by topic. */
  topics: z.array(topicRowSchema),
  /** Topics matching (before the limit). */
  total: z.number(),
  truncated: z.boolean(),
  /** Whether the monitor's connection to this broker is up. */
  connected: z.boolean(),
});
export type TreeSnapshot = z.infer<typeof treeSnapshotSchema>;

export const treeUpdatesSchema = z.object({
  broker: z.string(),
  /** One row per changed topic, its current state (replace yours). */
  topics: z.array(topicRowSchema),
  /** Topics forgotten by the server (e.g. over the topic limit). */
  removed: z.array(z.string()),
  connected: z.boolean(),
});
export type TreeUpdates = z.infer<typeof treeUpdatesSchema>;

export const treeResponseSchema = treeSnapshotSchema.extend({
  offset: z.number(),
  /** Children of `prefix` with their subtree counts (all of them, not paginated). */
  children: z.array(subtreeCountSchema),
  /** Totals under `prefix` (ignoring q). */
  counts: z.object({ topics: z.number(), messages: z.number() }),
});
export type TreeResponse = z.infer<typeof treeResponseSchema>;

// ---- selected topic -----------------------------------------------------------------

export const topicSelectSchema = z.object({
  broker: brokerIdSchema,
  topic: z.string().max(65535).nullable(),
});
export type TopicSelect = z.input<typeof topicSelectSchema>;

export const topicMessagesSchema = z.object({
  broker: z.string(),
  topic: z.string(),
  row: topicRowSchema,
  /** New messages, oldest first. */
  messages: z.array(monitorMessageSchema),
  /** Messages that arrived but fell out of the ring before they could be sent. */
  skipped: z.number(),
});
export type TopicMessages = z.infer<typeof topicMessagesSchema>;

export const pauseRequestSchema = z.object({ paused: z.boolean() });
export type PauseRequest = z.infer<typeof pauseRequestSchema>;

// ---- dashboard live values ----------------------------------------------------------

export const valueBindingSchema = z.object({
  broker: brokerIdSchema,
  /** A concrete topic (no wildcards). */
  topic: z.string().min(1).max(65535),
  /** JSON path into the payload ("temperature", "state.on", "list[0].v"); "" = the whole payload. */
  path: z.string().max(500).default(""),
});
export type ValueBinding = z.input<typeof valueBindingSchema>;

export const valuesSubscribeSchema = z.object({ bindings: z.array(valueBindingSchema).max(500) });
export type ValuesSubscribe = z.input<typeof valuesSubscribeSchema>;

export const liveValueSchema = z.object({
  broker: z.string(),
  topic: z.string(),
  path: z.string(),
  /**
   * path "": the payload parsed as JSON when it parses, else the text (base64 text for
   * binary). With a path: the value at the path, or null when the payload is not JSON or
   * lacks it.
   */
  value: z.unknown(),
  /** The payload text (capped at 64 KB), for widgets that compare raw text. */
  raw: z.string(),
  /** ms epoch of the message. */
  at: z.number(),
  retained: z.boolean(),
});
export type LiveValue = z.infer<typeof liveValueSchema>;

export const ackReplySchema = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);
export type AckReply = z.infer<typeof ackReplySchema>;

export interface MonitorServerToClientEvents {
  "tree:snapshot": (snapshot: TreeSnapshot) => void;
  "tree:updates": (updates: TreeUpdates) => void;
  "topic:snapshot": (detail: TopicDetail) => void;
  "topic:messages": (batch: TopicMessages) => void;
  "values:snapshot": (values: LiveValue[]) => void;
  "values:updates": (values: LiveValue[]) => void;
  "monitor:brokers": (brokers: BrokerInfo[]) => void;
}

export interface MonitorClientToServerEvents {
  "tree:subscribe": (request: TreeSubscribe, ack?: (reply: AckReply) => void) => void;
  "tree:unsubscribe": (ack?: (reply: AckReply) => void) => void;
  "topic:select": (request: TopicSelect, ack?: (reply: AckReply) => void) => void;
  pause: (request: PauseRequest, ack?: (reply: AckReply) => void) => void;
  "values:subscribe": (request: ValuesSubscribe, ack?: (reply: AckReply) => void) => void;
}

export const MONITOR_NAMESPACE = "/monitor";
/** Server batches at most this often per client. */
export const MONITOR_FLUSH_MS = 100;

// ---- HTTP bodies --------------------------------------------------------------------

export const publishFormatSchema = z.enum(["text", "json", "hex", "base64"]);
export type PublishFormat = z.infer<typeof publishFormatSchema>;

export const publishRequestSchema = z.object({
  broker: brokerIdSchema,
  topic: z.string().min(1, "enter a topic such as 'house/garage/light'"),
  payload: z.string().max(1024 * 1024, "the payload is limited to 1 MB").default(""),
  /** How `payload` is written: text as is, json (must parse; sent as written), hex, base64. */
  format: publishFormatSchema.default("text"),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
  retain: z.boolean().default(false),
});
export type PublishRequest = z.input<typeof publishRequestSchema>;

export const publishedEntrySchema = z.object({
  broker: z.string(),
  topic: z.string(),
  payload: z.string(),
  format: publishFormatSchema,
  qos: z.number(),
  retain: z.boolean(),
  /** bytes sent */
  size: z.number(),
  time: z.number(),
  user: z.string(),
});
export type PublishedEntry = z.infer<typeof publishedEntrySchema>;
export const publishResponseSchema = z.object({ published: publishedEntrySchema });
export type PublishResponse = z.infer<typeof publishResponseSchema>;
/** Newest first, the last 50 per server. */
export const publishedListResponseSchema = z.object({ published: z.array(publishedEntrySchema) });
export type PublishedListResponse = z.infer<typeof publishedListResponseSchema>;

export const clearRetainedRequestSchema = z
  .object({
    broker: brokerIdSchema,
    /** One topic exactly. */
    topic: z.string().optional(),
    /** A subtree: "house" clears house and everything below it ("house/#" is accepted too). */
    prefix: z.string().optional(),
    /** Only list what would be cleared. */
    dryRun: z.boolean().default(false),
  })
  .refine((r) => (r.topic === undefined) !== (r.prefix === undefined), {
    message: "give either 'topic' (one topic) or 'prefix' (a subtree), not both or neither",
  });
export type ClearRetainedRequest = z.input<typeof clearRetainedRequestSchema>;

export const clearRetainedResponseSchema = z.object({
  /** The retained topics found (and cleared unless dryRun), sorted. */
  topics: z.array(z.string()),
  count: z.number(),
  dryRun: z.boolean(),
  /** The filter used to find them, e.g. "house/#". */
  filter: z.string(),
});
export type ClearRetainedResponse = z.infer<typeof clearRetainedResponseSchema>;

export const historySettingsSchema = z.object({
  /** "all-numeric": every topic whose payload is a number; "selected": only `topics`. Chart widgets' topic+path pairs are always recorded. */
  mode: z.enum(["all-numeric", "selected"]),
  /** Topics or filters (with + and #) recorded in "selected" mode. */
  topics: z.array(z.string().min(1).max(65535)).max(1000),
  retentionDays: z.number().positive().max(3650),
  bucketSeconds: z.number().int().min(1).max(86_400),
});
export type HistorySettings = z.infer<typeof historySettingsSchema>;
export const DEFAULT_HISTORY_SETTINGS: HistorySettings = { mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 60 };
export const historySettingsInputSchema = historySettingsSchema.partial();
export type HistorySettingsInput = z.infer<typeof historySettingsInputSchema>;

export const historyPointSchema = z.object({
  /** ms epoch: start of the bucket */
  t: z.number(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  last: z.number(),
  count: z.number(),
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historyResponseSchema = z.object({
  broker: z.string(),
  topic: z.string(),
  path: z.string(),
  from: z.number(),
  to: z.number(),
  /** Width of each point's bucket in seconds (≥ the stored bucket size). */
  bucketSeconds: z.number(),
  /** Oldest first; includes the current (not yet stored) bucket. */
  points: z.array(historyPointSchema),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;
