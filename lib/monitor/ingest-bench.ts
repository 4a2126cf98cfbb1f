/**
 * Micro-benchmark of the monitor's ingest path (one core, no network):
 *   node --import tsx lib/monitor/ingest-bench.ts
 * 20,000 topics, a mix of numeric and JSON payloads, history recording (all-numeric), the
 * catalogue queue and the stream queue on, and a stream flush to one client every 500
 * messages (= every 100 ms at 5,000 msg/s).
 */
import { FakeClock } from "../runtime/clock";
import { HistoryRecorder } from "./history";
import { MonitorStream } from "./stream";
import { TopicStore } from "./topic-store";

const TOPICS = 20_000;
const MESSAGES = 2_000_000;
const clock = new FakeClock();
let written = 0;
const history = new HistoryRecorder({ mode: "all-numeric", topics: [], retentionDays: 7, bucketSeconds: 60 }, { write: (b) => (written += b.length) });
const store = new TopicStore(undefined, { onMessage: (s, now) => history.onMessage("", s, now) });
store.catalogueEnabled = true;
const stream = new MonitorStream({ store: () => store, connected: () => true, detail: async () => null }, clock);
let rows = 0;
stream.add("c", (event, ...args) => {
  if (event === "tree:updates") rows += (args[0] as { topics: unknown[] }).topics.length;
});
stream.subscribeTree("c", { broker: "", prefix: "", q: "", sys: true, limit: 10 });

const topics = Array.from({ length: TOPICS }, (_, i) => `house/room${i % 200}/device${Math.floor(i / 200)}/${i % 2 ? "state" : "temperature"}`);
const payloads = Array.from({ length: 64 }, (_, i) =>
  i % 2 ? Buffer.from(JSON.stringify({ state: i % 4 ? "ON" : "OFF", linkquality: 100 + i, battery: 90, voltage: 3000 + i })) : Buffer.from((20 + i / 10).toFixed(1)),
);

function run(n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    store.ingest(topics[i % TOPICS], payloads[i & 63], 0, false, clock.now());
    if (i % 500 === 499) {
      clock.advance(100);
      if (i % 25_000 === 24_999) store.takeCatalogueQueue();
    }
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

run(200_000); // warm up
const seconds = run(MESSAGES);
const mem = process.memoryUsage();
console.log(
  `monitor ingest: ${Math.round(MESSAGES / seconds).toLocaleString("en")} msg/s on one core ` +
    `(${MESSAGES.toLocaleString("en")} messages, ${TOPICS.toLocaleString("en")} topics, ${rows.toLocaleString("en")} rows streamed, ` +
    `${written} buckets closed, history rings ${(store.bytes / 1e6).toFixed(1)} MB, heap ${(mem.heapUsed / 1e6).toFixed(0)} MB)`,
);
