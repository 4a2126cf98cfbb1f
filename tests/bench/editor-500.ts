/**
 * Editor performance with a 500-node flow, measured in Chromium.
 *
 *   flock /tmp/flowhouse-build.lock npx next build     # once: the bench runs the production build
 *   node --import tsx tests/bench/editor-500.ts [--nodes 500] [--shots DIR]
 *
 * 1. Starts the built app (tests/helpers/app.ts) on free ports with a temporary database.
 * 2. PUTs a generated draft: one tab with 100 chains of 5 nodes (mqtt in → trigger → change
 *    → mqtt out, plus a debug), 400 wires, laid out on a grid.
 * 3. Opens the editor and measures the time from navigation start until every node is in
 *    the DOM, measured (visible) and every wire is drawn.
 * 4. Records requestAnimationFrame deltas in the page while the mouse pans the canvas and
 *    while it drags one node, and prints p50 / p95 / max frame times and dropped frames.
 *
 * Quality bar (issue 5): opens in under 2 s; panning and dragging without visible stutter
 * (p95 frame ≲ 33 ms, i.e. never below ~30 fps).
 */
import fs from "node:fs";
import path from "node:path";
import { startApp, type AppHandle } from "../helpers/app";
import { launchBrowser, login } from "../helpers/browser";
import type { FlowDocument, FlowNode } from "../../lib/flow/schema";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const NODE_COUNT = Number(arg("nodes", "500"));
const SHOTS = arg("shots", "test-results");

/** Chains of 5 nodes, 4 chains per row. */
export function generateFlow(nodeCount: number): FlowDocument {
  const nodes: FlowNode[] = [];
  const chains = Math.ceil(nodeCount / 5);
  const base = (i: number, k: number, type: string, x: number, y: number, config: Record<string, unknown>): FlowNode => ({
    id: `n${i}-${k}`,
    type,
    name: "",
    x,
    y,
    wires: [],
    disabled: false,
    config,
  });
  for (let c = 0; c < chains && nodes.length < nodeCount; c++) {
    const col = c % 4;
    const row = Math.floor(c / 4);
    const x0 = 40 + col * 900;
    const y = 40 + row * 80;
    const chain = [
      base(c, 0, "mqtt in", x0, y, { topic: `bench/${c}/motion`, qos: "1", datatype: "auto-detect", broker: "" }),
      base(c, 1, "trigger", x0 + 170, y, { op1: "on", op2: "off", op1type: "str", op2type: "str", duration: "2", units: "min", extend: true }),
      base(c, 2, "change", x0 + 340, y, { rules: [{ t: "set", p: "topic", pt: "msg", to: `bench/${c}/light`, tot: "str" }] }),
      base(c, 3, "mqtt out", x0 + 510, y, { topic: "", qos: "1", retain: "false", broker: "" }),
      base(c, 4, "debug", x0 + 680, y, { active: true, tosidebar: true, complete: "payload" }),
    ];
    chain[0].wires = [[chain[1].id]];
    chain[1].wires = [[chain[2].id]];
    chain[2].wires = [[chain[3].id, chain[4].id]];
    for (const n of chain) if (nodes.length < nodeCount) nodes.push(n);
  }
  // Drop wires to nodes cut off by the count.
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) n.wires = n.wires.map((p) => p.filter((t) => ids.has(t)));
  return { schemaVersion: 1, configNodes: [], flows: [{ id: "bench-tab", name: `${nodeCount} nodes`, disabled: false, info: "", nodes }] };
}

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** frames longer than 50 ms (a visible hitch) */
  over50: number;
}

