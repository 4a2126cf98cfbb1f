/**
 * Flowhouse benchmark (issue 7): Flowhouse against a hand-written MQTT.js baseline relay,
 * both on one real mosquitto, measured in the same run. See tests/bench/README.md.
 *
 *   npm run bench                      full run (15 s windows)
 *   npm run bench -- --quick           under 3 minutes (4 s windows)
 *   npm run bench -- --scenario S1,S3  only these scenarios (S1…S5)
 *   npm run bench -- --profile         also write a CPU profile of Flowhouse (node --cpu-prof)
 *   npm run bench -- --write-flows DIR write the scenarios' Node-RED flows.json files and exit
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fanOutFlows, motionLightFlows, relayFlows, ruleFlows, scaleFlows, type Qos } from "./flows";
import { Generator, percentile, sleep } from "./load";
import { CLK_TCK, CORES, CpuWindow, type CpuSample, findMosquittoPid, RssSampler, rssBytes } from "./procstat";
import { deployTable, NOISY_OTHERS_PCT, targetRows, targetsTable, windowsTable, type DeployRecord, type WindowRecord } from "./report";
import { fanOutScenario, relayScenario, ruleScenario, type MessageScenario } from "./scenarios";
import { baselineRelay, cleanupAll, ensureNextBuild, onCleanup, ROOT, startFlowhouse, type SystemUnderTest } from "./systems";
import { startMosquitto } from "../helpers/mosquitto";

// ---- options -------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};

const quick = flag("--quick");
const ALL = ["S1", "S2", "S3", "S4", "S5"];
const selected = (option("--scenario") ?? ALL.join(",")).toUpperCase().split(",").map((s) => s.trim()).filter(Boolean);
for (const s of selected) if (!ALL.includes(s)) fail(`--scenario: unknown scenario '${s}', use any of ${ALL.join(",")}`);

const settings = {
  windowMs: Number(option("--window-s") ?? (quick ? 4 : 15)) * 1000,
  warmupMs: quick ? 1000 : 3000,
  rate: 1000,
  inFlight: 100,
  qosForRate: 1 as Qos,
  s2Rooms: 10_000,
  s3Rooms: 1000,
  s3Motions: quick ? 4 : 10,
  s3DelayMs: 500,
  s4Inputs: 1000,
  s5Sizes: [100, 1000, 10_000],
};
const watchdogMs = quick ? 6 * 60_000 : 60 * 60_000;

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---- --write-flows -------------------------------------------------------------------------

const writeDir = option("--write-flows");
if (writeDir) {
  fs.mkdirSync(writeDir, { recursive: true });
  const port = 1883;
  const files: Record<string, unknown> = {
    "s1-relay.json": relayFlows(port, 1),
    "s2-rule.json": ruleFlows(port, 1),
    "s3-motion-light.json": motionLightFlows(port, 1, settings.s3DelayMs),
    "s4-fan-out.json": fanOutFlows(port, 1, settings.s4Inputs),
    ...Object.fromEntries(settings.s5Sizes.map((n) => [`s5-rules-${n}.json`, scaleFlows(port, n)])),
  };
  for (const [name, flows] of Object.entries(files)) fs.writeFileSync(path.join(writeDir, name), JSON.stringify(flows, null, 1) + "\n");
  console.log(`wrote ${Object.keys(files).length} Node-RED flows.json files to ${writeDir} (broker 127.0.0.1:1883, QoS 1)`);
  process.exit(0);
}

// ---- run -----------------------------------------------------------------------------------

const runId = new Date().toISOString();
const windows: WindowRecord[] = [];
const deploys: DeployRecord[] = [];
const resultsDir = path.join(ROOT, "tests", "bench", "results");
const resultsFile = path.join(resultsDir, `${runId.slice(0, 10)}.jsonl`);
const profileDir = flag("--profile") ? fs.mkdtempSync(path.join(os.tmpdir(), "flowhouse-bench-prof-")) : null;

function log(text: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${s} s] ${text}`);
}
const started = performance.now();

interface Context {
  gen: Generator;
  brokerPid: number;
  brokerPort: number;
  flowhousePid: number;
}

/** Measures one window around `body`: CPU of the system, broker, bench and the rest; max RSS. */
async function measured<T>(
  ctx: Context,
  sut: SystemUnderTest,
  body: (end: () => void) => Promise<T>,
): Promise<{ result: T; cpu: CpuSample; rssMax: number }> {
  const pids: Record<string, number> = { app: sut.pid(), broker: ctx.brokerPid, bench: process.pid };
  if (sut.name !== "flowhouse") pids.flowhouseIdle = ctx.flowhousePid;
  const cpuWindow = new CpuWindow(pids);
  const rss = new RssSampler(sut.pid());
  const box: { cpu: CpuSample | null; rssMax: number } = { cpu: null, rssMax: 0 };
  const end = () => {
    if (box.cpu) return;
    box.cpu = cpuWindow.stop();
    box.rssMax = rss.stop();
  };
  const result = await body(end);
  end();
  if (!box.cpu) throw new Error("measurement window was not closed");
  return { result, cpu: box.cpu, rssMax: box.rssMax };
}

