/**
 * Soak test (not in CI): the real app (production build, embedded broker, free ports) under
 * mixed load for a while, sampled every 10 s from /proc (no debug endpoint).
 *
 *   npm run soak                      30 minutes
 *   npm run soak -- --minutes 1       a quick check
 *   npm run soak -- --rate 300        MQTT input messages per second (default 300)
 *
 * Load: a mixed flow set (relay, per-room trigger timers, delay, function, a rule that
 * feeds dashboard topics), MQTT publishers on those inputs, API calls (GET/PUT /api/flows
 * every 10 s, a deploy every minute), and a socket.io client on /monitor subscribed to the
 * whole tree. Samples: RSS and heap-ish numbers from /proc/<pid>/status (VmRSS, VmData),
 * open file descriptors (/proc/<pid>/fd), threads, relay messages in/out/lost. At the end:
 * a table, a verdict (RSS slope over the second half, fd growth), and JSON lines in
 * tests/soak/results/soak-<time>.jsonl (gitignored).
 */
import fs from "node:fs";
import path from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { io as ioClient, type Socket } from "socket.io-client";
import { startApp, type AppHandle } from "../helpers/app";

// ---- options -------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};
const minutes = Number(option("--minutes") ?? 30);
const rate = Number(option("--rate") ?? 300);
const sampleMs = Number(option("--sample-s") ?? 10) * 1000;
if (!Number.isFinite(minutes) || minutes <= 0) fail(`--minutes must be a positive number, got '${option("--minutes")}'`);
if (!Number.isFinite(rate) || rate <= 0 || rate > 5000) fail(`--rate must be 1–5000 messages per second, got '${option("--rate")}'`);

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const RESULTS = path.join(import.meta.dirname, "results");