function stats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  return {
    frames: sorted.length,
    p50: Math.round(q(0.5) * 10) / 10,
    p95: Math.round(q(0.95) * 10) / 10,
    max: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
    over50: sorted.filter((d) => d > 50).length,
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.resolve(import.meta.dirname, "..", "..", ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `flock /tmp/flowhouse-build.lock npx next build` first");
  }
  let app: AppHandle | undefined;
  const browser = await launchBrowser();
  try {
    app = await startApp();
    const doc = generateFlow(NODE_COUNT);
    const edgeCount = doc.flows[0].nodes.reduce((n, node) => n + node.wires.flat().length, 0);
    const put = await app.api("PUT", "/api/flows", doc);
    if (put.status !== 200) throw new Error(`PUT /api/flows → ${put.status}: ${put.text.slice(0, 300)}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await login(page, app.url, app.adminPassword);
    await page.locator(".react-flow__node").first().waitFor({ timeout: 30_000 });

    // Cold-ish open: navigate again (assets cached, like a user reloading) and time it.
    const opens: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.goto(`${app.url}/`);
      const handle = await page.waitForFunction(
        ([nodes, edges]) => {
          const all = document.querySelectorAll<HTMLElement>(".react-flow__node");
          if (all.length < nodes) return false;
          for (const el of all) if (el.style.visibility === "hidden") return false;
          if (document.querySelectorAll(".react-flow__edge").length < edges) return false;
          return performance.now();
        },
        [NODE_COUNT, edgeCount] as const,
        { polling: "raf", timeout: 60_000 },
      );
      opens.push(Math.round((await handle.jsonValue()) as number));
    }
    await page.screenshot({ path: `${SHOTS}/bench-editor-500.png` });

    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!pane) throw new Error("no canvas");
    // Page scripts as strings: tsx's name-keeping helpers (__name) do not exist in the page.
    const startFrames = () =>
      page.evaluate(`(() => {
        window.__frames = [];
        window.__stop = false;
        let last = performance.now();
        const tick = (t) => {
          window.__frames.push(t - last);
          last = t;
          if (!window.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
    const stopFrames = async (): Promise<number[]> => {
      const frames = (await page.evaluate(`(() => { window.__stop = true; return window.__frames.slice(1); })()`)) as number[];
      return frames; // the first delta includes the setup
    };

    // Pan: drag the empty canvas around in a loop (~2 s of mouse moves).
    const cx = pane.x + pane.width / 2;
    const cy = pane.y + pane.height - 30; // below the nodes: an empty spot of the pane
    await startFrames();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 120; i++) {
      const a = (i / 120) * Math.PI * 2;
      await page.mouse.move(cx + Math.cos(a) * 150, cy - 100 + Math.sin(a) * 100);
    }
    await page.mouse.up();
    const pan = stats(await stopFrames());

    // Zoom to 100 % around a node (the size people edit at) and pan again.
    await page.locator(".react-flow__controls-zoomin").click();
    await page.locator(".react-flow__controls-zoomin").click();
    await page.locator(".react-flow__controls-zoomin").click();
    await page.waitForTimeout(300);
    await startFrames();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 120; i++) {
      const a = (i / 120) * Math.PI * 2;
      await page.mouse.move(cx + Math.cos(a) * 200, cy - 150 + Math.sin(a) * 120);
    }
    await page.mouse.up();
    const panZoomed = stats(await stopFrames());

    // Drag one node around.
    await page.locator(".react-flow__controls-fitview").click();
    await page.waitForTimeout(400);
    const node = page.locator(`.react-flow__node[data-id="n0-1"]`);
    const box = await node.boundingBox();
    if (!box) throw new Error("node n0-1 not visible");
    const nx = box.x + box.width / 2;
    const ny = box.y + box.height / 2;
    await startFrames();
    await page.mouse.move(nx, ny);
    await page.mouse.down();
    for (let i = 0; i < 120; i++) {
      const a = (i / 120) * Math.PI * 2;
      await page.mouse.move(nx + 60 + Math.cos(a) * 60, ny + 100 + Math.sin(a) * 80);
    }
    await page.mouse.up();
    const drag = stats(await stopFrames());
    await page.screenshot({ path: `${SHOTS}/bench-editor-500-after-drag.png` });

    const rows = [
      ["open (nav → all nodes + wires drawn)", `${opens.join(" / ")} ms`, `bar < 2000 ms`],
      ["pan, fit view (all nodes visible)", fmt(pan), ""],
      ["pan, zoomed in", fmt(panZoomed), ""],
      ["drag one node", fmt(drag), ""],
    ];
    console.log(`\nEditor with ${NODE_COUNT} nodes, ${edgeCount} wires (Chromium headless, 1280×720)`);
    for (const r of rows) console.log(`  ${r[0].padEnd(40)} ${r[1]}${r[2] ? `   (${r[2]})` : ""}`);
    console.log(`  screenshots: ${SHOTS}/bench-editor-500.png, ${SHOTS}/bench-editor-500-after-drag.png`);
    console.log(JSON.stringify({ bench: "editor-500", nodes: NODE_COUNT, edges: edgeCount, openMs: opens, pan, panZoomed, drag }));
  } finally {
    await browser.close();
    await app?.dispose();
  }
}

function fmt(s: FrameStats): string {
  return `frames ${s.frames}, p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms, >50 ms: ${s.over50}`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