function pct(cpuSeconds: number | null, seconds: number): number {
  return cpuSeconds === null ? NaN : (100 * cpuSeconds) / seconds;
}

async function messageScenario(ctx: Context, scenario: MessageScenario, systems: SystemUnderTest[]): Promise<void> {
  for (const sut of systems) {
    for (const qos of [1, 0] as const) {
      await sut.prepare({ scenario: scenario.id, qos, flows: scenario.flows(ctx.brokerPort, qos), fanOutInputs: settings.s4Inputs, motionDelayMs: settings.s3DelayMs });
      await ctx.gen.listen(scenario.profile.outputFilter, qos);
      // Warm up (JIT, connections, subscriptions) with the scenario's own traffic.
      await ctx.gen.rate(scenario.profile, qos, settings.rate, settings.warmupMs);
      const kinds: ("rate" | "closed")[] = qos === settings.qosForRate ? ["rate", "closed"] : ["closed"];
      for (const kind of kinds) {
        const load = kind === "rate" ? settings.rate : settings.inFlight;
        const { result, cpu, rssMax } = await measured(ctx, sut, (end) =>
          kind === "rate"
            ? ctx.gen.rate(scenario.profile, qos, load, settings.windowMs, end)
            : ctx.gen.closedLoop(scenario.profile, qos, load, settings.windowMs, end),
        );
        const rec = record(scenario.id, sut, kind, qos, load, cpu, rssMax, {
          sent: result.sent,
          expected: result.expected,
          received: result.received,
          lost: result.lost,
          unexpected: result.unexpected,
          outputsPerSecond: result.outputsPerSecond,
          latencies: result.latenciesMs,
        });
        windows.push(rec);
        log(
          `${scenario.id} ${sut.name.padEnd(9)} ${kind === "rate" ? `${load}/s` : `max w${load}`} q${qos}: ${Math.round(rec.outputsPerSecond)} out/s, p99 ${rec.latencyP99Ms.toFixed(2)} ms, lost ${rec.lost}, ${rec.cpuUsPerMsg.toFixed(1)} µs/msg, others ${Math.round(rec.othersCpuPct)}%${rec.noisy ? " NOISY" : ""}`,
        );
      }
    }
    await sut.idle();
  }
}

function record(
  scenario: string,
  sut: SystemUnderTest,
  kind: WindowRecord["kind"],
  qos: Qos,
  load: number,
  cpu: CpuSample,
  rssMax: number,
  r: { sent: number; expected: number; received: number; lost: number; unexpected: number; outputsPerSecond: number; latencies: number[] },
): WindowRecord {
  const othersPct = pct(cpu.others, cpu.seconds);
  return {
    type: "window",
    runId,
    scenario,
    system: sut.name as WindowRecord["system"],
    kind,
    qos,
    load,
    seconds: cpu.seconds,
    sent: r.sent,
    expected: r.expected,
    received: r.received,
    lost: r.lost,
    unexpected: r.unexpected,
    outputsPerSecond: r.outputsPerSecond,
    inputsPerSecond: r.sent / cpu.seconds,
    latencyP50Ms: percentile(r.latencies, 50),
    latencyP99Ms: percentile(r.latencies, 99),
    latencyMaxMs: percentile(r.latencies, 100),
    cpuUsPerMsg: ((cpu.processes.app ?? NaN) * 1e6) / r.sent,
    appCpuPct: pct(cpu.processes.app, cpu.seconds),
    brokerCpuPct: pct(cpu.processes.broker, cpu.seconds),
    benchCpuPct: pct(cpu.processes.bench, cpu.seconds),
    othersCpuPct: othersPct,
    noisy: othersPct > NOISY_OTHERS_PCT,
    rssMB: rssMax / 1e6,
  };
}

