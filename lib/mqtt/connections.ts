/**
 * The ConnectionManager: one MQTT.js client per broker, shared by every node.
 *
 * - Subscriptions are ref-counted per (broker, filter). What is actually SUBSCRIBEd at the
 *   broker is planned by broker-subscriptions.ts (overlapping filters merged, so each
 *   message reaches this client once); incoming messages are dispatched locally through a
 *   TopicTrie, so each handler whose filter matches gets each message exactly once.
 * - We own resubscription (MQTT.js `resubscribe: false`): after a CONNACK without a session
 *   ([MQTT-3.2.2-1]: clean session, or the broker lost it) everything is subscribed again;
 *   with a session present only the difference since the last connection is sent.
 * - Reconnect with exponential backoff: 1 s doubling to 30 s, reset after a successful
 *   connect. MQTT.js schedules the next attempt on 'close' from `options.reconnectPeriod`,
 *   so we set that value for the *next* close right after each close/connect.
 *
 * Known limits (see also broker-subscriptions.ts):
 * - A `$share/g/f` handler is dispatched by `f`; if a plain filter on the same broker
 *   overlaps `f`, the shared handler also sees copies meant for the plain one (MQTT 3.1.1
 *   copies do not say which subscription produced them).
 * - When a new filter widens a broker-level subscription, the broker re-sends retained
 *   messages for the wider filter and existing handlers see them again (retain = true);
 *   for a moment during that change a message may arrive twice.
 * - A second handler on an already subscribed filter gets no retained message (no new
 *   SUBSCRIBE is sent for it).
 */
