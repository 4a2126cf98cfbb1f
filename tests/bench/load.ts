/**
 * Load generator and measurement, in the benchmark's own process: one MQTT.js client
 * publishes the inputs, another receives the outputs. Every input that should cause an
 * output is remembered under a key (its payload or the output topic) with its send time;
 * a received output takes the oldest send time under its key (FIFO), which gives latency,
 * and whatever is still remembered after a drain period is lost.
 */
import mqtt, { type MqttClient } from "mqtt";
import type { Qos } from "./flows";

export interface InputMessage {
  topic: string;
  payload: string;
  /** Key of the output this input must cause, or null when it must cause none. */
  expect: string | null;
}

export interface LoadProfile {
  /** Output topic filter the generator subscribes to. */
  outputFilter: string;
  /** The n-th input (n grows through the whole run, so late outputs never match a later window). */
  input(n: number): InputMessage;
  /** Key of a received output (must equal the `expect` of the input that caused it). */
  outputKey(topic: string, payload: Buffer): string;
}

export interface LoadResult {
  /** Inputs published inside the window. */
  sent: number;
  /** Inputs inside the window that should cause an output. */
  expected: number;
  /** Expected outputs received (any time until the drain ends). */
  received: number;
  /** Expected outputs received inside the window, per second of the window. */
  outputsPerSecond: number;
  /** Expected outputs never received (after the drain, or older than the loss timeout). */
  lost: number;
  /** Outputs that matched no input (duplicates, or arrived after being counted lost). */
  unexpected: number;
  /** Latency of each received output in ms (send → receive). */
  latenciesMs: number[];
  windowSeconds: number;
}

/** A received output in S3 (the motion-light check keeps them all). */
export interface Arrival {
  topic: string;
  payload: string;
  at: number;
}

const LOSS_TIMEOUT_MS = 3000;

export class Generator {
  private outstanding = new Map<string, number | number[]>();
  private n = 0;
  private onOutput: ((topic: string, payload: Buffer, at: number) => void) | null = null;
  private filter: string | null = null;

  private constructor(
    private readonly pub: MqttClient,
    private readonly sub: MqttClient,
  ) {
    sub.on("message", (topic, payload) => this.onOutput?.(topic, payload, performance.now()));
  }