async function motionScenario(ctx: Context, systems: SystemUnderTest[]): Promise<void> {
  const qos = settings.qosForRate;
  const { s3Rooms: rooms, s3Motions: motions, s3DelayMs: delayMs } = settings;
  for (const sut of systems) {
    await sut.prepare({ scenario: "S3", qos, flows: motionLightFlows(ctx.brokerPort, qos, delayMs), fanOutInputs: settings.s4Inputs, motionDelayMs: delayMs });
    await ctx.gen.listen("house/+/light", qos);
    // Warm up on other rooms' topics (r100000…), then let their offs pass.
    for (let i = 0; i < 400; i++) ctx.gen.publish(`house/r${100_000 + (i % 200)}/motion`, "1", qos);
    await sleep(delayMs + 700);
    const { result, cpu, rssMax } = await measured(ctx, sut, (end) => ctx.gen.motionSchedule(rooms, motions, qos, delayMs + 3000, end));
    const onLatency: number[] = [];
    const offLate: number[] = [];
    const wrong: string[] = [];
    for (let r = 0; r < rooms; r++) {
      const got = result.arrivals.get(r) ?? [];
      const seq = got.map((a) => a.payload).join(",");
      if (seq !== "on,off") {
        wrong.push(`r${r}: ${seq || "nothing"}`);
        continue;
      }
      onLatency.push(got[0].at - result.first[r]);
      offLate.push(got[1].at - (result.last[r] + delayMs));
    }
    const rec = record("S3", sut, "motion", qos, settings.rate, cpu, rssMax, {
      sent: result.sent,
      expected: rooms * 2,
      received: [...result.arrivals.values()].reduce((n, l) => n + l.length, 0),
      lost: wrong.length,
      unexpected: result.stray,
      outputsPerSecond: NaN,
      latencies: onLatency,
    });
    rec.rooms = rooms;
    rec.roomsWrong = wrong.length;
    rec.wrongExamples = wrong.slice(0, 5);
    rec.offLateP50Ms = percentile(offLate, 50);
    rec.offLateP99Ms = percentile(offLate, 99);
    rec.offLateMaxMs = percentile(offLate, 100);
    windows.push(rec);
    log(
      `S3 ${sut.name.padEnd(9)} ${rooms} rooms × ${motions} motions: ${wrong.length} wrong${wrong.length ? ` (${wrong.slice(0, 3).join("; ")})` : ""}, on p99 ${rec.latencyP99Ms.toFixed(2)} ms, off late p50/p99 ${rec.offLateP50Ms.toFixed(1)}/${rec.offLateP99Ms.toFixed(1)} ms, ${rec.cpuUsPerMsg.toFixed(1)} µs/msg${rec.noisy ? " NOISY" : ""}`,
    );
    await sut.idle();
  }
}

