/**
 * MonitorService: what the monitor page, the dashboard and the topic catalogue ask of the
 * server. Per broker ("" = the default broker, else an mqtt-broker config node of the
 * running deployment) it subscribes once to `#` and `$SYS/#` and keeps a TopicStore.
 *
 * The monitor has its OWN ConnectionManager (one extra client per watched broker, own
 * client id). Sharing the runtime's would merge every `mqtt in` filter into `#` at the
 * broker, and an `mqtt in` deployed later would then never receive retained messages (no
 * new SUBSCRIBE is sent for a filter already covered), unlike Node-RED.
 */
import { connect as mqttConnect, type IPublishPacket } from "mqtt";
import type { PrismaClient } from "../../generated/prisma/client";
import type { TopicListResponse, TopicSummary, TopicUpdate } from "../api/schemas";
import { ConnectionManager, type BrokerConnectionOptions } from "../mqtt/connections";
import type { QoS } from "../mqtt/service";
import { validatePublishTopic } from "../mqtt/topic";
import type { Clock, TimerHandle } from "../runtime/node-api";
import {
  historySettingsSchema,
  type BrokerInfo,
  type ClearRetainedResponse,
  type HistoryResponse,
  type HistorySettings,
  type HistorySettingsInput,
  type PublishedEntry,
  type PublishFormat,
  type TopicDetail,
  type TreeResponse,
} from "./events";
import { HistoryRecorder, downsample, stepFor, type Bucket } from "./history";
import { decodePayload } from "./payload";
import {
  catalogueWriter,
  getCatalogueEntry,
  listCatalogue,
  loadHistorySettings,
  metricWriter,
  purgeMetrics,
  readMetricBuckets,
  saveHistorySettings,
  updateCatalogueEntry,
  type CatalogueRow,
} from "./repo";
import { MonitorStream, messageOf } from "./stream";
import { DEFAULT_LIMITS, normalizePrefix, subtreeCounts, TopicStore, type TopicStoreLimits } from "./topic-store";
import type { WriteBehind } from "../db/write-behind";

export interface MonitorLogger {
  info(text: string): void;
  warn(text: string): void;
}

/** A caller's mistake, answered with its status by route() (same brand as UserInputError). */
export class MonitorInputError extends Error {
  readonly userError = true;
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 422 | 503,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "MonitorInputError";
  }
}

export interface MonitorOptions {
  prisma: PrismaClient;
  /** brokerId → how to connect (the app's resolver; the monitor uses its own client id). */
  resolveBroker: (brokerId: string) => BrokerConnectionOptions | undefined;
  /** The brokers a user can choose: the default one and the deployment's mqtt-broker config nodes. */
  listBrokers: () => { id: string; name: string; url: string }[];
  clock: Clock;
  logger: MonitorLogger;
  limits?: Partial<TopicStoreLimits>;
  /** Catalogue writes per topic at most this often. Default 5000. */
  catalogueIntervalMs?: number;
}

const PURGE_INTERVAL_MS = 60 * 60 * 1000;
const MAX_PUBLISHED = 50;

export class MonitorService {
  readonly stream: MonitorStream;
  private readonly stores = new Map<string, TopicStore>();
  private readonly unsubscribes: (() => void)[] = [];
  private readonly connections: ConnectionManager;
  private readonly history: HistoryRecorder;
  private readonly catalogue: WriteBehind<CatalogueRow, CatalogueRow>;
  private readonly metrics: WriteBehind<Bucket, Bucket>;
  private readonly timers: TimerHandle[] = [];
  private readonly published: PublishedEntry[] = [];
  private readonly limits: TopicStoreLimits;
  private readonly monitorClientId = `flowhouse-monitor-${Math.random().toString(16).slice(2, 10)}`;
  private closed = false;