import { randomBytes } from "node:crypto";
import { connect as mqttConnect, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import { planBrokerSubscriptions, maxQos } from "./broker-subscriptions";
import { Outbox, type OutboxStore, type OutboxTransport } from "./outbox";
import type { MqttMessage, MqttService, PublishOptions, QoS } from "./service";
import { dispatchFilter, validatePublishTopic, validateTopicFilter } from "./topic";
import { TopicTrie } from "./trie";

/** How to reach one broker (from the Broker table, or env for the default broker). */
export interface BrokerConnectionOptions {
  /** mqtt://host:port, mqtts://…, ws://… */
  url: string;
  /** Default `flowhouse-<8 random hex>`, new per process: give a fixed one for persistent sessions. */
  clientId?: string;
  username?: string;
  password?: string;
  /** Default 60. */
  keepaliveSeconds?: number;
  /** Clean session (3.1.1) / clean start (5). Default true. */
  clean?: boolean;
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  /** Time to wait for CONNACK. Default 10000. */
  connectTimeoutMs?: number;
  /** MQTT 5 session expiry interval (s) sent when `clean` is false. */
  sessionExpirySeconds?: number;
  /** TLS for mqtts:// and wss:// (PEM text). */
  tls?: {
    ca?: string;
    cert?: string;
    key?: string;
    passphrase?: string;
    /** Default true; false accepts any server certificate. */
    rejectUnauthorized?: boolean;
    servername?: string;
  };
  /**
   * Birth and last will: on every connect publish `online` retained (QoS 1) on `topic`; the
   * broker publishes the will `offline` retained when the connection dies; a clean close()
   * publishes `offline` itself before disconnecting.
   */
  status?: { topic: string; online: string; offline: string };
}

export interface BrokerStatus {
  connected: boolean;
  url: string;
  /** The last connection error, cleared on a successful connect. */
  lastError: string | null;
  /** Successful re-connections after the first connect. */
  reconnects: number;
  /** ISO time of the last error / last successful connect, or null. */
  lastErrorAt: string | null;
  lastConnectedAt: string | null;
  /** QoS 1/2 publishes waiting in the outbox (see lib/mqtt/outbox.ts). */
  outbox: number;
}

export interface MqttLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ConnectionManagerOptions {
  /** brokerId ("" = the default broker) → how to connect, or undefined when unknown. */
  resolveBroker: (brokerId: string) => BrokerConnectionOptions | undefined;
  logger?: MqttLogger;
  /** First reconnect delay; doubles after each failed attempt. Default 1000. */
  reconnectInitialMs?: number;
  /** Longest reconnect delay. Default 30000. */
  reconnectMaxMs?: number;
  /**
   * Durable outbox for QoS 1/2 publishes (lib/db/outbox-store.ts). Without it a publish goes
   * straight to MQTT.js, which queues in memory only.
   */
  outbox?: OutboxStore;
  /** Messages the outbox keeps per broker before publishes are rejected. Default 10,000. */
  outboxLimit?: number;
  /** Unacknowledged QoS 1/2 messages in flight per broker (outbox only). Default 1,000. */
  outboxWindow?: number;
}

type Handler = (message: MqttMessage) => void;

interface Subscription {
  readonly filter: string;
  readonly qos: QoS;
  readonly handler: Handler;
  active: boolean;
}

/** What we believe the broker has; compared by identity to ignore stale callbacks. */
interface BrokerSub {
  qos: QoS;
}

class BrokerConnection {
  client: MqttClient | null = null;
  url = "";
  readonly trie = new TopicTrie<Subscription>();
  /** Requested filter → its live subscriptions. */
  readonly requested = new Map<string, Set<Subscription>>();
  readonly brokerSubs = new Map<string, BrokerSub>();
  readonly listeners = new Set<(connected: boolean) => void>();
  connected = false;
  everConnected = false;
  lastError: string | null = null;
  lastErrorAt: string | null = null;
  lastConnectedAt: string | null = null;
  /** The options the current client was created with. */
  options: BrokerConnectionOptions | null = null;
  /** QoS 0 publishes dropped during the current outage (logged once when it ends). */
  droppedQos0 = 0;
  reconnects = 0;
  reconcileScheduled = false;
  /** SUBSCRIBE/UNSUBSCRIBE packets sent and not yet acknowledged. */
  inFlight = 0;
  readonly settledWaiters = new Set<() => void>();

  constructor(readonly brokerId: string) {}

  get settled(): boolean {
    return !this.reconcileScheduled && (this.inFlight === 0 || !this.connected);
  }

  notifyIfSettled(): void {
    if (!this.settled) return;
    for (const wake of [...this.settledWaiters]) wake();
  }
}

const defaultLogger: MqttLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

export class ConnectionManager implements MqttService {
  private readonly brokers = new Map<string, BrokerConnection>();
  private readonly logger: MqttLogger;
  private readonly reconnectInitialMs: number;
  private readonly reconnectMaxMs: number;
  private closed = false;
  private readonly outbox: Outbox | null;
  /** While > 0 (a deploy in progress), subscription changes wait and go out as one net change. */
  private holds = 0;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.logger = options.logger ?? defaultLogger;
    this.reconnectInitialMs = options.reconnectInitialMs ?? 1000;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 30_000;
    this.outbox = options.outbox
      ? new Outbox({
          store: options.outbox,
          limit: options.outboxLimit,
          window: options.outboxWindow,
          label: (brokerId) => brokerLabel(brokerId, this.brokers.get(brokerId)?.url || this.options.resolveBroker(brokerId)?.url || ""),
          warn: (text) => this.logger.warn(text),
        })
      : null;
    // Messages left from a previous run: drain them once the broker is known (its config
    // node may only exist after the first deploy, which releases a hold() and retries).
    if (this.outbox) setImmediate(() => this.resumeOutbox());
  }

  subscribe(brokerId: string, filter: string, qos: QoS, handler: Handler): () => void {
    const problem = validateTopicFilter(filter);
    if (problem) throw new Error(problem);
    const conn = this.ensureClient(brokerId);
    const sub: Subscription = { filter, qos, handler, active: true };
    let subs = conn.requested.get(filter);
    const before = subs ? requestedQos(subs) : -1;
    if (!subs) {
      subs = new Set();
      conn.requested.set(filter, subs);
    }
    subs.add(sub);
    conn.trie.add(dispatchFilter(filter), sub);
    if (qos > before) this.scheduleReconcile(conn);

    return () => {
      if (!sub.active) return;
      sub.active = false;
      conn.trie.remove(dispatchFilter(filter), sub);
      const current = conn.requested.get(filter);
      if (!current) return;
      current.delete(sub);
      if (current.size === 0) {
        conn.requested.delete(filter);
        this.scheduleReconcile(conn);
      } else if (requestedQos(current) < sub.qos) {
        this.scheduleReconcile(conn);
      }
    };
  }

  async publish(brokerId: string, topic: string, payload: string | Buffer, options: PublishOptions = {}): Promise<void> {
    const problem = validatePublishTopic(topic);
    if (problem) throw new Error(problem);
    const conn = this.ensureClient(brokerId);
    const client = conn.client;
    if (!client) throw new Error(`MQTT broker ${conn.url}: the connection is closed`);
    const qos = options.qos ?? 0;
    if (this.outbox) {
      if (qos > 0) {
        const data = typeof payload === "string" ? Buffer.from(payload) : payload;
        return this.outbox.enqueue({ brokerId, topic, payload: data, qos: qos as 1 | 2, retain: options.retain ?? false });
      }
      if (!conn.connected) {
        // QoS 0 is "at most once": while the broker is unreachable it is dropped, not queued
        // (MQTT.js would hold it in memory and make the flow wait for the outage to end).
        conn.droppedQos0++;
        return;
      }
    }
    try {
      await client.publishAsync(topic, payload, { qos: options.qos ?? 0, retain: options.retain ?? false });
    } catch (err) {
      throw new Error(`MQTT publish to '${topic}' on ${conn.url} failed: ${errorText(err)}`);
    }
  }

  isConnected(brokerId: string): boolean {
    return this.brokers.get(brokerId)?.connected ?? false;
  }

  onConnectionChange(brokerId: string, listener: (connected: boolean) => void): () => void {
    const conn = this.record(brokerId);
    conn.listeners.add(listener);
    // A node using this broker started: if the outbox holds messages for it, connect now.
    if (this.outbox && !conn.client && !this.closed && this.outbox.count(brokerId) > 0) {
      setImmediate(() => this.resumeOutbox());
    }
    return () => {
      conn.listeners.delete(listener);
    };
  }

  /**
   * Defers broker-level (un)subscribes until the returned release function is called, then
   * sends only the net change. A redeploy that closes and re-creates an `mqtt in` on the same
   * filter therefore sends nothing to the broker and loses no message in between.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds > 0) return;
      if (this.outbox) setImmediate(() => this.resumeOutbox());
      for (const conn of this.brokers.values()) {
        if (!conn.reconcileScheduled) continue;
        conn.reconcileScheduled = false;
        this.scheduleReconcile(conn);
      }
    };
  }

  /**
   * Resolves when every connected broker has acknowledged all subscription changes (so
   * messages published from now on reach the new subscriptions), or after `timeoutMs`.
   * A disconnected broker counts as settled: its subscriptions go out on reconnect.
   */
  async settled(timeoutMs = 3000): Promise<boolean> {
    const pending = [...this.brokers.values()].filter((c) => !c.settled);
    if (pending.length === 0) return true;
    return new Promise((resolve) => {
      const check = () => {
        if (pending.every((c) => c.settled)) finish(true);
      };
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        for (const c of pending) c.settledWaiters.delete(check);
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      for (const c of pending) c.settledWaiters.add(check);
    });
  }

  /** Open the connection to a broker now instead of on first use. Throws for an unknown broker. */
  connect(brokerId: string): void {
    this.ensureClient(brokerId);
  }

  /** Resolves once the broker is connected; rejects after `timeoutMs`. */
  whenConnected(brokerId: string, timeoutMs = 10_000): Promise<void> {
    const conn = this.ensureClient(brokerId);
    if (conn.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`MQTT broker ${conn.url} not connected after ${timeoutMs} ms${conn.lastError ? `: ${conn.lastError}` : ""}`));
      }, timeoutMs);
      const off = this.onConnectionChange(brokerId, (connected) => {
        if (!connected) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  status(brokerId: string): BrokerStatus {
    const conn = this.brokers.get(brokerId);
    const url = conn?.url || redactUrl(this.options.resolveBroker(brokerId)?.url ?? "");
    return {
      connected: conn?.connected ?? false,
      url,
      lastError: conn?.lastError ?? null,
      reconnects: conn?.reconnects ?? 0,
      lastErrorAt: conn?.lastErrorAt ?? null,
      lastConnectedAt: conn?.lastConnectedAt ?? null,
      outbox: this.outbox?.count(brokerId) ?? 0,
    };
  }

  /**
   * Connect every broker that has messages waiting in the outbox (e.g. from before a
   * restart) and is known to `resolveBroker`; the others are tried again after each deploy.
   */
  resumeOutbox(): void {
    if (!this.outbox || this.closed) return;
    for (const brokerId of this.outbox.brokerIdsWithMessages()) {
      if (this.brokers.get(brokerId)?.client) continue;
      if (!this.options.resolveBroker(brokerId)) continue;
      try {
        this.ensureClient(brokerId);
        this.outbox.count(brokerId); // loads the stored messages
      } catch (err) {
        this.logger.warn(`mqtt outbox: broker '${brokerId}': ${errorText(err)}`);
      }
    }
  }

  /**
   * The filters currently SUBSCRIBEd at the broker (after merging overlapping ones), as far
   * as this client knows. For status pages and tests.
   */
  brokerFilters(brokerId: string): string[] {
    return [...(this.brokers.get(brokerId)?.brokerSubs.keys() ?? [])].sort();
  }

  /** Broker ids with a client (for a status page). */
  brokerIds(): string[] {
    return [...this.brokers.values()].filter((c) => c.client).map((c) => c.brokerId);
  }

  /**
   * Re-read a broker's options (after the user edited it) and reconnect with them. The
   * subscriptions stay and are sent again on the new connection. If the broker no longer
   * exists the client is closed and the subscriptions wait until it exists again.
   */
  async reload(brokerId: string): Promise<void> {
    const conn = this.brokers.get(brokerId);
    if (!conn?.client) return;
    const old = conn.client;
    const oldStatus = conn.options?.status;
    conn.client = null;
    conn.brokerSubs.clear();
    // Unacknowledged outbox messages go out again on the new connection, not from the old one.
    this.outbox?.disconnected(brokerId);
    const next = this.options.resolveBroker(brokerId);
    if (oldStatus && old.connected && next?.status?.topic !== oldStatus.topic) await publishStatus(old, oldStatus, "offline");
    await endClient(old);
    this.setConnected(conn, false);
    if (this.closed) return;
    if (!this.options.resolveBroker(brokerId)) {
      conn.lastError = unknownBrokerMessage(brokerId);
      this.logger.warn(`mqtt: ${conn.lastError}`);
      return;
    }
    this.ensureClient(brokerId);
  }

  /** End every client (waits briefly for in-flight QoS ≥ 1 publishes). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ending: Promise<void>[] = [];
    for (const conn of this.brokers.values()) {
      const client = conn.client;
      const status = conn.options?.status;
      conn.client = null;
      conn.brokerSubs.clear();
      if (!client) continue;
      ending.push(
        (async () => {
          // A clean DISCONNECT suppresses the will: say "offline" ourselves first.
          if (status && client.connected) await publishStatus(client, status, "offline");
          // Graceful end waits (bounded) for in-flight QoS ≥ 1 acks; the outbox removes the
          // acknowledged ones, the rest stay stored and go out after the next start.
          await endClient(client);
          this.outbox?.disconnected(conn.brokerId);
        })(),
      );
    }
    await Promise.all(ending);
    this.outbox?.close();
    for (const conn of this.brokers.values()) this.setConnected(conn, false);
  }

  // ---- internals ---------------------------------------------------------------------

  private record(brokerId: string): BrokerConnection {
    let conn = this.brokers.get(brokerId);
    if (!conn) {
      conn = new BrokerConnection(brokerId);
      this.brokers.set(brokerId, conn);
    }
    return conn;
  }

  private ensureClient(brokerId: string): BrokerConnection {
    if (this.closed) throw new Error("MQTT connections are closed (the server is shutting down)");
    const existing = this.brokers.get(brokerId);
    if (existing?.client) return existing;
    const options = this.options.resolveBroker(brokerId);
    if (!options) throw new Error(unknownBrokerMessage(brokerId));
    const conn = this.record(brokerId);
    conn.url = redactUrl(options.url); // for messages and status: never the password
    conn.options = options;
    conn.client = this.createClient(conn, options);
    return conn;
  }

  private createClient(conn: BrokerConnection, options: BrokerConnectionOptions): MqttClient {
    const clientOptions = mqttClientOptions(options, this.reconnectInitialMs);
    const client = mqttConnect(options.url, clientOptions);
    const label = `mqtt ${redactUrl(options.url)}`;
    const transport: OutboxTransport = {
      ready: () => conn.client === client && conn.connected && client.connected,
      send: (message, done) => {
        const before = client.getLastMessageId();
        client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain }, (err) => done(err ?? undefined));
        const after = client.getLastMessageId();
        // Not allocated synchronously when MQTT.js is still replaying its own store; such a
        // publish is failed by MQTT.js itself on close (never sent twice).
        return after !== before ? after : undefined;
      },
      takeBack: (handle) => {
        client.removeOutgoingMessage(handle);
      },
    };

    client.on("connect", (connack) => {
      if (conn.client !== client) return;
      if (conn.everConnected) conn.reconnects++;
      conn.everConnected = true;
      conn.lastError = null;
      conn.lastConnectedAt = new Date().toISOString();
      client.options.reconnectPeriod = this.reconnectInitialMs;
      // No session at the broker: it has none of our subscriptions [MQTT-3.2.2-1..3].
      if (!connack.sessionPresent) conn.brokerSubs.clear();
      this.logger.info(`${label}: connected${connack.sessionPresent ? " (session present)" : ""}`);
      if (conn.droppedQos0 > 0) {
        this.logger.warn(`${label}: ${conn.droppedQos0} QoS 0 message(s) were dropped while the broker was unreachable (use QoS 1 to keep them)`);
        conn.droppedQos0 = 0;
      }
      this.setConnected(conn, true);
      this.reconcile(conn);
      // Birth: retained "online" on every connect (the will says "offline" when we vanish).
      const status = options.status;
      if (status) {
        client.publish(status.topic, status.online, { qos: 1, retain: true }, (err) => {
          if (err && conn.client === client && client.connected) this.logger.warn(`${label}: status '${status.topic}' not published: ${errorText(err)}`);
        });
      }
      this.outbox?.connected(conn.brokerId, transport);
    });
    client.on("close", () => {
      if (conn.client !== client) return;
      // MQTT.js has just scheduled the next attempt with the current period: set the next one.
      client.options.reconnectPeriod = Math.min((client.options.reconnectPeriod ?? this.reconnectInitialMs) * 2, this.reconnectMaxMs);
      // Unacknowledged outbox messages: back to the outbox, sent first after the reconnect.
      this.outbox?.disconnected(conn.brokerId);
      if (conn.connected) {
        this.logger.warn(`${label}: connection lost, reconnecting`);
        this.setError(conn, `connection to ${hostPort(options.url)} lost; reconnecting (if this repeats every few seconds, another client may be using the same client id)`);
      }
      this.setConnected(conn, false);
    });
    client.on("error", (err) => {
      if (conn.client !== client) return;
      const text = describeConnectionError(err, options);
      if (text !== conn.lastError) this.logger.warn(`${label}: ${text}`);
      this.setError(conn, text);
    });
    client.on("message", (topic: string, payload: Buffer, packet: IPublishPacket) => {
      if (conn.client !== client) return;
      this.dispatch(conn, topic, payload, packet);
    });
    return client;
  }

  private setError(conn: BrokerConnection, text: string): void {
    conn.lastError = text;
    conn.lastErrorAt = new Date().toISOString();
  }

  private dispatch(conn: BrokerConnection, topic: string, payload: Buffer, packet: IPublishPacket): void {
    const subs = conn.trie.match(topic);
    for (const sub of subs) {
      if (!sub.active) continue;
      const message: MqttMessage = { topic, payload, qos: packet.qos, retain: packet.retain };
      try {
        const result: unknown = sub.handler(message);
        if (result instanceof Promise) {
          result.catch((err: unknown) => this.logHandlerError(conn, sub, topic, err));
        }
      } catch (err) {
        this.logHandlerError(conn, sub, topic, err);
      }
    }
  }

  private logHandlerError(conn: BrokerConnection, sub: Subscription, topic: string, err: unknown): void {
    this.logger.warn(`mqtt ${conn.url}: handler for '${sub.filter}' failed on a message to '${topic}': ${errorText(err)}`);
  }

  private setConnected(conn: BrokerConnection, connected: boolean): void {
    if (conn.connected === connected) return;
    conn.connected = connected;
    conn.notifyIfSettled();
    for (const listener of [...conn.listeners]) {
      try {
        listener(connected);
      } catch (err) {
        this.logger.warn(`mqtt ${conn.url}: connection listener failed: ${errorText(err)}`);
      }
    }
  }

  /** Batch subscription changes made in one tick (a deploy adds many) into one plan. */
  private scheduleReconcile(conn: BrokerConnection): void {
    if (conn.reconcileScheduled) return;
    conn.reconcileScheduled = true;
    if (this.holds > 0) return; // release() schedules again
    queueMicrotask(() => {
      if (this.holds > 0) return;
      conn.reconcileScheduled = false;
      this.reconcile(conn);
      conn.notifyIfSettled();
    });
  }

  /** Bring the broker's subscriptions in line with the plan for the requested filters. */
  private reconcile(conn: BrokerConnection): void {
    const client = conn.client;
    if (!client || !client.connected) return; // done again on 'connect'
    const requested = new Map<string, QoS>();
    for (const [filter, subs] of conn.requested) requested.set(filter, requestedQos(subs) as QoS);
    const plan = planBrokerSubscriptions(requested);

    const toSubscribe: Record<string, { qos: QoS }> = {};
    const subscribed: [string, BrokerSub][] = [];
    for (const [filter, qos] of plan) {
      if (conn.brokerSubs.get(filter)?.qos === qos) continue;
      const entry: BrokerSub = { qos };
      conn.brokerSubs.set(filter, entry);
      toSubscribe[filter] = { qos };
      subscribed.push([filter, entry]);
    }
    const toUnsubscribe: [string, BrokerSub][] = [];
    for (const [filter, entry] of conn.brokerSubs) {
      if (!plan.has(filter)) toUnsubscribe.push([filter, entry]);
    }
    for (const [filter] of toUnsubscribe) conn.brokerSubs.delete(filter);

    // SUBSCRIBE before UNSUBSCRIBE: when filters are merged, a message may then arrive
    // twice for a moment rather than be lost.
    if (subscribed.length > 0) {
      conn.inFlight++;
      client.subscribe(toSubscribe, (err, granted) => {
        conn.inFlight--;
        conn.notifyIfSettled();
        if (err) {
          // Connection lost before SUBACK: forget them, the next connect sends them again.
          for (const [filter, entry] of subscribed) {
            if (conn.brokerSubs.get(filter) === entry) conn.brokerSubs.delete(filter);
          }
          return;
        }
        for (const grant of granted ?? []) {
          if (grant.qos === 128) {
            conn.lastError = `broker refused the subscription to '${grant.topic}'`;
            this.logger.warn(`mqtt ${conn.url}: ${conn.lastError} (check the broker's access rules, and that it supports this kind of filter)`);
          }
        }
      });
    }
    if (toUnsubscribe.length > 0) {
      conn.inFlight++;
      client.unsubscribe(
        toUnsubscribe.map(([filter]) => filter),
        (err?: Error) => {
          conn.inFlight--;
          conn.notifyIfSettled();
          if (!err) return;
          // Not confirmed: remember it so the next reconcile (with a session) removes it.
          for (const [filter, entry] of toUnsubscribe) {
            if (!conn.brokerSubs.has(filter)) conn.brokerSubs.set(filter, entry);
          }
        },
      );
    }
  }
}

function requestedQos(subs: Set<Subscription>): number {
  let qos = -1;
  for (const sub of subs) qos = qos < 0 ? sub.qos : maxQos(qos as QoS, sub.qos);
  return qos;
}

function unknownBrokerMessage(brokerId: string): string {
  if (brokerId === "") return "no default MQTT broker is configured: set MQTT_URL, or choose a broker in the node's properties";
  return `mqtt broker config '${brokerId}' does not exist: choose a broker in the node's properties`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // Node's AggregateError (e.g. ECONNREFUSED on ::1 and 127.0.0.1) has an empty message.
    if (err.message) return err.message;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return code;
    return err.name;
  }
  return String(err);
}