async function scaleScenario(ctx: Context, flowhouse: Awaited<ReturnType<typeof startFlowhouse>>): Promise<void> {
  await ctx.gen.listen("s5/+/ac", 1);
  for (const nodes of settings.s5Sizes) {
    await flowhouse.deploy([]);
    await sleep(1000);
    const before = rssBytes(flowhouse.pid()) ?? NaN;
    const flows = scaleFlows(ctx.brokerPort, nodes);
    const deployMs = await flowhouse.deploy(flows);
    // The deploy's answer means subscriptions are live: the last rule must answer at once
    // ("yes"); "late" means it answered only to a second try 1 s later.
    const last = Math.floor(nodes / 4) - 1;
    const probe = {
      outputFilter: "s5/+/ac",
      input: () => ({ topic: `s5/r${last}/temp`, payload: '{"t":30}', expect: `s5/r${last}/ac` }),
      outputKey: (topic: string) => topic,
    };
    const answers = async () => (await ctx.gen.rate(probe, 1, 1000, 1)).received === 1;
    const works: DeployRecord["works"] = (await answers()) ? "yes" : (await sleep(1000), await answers()) ? "late" : "no";
    await sleep(1000);
    const after = rssBytes(flowhouse.pid()) ?? NaN;
    const rec: DeployRecord = {
      type: "deploy",
      runId,
      scenario: "S5",
      system: "flowhouse",
      nodes,
      deployMs,
      rssBeforeMB: before / 1e6,
      rssAfterMB: after / 1e6,
      rssGrowthMB: (after - before) / 1e6,
      works,
    };
    deploys.push(rec);
    log(`S5 ${nodes} nodes: deploy ${Math.round(deployMs)} ms, RSS ${Math.round(rec.rssBeforeMB)} → ${Math.round(rec.rssAfterMB)} MB${works === "yes" ? "" : works === "late" ? ", the last rule answered only 1 s later (message right after the deploy lost)" : ", the last rule did NOT answer"}`);
  }
  await flowhouse.deploy([]);
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${watchdogMs / 60_000} minutes: stopping`);
    void cleanupAll().then(() => process.exit(1));
  }, watchdogMs);
  watchdog.unref();

  await ensureNextBuild();
  log(`${quick ? "quick" : "full"} run, scenarios ${selected.join(",")}, windows ${settings.windowMs / 1000} s, ${CORES} cores, CLK_TCK ${CLK_TCK}`);
  const mosquitto = await startMosquitto();
  const found = findMosquittoPid(mosquitto.port);
  onCleanup(async () => {
    await mosquitto.stop();
    if (found) fs.rmSync(path.dirname(found.confFile), { recursive: true, force: true });
  });
  if (!found) throw new Error(`started mosquitto on port ${mosquitto.port} but could not find its process in /proc`);
  // TCP_NODELAY on the broker's sockets: with Nagle's algorithm on, mosquitto holds QoS 1
  // packets back by ~7 ms at 1,000 msg/s, which would hide the systems' own latency.
  fs.appendFileSync(found.confFile, "set_tcp_nodelay true\n");
  await mosquitto.restart();
  const brokerPid = findMosquittoPid(mosquitto.port)?.pid;
  if (!brokerPid) throw new Error(`restarted mosquitto on port ${mosquitto.port} but could not find its process in /proc`);
  log(`mosquitto on ${mosquitto.url} (pid ${brokerPid}, set_tcp_nodelay true)`);

  const gen = await Generator.connect(mosquitto.url);
  onCleanup(() => gen.close());
  const flowhouse = await startFlowhouse(mosquitto.url, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
  log(`Flowhouse on ${flowhouse.url} (pid ${flowhouse.pid()}), RSS ${Math.round((rssBytes(flowhouse.pid()) ?? 0) / 1e6)} MB`);
  const baseline = baselineRelay(mosquitto.url, profileDir);
  const systems = [baseline, flowhouse];
  const ctx: Context = { gen, brokerPid, brokerPort: mosquitto.port, flowhousePid: flowhouse.pid() };

  for (const id of selected) {
    if (id === "S1") await messageScenario(ctx, relayScenario(), systems);
    if (id === "S2") await messageScenario(ctx, ruleScenario(settings.s2Rooms), systems);
    if (id === "S3") await motionScenario(ctx, systems);
    if (id === "S4") await messageScenario(ctx, fanOutScenario(settings.s4Inputs), systems);
    if (id === "S5") await scaleScenario(ctx, flowhouse);
  }

  const elapsed = (performance.now() - started) / 1000;
  const rows = targetRows(windows, deploys);
  const meta = {
    type: "run",
    runId,
    quick,
    scenarios: selected,
    settings,
    commit: gitCommit(),
    node: process.version,
    cores: CORES,
    cpu: os.cpus()[0]?.model ?? "unknown",
    clkTck: CLK_TCK,
    elapsedSeconds: elapsed,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  const lines = [meta, ...windows, ...deploys, ...rows.map((r) => ({ type: "target", runId, ...r }))].map((x) => JSON.stringify(x));
  fs.appendFileSync(resultsFile, lines.join("\n") + "\n");

  console.log("");
  console.log(`Flowhouse vs baseline relay — ${runId} — commit ${meta.commit} — ${quick ? "--quick" : "full"} — ${CORES} cores ${meta.cpu}`);
  console.log("CPU µs/msg: CPU of the system under test per input message; % columns: share of one core during the window.");
  console.log("");
  if (windows.length > 0) console.log(windowsTable(windows) + "\n");
  if (deploys.length > 0) console.log(deployTable(deploys) + "\n");
  console.log(targetsTable(rows));
  console.log("");
  console.log(`${path.relative(ROOT, resultsFile)}: ${lines.length} lines appended; took ${Math.round(elapsed)} s`);
  if (profileDir) console.log(`CPU profiles (Flowhouse: CPU.*.cpuprofile, the largest is its main thread; baseline-*.cpuprofile): ${profileDir}\n  summarise: node --import tsx tests/bench/profile-summary.ts <file>; or open in Chrome DevTools → Performance`);
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\nbench: ${signal}: stopping Flowhouse, the baseline and mosquitto…`);
    void cleanupAll().then(() => process.exit(130));
  });
}

main()
  .then(async () => {
    await cleanupAll();
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    await cleanupAll();
    process.exit(1);
  });