  constructor(private readonly o: MonitorOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    const onError = (what: string) => (err: unknown) => o.logger.warn(`monitor: saving ${what} failed: ${(err as Error).message}`);
    this.catalogue = catalogueWriter(o.prisma, onError("the topic catalogue"));
    this.metrics = metricWriter(o.prisma, onError("history samples"));
    this.history = new HistoryRecorder({ mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 60 }, { write: (b) => this.writeBuckets(b) });
    this.connections = new ConnectionManager({
      resolveBroker: (id) => {
        const base = o.resolveBroker(id);
        return base ? { ...base, clientId: `${this.monitorClientId}${id ? `-${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 16)}` : ""}`, clean: true } : undefined;
      },
      logger: { info: (t) => o.logger.info(`monitor: ${t}`), warn: (t) => o.logger.warn(`monitor: ${t}`) },
    });
    this.stream = new MonitorStream(
      {
        store: (id) => this.store(id),
        connected: (id) => this.connections.isConnected(id),
        detail: (id, topic) => this.topicDetail(id, topic),
        stores: () => this.stores.entries(),
      },
      o.clock,
    );
  }

  /** Loads settings, purges old history, subscribes to the default broker, starts the timers. */
  async start(): Promise<void> {
    this.history.setSettings(await loadHistorySettings(this.o.prisma, (t) => this.o.logger.warn(t)), this.o.clock.now());
    await this.purge();
    this.store("");
    const clock = this.o.clock;
    this.timers.push(clock.setInterval(() => this.drainCatalogue(), this.o.catalogueIntervalMs ?? 5000));
    this.timers.push(clock.setInterval(() => this.history.closeAll(clock.now()), 1000));
    this.timers.push(clock.setInterval(() => void this.purge(), PURGE_INTERVAL_MS));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) this.o.clock.clearInterval(t);
    this.stream.close();
    for (const off of this.unsubscribes) off();
    await this.connections.close();
    this.drainCatalogue();
    this.history.closeAll(this.o.clock.now(), true);
    await this.catalogue.flush();
    await this.metrics.flush();
  }

  // ---- brokers and stores -------------------------------------------------------------

  brokers(): BrokerInfo[] {
    return this.o.listBrokers().map((b) => ({ ...b, connected: this.connections.isConnected(b.id) }));
  }

  /** The broker's store; subscribes to `#` and `$SYS/#` on first use. */
  store(brokerId: string): TopicStore {
    const existing = this.stores.get(brokerId);
    if (existing) return existing;
    if (this.closed) throw new MonitorInputError("the monitor is shut down", 503);
    if (!this.o.resolveBroker(brokerId)) {
      throw new MonitorInputError(`broker '${brokerId}' is not configured: choose the default broker or an mqtt-broker of the deployed flows`, 404);
    }
    const store = new TopicStore(this.limits, { onMessage: (s, now) => this.history.onMessage(brokerId, s, now) });
    store.catalogueEnabled = true;
    this.stores.set(brokerId, store);
    const handler = (m: { topic: string; payload: Buffer; qos: QoS; retain: boolean }) => {
      store.ingest(m.topic, m.payload, m.qos, m.retain, this.o.clock.now());
    };
    this.unsubscribes.push(this.connections.subscribe(brokerId, "#", 0, handler));
    this.unsubscribes.push(this.connections.subscribe(brokerId, "$SYS/#", 0, handler));
    return store;
  }

  /** A broker's settings changed (redeploy): reconnect the monitor's client with the new ones. */
  async reloadBroker(brokerId: string): Promise<void> {
    if (this.stores.has(brokerId)) await this.connections.reload(brokerId);
  }

  /** Resolves when the monitor's connection to the broker is up and subscribed. */
  async ready(brokerId = "", timeoutMs = 10_000): Promise<void> {
    this.store(brokerId);
    await this.connections.whenConnected(brokerId, timeoutMs);
    await this.connections.settled(timeoutMs);
  }

  // ---- snapshots ----------------------------------------------------------------------

  tree(q: { broker: string; prefix: string; q: string; sys: boolean; offset: number; limit: number }): TreeResponse {
    const store = this.store(q.broker);
    const now = this.o.clock.now();
    const prefix = normalizePrefix(q.prefix);
    const matched = store.match({ prefix, q: q.q, sys: q.sys });
    const page = matched.slice(q.offset, q.offset + q.limit);
    const counts = subtreeCounts(
      [...store.topics.values()].filter((s) => q.sys || !s.topic.startsWith("$")),
      prefix,
    );
    return {
      broker: q.broker,
      prefix,
      q: q.q,
      topics: page.map((s) => s.row(now)),
      total: matched.length,
      truncated: q.offset + page.length < matched.length,
      connected: this.connections.isConnected(q.broker),
      offset: q.offset,
      children: counts.children,
      counts: { topics: counts.topics, messages: counts.messages },
    };
  }

  async topicDetail(brokerId: string, topic: string): Promise<TopicDetail | null> {
    const s = this.store(brokerId).topics.get(topic);
    if (!s) return null;
    const entry = await getCatalogueEntry(this.o.prisma, brokerId, topic);
    return {
      broker: brokerId,
      topic,
      row: s.row(this.o.clock.now()),
      history: s.entries().map(messageOf),
      description: entry?.description ?? "",
      unit: entry?.unit ?? "",
    };
  }

  // ---- publish and clear retained -----------------------------------------------------

  async publish(req: { broker: string; topic: string; payload: string; format: PublishFormat; qos: QoS; retain: boolean }, user: string): Promise<PublishedEntry> {
    const problem = validatePublishTopic(req.topic);
    if (problem) throw new MonitorInputError(problem, 400);
    const bytes = encodePayload(req.payload, req.format);
    this.store(req.broker);
    if (!this.connections.isConnected(req.broker)) {
      await this.connections.whenConnected(req.broker, 3000).catch(() => {
        throw new MonitorInputError(`broker ${this.connections.status(req.broker).url || req.broker} is not connected: check that it is running`, 503);
      });
    }
    await this.connections.publish(req.broker, req.topic, bytes, { qos: req.qos, retain: req.retain });
    const entry: PublishedEntry = {
      broker: req.broker,
      topic: req.topic,
      payload: req.payload.length > 4096 ? req.payload.slice(0, 4096) : req.payload,
      format: req.format,
      qos: req.qos,
      retain: req.retain,
      size: bytes.length,
      time: this.o.clock.now(),
      user,
    };
    this.published.unshift(entry);
    if (this.published.length > MAX_PUBLISHED) this.published.length = MAX_PUBLISHED;
    return entry;
  }

  recentPublishes(): PublishedEntry[] {
    return [...this.published];
  }

  /**
   * Finds the retained topics of one topic or a subtree with a fresh subscription (the only
   * way to know them exactly: a live message does not say whether it was retained), then,
   * unless dryRun, publishes an empty retained message to exactly those topics.
   */
  async clearRetained(req: { broker: string; topic?: string; prefix?: string; dryRun: boolean }): Promise<ClearRetainedResponse> {
    let filter: string;
    if (req.topic !== undefined) {
      const problem = validatePublishTopic(req.topic);
      if (problem) throw new MonitorInputError(problem, 400);
      filter = req.topic;
    } else {
      const prefix = normalizePrefix(req.prefix ?? "");
      if (prefix.includes("+") || prefix.includes("#")) {
        throw new MonitorInputError(`prefix '${req.prefix}': give a topic path without wildcards, e.g. 'house/garage' (everything below it is included)`, 400);
      }
      filter = prefix === "" ? "#" : `${prefix}/#`;
    }
    if (filter.startsWith("$")) {
      throw new MonitorInputError(`'${filter}': topics starting with '$' belong to the broker and cannot be cleared`, 400);
    }
    const options = this.o.resolveBroker(req.broker);
    if (!options) throw new MonitorInputError(`broker '${req.broker}' is not configured`, 404);
    const topics = await withProbe(options, async (probe) => {
      const found = await probe.collectRetained(filter);
      if (!req.dryRun) await probe.clear(found);
      return found;
    });
    if (!req.dryRun) this.stores.get(req.broker)?.markNotRetained(topics);
    return { topics, count: topics.length, dryRun: req.dryRun, filter };
  }

  // ---- history ------------------------------------------------------------------------

  historySettings(): HistorySettings {
    return this.history.current;
  }

  async setHistorySettings(input: HistorySettingsInput): Promise<HistorySettings> {
    const merged = historySettingsSchema.safeParse({ ...this.history.current, ...input });
    if (!merged.success) {
      throw new MonitorInputError(
        "Invalid history settings: " + merged.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        400,
      );
    }
    await saveHistorySettings(this.o.prisma, merged.data);
    const retentionChanged = merged.data.retentionDays < this.history.current.retentionDays;
    this.history.setSettings(merged.data, this.o.clock.now());
    if (retentionChanged) await this.purge();
    return merged.data;
  }

  /** Chart widgets' topic+path pairs: always recorded. */
  setChartPairs(pairs: { broker: string; topic: string; path: string }[]): void {
    this.history.setPairs(pairs);
  }

  async readHistory(q: { broker: string; topic: string; path: string; from: number; to: number; points: number }): Promise<HistoryResponse> {
    if (!(q.to > q.from)) throw new MonitorInputError(`'to' (${q.to}) must be after 'from' (${q.from})`, 400);
    await this.metrics.flush();
    const stored = await readMetricBuckets(this.o.prisma, { brokerId: q.broker, topic: q.topic, path: q.path, from: q.from, to: q.to });
    const open = this.history.openBucket(q.broker, q.topic, q.path);
    const buckets: Bucket[] = stored;
    if (open && open.start >= q.from - this.history.current.bucketSeconds * 1000 && open.start <= q.to) buckets.push({ ...open });
    const step = stepFor(q.from, q.to, this.history.current.bucketSeconds, q.points);
    return { broker: q.broker, topic: q.topic, path: q.path, from: q.from, to: q.to, bucketSeconds: step / 1000, points: downsample(buckets, step) };
  }

  /** Deletes samples older than the retention period. */
  async purge(): Promise<number> {
    const cutoff = new Date(this.o.clock.now() - this.history.current.retentionDays * 86_400_000);
    try {
      const n = await purgeMetrics(this.o.prisma, cutoff);
      if (n > 0) this.o.logger.info(`monitor: purged ${n} history samples older than ${this.history.current.retentionDays} days`);
      return n;
    } catch (err) {
      this.o.logger.warn(`monitor: purging old history failed: ${(err as Error).message}`);
      return 0;
    }
  }

  // ---- catalogue ----------------------------------------------------------------------

  async listTopics(q: { q: string; broker?: string; limit: number }): Promise<TopicListResponse> {
    this.drainCatalogue();
    await this.catalogue.flush();
    return { topics: await listCatalogue(this.o.prisma, { q: q.q, brokerId: q.broker, limit: q.limit }) };
  }

  async updateTopic(u: TopicUpdate): Promise<TopicSummary> {
    return updateCatalogueEntry(this.o.prisma, u);
  }

  /** Hands topics with new messages to the catalogue writer (at most once per interval per topic). */
  drainCatalogue(): void {
    for (const [brokerId, store] of this.stores) {
      for (const s of store.takeCatalogueQueue()) {
        const delta = s.catalogueDelta;
        s.catalogueDelta = 0;
        this.catalogue.put(
          { brokerId, topic: s.topic, lastSeen: new Date(0), delta: 0, lastPayload: "", retained: false },
          {
            brokerId,
            topic: s.topic,
            lastSeen: new Date(s.lastTime),
            delta,
            lastPayload: decodePayload(s.data.length > 4000 ? s.data.slice(0, 4000) : s.data, s.size, 1000).text,
            retained: s.retained,
          },
        );
      }
    }
  }

  private writeBuckets(buckets: Bucket[]): void {
    for (const b of buckets) this.metrics.put(b, b);
  }
}

