/**
 * Records of one benchmark run, the tables printed from them and the targets of issue 7.
 */

export interface WindowRecord {
  type: "window";
  runId: string;
  scenario: string;
  system: "baseline" | "flowhouse";
  /** rate: open loop at a fixed input rate; closed: fixed window in flight; motion: S3 schedule. */
  kind: "rate" | "closed" | "motion";
  qos: 0 | 1;
  /** inputs per second (rate) or messages in flight (closed). */
  load: number;
  seconds: number;
  sent: number;
  expected: number;
  received: number;
  lost: number;
  unexpected: number;
  /** expected outputs per second received inside the window. */
  outputsPerSecond: number;
  inputsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** CPU of the system under test per input message. */
  cpuUsPerMsg: number;
  /** percent of one core */
  appCpuPct: number;
  brokerCpuPct: number;
  benchCpuPct: number;
  othersCpuPct: number;
  noisy: boolean;
  rssMB: number;
  /** S3 only */
  rooms?: number;
  roomsWrong?: number;
  wrongExamples?: string[];
  offLateP50Ms?: number;
  offLateP99Ms?: number;
  offLateMaxMs?: number;
}

export interface DeployRecord {
  type: "deploy";
  runId: string;
  scenario: "S5";
  system: "flowhouse";
  nodes: number;
  deployMs: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  rssGrowthMB: number;
  /** a message sent right after the deploy's answer went through the last rule (late: only one sent 1 s later) */
  works: "yes" | "late" | "no";
}

export interface TargetRow {
  check: string;
  baseline: string;
  flowhouse: string;
  compare: string;
  target: string;
  ok: boolean | null;
}

/** Windows where other programs used more than this share of one core are flagged noisy. */
export const NOISY_OTHERS_PCT = 25;

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–");
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en") : "–");