/** MQTT.js options for a broker: TLS, will, session expiry (exported for tests). */
export function mqttClientOptions(options: BrokerConnectionOptions, reconnectPeriod: number): IClientOptions {
  const protocolVersion = options.protocolVersion ?? 4;
  const clean = options.clean ?? true;
  const clientOptions: IClientOptions = {
    clientId: options.clientId || `flowhouse-${randomBytes(4).toString("hex")}`,
    username: options.username,
    password: options.password,
    keepalive: options.keepaliveSeconds ?? 60,
    clean,
    protocolVersion,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    reconnectPeriod,
    // A refused CONNACK (server unavailable, bad password being fixed on the broker) is
    // retried with the same backoff as a lost connection.
    reconnectOnConnackError: true,
    // We resubscribe ourselves (see the file comment); MQTT.js doing it too would send
    // every SUBSCRIBE twice and the broker would re-send retained messages twice.
    resubscribe: false,
  };
  if (protocolVersion === 5 && !clean && options.sessionExpirySeconds !== undefined) {
    clientOptions.properties = { sessionExpiryInterval: options.sessionExpirySeconds };
  }
  if (options.status) {
    clientOptions.will = { topic: options.status.topic, payload: Buffer.from(options.status.offline), qos: 1, retain: true };
  }
  const tls = options.tls;
  if (tls && /^(mqtts|wss|ssl|tls):/i.test(options.url)) {
    if (tls.ca) clientOptions.ca = tls.ca;
    if (tls.cert) clientOptions.cert = tls.cert;
    if (tls.key) clientOptions.key = tls.key;
    // MQTT.js hands `passphrase` on to tls.connect / ws but does not declare it.
    if (tls.passphrase) (clientOptions as IClientOptions & { passphrase?: string }).passphrase = tls.passphrase;
    clientOptions.rejectUnauthorized = tls.rejectUnauthorized ?? true;
    if (tls.servername) {
      clientOptions.servername = tls.servername;
      if (/^wss:/i.test(options.url)) clientOptions.wsOptions = { servername: tls.servername } as IClientOptions["wsOptions"];
    }
  }
  return clientOptions;
}

