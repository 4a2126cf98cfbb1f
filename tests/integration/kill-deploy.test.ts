/**
 * SIGKILL during deploy, 50 times: the app (production build, embedded broker) deploys
 * document A or B (alternating; 4 vs 9 nodes, different ids) and is killed at a seeded
 * random moment 0–300 ms into that deploy (bounded by ~1.3× the measured deploy time, so
 * most kills land inside it), then restarted. Each time it must come up healthy
 * running a complete deployment: the newest stored deployment is exactly A or B (node ids),
 * the runtime runs that many nodes, and at the end a message passes the flow.
 * KILL_SEED=<n> reproduces a run, KILL_ROUNDS=<n> changes the count.
 */
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromNodeRed, type NodeRedNode } from "../../lib/flow/node-red";
import type { FlowDocument } from "../../lib/flow/schema";
import { startApp, type AppHandle } from "../helpers/app";

const SEED = Number(process.env.KILL_SEED ?? 0xdead);
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 50);

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A: in → change → out + debug. B: the same relay with more steps and its own ids. */
function documentFor(which: "A" | "B"): FlowDocument {
  const z = `kd-${which}`;
  const p = which.toLowerCase();
  const node = (id: string, type: string, extra: Record<string, unknown>, wires: string[][] = []): NodeRedNode => ({ id: `${p}-${id}`, type, z, name: `${which} ${id}`, x: 100, y: 100, wires, ...extra });
  const setTag: Record<string, unknown> = { rules: [{ t: "set", p: "payload", pt: "msg", to: `deployed ${which}`, tot: "str" }] };
  const nodes: NodeRedNode[] =
    which === "A"
      ? [
          node("in", "mqtt in", { topic: "kd/in", qos: "1", datatype: "utf8", broker: "", nl: false, rap: true, rh: 0, inputs: 0 }, [[`${p}-tag`]]),
          node("tag", "change", setTag, [[`${p}-out`, `${p}-debug`]]),
          node("out", "mqtt out", { topic: "kd/out", qos: "1", retain: "false", broker: "" }),
          node("debug", "debug", { active: false, tosidebar: true, console: false, complete: "payload", targetType: "msg" }),
        ]
      : [
          node("in", "mqtt in", { topic: "kd/in", qos: "1", datatype: "utf8", broker: "", nl: false, rap: true, rh: 0, inputs: 0 }, [[`${p}-json`]]),
          node("json", "json", { property: "payload", action: "", pretty: false }, [[`${p}-fn`]]),
          node("fn", "function", { func: "return msg;", outputs: 1, timeout: 2, noerr: 0, initialize: "", finalize: "", libs: [] }, [[`${p}-range`]]),
          node("range", "range", { minin: "0", maxin: "10", minout: "0", maxout: "100", action: "scale", round: false, property: "value" }, [[`${p}-delay`]]),
          node("delay", "delay", { pauseType: "delay", timeout: "1", timeoutUnits: "milliseconds", rate: "1", nbRateUnits: "1", rateUnits: "second", randomFirst: "1", randomLast: "5", randomUnits: "seconds", drop: false, outputs: 1 }, [[`${p}-tag`]]),
          node("tag", "change", setTag, [[`${p}-out`, `${p}-debug`]]),
          node("out", "mqtt out", { topic: "kd/out", qos: "1", retain: "false", broker: "" }),
          node("debug", "debug", { active: false, tosidebar: true, console: false, complete: "payload", targetType: "msg" }),
          node("comment", "comment", { info: "B has more nodes than A" }),
        ];
  const imported = fromNodeRed([{ id: z, type: "tab", label: `Kill test ${which}`, disabled: false, info: "" }, ...nodes]);
  return imported.document;
}

function nodeIds(doc: FlowDocument): string[] {
  return doc.flows.flatMap((f) => f.nodes.map((n) => n.id)).sort();
}

let app: AppHandle;
const docs = { A: documentFor("A"), B: documentFor("B") };
const ids = { A: nodeIds(docs.A), B: nodeIds(docs.B) };

beforeAll(async () => {
  app = await startApp();
}, 180_000);

afterAll(async () => {
  await app?.dispose();
});

async function newestDeployment(): Promise<{ id: number; ids: string[]; nodeCount: number }> {
  const list = await app.api("GET", "/api/deployments");
  if (list.status !== 200) throw new Error(`GET /api/deployments → ${list.status}: ${list.text}`);
  const items = (list.json as { deployments?: { id: number }[] }).deployments ?? (list.json as { id: number }[]);
  const newest = Math.max(...items.map((d) => d.id));
  const detail = await app.api("GET", `/api/deployments/${newest}`);
  if (detail.status !== 200) throw new Error(`GET /api/deployments/${newest} → ${detail.status}: ${detail.text}`);
  const body = detail.json as { deployment: { nodeCount: number }; document: FlowDocument };
  return { id: newest, ids: nodeIds(body.document), nodeCount: body.deployment.nodeCount };
}

