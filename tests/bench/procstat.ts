/**
 * CPU and memory of processes and of the whole machine, read from /proc (Linux only).
 *
 * CPU of a process is utime + stime from /proc/<pid>/stat (all its threads), in clock ticks
 * of `getconf CLK_TCK` (usually 100 per second, so 10 ms resolution: windows of a few
 * seconds at 1,000 msg/s give a few percent of precision). The machine's busy time comes
 * from the first line of /proc/stat; what the measured processes did not use is "others".
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

function readClockTicks(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    if (Number.isFinite(n) && n > 0) return n;
  } catch {
    // getconf missing: Linux' USER_HZ is 100 on every common architecture
  }
  return 100;
}

export const CLK_TCK = readClockTicks();
export const CORES = os.cpus().length;

/** utime + stime of a process in seconds, or null if it is gone. */
export function processCpuSeconds(pid: number): number | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) / CLK_TCK;
}

/** Resident set size (VmRSS) in bytes, or null if the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Busy seconds of all cores together since boot (everything but idle and iowait). */
export function machineBusySeconds(): number {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  return busy / CLK_TCK;
}

export interface CpuSample {
  /** Wall-clock seconds of the window. */
  seconds: number;
  /** CPU seconds used by each measured process during the window (null: it went away). */
  processes: Record<string, number | null>;
  /** CPU seconds the whole machine was busy (all cores). */
  machine: number;
  /** machine − measured processes: CPU seconds other programs used during the window. */
  others: number;
}

/** Measures CPU of named processes and the rest of the machine between start and stop. */
export class CpuWindow {
  private readonly t0 = performance.now();
  private readonly machine0 = machineBusySeconds();
  private readonly start: Record<string, number | null> = {};

  constructor(private readonly pids: Record<string, number>) {
    for (const [name, pid] of Object.entries(pids)) this.start[name] = processCpuSeconds(pid);
  }

  stop(): CpuSample {
    const processes: Record<string, number | null> = {};
    let measured = 0;
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.start[name];
      const after = processCpuSeconds(pid);
      processes[name] = before === null || after === null ? null : after - before;
      measured += processes[name] ?? 0;
    }
    const machine = machineBusySeconds() - this.machine0;
    return {
      seconds: (performance.now() - this.t0) / 1000,
      processes,
      machine,
      others: Math.max(0, machine - measured),
    };
  }
}

/** Samples a process's RSS every intervalMs and keeps the largest value. */
export class RssSampler {
  private max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const rss = rssBytes(this.pid);
    if (rss !== null && rss > this.max) this.max = rss;
  }

  /** Stops sampling; the largest RSS seen, in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.max;
  }
}

/** pid of the mosquitto listening on `port` (found by its command line and config file). */
export function findMosquittoPid(port: number): { pid: number; confFile: string } | null {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (!argv[0]?.endsWith("mosquitto")) continue;
    const confFile = argv[argv.indexOf("-c") + 1];
    if (!confFile) continue;
    try {
      if (new RegExp(`^listener ${port} `, "m").test(fs.readFileSync(confFile, "utf8"))) return { pid: Number(entry), confFile };
    } catch {
      // config already removed: not ours
    }
  }
  return null;
}