/** Payload bytes for a publish; a MonitorInputError (400) naming the problem otherwise. */
export function encodePayload(payload: string, format: PublishFormat): Buffer {
  switch (format) {
    case "text":
      return Buffer.from(payload, "utf8");
    case "json":
      try {
        JSON.parse(payload);
      } catch (err) {
        throw new MonitorInputError(`payload is not valid JSON (${(err as Error).message}): fix it or choose the 'text' format`, 400);
      }
      return Buffer.from(payload, "utf8");
    case "hex": {
      const hex = payload.replace(/\s+/g, "").replace(/^0x/i, "");
      if (!/^[0-9a-fA-F]*$/.test(hex)) throw new MonitorInputError("payload is not hex: use the digits 0-9 and a-f, e.g. '01 ff 7a'", 400);
      if (hex.length % 2 !== 0) throw new MonitorInputError(`payload hex has an odd number of digits (${hex.length}): each byte needs two, e.g. '0f' not 'f'`, 400);
      return Buffer.from(hex, "hex");
    }
    case "base64": {
      const b64 = payload.replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) {
        throw new MonitorInputError("payload is not base64: use the characters A-Z, a-z, 0-9, + and / (with = padding)", 400);
      }
      return Buffer.from(b64, b64.includes("-") || b64.includes("_") ? "base64url" : "base64");
    }
  }
}