export function table(header: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function windowLabel(w: WindowRecord): string {
  if (w.kind === "rate") return `${int(w.load)}/s q${w.qos}`;
  if (w.kind === "closed") return `max q${w.qos} w${w.load}`;
  return `${int(w.load)}/s q${w.qos} ${w.rooms} rooms`;
}

export function windowsTable(windows: WindowRecord[]): string {
  const header = ["scenario", "window", "system", "out msg/s", "p50 ms", "p99 ms", "lost", "CPU µs/msg", "app %", "broker %", "bench %", "others %", "RSS MB", ""];
  const rows = windows.map((w) => [
    w.scenario,
    windowLabel(w),
    w.system,
    int(w.outputsPerSecond),
    fmt(w.latencyP50Ms, 2),
    fmt(w.latencyP99Ms, 2),
    int(w.lost) + (w.unexpected > 0 ? ` (+${w.unexpected} dup)` : ""),
    fmt(w.cpuUsPerMsg, 1),
    int(w.appCpuPct),
    int(w.brokerCpuPct),
    int(w.benchCpuPct),
    int(w.othersCpuPct),
    int(w.rssMB),
    w.noisy ? "NOISY" : "",
  ]);
  return table(header, rows, [false, false, false, true, true, true, true, true, true, true, true, true, true, false]);
}

export function deployTable(deploys: DeployRecord[]): string {
  return table(
    ["S5 nodes", "deploy ms", "RSS before MB", "RSS after MB", "growth MB", "live at answer"],
    deploys.map((d) => [int(d.nodes), int(d.deployMs), int(d.rssBeforeMB), int(d.rssAfterMB), fmt(d.rssGrowthMB, 1), d.works === "no" ? "NO" : d.works]),
    [true, true, true, true, true, false],
  );
}

function find(windows: WindowRecord[], scenario: string, system: string, kind: WindowRecord["kind"], qos?: 0 | 1): WindowRecord | undefined {
  return windows.find((w) => w.scenario === scenario && w.system === system && w.kind === kind && (qos === undefined || w.qos === qos));
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** The targets, evaluated on this run. */
export function targetRows(windows: WindowRecord[], deploys: DeployRecord[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const s of ["S1", "S2", "S3"]) {
    const kind = s === "S3" ? "motion" : "rate";
    const b = find(windows, s, "baseline", kind);
    const f = find(windows, s, "flowhouse", kind);
    if (!b || !f) continue;
    const r = ratio(f.cpuUsPerMsg, b.cpuUsPerMsg);
    rows.push({ check: `${s} CPU µs/msg at ${int(f.load)}/s`, baseline: fmt(b.cpuUsPerMsg), flowhouse: fmt(f.cpuUsPerMsg), compare: `${fmt(r, 2)}×`, target: "≤ 1.3×", ok: r <= 1.3 });
  }
  for (const s of ["S1", "S2", "S3", "S4"]) {
    const kind = s === "S3" ? "motion" : "rate";
    const b = find(windows, s, "baseline", kind);
    const f = find(windows, s, "flowhouse", kind);
    if (!b || !f) continue;
    const d = f.latencyP99Ms - b.latencyP99Ms;
    rows.push({
      check: `${s} ${s === "S3" ? "'on' " : ""}latency p99 at ${int(f.load)}/s`,
      baseline: `${fmt(b.latencyP99Ms, 2)} ms`,
      flowhouse: `${fmt(f.latencyP99Ms, 2)} ms`,
      compare: `${d >= 0 ? "+" : ""}${fmt(d, 2)} ms`,
      target: "≤ +5 ms",
      ok: d <= 5,
    });
  }
  const b4 = find(windows, "S4", "baseline", "closed", 1);
  const f4 = find(windows, "S4", "flowhouse", "closed", 1);
  if (b4 && f4) {
    const r = ratio(f4.outputsPerSecond, b4.outputsPerSecond);
    rows.push({ check: "S4 max throughput QoS 1", baseline: `${int(b4.outputsPerSecond)}/s`, flowhouse: `${int(f4.outputsPerSecond)}/s`, compare: `${fmt(r, 2)}×`, target: "≥ 0.8×", ok: r >= 0.8 });
    rows.push({ check: "S4   CPU µs/msg at max, QoS 1", baseline: fmt(b4.cpuUsPerMsg), flowhouse: fmt(f4.cpuUsPerMsg), compare: `${fmt(ratio(f4.cpuUsPerMsg, b4.cpuUsPerMsg), 2)}×`, target: "(info)", ok: null });
    const lost = windows.filter((w) => w.scenario === "S4" && w.system === "flowhouse").reduce((n, w) => n + w.lost, 0);
    const lostB = windows.filter((w) => w.scenario === "S4" && w.system === "baseline").reduce((n, w) => n + w.lost, 0);
    rows.push({ check: "S4 messages lost (all windows)", baseline: int(lostB), flowhouse: int(lost), compare: "", target: "0", ok: lost === 0 });
  }
  for (const s of ["S1", "S2"]) {
    for (const qos of [0, 1] as const) {
      const b = find(windows, s, "baseline", "closed", qos);
      const f = find(windows, s, "flowhouse", "closed", qos);
      if (!b || !f) continue;
      rows.push({ check: `${s} max throughput QoS ${qos}`, baseline: `${int(b.outputsPerSecond)}/s`, flowhouse: `${int(f.outputsPerSecond)}/s`, compare: `${fmt(ratio(f.outputsPerSecond, b.outputsPerSecond), 2)}×`, target: "(info)", ok: null });
      rows.push({ check: `${s}   CPU µs/msg at max, QoS ${qos}`, baseline: fmt(b.cpuUsPerMsg), flowhouse: fmt(f.cpuUsPerMsg), compare: `${fmt(ratio(f.cpuUsPerMsg, b.cpuUsPerMsg), 2)}×`, target: "(info)", ok: null });
    }
  }
  const b3 = find(windows, "S3", "baseline", "motion");
  const f3 = find(windows, "S3", "flowhouse", "motion");
  if (f3) {
    rows.push({ check: "S3 rooms wrong", baseline: b3 ? int(b3.roomsWrong ?? NaN) : "–", flowhouse: int(f3.roomsWrong ?? NaN), compare: `of ${f3.rooms}`, target: "0", ok: f3.roomsWrong === 0 });
    rows.push({
      check: "S3 'off' lateness p99",
      baseline: b3 ? `+${fmt(b3.offLateP99Ms ?? NaN)} ms` : "–",
      flowhouse: `+${fmt(f3.offLateP99Ms ?? NaN)} ms`,
      compare: "",
      target: "≤ +20 ms",
      ok: (f3.offLateP99Ms ?? Infinity) <= 20,
    });
  }
  const fw = windows.filter((w) => w.system === "flowhouse");
  if (fw.length > 0) {
    const maxRss = Math.max(...fw.map((w) => w.rssMB));
    const maxRssB = Math.max(0, ...windows.filter((w) => w.system === "baseline").map((w) => w.rssMB));
    rows.push({ check: "RSS under load (max)", baseline: `${int(maxRssB)} MB`, flowhouse: `${int(maxRss)} MB`, compare: "", target: "≤ 200 MB", ok: maxRss <= 200 });
  }
  const big = deploys.find((d) => d.nodes === 10_000) ?? deploys[deploys.length - 1];
  if (big) {
    rows.push({ check: `S5 deploy ${int(big.nodes)} nodes`, baseline: "", flowhouse: `${int(big.deployMs)} ms`, compare: "", target: "< 1,000 ms", ok: big.deployMs < 1000 && big.works === "yes" });
    rows.push({ check: `S5 RSS growth ${int(big.nodes)} nodes`, baseline: "", flowhouse: `${fmt(big.rssGrowthMB)} MB`, compare: "", target: "< 100 MB", ok: big.rssGrowthMB < 100 });
  }
  const notLive = deploys.filter((d) => d.works !== "yes");
  if (deploys.length > 0) {
    rows.push({ check: "S5 rules live when deploy answers", baseline: "", flowhouse: `${deploys.length - notLive.length} of ${deploys.length}`, compare: notLive.map((d) => `${d.nodes}: ${d.works}`).join(", "), target: "all", ok: notLive.length === 0 });
  }
  const noisy = windows.filter((w) => w.noisy).length;
  rows.push({ check: "noisy windows (others > 25% of a core)", baseline: "", flowhouse: "", compare: `${noisy} of ${windows.length}`, target: "0", ok: noisy === 0 ? true : null });
  return rows;
}

export function targetsTable(rows: TargetRow[]): string {
  return table(
    ["check", "baseline", "flowhouse", "ratio/diff", "target", "result"],
    rows.map((r) => [r.check, r.baseline, r.flowhouse, r.compare, r.target, r.ok === null ? (r.target === "(info)" ? "" : "check") : r.ok ? "ok" : "MISS"]),
    [false, true, true, true, false, false],
  );
}