function fail(message: string): never {
  console.error(`soak: ${message}`);
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- flows ---------------------------------------------------------------------------------

function soakFlows(): Record<string, unknown>[] {
  const z = "soak";
  const n = (id: string, type: string, extra: Record<string, unknown>, wires: string[][] = [], y = 100) => ({ id, type, z, name: id, x: 200, y, wires, ...extra });
  const mqttIn = (id: string, topic: string, wires: string[][], qos = "0") =>
    n(id, "mqtt in", { topic, qos, datatype: "auto-detect", broker: "", nl: false, rap: true, rh: 0, inputs: 0 }, wires);
  const mqttOut = (id: string, topic: string, qos = "0") => n(id, "mqtt out", { topic, qos, retain: "false", broker: "" });
  return [
    { id: z, type: "tab", label: "Soak", disabled: false, info: "" },
    // relay: soak/relay/<n mod 500> → soak/relayed/<n mod 500>, payload {n} (counted end to end)
    mqttIn("relay-in", "soak/relay/+", [["relay-change"]], "1"),
    n("relay-change", "change", { rules: [{ t: "change", p: "topic", pt: "msg", from: "^soak/relay/(.+)$", fromt: "re", to: "soak/relayed/$1", tot: "str" }] }, [["relay-out"]]),
    mqttOut("relay-out", "", "1"),
    // motion → per-room trigger timer (2 s) → light
    mqttIn("motion-in", "soak/+/motion", [["motion-trigger"]]),
    n("motion-trigger", "trigger", { op1: "on", op2: "off", op1type: "str", op2type: "str", duration: "2", extend: true, overrideDelay: false, units: "s", reset: "", bytopic: "topic", topic: "topic", outputs: 1 }, [["motion-topic"]]),
    n("motion-topic", "change", { rules: [{ t: "change", p: "topic", pt: "msg", from: "^soak/([^/]+)/motion$", fromt: "re", to: "soak/$1/light", tot: "str" }] }, [["motion-out"]]),
    mqttOut("motion-out", ""),
    // temperature → function (°F) → delay 100 ms → dashboard topic
    mqttIn("temp-in", "soak/+/temp", [["temp-fn"]]),
    n("temp-fn", "function", { func: "const t = Number(msg.payload);\nif (!Number.isFinite(t)) return null;\nmsg.payload = Math.round((t * 9 / 5 + 32) * 10) / 10;\nmsg.topic = msg.topic.replace(/temp$/, 'temp_f');\nreturn msg;", outputs: 1, timeout: 2, noerr: 0, initialize: "", finalize: "", libs: [] }, [["temp-delay"]]),
    n("temp-delay", "delay", { pauseType: "delay", timeout: "100", timeoutUnits: "milliseconds", rate: "1", nbRateUnits: "1", rateUnits: "second", randomFirst: "1", randomLast: "5", randomUnits: "seconds", drop: false, outputs: 1 }, [["temp-out"]]),
    mqttOut("temp-out", ""),
    // power → switch → dashboard/alerts (what dashboards chart)
    mqttIn("power-in", "soak/house/power", [["power-switch"]]),
    n("power-switch", "switch", { property: "payload", propertyType: "msg", rules: [{ t: "gt", v: "3000", vt: "num" }], checkall: "true", repair: false, outputs: 1 }, [["power-alert"]]),
    n("power-alert", "change", { rules: [{ t: "set", p: "topic", pt: "msg", to: "soak/dashboard/alert", tot: "str" }] }, [["power-out"]]),
    mqttOut("power-out", ""),
  ];
}

// ---- /proc -----------------------------------------------------------------------------------

function procStatus(pid: number): { rssMb: number; dataMb: number; threads: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const num = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return { rssMb: num("VmRSS") / 1024, dataMb: num("VmData") / 1024, threads: num("Threads") };
}

function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

// ---- main ------------------------------------------------------------------------------------

interface Sample {
  t: number;
  rssMb: number;
  dataMb: number;
  fds: number;
  threads: number;
  relayIn: number;
  relayOut: number;
  relayLost: number;
  otherIn: number;
  monitorEvents: number;
  apiCalls: number;
  apiErrors: number;
  deploys: number;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) fail("no production build: run `npx next build` first");
  fs.mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const outFile = path.join(RESULTS, `soak-${stamp}.jsonl`);
  console.log(`soak: ${minutes} min, ${rate} msg/s, sampling every ${sampleMs / 1000} s → ${path.relative(ROOT, outFile)}`);

  // FLOWHOUSE_HEAP_GROWING_PERCENT (e.g. 30) is passed through: RSS then follows live memory.
  const app: AppHandle = await startApp({ env: process.env.FLOWHOUSE_HEAP_GROWING_PERCENT ? { FLOWHOUSE_HEAP_GROWING_PERCENT: process.env.FLOWHOUSE_HEAP_GROWING_PERCENT } : {} });
  const stopAll: (() => Promise<void> | void)[] = [() => app.dispose()];
  const cleanup = async () => {
    for (const fn of stopAll.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    const imp = await app.api("POST", "/api/import/node-red?deploy=1", soakFlows());
    if (imp.status !== 200) throw new Error(`import → ${imp.status}: ${imp.text}`);
    const pid = app.pid();

    const pub: MqttClient = await connectAsync(app.mqttUrl, { reconnectPeriod: 1000 });
    const sub: MqttClient = await connectAsync(app.mqttUrl, { reconnectPeriod: 1000 });
    stopAll.push(() => pub.endAsync(true), () => sub.endAsync(true));
    const seenRelay = new Set<number>();
    let relayOut = 0;
    let otherIn = 0;
    sub.on("message", (topic, payload) => {
      if (topic.startsWith("soak/relayed/")) {
        let n = NaN;
        try {
          n = Number((JSON.parse(payload.toString()) as { n?: unknown }).n);
        } catch {
          // not ours
        }
        if (Number.isFinite(n) && !seenRelay.has(n)) {
          seenRelay.add(n);
          relayOut++;
        }
      } else otherIn++;
    });
    await sub.subscribeAsync({ "soak/relayed/#": { qos: 1 }, "soak/+/light": { qos: 0 }, "soak/+/temp_f": { qos: 0 }, "soak/dashboard/#": { qos: 0 } });

    // socket.io monitor client watching the whole tree
    let monitorEvents = 0;
    const socket: Socket = ioClient(`${app.url}/monitor`, { auth: { token: app.token }, transports: ["websocket"], reconnection: true });
    stopAll.push(() => void socket.close());
    socket.onAny(() => monitorEvents++);
    socket.on("connect", () => socket.emit("tree:subscribe", { broker: "", prefix: "", q: "", sys: true }, () => undefined));

    // MQTT load: 40% relay (QoS 1, numbered), 30% motion, 20% temperature, 10% power
    let relayIn = 0;
    let relaySeq = 0;
    const rooms = Array.from({ length: 20 }, (_, i) => `room${i}`);
    let seq = 0;
    const tickMs = 20;
    const perTick = rate / (1000 / tickMs);
    let carry = 0;
    const loadTimer = setInterval(() => {
      carry += perTick;
      while (carry >= 1) {
        carry--;
        const k = seq++ % 10;
        const room = rooms[seq % rooms.length];
        if (!pub.connected) continue;
        if (k < 4) {
          const n = relaySeq++;
          relayIn++;
          // 500 relay topics, like devices: a new topic per message would only measure the
          // monitor's per-topic state growing (it tracks every distinct topic).
          pub.publish(`soak/relay/${n % 500}`, JSON.stringify({ n, at: Date.now() }), { qos: 1 });
        } else if (k < 7) pub.publish(`soak/${room}/motion`, "1", { qos: 0 });
        else if (k < 9) pub.publish(`soak/${room}/temp`, (15 + Math.random() * 10).toFixed(1), { qos: 0 });
        else pub.publish("soak/house/power", String(Math.round(Math.random() * 5000)), { qos: 0 });
      }
    }, tickMs);
    stopAll.push(() => clearInterval(loadTimer));

    // API: flows GET/PUT every 10 s, a deploy every minute
    let apiCalls = 0;
    let apiErrors = 0;
    let deploys = 0;
    const apiTimer = setInterval(async () => {
      try {
        const draft = await app.api("GET", "/api/flows");
        apiCalls++;
        if (draft.status !== 200) return void apiErrors++;
        const put = await app.api("PUT", "/api/flows", (draft.json as { document: unknown }).document);
        apiCalls++;
        if (put.status !== 200) apiErrors++;
        const list = await app.api("GET", "/api/deployments");
        apiCalls++;
        if (list.status !== 200) apiErrors++;
      } catch {
        apiErrors++;
      }
    }, 10_000);
    const deployTimer = setInterval(async () => {
      try {
        const r = await app.api("POST", "/api/deploy", { note: `soak deploy ${deploys + 1}` });
        apiCalls++;
        if (r.status === 200) deploys++;
        else apiErrors++;
      } catch {
        apiErrors++;
      }
    }, 60_000);
    stopAll.push(() => clearInterval(apiTimer), () => clearInterval(deployTimer));

    // sampling
    const samples: Sample[] = [];
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    const header = `${"t(s)".padStart(6)} ${"RSS MB".padStart(8)} ${"Data MB".padStart(8)} ${"fds".padStart(5)} ${"thr".padStart(4)} ${"relay in".padStart(9)} ${"out".padStart(9)} ${"lost".padStart(6)} ${"other".padStart(8)} ${"mon ev".padStart(8)} ${"api".padStart(5)} ${"err".padStart(4)} ${"dep".padStart(4)}`;
    console.log(header);
    const take = (): Sample => {
      const s = procStatus(pid);
      // relay messages older than 5 s that never came back count as lost
      const sample: Sample = {
        t: Math.round((Date.now() - t0) / 1000),
        rssMb: s.rssMb,
        dataMb: s.dataMb,
        fds: fdCount(pid),
        threads: s.threads,
        relayIn,
        relayOut,
        relayLost: 0,
        otherIn,
        monitorEvents,
        apiCalls,
        apiErrors,
        deploys,
      };
      fs.appendFileSync(outFile, JSON.stringify(sample) + "\n");
      samples.push(sample);
      const f = (v: number, w: number, d = 0) => v.toFixed(d).padStart(w);
      console.log(
        `${f(sample.t, 6)} ${f(sample.rssMb, 8, 1)} ${f(sample.dataMb, 8, 1)} ${f(sample.fds, 5)} ${f(sample.threads, 4)} ${f(relayIn, 9)} ${f(relayOut, 9)} ${f(relayIn - relayOut, 6)} ${f(otherIn, 8)} ${f(monitorEvents, 8)} ${f(apiCalls, 5)} ${f(apiErrors, 4)} ${f(deploys, 4)}`,
      );
      return sample;
    };
    take();
    while (Date.now() < end) {
      await sleep(Math.min(sampleMs, end - Date.now()));
      const health = await app.api("GET", "/api/health").catch(() => ({ status: -1 }));
      if (health.status !== 200) console.log(`soak: /api/health answered ${health.status}`);
      take();
    }

    // drain: stop the load, give the relay 10 s to deliver what is in flight
    clearInterval(loadTimer);
    clearInterval(apiTimer);
    clearInterval(deployTimer);
    const drainEnd = Date.now() + 10_000;
    while (relayOut < relayIn && Date.now() < drainEnd) await sleep(250);
    const last = take();
    last.relayLost = relayIn - relayOut;
    fs.appendFileSync(outFile, JSON.stringify({ final: true, ...last }) + "\n");

    // verdict: RSS slope over the second half (after warm-up), fd growth, losses
    const half = samples.slice(Math.floor(samples.length / 2));
    const rssSlopePerMin = slope(half.map((s) => s.t / 60), half.map((s) => s.rssMb));
    const fdGrowth = last.fds - samples[1 < samples.length ? 1 : 0].fds;
    const rssMin = Math.min(...samples.map((s) => s.rssMb));
    const rssMax = Math.max(...samples.map((s) => s.rssMb));
    const ok = rssSlopePerMin < 2 && fdGrowth <= 10 && last.relayLost === 0 && last.apiErrors === 0;
    const verdict = {
      verdict: ok ? "PASS" : "CHECK",
      minutes,
      rate,
      rssStartMb: samples[0].rssMb,
      rssEndMb: last.rssMb,
      rssMinMb: rssMin,
      rssMaxMb: rssMax,
      rssSlopeMbPerMinSecondHalf: Number(rssSlopePerMin.toFixed(2)),
      fdStart: samples[0].fds,
      fdEnd: last.fds,
      fdGrowthAfterFirstSample: fdGrowth,
      relayIn: last.relayIn,
      relayOut: last.relayOut,
      relayLost: last.relayLost,
      apiCalls: last.apiCalls,
      apiErrors: last.apiErrors,
      deploys: last.deploys,
      monitorEvents: last.monitorEvents,
    };
    fs.appendFileSync(outFile, JSON.stringify(verdict) + "\n");
    console.log(
      `\nsoak ${verdict.verdict}: RSS ${verdict.rssStartMb.toFixed(0)} → ${verdict.rssEndMb.toFixed(0)} MB (min ${rssMin.toFixed(0)}, max ${rssMax.toFixed(0)}), ` +
        `slope over the second half ${verdict.rssSlopeMbPerMinSecondHalf} MB/min (limit 2); fds ${verdict.fdStart} → ${verdict.fdEnd} (growth ${fdGrowth}, limit 10); ` +
        `relay ${last.relayIn} in, ${last.relayOut} out, ${last.relayLost} lost; API ${last.apiCalls} calls, ${last.apiErrors} errors, ${last.deploys} deploys; ` +
        `${last.monitorEvents} monitor events.\nresults: ${path.relative(ROOT, outFile)}`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(`soak: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