interface Probe {
  collectRetained(filter: string): Promise<string[]>;
  clear(topics: string[]): Promise<void>;
}

/** A short-lived separate client: a fresh SUBSCRIBE makes the broker send the retained messages. */
async function withProbe<T>(options: BrokerConnectionOptions, fn: (probe: Probe) => Promise<T>): Promise<T> {
  const client = mqttConnect(options.url, {
    clientId: `flowhouse-probe-${Math.random().toString(16).slice(2, 10)}`,
    username: options.username,
    password: options.password,
    protocolVersion: options.protocolVersion ?? 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", (err) => reject(new MonitorInputError(`broker ${options.url}: ${err.message || "connection failed"}`, 503)));
      client.once("close", () => reject(new MonitorInputError(`broker ${options.url}: connection closed`, 503)));
    });
    return await fn({
      async collectRetained(filter) {
        const found = new Set<string>();
        let lastArrival = Date.now();
        const onMessage = (topic: string, payload: Buffer, packet: IPublishPacket) => {
          if (packet.retain && payload.length > 0) found.add(topic);
          lastArrival = Date.now();
        };
        client.on("message", onMessage);
        await client.subscribeAsync(filter, { qos: 0 });
        // Retained messages follow the SUBACK at once; wait until none came for 300 ms (bounded).
        lastArrival = Date.now();
        const deadline = lastArrival + 10_000;
        while (Date.now() < deadline && Date.now() - lastArrival < 300) await new Promise((r) => setTimeout(r, 50));
        client.off("message", onMessage);
        await client.unsubscribeAsync(filter).catch(() => undefined);
        return [...found].sort();
      },
      async clear(topics) {
        for (let i = 0; i < topics.length; i += 100) {
          await Promise.all(topics.slice(i, i + 100).map((t) => client.publishAsync(t, Buffer.alloc(0), { qos: 1, retain: true })));
        }
      },
    });
  } finally {
    await client.endAsync().catch(() => undefined);
  }
}
