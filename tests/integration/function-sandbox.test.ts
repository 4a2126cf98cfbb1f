/**
 * The function node's sandbox under hostile code: endless loops, memory bombs and attempts to
 * reach Node must end with an error on the node, never block the app's event loop, crash the
 * process or grow its heap. Uses the real worker pool (QuickJS in worker threads).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode, type Harness } from "../../lib/nodes/test-harness";
import { createFunctionNode } from "../../lib/nodes/function/runtime";
import type { FunctionConfig } from "../../lib/nodes/function/definition";
import { closeSandboxPool, sandboxPool } from "../../lib/nodes/function/sandbox-pool";

function fn(func: string, extra: Partial<FunctionConfig> = {}): Harness<FunctionConfig> {
  return runNode(createFunctionNode, { func, ...extra } as FunctionConfig);
}

function errorTexts(h: Harness<FunctionConfig>): string[] {
  return h.errors.map((e) => (e.error instanceof Error ? e.error.message : String(e.error)));
}

/** Largest gap between ticks of a 10 ms interval while `work` runs. */
async function maxTimerLag<T>(work: () => Promise<T>): Promise<{ lagMs: number; result: T }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { lagMs, result };
  } finally {
    clearInterval(timer);
  }
}

beforeAll(async () => {
  // Warm the pool so timings below measure the sandbox, not the first wasm load.
  const h = fn("return msg;");
  await h.input({ payload: 0 });
});

afterAll(async () => {
  await closeSandboxPool();
});

describe("function sandbox: endless loops", () => {
  it("while(true){} ends with a timeout error within about a second, and the next message works", async () => {
    const h = fn("if (msg.payload === 'loop') { while (true) {} }\nmsg.payload = 'fine';\nreturn msg;");
    const started = performance.now();
    await h.input({ _msgid: "loop1", payload: "loop" });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(2500);
    expect(errorTexts(h)).toEqual(["function timed out after 1 s (infinite loop?); raise the node's timeout if it needs longer"]);
    expect(h.errors[0].msg).toMatchObject({ _msgid: "loop1" });
    await h.input({ payload: "ok" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["fine"]);
  });

  it("the app's event loop keeps ticking (timer lag < 200 ms) while a function loops forever", async () => {
    const h = fn("for (;;) { Math.sqrt(2); }");
    const { lagMs } = await maxTimerLag(() => h.input({ payload: 0 }));
    expect(errorTexts(h)[0]).toMatch(/timed out/);
    expect(lagMs).toBeLessThan(200);
  });

  it("a loop hidden in a catch-all try/catch or a microtask chain still times out", async () => {
    const h1 = fn("while (true) { try { while (true) {} } catch (e) {} }");
    const h2 = fn("const spin = () => Promise.resolve().then(spin);\nspin();\nreturn msg;");
    await Promise.all([h1.input({ payload: 0 }), h2.input({ payload: 0 })]);
    expect(errorTexts(h1)[0]).toMatch(/timed out after 1 s/);
    // The runaway promise chain also allocates: it ends on the deadline or on the memory cap.
    expect(errorTexts(h2)[0]).toMatch(/timed out after 1 s|more than 32 MB/);
    expect(h2.sent).toEqual([]);
  });

  it("two looping nodes do not stop a third node from answering later", async () => {
    const loops = [fn("while(true){}"), fn("while(true){}")];
    const quick = fn("return msg;");
    const looping = loops.map((h) => h.input({ payload: 0 }));
    await quick.input({ payload: "after the loops" });
    await Promise.all(looping);
    expect(quick.port(0).map((m) => m.payload)).toEqual(["after the loops"]);
    for (const h of loops) expect(errorTexts(h)[0]).toMatch(/timed out/);
  });
});

describe("function sandbox: memory", () => {
  it("allocating 1 GB ends with a memory error, the test process heap stays bounded, the node keeps working", async () => {
    const h = fn("if (msg.payload === 'bomb') { const a = []; while (true) a.push(new Array(1e6).fill(1)); }\nreturn msg;", { timeout: 30 });
    global.gc?.();
    const before = process.memoryUsage();
    const { lagMs } = await maxTimerLag(() => h.input({ payload: "bomb" }));
    const after = process.memoryUsage();
    expect(errorTexts(h)).toEqual(["function used more than 32 MB of memory and was stopped"]);
    // The main thread's heap does not carry the bomb; the whole process (workers' wasm memory
    // included) grows by far less than the 1 GB asked for.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(50 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(300 * 1024 * 1024);
    expect(lagMs).toBeLessThan(200);
    await h.input({ payload: "small" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["small"]);
  });

  it("a string doubling itself and deep recursion end with errors, not crashes", async () => {
    const h1 = fn("let s = 'x';\nwhile (true) s += s;");
    const h2 = fn("function down(n) { return down(n + 1) + 1; }\nreturn down(0);");
    await h1.input({ payload: 0 });
    await h2.input({ payload: 0 });
    expect(errorTexts(h1)[0]).toMatch(/32 MB|string too long/);
    expect(errorTexts(h2)[0]).toMatch(/stack overflow/);
  });
});

describe("function sandbox: no way out to Node", () => {
  it("this.constructor.constructor('return process')() finds no process", async () => {
    const h = fn("return { payload: this.constructor.constructor('return process')() };");
    await h.input({ payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)[0]).toMatch(/^ReferenceError: .*process.* is not defined/);
  });

  it("globalThis.process, require, module and the Function constructor see nothing", async () => {
    const h = fn(
      "msg.payload = [typeof globalThis.process, typeof require, typeof module, Function('return typeof process')(), (() => { try { null.x } catch (e) { return e.constructor.constructor('return typeof require')(); } })()];\nreturn msg;",
    );
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
  });

  it("require('fs') is an error", async () => {
    const h = fn("const fs = require('fs');\nreturn { payload: fs.readFileSync('/etc/passwd', 'utf8') };");
    await h.input({ payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)[0]).toMatch(/^ReferenceError: .*require.* is not defined \(line 1/);
  });

  it("import('fs') is an error", async () => {
    const h = fn("const fs = await import('fs');\nreturn { payload: Object.keys(fs) };");
    await h.input({ payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)).toHaveLength(1);
    expect(errorTexts(h)[0]).not.toMatch(/sandbox failed/);
  });

  it("a static import is a syntax error at start", async () => {
    const h = fn("import fs from 'fs';\nreturn msg;");
    await h.input({ payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)[0]).toMatch(/^SyntaxError/);
  });

  it("sandbox globals are only ECMAScript and the node API", async () => {
    const h = fn("msg.payload = Object.getOwnPropertyNames(globalThis).filter((k) => /^[a-z]/.test(k)).sort();\nreturn msg;");
    await h.input({ payload: 0 });
    const names = h.port(0)[0].payload as string[];
    for (const forbidden of ["process", "require", "module", "exports", "__host", "__input", "global_", "Deno", "Bun"]) {
      expect(names).not.toContain(forbidden);
    }
    expect(names).toEqual(expect.arrayContaining(["context", "env", "flow", "global", "node"]));
  });
});

describe("function sandbox: speed", () => {
  it("a simple invocation takes a few milliseconds (median of 1,000)", async () => {
    const h = fn("msg.payload = msg.payload + 1;\nreturn msg;");
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      await h.input({ payload: i, topic: "house/kitchen/temperature" });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[500];
    const p99 = times[990];
    console.log(`function sandbox: median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms per invocation (1,000 runs), pool ${JSON.stringify(sandboxPool().stats())}`);
    expect(h.port(0)).toHaveLength(1000);
    expect(median).toBeLessThan(20);
  });
});
