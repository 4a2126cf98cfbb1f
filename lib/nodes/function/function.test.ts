/**
 * function node with the real sandbox (QuickJS in a worker thread; each message ≈ 1–2 ms).
 * Node-RED semantics: return a msg → output 1; an array → one entry per output (an entry may
 * be an array of msgs, or null); null → nothing; node.send / warn / error / status; context.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { runNode, type Harness } from "../test-harness";
import { createFunctionNode } from "./runtime";
import { functionConfigSchema, functionDefinition, type FunctionConfig } from "./definition";
import { closeSandboxPool } from "./sandbox-pool";
import { fromNodeRed, importNodeRed, toNodeRed, type NodeRedNode } from "../../flow/node-red";
import { getNodeDefinition } from "../registry";
import type { AnyNodeDefinition } from "../types";

afterAll(async () => {
  await closeSandboxPool();
});

function fn(func: string, extra: Partial<FunctionConfig> = {}, opts: Parameters<typeof runNode>[2] = {}): Harness<FunctionConfig> {
  return runNode(createFunctionNode, { func, ...extra } as FunctionConfig, opts);
}

function errorTexts(h: Harness<FunctionConfig>): string[] {
  return h.errors.map((e) => (e.error instanceof Error ? e.error.message : String(e.error)));
}

describe("function: what the code returns", () => {
  it("returning msg sends it on output 1 with the same _msgid", async () => {
    const h = fn("return msg;");
    await h.input({ _msgid: "m1", payload: "hello", topic: "t" });
    expect(h.port(0)).toEqual([{ _msgid: "m1", payload: "hello", topic: "t" }]);
    expect(h.errors).toEqual([]);
  });

  it("changes to msg reach the next node (payload doubled, new property)", async () => {
    const h = fn("msg.payload = msg.payload * 2;\nmsg.extra = { ok: true };\nreturn msg;");
    await h.input({ payload: 21 });
    expect(h.port(0)[0]).toMatchObject({ payload: 42, extra: { ok: true } });
  });

  it("an array sends one entry per output and null skips an output", async () => {
    const h = fn("return [msg, null, { payload: 'third' }];", { outputs: 3 });
    await h.input({ _msgid: "m2", payload: 1 });
    expect(h.port(0)).toEqual([{ _msgid: "m2", payload: 1 }]);
    expect(h.port(1)).toEqual([]);
    expect(h.port(2)).toEqual([{ _msgid: "m2", payload: "third" }]);
  });

  it("an array of arrays sends several messages on one output, in order", async () => {
    const h = fn("return [[{ payload: 1 }, { payload: 2 }], { payload: 3 }];", { outputs: 2 });
    await h.input({ payload: 0 });
    expect(h.port(0).map((m) => m.payload)).toEqual([1, 2]);
    expect(h.port(1).map((m) => m.payload)).toEqual([3]);
  });

  it("returning null or nothing sends nothing", async () => {
    const h1 = fn("return null;");
    const h2 = fn("msg.payload = 1;");
    await h1.input({ payload: 1 });
    await h2.input({ payload: 1 });
    expect(h1.sent).toEqual([]);
    expect(h2.sent).toEqual([]);
    expect([...h1.errors, ...h2.errors]).toEqual([]);
  });

  it("returning a number reports an error instead of sending it", async () => {
    const h = fn("return 42;");
    await h.input({ payload: 1 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)[0]).toMatch(/function tried to send a message of type number/);
  });

  it("await works and the resolved value is sent", async () => {
    const h = fn("const v = await Promise.resolve(7);\nmsg.payload = v;\nreturn msg;");
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toBe(7);
  });

  it("messages are handled one at a time, in arrival order", async () => {
    const h = fn("msg.payload = msg.payload + 1; return msg;");
    await Promise.all([1, 2, 3, 4, 5].map((n) => h.input({ payload: n })));
    expect(h.port(0).map((m) => m.payload)).toEqual([2, 3, 4, 5, 6]);
  });

  it("a function slower than its input keeps at most 1,000 messages waiting and says it dropped the rest", async () => {
    const h = fn("return msg;");
    const all = [];
    for (let n = 0; n < 1200; n++) all.push(h.input({ payload: n }));
    await Promise.all(all);
    expect(h.port(0)).toHaveLength(1000);
    expect(h.port(0)[999].payload).toBe(999);
    const messages = errorTexts(h);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/1000 messages are already waiting for this function/);
    // Caught up: new messages are handled again.
    await h.input({ payload: "later" });
    expect(h.port(0).at(-1)?.payload).toBe("later");
  }, 60_000);
});

describe("function: the node API", () => {
  it("node.send sends before the return value, keeping the message id", async () => {
    const h = fn("node.send({ payload: 'early' });\nnode.send([null, { payload: 'second output' }]);\nmsg.payload = 'late';\nreturn msg;", {
      outputs: 2,
    });
    await h.input({ _msgid: "m3", payload: 0 });
    expect(h.sent.map((s) => [s.port, s.msg.payload, s.msg._msgid])).toEqual([
      [0, "early", "m3"],
      [1, "second output", "m3"],
      [0, "late", "m3"],
    ]);
  });

  it("node.send after an await (before the code ends) is delivered", async () => {
    const h = fn("await null;\nnode.send({ payload: 'after await' });\nreturn null;");
    await h.input({ payload: 0 });
    expect(h.port(0).map((m) => m.payload)).toEqual(["after await"]);
  });

  it("a .then() that sends after the code returned still delivers (microtasks run before the invocation ends)", async () => {
    const h = fn("Promise.resolve().then(() => node.send({ payload: 'later' }));\nreturn msg;");
    await h.input({ payload: "now" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["later", "now"]);
  });

  it("node.warn, node.error and node.status reach the editor", async () => {
    const h = fn("node.warn('careful');\nnode.warn({ level: 3 });\nnode.error('bad value', msg);\nnode.status({ fill: 'green', shape: 'dot', text: 'ok ' + msg.payload });\nreturn null;");
    await h.input({ _msgid: "m4", payload: 5 });
    expect(h.warnings).toEqual(["careful", '{"level":3}']);
    expect(errorTexts(h)).toEqual(["bad value"]);
    expect(h.errors[0].msg).toMatchObject({ _msgid: "m4", payload: 5 });
    expect(h.statuses).toEqual([{ fill: "green", shape: "dot", text: "ok 5" }]);
  });

  it("node.log and console.log go to the debug sidebar", async () => {
    const h = fn("node.log('one');\nconsole.log({ two: 2 });\nreturn null;");
    await h.input({ payload: 0 });
    expect(h.debugEvents.map((e) => e.value)).toEqual(["one", '{"two":2}']);
  });

  it("node.id, node.name and env.get with NR_NODE_ID and a configured variable", async () => {
    const h = fn("msg.payload = [node.id, env.get('NR_NODE_ID'), env.get('HOUSE'), env.get(\"MISSING\")];\nreturn msg;", {}, { env: { HOUSE: "home" } });
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toEqual(["n1", "n1", "home", null]);
  });

  it("setTimeout says it is not available instead of silently never firing", async () => {
    const h = fn("setTimeout(() => node.send(msg), 10);\nreturn null;");
    await h.input({ payload: 0 });
    expect(errorTexts(h)[0]).toMatch(/setTimeout is not available .*use a delay or trigger node.* \(line 1, col \d+\)$/);
  });

  it("RED.util.cloneMessage copies a message", async () => {
    const h = fn("const copy = RED.util.cloneMessage(msg);\ncopy.payload = 'copy';\nreturn [[msg, copy]];");
    await h.input({ payload: "original" });
    expect(h.port(0).map((m) => m.payload)).toEqual(["original", "copy"]);
  });
});

describe("function: context", () => {
  it("context, flow and global set/get persist in the node's stores across messages", async () => {
    const h = fn(
      "const n = (context.get('count') || 0) + 1;\ncontext.set('count', n);\nflow.set('last', msg.payload);\nglobal.set('house.mode', 'away');\nmsg.count = n;\nreturn msg;",
    );
    await h.input({ payload: "a" });
    await h.input({ payload: "b" });
    expect(h.port(0).map((m) => m.count)).toEqual([1, 2]);
    expect(h.context.scope("node", "n1").get("count")).toBe(2);
    expect(h.context.scope("flow", "f1").get("last")).toBe("b");
    expect(h.context.scope("global", "").get("house")).toEqual({ mode: "away" });
  });

  it("the code reads values other nodes stored, and keys() lists them", async () => {
    const h = fn("msg.payload = [flow.get('temp'), global.get('cfg.limit'), flow.keys()];\nreturn msg;");
    h.context.scope("flow", "f1").set("temp", 21.5);
    h.context.scope("global", "").set("cfg", { limit: 30 });
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toEqual([21.5, 30, ["temp"]]);
  });

  it("set(key, undefined) deletes, and a value read after set in the same run is the new one", async () => {
    const h = fn("context.set('x', 5);\nconst a = context.get('x');\ncontext.set('x', undefined);\nmsg.payload = [a, context.get('x')];\nreturn msg;");
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toEqual([5, null]);
    expect(h.context.scope("node", "n1").keys()).toEqual([]);
  });

  it("context.get with a callback works as in Node-RED", async () => {
    const h = fn("context.set('a', 1);\ncontext.get('a', (err, v) => { msg.payload = v; });\nreturn msg;");
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toBe(1);
  });

  it("On Start code runs once before the first message and On Stop at close", async () => {
    const h = fn("msg.payload = context.get('started');\nreturn msg;", {
      initialize: "context.set('started', 'yes');\nnode.status({ text: 'ready' });",
      finalize: "flow.set('stopped', true);",
    });
    await h.input({ payload: 0 });
    expect(h.port(0)[0].payload).toBe("yes");
    expect(h.statuses).toEqual([{ text: "ready" }]);
    await h.close();
    expect(h.context.scope("flow", "f1").get("stopped")).toBe(true);
  });

  it("a context snapshot larger than 1 MB is refused with a clear error", async () => {
    const h = fn("msg.count = context.get('count');\nreturn msg;");
    h.context.scope("node", "n1").set("big", "x".repeat(1.2 * 1024 * 1024));
    await h.input({ payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)[0]).toMatch(/context together are 1\.\d MB, more than the 1 MB a function can read/);
  });
});

describe("function: data types and errors", () => {
  it("a Buffer payload goes in and comes back as a Buffer, with toString in the sandbox", async () => {
    const h = fn("msg.text = msg.payload.toString();\nmsg.hex = msg.payload.toString('hex');\nmsg.len = msg.payload.length;\nmsg.made = Buffer.from('ok');\nreturn msg;");
    await h.input({ payload: Buffer.from("héllo") });
    const out = h.port(0)[0];
    expect(Buffer.isBuffer(out.payload)).toBe(true);
    expect((out.payload as Buffer).toString()).toBe("héllo");
    expect(out).toMatchObject({ text: "héllo", hex: Buffer.from("héllo").toString("hex"), len: 6 });
    expect(out.made).toEqual(Buffer.from("ok"));
  });

  it("a thrown error is reported with its line number and the message, and nothing is sent", async () => {
    const h = fn("const x = 1;\nif (x) {\n  throw new Error('sensor offline');\n}\nreturn msg;");
    await h.input({ _msgid: "m5", payload: 0 });
    expect(h.sent).toEqual([]);
    expect(errorTexts(h)).toEqual([expect.stringMatching(/^Error: sensor offline \(line 3, col \d+\)$/)]);
    expect(h.errors[0].msg).toMatchObject({ _msgid: "m5" });
  });

  it("a TypeError names the line; the next message still runs", async () => {
    const h = fn("msg.payload = msg.payload.value.toFixed(1);\nreturn msg;");
    await h.input({ payload: {} });
    await h.input({ payload: { value: 2 } });
    expect(errorTexts(h)[0]).toMatch(/^TypeError: cannot read property 'toFixed' of undefined \(line 1/);
    expect(h.port(0).map((m) => m.payload)).toEqual(["2.0"]);
  });

  it("a syntax error is reported at start with its line, marks the node red and drops messages", async () => {
    const h = fn("const a = 1;\nconst b = ;\nreturn msg;");
    await vi.waitFor(() => expect(h.errors.length).toBeGreaterThan(0));
    expect(errorTexts(h)[0]).toMatch(/^SyntaxError: .* \(line 2, col \d+\); fix the code and deploy again$/);
    expect(h.statuses).toEqual([{ fill: "red", shape: "ring", text: "syntax error, line 2" }]);
    await h.input({ payload: 1 });
    expect(h.sent).toEqual([]);
    expect(h.errors).toHaveLength(1);
  });

  it("a syntax error in On Start code says so", async () => {
    const h = fn("return msg;", { initialize: "let = ;" });
    await vi.waitFor(() => expect(h.errors.length).toBeGreaterThan(0));
    expect(errorTexts(h)[0]).toMatch(/^On Start code: SyntaxError/);
  });

  it("a short timeout stops a long loop and names the configured seconds", async () => {
    const h = fn("while (true) {}", { timeout: 0.2 });
    await h.input({ payload: 0 });
    expect(errorTexts(h)).toEqual(["function timed out after 0.2 s (infinite loop?); raise the node's timeout if it needs longer"]);
  });

  it("a message that cannot be turned into JSON (circular) is reported, not crashed on", async () => {
    const h = fn("return msg;");
    const payload: Record<string, unknown> = {};
    payload.self = payload;
    await h.input({ payload });
    expect(errorTexts(h)[0]).toMatch(/cannot be passed to the function: .*circular/i);
  });
});

describe("function: configuration", () => {
  it("libs (external modules) are rejected by validation with a clear message", () => {
    const result = functionConfigSchema.safeParse({ func: "return msg;", libs: [{ var: "dayjs", module: "dayjs" }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["libs"] });
    expect(result.error?.issues[0].message).toMatch(/^function libs are not supported \(modules: dayjs\)/);
  });

  it("the runtime refuses libs too and marks the node", () => {
    const h = fn("return msg;", { libs: [{ var: "fs", module: "fs" }] });
    expect(errorTexts(h)[0]).toMatch(/function libs are not supported/);
    expect(h.statuses).toEqual([{ fill: "red", shape: "ring", text: "invalid configuration" }]);
  });

  it("defaults follow Node-RED and the output count comes from `outputs`", () => {
    const config = functionConfigSchema.parse({});
    expect(config).toMatchObject({ func: "\nreturn msg;", outputs: 1, timeout: 0, initialize: "", finalize: "", libs: [] });
    expect(functionDefinition.outputs(functionConfigSchema.parse({ outputs: "3" }))).toBe(3);
    expect(functionConfigSchema.safeParse({ timeout: -1 }).success).toBe(false);
    expect(functionConfigSchema.safeParse({ outputs: 1.5 }).success).toBe(false);
  });

  it("a realistic Node-RED export of a function node imports without issues and exports unchanged", () => {
    const lookup = (type: string): AnyNodeDefinition | undefined =>
      type === "function" ? (functionDefinition as unknown as AnyNodeDefinition) : getNodeDefinition(type);
    const exported: NodeRedNode[] = [
      { id: "t1", type: "tab", label: "Heating", disabled: false, info: "", env: [] },
      {
        id: "fn1",
        type: "function",
        z: "t1",
        name: "Too warm?",
        func: "if (msg.payload > 22) {\n    return [msg, null];\n}\nreturn [null, msg];",
        outputs: 2,
        timeout: 5,
        noerr: 0,
        initialize: "// Code added here will be run once\n// whenever the node is started.\n",
        finalize: "",
        libs: [],
        x: 310,
        y: 120,
        wires: [["d1"], []],
      },
      { id: "d1", type: "debug", z: "t1", name: "", active: true, tosidebar: true, console: false, tostatus: false, complete: "payload", targetType: "msg", statusVal: "", statusType: "auto", x: 520, y: 100, wires: [] },
    ];
    const { document, issues } = importNodeRed(exported, lookup);
    expect(issues).toEqual([]);
    const back = toNodeRed(fromNodeRed(exported, lookup).document);
    expect(back.find((n) => n.id === "fn1")).toEqual(exported[1]);
    expect(document.flows[0].nodes[0].config).toMatchObject({ outputs: 2, timeout: 5 });
  });
});
