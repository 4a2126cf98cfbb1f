/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): the functions with the
 * most self time, and the files/packages with the most self time.
 *
 *   node --import tsx tests/bench/profile-summary.ts /tmp/flowhouse-bench-prof-XXXX/CPU.*.cpuprofile [top]
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg = "25"] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return url.replace(/^file:\/\/.*?\/(lib|app|server\.ts|\.next)/, "$1").replace(/^node:/, "node:");
}

const fnSelf = new Map<string, number>();
const fileSelf = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
  const fn = `${functionName || "(anonymous)"} ${where}`.trim();
  fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + us);
  const f = url ? shortUrl(url) : functionName;
  fileSelf.set(f, (fileSelf.get(f) ?? 0) + us);
}

const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms  ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
  }
};
// The bundled server (dist/server.mjs, what npm start runs) marks each source module with a
// "// lib/…/x.ts" comment line: name functions by that module instead of a bundle line.
let bundleModules: { line: number; module: string }[] | null = null;
function bundleModule(url: string, line0: number): string | null {
  if (!url.endsWith("dist/server.mjs")) return null;
  if (!bundleModules) {
    bundleModules = [];
    try {
      const lines = fs.readFileSync(new URL(url), "utf8").split("\n");
      lines.forEach((l, i) => {
        const m = /^\/\/ ((?:lib|server)[^\s]*\.ts)$/.exec(l);
        if (m) bundleModules?.push({ line: i, module: m[1] });
      });
    } catch {
      // the bundle was rebuilt or removed: fall back to line numbers
    }
  }
  let found: string | null = null;
  for (const b of bundleModules) if (b.line <= line0) found = b.module;
  return found ? `${found} (bundle:${line0 + 1})` : null;
}
// Inclusive time of the project's own functions (lib/, server.ts): what calls the hot packages.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ownInclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const { functionName, url, lineNumber } = byId.get(cur)?.callFrame ?? { functionName: "", url: "", lineNumber: 0 };
    if (!/\/(lib\/|server\.ts|dist\/server\.mjs)/.test(url) || url.includes("node_modules")) continue;
    const key = `${functionName || "(anonymous)"} ${bundleModule(url, lineNumber) ?? `${shortUrl(url)}:${lineNumber + 1}`}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ownInclusive.set(key, (ownInclusive.get(key) ?? 0) + us);
  }
}

console.log(`profile: ${(totalUs / 1e6).toFixed(1)} s wall`);
print("self time by function", fnSelf);
print("self time by file / package", fileSelf);
print("inclusive time of the project's functions (lib/, server.ts)", ownInclusive);
