/**
 * API fuzz against the real app: 2,000 invalid requests spread over EVERY mutating route
 * handler under app/api (found by scanning the route files for exported POST/PUT/PATCH/
 * DELETE, so new routes are fuzzed too), with the admin token: wrong JSON, wrong types, huge
 * strings, missing fields, prototype-pollution keys, unicode, arrays instead of objects,
 * wrong content types, odd path parameters. Seeded (FUZZ_SEED=<n> reproduces a run).
 * Every answer must be below 500 (mostly 4xx; a body that happens to be valid for a lax
 * schema, e.g. `{}` for POST /api/deploy whose note is optional, or any body for logout,
 * gets a 2xx: those are listed in the output), never a 5xx; the process stays up and its
 * memory flat.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";

const SEED = Number(process.env.FUZZ_SEED ?? 0xa91);
const REQUESTS = 2000;
const ROOT = path.resolve(import.meta.dirname, "..", "..");

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

interface RouteTarget {
  /** e.g. /api/dashboards/[id] */
  pattern: string;
  method: string;
}

/** Every exported mutating handler of every app/api/**\/route.ts. */
function mutatingRoutes(): RouteTarget[] {
  const out: RouteTarget[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const src = fs.readFileSync(full, "utf8");
        const pattern = "/" + path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep).join("/");
        for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE)\b/g)) {
          out.push({ pattern, method: m[1] });
        }
      }
    }
  };
  walk(path.join(ROOT, "app", "api"));
  return out.sort((a, b) => (a.pattern + a.method).localeCompare(b.pattern + b.method));
}

/** Odd values for [param] path segments. */
const PARAMS = ["999999", "0", "-1", "abc", "%00", "..%2F..%2Fetc%2Fpasswd", "__proto__", "constructor", "%F0%9F%94%A5", "x".repeat(3000), "%E0%A4%A", "1e309", "null", "[object Object]"];

function bodies(rnd: () => number): { body: string | Uint8Array; contentType: string | null } {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T,>(xs: T[]): T => xs[int(xs.length)];
  const huge = () => "A".repeat(100_000 + int(900_000));
  const values: unknown[] = [null, true, false, 0, -1, 1e308, -0, "", "🔥", "\u0000", "\ud800", huge(), [], {}, [[[]]], { a: { b: { c: {} } } }];
  const shapes: (() => unknown)[] = [
    () => pick(values),
    () => Array.from({ length: int(50) }, () => pick(values)),
    () => ({ document: pick(values), note: pick(values), name: pick(values), id: pick(values) }),
    () => ({ flows: pick(values), version: pick(values) }),
    () => ({ flows: [{ id: pick(values), nodes: pick(values) }] }),
    () => ({ flows: [{ id: "t", name: "x", nodes: [{ id: 5, type: {}, config: [] }] }], version: 1 }),
    () => ({ topic: pick(values), payload: pick(values), qos: pick([3, -1, "1", 1.5, null]), retain: pick(values) }),
    () => ({ topic: "#", payload: "x", qos: 0, retain: "yes" }),
    () => ({ active: pick(["yes", 1, null, {}]) }),
    () => ({ widgets: pick(values), name: pick(values), layout: pick(values) }),
    () => ({ username: pick(values), password: pick(values), role: pick(["root", "", 7, null]) }),
    () => ({ maxMessagesPerTopic: pick(values), budgetMb: pick(values) }),
    () => [{ topic: pick(values), hidden: pick(values), name: pick(values) }],
    () => [{ id: "x", type: "no-such-node", z: "nope", wires: "nope" }],
    () => [{ id: pick(values), type: pick(values), wires: [[pick(values)]] }],
    () => Object.fromEntries(Array.from({ length: 1 + int(2000) }, (_, k) => [`k${k}`, k])),
    () => ({ [String.fromCharCode(0xd800)]: 1, "é\u0301": "ü", "\u202e": "rtl" }),
  ];
  const kind = int(10);
  if (kind === 0) return { body: pick(['{"a":', "{'single': 1}", "[1,2,", "\u0000\u0001", "undefined", "NaN", "{}}", '{"a":1}garbage', "\ufeff{}"]), contentType: "application/json" };
  if (kind === 1) {
    // prototype pollution, as raw JSON text so the keys survive
    return { body: pick(['{"__proto__":{"admin":true,"role":"admin"}}', '{"constructor":{"prototype":{"polluted":1}}}', '[{"__proto__":{"x":1}}]', '{"document":{"__proto__":{"flows":[]}}}']), contentType: "application/json" };
  }
  if (kind === 2) {
    const b = new Uint8Array(1 + int(2048));
    for (let k = 0; k < b.length; k++) b[k] = int(256);
    return { body: b, contentType: pick(["application/json", "application/octet-stream", null]) };
  }
  if (kind === 3) return { body: JSON.stringify(pick(shapes)()), contentType: pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "application/json; charset=latin1"]) };
  if (kind === 4) {
    // deep nesting
    const d = 1 + int(20_000);
    return { body: "[".repeat(d) + "]".repeat(d), contentType: "application/json" };
  }
  return { body: JSON.stringify(pick(shapes)()), contentType: "application/json" };
}

