/**
 * MQTT fuzz against the real app (production build, embedded broker): a flow that parses and
 * transforms its input (mqtt in → json → change (JSONata) → switch → range → template →
 * function → mqtt out + debug) receives 10,000 malformed payloads on odd topics, generated
 * from a seeded PRNG (FUZZ_SEED=<n> reproduces a run), plus raw garbage on the broker's TCP
 * port. The process must stay up (/api/health 200 throughout), its RSS must settle within a
 * bound, and the flow must still work afterwards.
 */
import fs from "node:fs";
import net from "node:net";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const WITH_FLOW = process.env.FUZZ_FLOW !== "0";
const EXPECTED = "VALUE=0.42 KIND=OBJECT TOPIC=FUZZ/OK";
const PAYLOADS = Number(process.env.FUZZ_PAYLOADS ?? 10_000);

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TAB = "fuzz-tab";
function fuzzFlow(): Record<string, unknown>[] {
  const n = (id: string, type: string, extra: Record<string, unknown>, wires: string[][] = []) => ({ id, type, z: TAB, name: id, x: 100, y: 100, wires, ...extra });
  return [
    { id: TAB, type: "tab", label: "Fuzz target", disabled: false, info: "" },
    n("f-in", "mqtt in", { topic: "fuzz/#", qos: "0", datatype: "auto-detect", broker: "", nl: false, rap: true, rh: 0, inputs: 0 }, [["f-json"]]),
    n("f-json", "json", { property: "payload", action: "obj", pretty: false }, [["f-change"]]),
    n("f-change", "change", {
      rules: [
        { t: "set", p: "value", pt: "msg", to: "$number(payload.v) * 2", tot: "jsonata" },
        { t: "set", p: "kind", pt: "msg", to: "$type(payload)", tot: "jsonata" },
      ],
    }, [["f-switch"]]),
    n("f-switch", "switch", {
      property: "value",
      propertyType: "msg",
      rules: [{ t: "gte", v: "0", vt: "num" }, { t: "else" }],
      checkall: "false",
      repair: false,
      outputs: 2,
    }, [["f-range"], ["f-function"]]),
    n("f-range", "range", { minin: "0", maxin: "100", minout: "0", maxout: "1", action: "clamp", round: false, property: "value" }, [["f-template"]]),
    n("f-template", "template", { field: "payload", fieldType: "msg", format: "handlebars", syntax: "mustache", template: "value={{value}} kind={{kind}} topic={{{topic}}}", output: "str" }, [["f-function"]]),
    n("f-function", "function", {
      func: "if (typeof msg.payload === 'string') { msg.payload = msg.payload.toUpperCase(); } else { msg.payload = 'OTHER ' + typeof msg.payload; }\nmsg.topic = 'fuzz-out/result';\nreturn msg;",
      outputs: 1,
      timeout: 2,
      noerr: 0,
      initialize: "",
      finalize: "",
      libs: [],
    }, [["f-out", "f-debug"]]),
    n("f-out", "mqtt out", { topic: "", qos: "0", retain: "false", broker: "" }),
    n("f-debug", "debug", { active: true, tosidebar: true, console: false, tostatus: false, complete: "payload", targetType: "msg" }),
  ];
}