async function messagePasses(expected: "A" | "B"): Promise<void> {
  const sub: MqttClient = await connectAsync(app.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    await sub.subscribeAsync("kd/out", { qos: 1 });
    const got = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no message on kd/out within 10 s")), 10_000);
      sub.on("message", (_t, payload) => {
        clearTimeout(timer);
        resolve(payload.toString());
      });
    });
    await sub.publishAsync("kd/in", '{"value": 5}', { qos: 1 });
    expect(await got).toBe(`deployed ${expected}`);
  } finally {
    await sub.endAsync(true);
  }
}

describe(`SIGKILL during deploy (${ROUNDS} rounds, seed ${SEED})`, () => {
  it("always restarts with a complete deployment, A or B, and a working flow", { timeout: 600_000 }, async () => {
    // Start from a known state: A deployed.
    expect((await app.api("PUT", "/api/flows", docs.A)).status).toBe(200);
    expect((await app.api("POST", "/api/deploy", { note: "A" })).status).toBe(200);

    // How long a deploy takes here: kill delays are drawn from 0 to a bit more than that
    // (at most 300 ms), so most kills land inside the deploy rather than after it.
    const took: number[] = [];
    for (const which of ["B", "A", "B", "A"] as const) {
      expect((await app.api("PUT", "/api/flows", docs[which])).status).toBe(200);
      const d0 = performance.now();
      expect((await app.api("POST", "/api/deploy", { note: `timing ${which}` })).status).toBe(200);
      took.push(performance.now() - d0);
    }
    took.sort((a, b) => a - b);
    const span = Math.min(300, Math.max(20, Math.round(took[Math.floor(took.length / 2)] * 1.3)));

    const rnd = prng(SEED);
    const t0 = performance.now();
    let completedBeforeKill = 0;
    let interrupted = 0;
    const restartMs: number[] = [];
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const which = round % 2 === 0 ? "B" : "A";
      const put = await app.api("PUT", "/api/flows", docs[which]);
      expect(put.status, put.text).toBe(200);
      const delay = Math.floor(rnd() * (span + 1));
      let answered = false;
      const deploy = app
        .api("POST", "/api/deploy", { note: `${which} round ${round}` })
        .then((r) => {
          answered = r.status === 200;
        })
        .catch(() => undefined);
      await sleep(delay);
      await app.kill();
      await deploy;
      if (answered) completedBeforeKill++;
      else interrupted++;

      const r0 = performance.now();
      await app.restart();
      restartMs.push(performance.now() - r0);

      const health = await app.api("GET", "/api/health");
      expect(health.status).toBe(200);
      const h = health.json as { ok: boolean; deployment: { id: number | null; nodes: number } };
      const newest = await newestDeployment();
      const which2 = JSON.stringify(newest.ids) === JSON.stringify(ids.A) ? "A" : JSON.stringify(newest.ids) === JSON.stringify(ids.B) ? "B" : null;
      const is = which2 ?? "broken";
      outcomes.push(`${round}:${which}@${delay}ms→${is}${answered ? "(answered)" : ""}`);
      expect(is, `round ${round}: newest deployment #${newest.id} has nodes ${newest.ids.join(",")}`).not.toBe("broken");
      if (!which2) break;
      // An answered deploy is durable: the restarted app runs the document it deployed.
      if (answered) expect(is, `round ${round}: deploy of ${which} was answered 200 but lost`).toBe(which);
      expect(h.deployment.id, `round ${round}: the runtime runs the newest deployment`).toBe(newest.id);
      expect(h.deployment.nodes, `round ${round}: runtime node count`).toBe(ids[which2].length);
      expect(newest.nodeCount).toBe(ids[which2].length);
      expect(h.ok).toBe(true);
    }
    const last = await newestDeployment();
    const lastIs = JSON.stringify(last.ids) === JSON.stringify(ids.A) ? "A" : "B";
    await messagePasses(lastIs);
    const seconds = (performance.now() - t0) / 1000;
    restartMs.sort((a, b) => a - b);
    console.log(
      `[kill-deploy] seed=${SEED} rounds=${ROUNDS} in ${seconds.toFixed(0)} s; deploy takes ~${took[Math.floor(took.length / 2)].toFixed(0)} ms (kill delays 0–${span} ms); killed mid-deploy ${interrupted}, deploy answered before the kill ${completedBeforeKill}; ` +
        `restart median ${(restartMs[Math.floor(restartMs.length / 2)] / 1000).toFixed(2)} s, max ${(restartMs.at(-1)! / 1000).toFixed(2)} s\n  ${outcomes.join(" ")}`,
    );
    expect(app.output()).not.toMatch(/cannot be read|database disk image is malformed|SQLITE_CORRUPT/i);
  });
});