let app: AppHandle;
let healthFailures = 0;
let healthChecks = 0;
let healthTimer: NodeJS.Timeout | null = null;

beforeAll(async () => {
  // A tight heap (V8 collects when the heap is 30 % over live data instead of up to 4×) makes
  // RSS follow live memory, so the growth bound below catches leaks, not V8's garbage slack.
  app = await startApp({ env: { FLOWHOUSE_HEAP_GROWING_PERCENT: "30" } });
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
  await app?.dispose();
});

describe(`API fuzz (seed ${SEED}): ${REQUESTS} invalid bodies over every mutating route`, () => {
  it("answers every invalid request with a 4xx, never a 5xx, and stays up with flat memory", { timeout: 600_000 }, async () => {
    const routes = mutatingRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const rnd = prng(SEED);
    const pid = app.pid();
    const rss0 = rssMb(pid);
    const byStatus = new Map<number, number>();
    const perRoute = new Map<string, Map<number, number>>();
    const fiveHundreds: string[] = [];
    const accepted: string[] = [];
    let rssWarm = NaN;
    const t0 = performance.now();

    for (let i = 0; i < REQUESTS; i++) {
      if (i === 400) rssWarm = rssMb(pid);
      const target = routes[i % routes.length];
      const url = target.pattern.replace(/\[[^\]]+\]/g, () => PARAMS[Math.floor(rnd() * PARAMS.length)]);
      const { body, contentType } = bodies(rnd);
      const headers: Record<string, string> = { authorization: `Bearer ${app.token}` };
      if (contentType) headers["content-type"] = contentType;
      let status: number;
      let text = "";
      try {
        const res = await fetch(app.url + url, { method: target.method, headers, body: body as BodyInit, redirect: "manual", signal: AbortSignal.timeout(30_000) });
        status = res.status;
        text = await res.text();
      } catch (err) {
        status = -1;
        text = (err as Error).message;
      }
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      const key = `${target.method} ${target.pattern}`;
      const r = perRoute.get(key) ?? new Map<number, number>();
      r.set(status, (r.get(status) ?? 0) + 1);
      perRoute.set(key, r);
      const sample = typeof body === "string" ? body.slice(0, 120) : `<${body.length} random bytes>`;
      if (status >= 500 || status < 0) fiveHundreds.push(`#${i} ${target.method} ${url.slice(0, 80)} [${contentType}] ${JSON.stringify(sample)} → ${status} ${text.slice(0, 200)}`);
      else if (status < 400) accepted.push(`#${i} ${target.method} ${url.slice(0, 80)} ${JSON.stringify(sample)} → ${status} ${text.slice(0, 120)}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(3000);
    const rssEnd = rssMb(pid);
    const health = await app.api("GET", "/api/health");

    const table = [...perRoute].map(([k, m]) => `  ${k.padEnd(44)} ${[...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(" ")}`);
    console.log(
      `[fuzz-api] seed=${SEED} requests=${REQUESTS} over ${routes.length} routes in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(byStatus))}; ` +
        `RSS start=${rss0.toFixed(0)} MB, after 400=${rssWarm.toFixed(0)} MB, end=${rssEnd.toFixed(0)} MB; health checks=${healthChecks}, failed=${healthFailures}\n${table.join("\n")}\n  accepted (2xx/3xx), first 8:\n    ${accepted.slice(0, 8).join("\n    ")}`,
    );
    expect(fiveHundreds, "5xx answers or dropped connections").toEqual([]);
    expect(accepted.length, "answers below 400 (bodies valid by chance, body-less routes)").toBeLessThan(REQUESTS * 0.2);
    expect(health.status).toBe(200);
    expect(app.pid()).toBe(pid);
    expect(healthFailures, "failed /api/health polls").toBe(0);
    expect(rssEnd - rssWarm, "RSS growth (MB) after the first 400 requests").toBeLessThan(64);
  });
});