/** One malformed payload and an odd (but publishable) topic, from the PRNG. */
function fuzzCase(rnd: () => number, i: number): { topic: string; payload: Buffer } {
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => {
    const b = Buffer.alloc(n);
    for (let k = 0; k < n; k++) b[k] = int(256);
    return b;
  };
  // About 300 distinct topics in all, most of them seen during the warm-up: the monitor keeps
  // state per distinct topic (legitimately), and this test is about payloads, not topic count.
  const oddTopics = [
    () => `fuzz/n${i % 100}`,
    () => "fuzz/ünïcödé/🔥",
    () => "fuzz//double//slash",
    () => "fuzz/ space /tab\there",
    () => `fuzz/${"x".repeat(1 + 20 * int(100))}`,
    () => "fuzz/$SYS-like/../..",
    // aedes allows at most 100 levels (it disconnects a client that publishes more; tested apart)
    () => `fuzz/${"a/".repeat(1 + int(97))}end`,
    () => "fuzz/\u0001\u0002\u007f",
    () => "fuzz/__proto__/constructor/prototype",
    () => "fuzz/{{value}}/<script>",
  ];
  const topic = oddTopics[int(oddTopics.length)]();
  const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
  const kinds: (() => Buffer | string)[] = [
    () => bytes(int(64)),
    () => bytes(1 + int(4096)),
    () => JSON.stringify({ v: 21, nested: { a: [1, 2, 3] } }).slice(0, 1 + int(30)), // truncated JSON
    () => deep(1 + int(5000), "[", "]"),
    () => {
      const d = 1 + int(3000);
      return '{"v":'.repeat(d) + "1" + "}".repeat(d); // deep but valid
    },
    () => JSON.stringify({ v: "not a number" }),
    () => JSON.stringify({ v: [1, 2] }),
    () => JSON.stringify({ v: null, __proto__: { polluted: true }, constructor: { prototype: { bad: 1 } } }),
    () => '{"__proto__":{"polluted":"yes"},"v":5}',
    () => JSON.stringify({ v: 1e308 * 10 }),
    () => JSON.stringify({ v: -1e308, s: "\u0000\ud800" }),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), // invalid UTF-8
    () => "",
    () => "null",
    () => "true",
    () => "-0",
    () => '"just a string"',
    () => JSON.stringify(Array.from({ length: 1 + int(2000) }, (_, k) => ({ k, v: k }))),
    () => JSON.stringify({ v: 3, s: "y".repeat(int(60_000)) }),
    () => "{{#each}}{{/if}}{{{{raw}}}}",
    () => "{\"v\": 1, \"v\": \"dup\", }",
  ];
  // About 1 in 100 is a 256 KB blob (random bytes or a huge JSON string).
  if (rnd() < 0.01) {
    return { topic, payload: rnd() < 0.5 ? bytes(256 * 1024) : Buffer.from(JSON.stringify({ v: 1, blob: "z".repeat(256 * 1024 - 20) })) };
  }
  const p = kinds[int(kinds.length)]();
  return { topic, payload: typeof p === "string" ? Buffer.from(p) : p };
}

let app: AppHandle;
let pub: MqttClient;
let sub: MqttClient;
const results: string[] = [];
let healthFailures = 0;
let healthChecks = 0;
let healthTimer: NodeJS.Timeout | null = null;

beforeAll(async () => {
  // A tight heap (V8 collects when the heap is 30 % over live data instead of up to 4×) makes
  // RSS follow live memory, so the growth bound below catches leaks, not V8's garbage slack.
  app = await startApp({ env: { FLOWHOUSE_HEAP_GROWING_PERCENT: "30" } });
  // FUZZ_FLOW=0: fuzz the broker and monitor only (to tell their memory from the flow's).
  const flow = !WITH_FLOW ? fuzzFlow().filter((n) => n.type === "tab") : fuzzFlow();
  const imp = await app.api("POST", "/api/import/node-red?deploy=1", flow);
  if (imp.status !== 200) throw new Error(`import → ${imp.status}: ${imp.text}`);
  pub = await connectAsync(app.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 });
  sub = await connectAsync(app.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 });
  sub.on("message", (_topic, payload) => {
    if (results.length < 100_000) results.push(payload.toString());
  });
  await sub.subscribeAsync("fuzz-out/result", { qos: 0 });
  // /api/health polled all along the test.
  healthTimer = setInterval(() => {
    healthChecks++;
    fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(5000) })
      .then((r) => {
        if (r.status !== 200) healthFailures++;
      })
      .catch(() => healthFailures++);
  }, 250);
}, 180_000);

afterAll(async () => {
  if (healthTimer) clearInterval(healthTimer);
  await pub?.endAsync(true);
  await sub?.endAsync(true);
  await app?.dispose();
});

/** A valid message passes the whole flow and comes out transformed. */
async function flowWorks(tag: number, waitMs = 10_000): Promise<string> {
  const before = results.length;
  await pub.publishAsync("fuzz/ok", JSON.stringify({ v: 21, tag }), { qos: 1 });
  if (!WITH_FLOW) return EXPECTED;
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const hit = results.slice(before).find((r) => r.startsWith(EXPECTED));
    if (hit) return hit;
    await sleep(50);
  }
  throw new Error(`the flow produced nothing for a valid message within ${waitMs / 1000} s; last outputs: ${results.slice(-3).join(" | ")}`);
}

