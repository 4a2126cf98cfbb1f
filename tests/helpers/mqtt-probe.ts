/** A plain MQTT.js client for tests: records what arrives and waits for it, with time limits. */
import mqtt from "mqtt";

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  /** ms since epoch when it arrived */
  at: number;
}

export interface Probe {
  received: Received[];
  subscribe(filter: string, qos?: 0 | 1 | 2): Promise<void>;
  publish(topic: string, payload: string, opts?: { qos?: 0 | 1 | 2; retain?: boolean }): Promise<void>;
  /** Resolves with the first message (from `fromIndex` on) matching, or rejects after timeoutMs. */
  waitFor(match: (m: Received) => boolean, timeoutMs?: number, fromIndex?: number): Promise<Received>;
  on(topic: string): Received[];
  end(): Promise<void>;
}

export async function connectProbe(url: string): Promise<Probe> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, connectTimeout: 5000, clean: true });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  client.on("message", (topic, payload, packet) => {
    received.push({ topic, payload: payload.toString(), retain: packet.retain, at: Date.now() });
    for (const w of [...waiters]) w();
  });
  return {
    received,
    async subscribe(filter, qos = 1) {
      await client.subscribeAsync(filter, { qos });
    },
    async publish(topic, payload, opts = {}) {
      await client.publishAsync(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false });
    },
    waitFor(match, timeoutMs = 5000, fromIndex = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.slice(fromIndex).find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching MQTT message within ${timeoutMs} ms; got: ${JSON.stringify(received.slice(-10))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    on(topic) {
      return received.filter((m) => m.topic === topic);
    },
    async end() {
      await client.endAsync(true);
    },
  };
}