  static async connect(url: string): Promise<Generator> {
    const opts = { clean: true, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4 } as const;
    const [pub, sub] = await Promise.all([mqtt.connectAsync(url, opts), mqtt.connectAsync(url, opts)]);
    // The instrument must not add latency: without TCP_NODELAY, Nagle's algorithm holds small
    // packets back until the previous one is acknowledged (several ms at QoS 1).
    for (const c of [pub, sub]) (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    return new Generator(pub, sub);
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.endAsync(true), this.sub.endAsync(true)]);
  }

  /** Subscribes the receiving client to exactly this filter at this QoS (drops the previous one). */
  async listen(filter: string, qos: Qos): Promise<void> {
    if (this.filter) await this.sub.unsubscribeAsync(this.filter);
    await this.sub.subscribeAsync(filter, { qos });
    this.filter = filter;
  }

  publish(topic: string, payload: string, qos: Qos): void {
    this.pub.publish(topic, payload, { qos, retain: false });
  }

  private remember(key: string, at: number): void {
    const prev = this.outstanding.get(key);
    if (prev === undefined) this.outstanding.set(key, at);
    else if (typeof prev === "number") this.outstanding.set(key, [prev, at]);
    else prev.push(at);
  }

  /** The oldest send time remembered under key (and forgets it), or undefined. */
  private take(key: string): number | undefined {
    const prev = this.outstanding.get(key);
    if (prev === undefined || typeof prev === "number") {
      this.outstanding.delete(key);
      return prev;
    }
    const at = prev.shift();
    if (prev.length === 0) this.outstanding.delete(key);
    return at;
  }

  /** Forgets send times older than cutoff; how many. */
  private expire(cutoff: number): number {
    let n = 0;
    for (const [key, v] of this.outstanding) {
      if (typeof v === "number") {
        if (v < cutoff) {
          this.outstanding.delete(key);
          n++;
        }
      } else {
        while (v.length > 0 && v[0] < cutoff) {
          v.shift();
          n++;
        }
        if (v.length === 0) this.outstanding.delete(key);
      }
    }
    return n;
  }

  private outstandingCount(): number {
    let n = 0;
    for (const v of this.outstanding.values()) n += typeof v === "number" ? 1 : v.length;
    return n;
  }

  /** Waits until nothing is outstanding or maxMs passed; the number still outstanding (lost). */
  private async drain(maxMs: number): Promise<number> {
    const deadline = performance.now() + maxMs;
    while (this.outstanding.size > 0 && performance.now() < deadline) await sleep(20);
    const lost = this.outstandingCount();
    this.outstanding.clear();
    return lost;
  }

  /**
   * Open loop: publishes `rate` inputs per second for durationMs (paced by elapsed time in
   * ~1 ms steps), then drains. `onWindowEnd` runs right when sending stops (before the drain).
   */
  async rate(profile: LoadProfile, qos: Qos, rate: number, durationMs: number, onWindowEnd?: () => void): Promise<LoadResult> {
    const latencies: number[] = [];
    let received = 0;
    let receivedInWindow = 0;
    let unexpected = 0;
    let windowOpen = true;
    this.onOutput = (topic, payload, at) => {
      const sentAt = this.take(profile.outputKey(topic, payload));
      if (sentAt === undefined) return void unexpected++;
      received++;
      if (windowOpen) receivedInWindow++;
      latencies.push(at - sentAt);
    };
    let sent = 0;
    let expected = 0;
    const t0 = performance.now();
    const total = Math.round((rate * durationMs) / 1000);
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (sent < due) {
        const m = profile.input(this.n++);
        if (m.expect !== null) {
          this.remember(m.expect, performance.now());
          expected++;
        }
        this.publish(m.topic, m.payload, qos);
        sent++;
      }
      await sleep(1);
    }
    const windowSeconds = (performance.now() - t0) / 1000;
    windowOpen = false;
    onWindowEnd?.();
    const lost = await this.drain(LOSS_TIMEOUT_MS);
    this.onOutput = null;
    return { sent, expected, received, outputsPerSecond: receivedInWindow / windowSeconds, lost, unexpected, latenciesMs: latencies, windowSeconds };
  }

  /**
   * Closed loop: keeps `window` expected outputs in flight for durationMs (each output
   * received releases the next input), then drains. Inputs that cause no output (S2's cold
   * rooms) are sent in between and do not count against the window.
   */
  async closedLoop(profile: LoadProfile, qos: Qos, window: number, durationMs: number, onWindowEnd?: () => void): Promise<LoadResult> {
    const latencies: number[] = [];
    let received = 0;
    let receivedInWindow = 0;
    let unexpected = 0;
    let sent = 0;
    let expected = 0;
    let inFlight = 0;
    let windowOpen = true;
    let expiredLost = 0;
    const fill = () => {
      let guard = 0;
      while (windowOpen && inFlight < window && guard++ < window * 4) {
        const m = profile.input(this.n++);
        if (m.expect !== null) {
          this.remember(m.expect, performance.now());
          expected++;
          inFlight++;
        }
        this.publish(m.topic, m.payload, qos);
        sent++;
      }
    };
    this.onOutput = (topic, payload, at) => {
      const sentAt = this.take(profile.outputKey(topic, payload));
      if (sentAt === undefined) return void unexpected++;
      received++;
      inFlight--;
      latencies.push(at - sentAt);
      if (windowOpen) {
        receivedInWindow++;
        fill();
      }
    };
    const t0 = performance.now();
    fill();
    // Lost messages would shrink the window for good: forget them after LOSS_TIMEOUT_MS.
    while (performance.now() - t0 < durationMs) {
      await sleep(Math.min(250, Math.max(1, durationMs - (performance.now() - t0))));
      const expired = this.expire(performance.now() - LOSS_TIMEOUT_MS);
      if (expired > 0) {
        expiredLost += expired;
        inFlight -= expired;
        fill();
      }
    }
    const windowSeconds = (performance.now() - t0) / 1000;
    windowOpen = false;
    onWindowEnd?.();
    const lost = expiredLost + (await this.drain(LOSS_TIMEOUT_MS));
    this.onOutput = null;
    return { sent, expected, received, outputsPerSecond: receivedInWindow / windowSeconds, lost, unexpected, latenciesMs: latencies, windowSeconds };
  }

  /**
   * S3 schedule: rooms in groups of 200; each room of a group gets `motions` motions 200 ms
   * apart (1,000 motions per second overall), groups one after another. Returns every output
   * per room plus the send time of each room's first and last motion.
   */
  async motionSchedule(
    rooms: number,
    motions: number,
    qos: Qos,
    tailMs: number,
    onDone?: () => void,
  ): Promise<{ sent: number; first: number[]; last: number[]; arrivals: Map<number, Arrival[]>; stray: number; sendSeconds: number }> {
    const groupSize = 200;
    const spacingMs = 200;
    const schedule: { at: number; room: number }[] = [];
    for (let g = 0; g * groupSize < rooms; g++) {
      const base = g * motions * spacingMs;
      for (let j = 0; j < motions; j++) {
        for (let i = 0; i < groupSize && g * groupSize + i < rooms; i++) schedule.push({ at: base + j * spacingMs + i, room: g * groupSize + i });
      }
    }
    const first = new Array<number>(rooms).fill(NaN);
    const last = new Array<number>(rooms).fill(NaN);
    const arrivals = new Map<number, Arrival[]>();
    let stray = 0;
    const lightRe = /^house\/r(\d+)\/light$/;
    this.onOutput = (topic, payload, at) => {
      const m = lightRe.exec(topic);
      if (!m) return void stray++;
      const room = Number(m[1]);
      let list = arrivals.get(room);
      if (!list) arrivals.set(room, (list = []));
      list.push({ topic, payload: payload.toString(), at });
    };
    const t0 = performance.now();
    let k = 0;
    while (k < schedule.length) {
      const elapsed = performance.now() - t0;
      while (k < schedule.length && schedule[k].at <= elapsed) {
        const { room } = schedule[k++];
        const now = performance.now();
        if (Number.isNaN(first[room])) first[room] = now;
        last[room] = now;
        this.publish(`house/r${room}/motion`, "1", qos);
      }
      await sleep(1);
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    // Wait for every room's off (or the tail time).
    const deadline = performance.now() + tailMs;
    const done = () => {
      for (let r = 0; r < rooms; r++) if ((arrivals.get(r)?.length ?? 0) < 2) return false;
      return true;
    };
    while (performance.now() < deadline && !done()) await sleep(20);
    onDone?.();
    // A little longer to catch duplicate offs.
    await sleep(150);
    this.onOutput = null;
    return { sent: schedule.length, first, last, arrivals, stray, sendSeconds };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The p-th percentile (0–100) of values (sorted copy; NaN when empty). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}