/** A QoS 1 publish that must be acknowledged within 30 s (a hung broker fails the test, not the timeout). */
async function publishAcked(topic: string, payload: Buffer | string, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pub.publishAsync(topic, payload, { qos: 1 }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PUBACK within 30 s for ${what} (publisher connected: ${pub.connected})`)), 30_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Publishes `count` fuzz cases; QoS 1 every 50th, so the broker's acks pace the sender. */
async function publishFuzz(rnd: () => number, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const { topic, payload } = fuzzCase(rnd, i);
    if (i % 50 === 0) await publishAcked(topic, payload, `case #${i} (${payload.length} bytes on ${JSON.stringify(topic.slice(0, 60))})`);
    else pub.publish(topic, payload, { qos: 0 });
    if (i % 1000 === 0) console.log(`[fuzz-mqtt] case #${i}, RSS ${rssMb(app.pid()).toFixed(0)} MB`);
  }
  await publishAcked("fuzz/ok/sync", "sync", "the sync marker");
}

async function settledRss(pid: number): Promise<number> {
  // Let queues drain and the GC run a few cycles; take the lowest of a few samples.
  let low = Infinity;
  for (let k = 0; k < 8; k++) {
    await sleep(750);
    low = Math.min(low, rssMb(pid));
  }
  return low;
}

describe(`MQTT fuzz (seed ${SEED}): ${PAYLOADS} malformed payloads through a parsing flow`, () => {
  it("keeps the app up, its memory bounded and the flow working", { timeout: 600_000 }, async () => {
    const rnd = prng(SEED);
    expect(await flowWorks(0)).toBe(EXPECTED);
    const pid = app.pid();
    const rssStart = await settledRss(pid);

    const t0 = performance.now();
    const warmup = 2000;
    await publishFuzz(rnd, 0, warmup);
    await flowWorks(1, 120_000); // queued behind the fuzz: waits until the app has worked through it
    const rssWarm = await settledRss(pid);

    await publishFuzz(rnd, warmup, PAYLOADS - warmup);
    const publishSeconds = (performance.now() - t0) / 1000;

    // Raw garbage on the broker port: random bytes, a truncated CONNECT, a huge remaining length.
    for (let k = 0; k < 200; k++) {
      const socket = net.connect(app.mqttPort, "127.0.0.1");
      socket.on("error", () => undefined);
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      const garbage =
        k % 3 === 0
          ? Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]) // CONNECT claiming 256 MB
          : k % 3 === 1
            ? Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51]) // truncated CONNECT
            : Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 512) }, () => Math.floor(rnd() * 256)));
      socket.write(garbage);
      socket.destroy();
    }

    // A topic with more than 100 levels: aedes disconnects that client, nothing else happens.
    const deepTopic = await connectAsync(app.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 });
    const closed = new Promise<void>((resolve) => deepTopic.once("close", () => resolve()));
    deepTopic.publish(`fuzz/${"x/".repeat(150)}end`, "too deep", { qos: 0 });
    await closed;
    deepTopic.end(true);

    const drain0 = performance.now();
    expect(await flowWorks(2, 180_000)).toBe(EXPECTED);
    const fuzzSeconds = (performance.now() - t0) / 1000;
    const drainSeconds = (performance.now() - drain0) / 1000;
    const rssEnd = await settledRss(pid);
    const health = await app.api("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(app.pid()).toBe(pid); // never restarted

    const growthTotal = rssEnd - rssStart;
    const growthAfterWarmup = rssEnd - rssWarm;
    console.log(
      `[fuzz-mqtt] seed=${SEED} payloads=${PAYLOADS} published in ${publishSeconds.toFixed(1)} s, all processed after ${fuzzSeconds.toFixed(1)} s (last drain ${drainSeconds.toFixed(1)} s); outputs=${results.length}; ` +
        `RSS start=${rssStart.toFixed(0)} MB, after 2,000=${rssWarm.toFixed(0)} MB, end=${rssEnd.toFixed(0)} MB ` +
        `(+${growthTotal.toFixed(0)} MB total, +${growthAfterWarmup.toFixed(0)} MB after warm-up); health checks=${healthChecks}, failed=${healthFailures}`,
    );
    expect(healthFailures, "failed /api/health polls").toBe(0);
    expect(healthChecks).toBeGreaterThan(10);
    expect(growthAfterWarmup, "RSS growth (MB) over the last 8,000 payloads").toBeLessThan(64);
    expect(growthTotal, "RSS growth (MB) over the whole fuzz").toBeLessThan(160);
    // The app logged problems, but no crash or unhandled error.
    expect(app.output()).not.toMatch(/uncaught exception|unhandled rejection|FATAL|heap out of memory/i);
  });
});