/** Publish the retained status (QoS 1), waiting at most `timeoutMs` for the PUBACK. */
function publishStatus(client: MqttClient, status: NonNullable<BrokerConnectionOptions["status"]>, which: "online" | "offline", timeoutMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    client.publish(status.topic, status[which], { qos: 1, retain: true }, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function hostPort(url: string): string {
  try {
    const u = new URL(url);
    const defaults: Record<string, string> = { "mqtt:": "1883", "mqtts:": "8883", "ws:": "80", "wss:": "443" };
    return `${u.hostname}:${u.port || defaults[u.protocol] || "?"}`;
  } catch {
    return url;
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

function brokerLabel(brokerId: string, url: string): string {
  const where = url ? ` (${redactUrl(url)})` : "";
  return brokerId === "" ? `MQTT broker${where}` : `MQTT broker '${brokerId}'${where}`;
}

const CONNACK_3: Record<number, string> = {
  1: "the broker does not accept MQTT 3.1.1: choose MQTT 5 (or the version the broker speaks)",
  2: "the broker rejected the client id: choose another client id",
  3: "the broker is unavailable (server unavailable): it will be retried",
  4: "bad user name or password: check the credentials",
  5: "not authorized: the broker refused this user or client id; check its access rules",
};
const CONNACK_5: Record<number, string> = {
  0x80: "unspecified error",
  0x81: "the broker could not read our CONNECT packet (malformed packet)",
  0x82: "protocol error",
  0x83: "implementation specific error",
  0x84: "the broker does not accept MQTT 5: choose MQTT 3.1.1",
  0x85: "the broker rejected the client id: choose another client id",
  0x86: "bad user name or password: check the credentials",
  0x87: "not authorized: the broker refused this user or client id; check its access rules",
  0x88: "the broker is unavailable (server unavailable): it will be retried",
  0x89: "the broker is busy: it will be retried",
  0x8a: "this client is banned by the broker",
  0x8c: "bad authentication method",
  0x95: "packet too large",
  0x97: "quota exceeded",
  0x9f: "connection rate exceeded: the broker limits how often clients connect",
};

const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/**
 * The connection error in words a user can act on: what failed, where, and what to do.
 * Exported for tests and for the broker settings "Test connection".
 */
export function describeConnectionError(err: unknown, options: Pick<BrokerConnectionOptions, "url" | "protocolVersion" | "connectTimeoutMs" | "tls">): string {
  const where = hostPort(options.url);
  const e = (err ?? {}) as { code?: unknown; message?: unknown; reason?: unknown; errors?: unknown };
  let code = e.code;
  // Node's AggregateError (happy eyeballs, e.g. ECONNREFUSED on ::1 and 127.0.0.1).
  if (code === undefined && Array.isArray(e.errors) && e.errors.length > 0) code = (e.errors[0] as { code?: unknown }).code;
  const message = typeof e.message === "string" ? e.message : "";
  if (typeof code === "number" && message.startsWith("Connection refused")) {
    const table = (options.protocolVersion ?? 4) === 5 ? CONNACK_5 : CONNACK_3;
    const words = table[code] ?? message;
    return `${where} refused the connection: ${words} (code ${code})`;
  }
  if (typeof code === "string") {
    if (code === "ECONNREFUSED") return `Connection refused at ${where}: is the broker running?`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `Host '${where.replace(/:[^:]*$/, "")}' not found: check the broker address`;
    if (code === "ETIMEDOUT") return `No answer from ${where}: check the address, the port and any firewall in between`;
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return `${where} is unreachable from this machine: check the address and the network`;
    if (code === "ECONNRESET" || code === "EPIPE") {
      const tls = /^(mqtts|wss):/i.test(options.url);
      return `${where} closed the connection${tls ? " during or right after the TLS handshake: if it requires a client certificate, add one (and its key)" : ": if it expects TLS, use mqtts://"}`;
    }
    if (UNTRUSTED.has(code)) return `TLS to ${where}: the server's certificate is not trusted: add its CA certificate or turn verification off`;
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      const reason = typeof e.reason === "string" ? ` (${e.reason})` : "";
      return `TLS to ${where}: the server's certificate does not match the host name${reason}: connect with a name in its certificate, or set the TLS server name`;
    }
    if (code === "CERT_HAS_EXPIRED") return `TLS to ${where}: the server's certificate has expired: renew it on the broker`;
    if (code === "CERT_NOT_YET_VALID") return `TLS to ${where}: the server's certificate is not valid yet: check the clocks of both machines`;
    if (code === "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED" || /certificate required/i.test(message)) {
      return `TLS to ${where}: the broker requires a client certificate: add the client certificate and its key`;
    }
    if (/^ERR_SSL_(TLSV1|SSLV3)_ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|DECRYPT_ERROR|ACCESS_DENIED)$/.test(code)) {
      return `TLS to ${where}: the broker rejected the client certificate (${message.replace(/^.*alert /i, "").trim() || code}): use a certificate signed by a CA the broker trusts`;
    }
    if (code === "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE" || /handshake failure/i.test(message)) {
      return `TLS to ${where}: handshake failed: the broker may require a client certificate, or accept none of our TLS versions/ciphers`;
    }
    if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(message)) {
      return `TLS to ${where} failed: this port does not speak TLS: use mqtt:// or the broker's TLS port`;
    }
    if (code === "ERR_OSSL_BAD_DECRYPT" || /bad decrypt/i.test(message)) return `TLS: the client key cannot be decrypted: check the key passphrase`;
    if (code === "ERR_OSSL_KEY_VALUES_MISMATCH" || /key values mismatch/i.test(message)) return `TLS: the client key does not belong to the client certificate`;
    if (/^ERR_OSSL_PEM_|^ERR_OSSL_UNSUPPORTED$/.test(code)) return `TLS: a certificate or key is not valid PEM (${message}): paste the whole -----BEGIN …----- block`;
  }
  if (message === "connack timeout") {
    return `No CONNACK from ${where} within ${options.connectTimeoutMs ?? 10_000} ms: is this an MQTT port (mqtt:// vs ws://, TLS vs plain)? is the broker overloaded?`;
  }
  return errorText(err);
}

/** End a client: gracefully when connected (DISCONNECT after in-flight acks), forced after 2 s. */
function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.stream?.destroy();
      finish();
    }, 2000);
    client.end(!client.connected, {}, finish);
  });
}
