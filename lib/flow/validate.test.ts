import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineNode, type AnyNodeDefinition } from "../nodes/types";
import type { ConfigNode, FlowDocument, FlowNode } from "./schema";
import { hasErrors, parseDocument, validateDocument } from "./validate";

function node(partial: Partial<FlowNode> & Pick<FlowNode, "id" | "type">): FlowNode {
  return { name: "", x: 0, y: 0, wires: [], disabled: false, config: {}, ...partial };
}
function doc(nodes: FlowNode[], configNodes: ConfigNode[] = [], extraFlows: FlowDocument["flows"] = []): FlowDocument {
  return {
    schemaVersion: 1,
    flows: [{ id: "f1", name: "Garage", disabled: false, info: "", nodes }, ...extraFlows],
    configNodes,
  };
}
const messages = (d: FlowDocument) => validateDocument(d).issues.map((i) => i.message);

describe("node configuration", () => {
  it("names the node, its type and the field for a duration that is not a number", () => {
    const { issues } = validateDocument(
      doc([node({ id: "t1", type: "trigger", name: "Garage light", config: { duration: "abc" } })]),
    );
    expect(issues).toEqual([
      {
        nodeId: "t1",
        nodeName: "Garage light",
        nodeType: "trigger",
        flowId: "f1",
        field: "duration",
        severity: "error",
        message: "Node 'Garage light' (trigger): duration must be a number, got 'abc'",
      },
    ]);
  });

  it("names an unnamed node by its id", () => {
    expect(messages(doc([node({ id: "t1", type: "trigger", config: { units: "days" } })]))).toEqual([
      `Node 't1' (trigger): units must be one of "ms", "s", "min", "hr", got "days"`,
    ]);
  });

  it("applies each definition's defaults in the normalized document", () => {
    const { issues, normalized } = validateDocument(doc([node({ id: "t1", type: "trigger", config: { duration: "2", units: "min", extra: "kept" } })]));
    expect(issues).toEqual([]);
    expect(normalized.flows[0].nodes[0].config).toMatchObject({ duration: 2, units: "min", op1: "1", op2: "0", extend: false, extra: "kept" });
  });

  it("keeps the original config of a node whose config is invalid", () => {
    const { normalized } = validateDocument(doc([node({ id: "t1", type: "trigger", config: { duration: "abc" } })]));
    expect(normalized.flows[0].nodes[0].config).toEqual({ duration: "abc" });
  });

  it("validates disabled nodes and nodes of disabled flows too", () => {
    const d = doc([node({ id: "t1", type: "trigger", disabled: true, config: { duration: "abc" } })]);
    d.flows[0].disabled = true;
    expect(hasErrors(validateDocument(d).issues)).toBe(true);
  });

  // Phrasing of zod's own errors, with a definition whose schema has no custom messages.
  const counter = defineNode({
    type: "counter",
    category: "function",
    paletteLabel: "counter",
    color: "#fff",
    inputs: 1,
    outputs: () => 1,
    config: z
      .object({
        step: z.number().default(1),
        mode: z.enum(["up", "down"]).default("up"),
        label: z.string().min(1).default("n"),
        limits: z.array(z.object({ max: z.number().max(10) })).default([]),
        note: z.string().refine((s) => !s.includes("!"), "must not shout").default(""),
        wait: z.number({ error: "Wait time must be a number of seconds" }).default(0).meta({ title: "Wait time" }),
      })
      .loose(),
    label: () => "counter",
    help: "",
  }) as unknown as AnyNodeDefinition;
  const lookup = (type: string) => (type === "counter" ? counter : undefined);
  const counterMessages = (config: Record<string, unknown>) =>
    validateDocument(doc([node({ id: "c", type: "counter", name: "Count", config })]), lookup).issues.map((i) => i.message);

  it("says what a field must be and what it got", () => {
    expect(counterMessages({ step: "abc" })).toEqual([`Node 'Count' (counter): step must be a number, got "abc"`]);
    expect(counterMessages({ mode: 3 })).toEqual([`Node 'Count' (counter): mode must be one of "up", "down", got 3`]);
    expect(counterMessages({ label: "" })).toEqual([`Node 'Count' (counter): label must not be empty`]);
    expect(counterMessages({ limits: [{ max: 11 }] })).toEqual([`Node 'Count' (counter): limits[0].max must be at most 10, got 11`]);
    expect(counterMessages({ note: "hi!" })).toEqual([`Node 'Count' (counter): note must not shout`]);
  });

  it("keeps a definition's own message that already names the field by its form title", () => {
    expect(counterMessages({ wait: "x" })).toEqual([`Node 'Count' (counter): Wait time must be a number of seconds`]);
  });

  it("marks the top-level field of a nested problem so the form can highlight it", () => {
    const { issues } = validateDocument(doc([node({ id: "c", type: "counter", config: { limits: [{ max: 11 }] } })]), lookup);
    expect(issues[0].field).toBe("limits");
  });
});

describe("ids and types", () => {
  it("reports a duplicate id, naming both nodes", () => {
    const { issues } = validateDocument(
      doc([node({ id: "n1", type: "inject", name: "Test" }), node({ id: "n1", type: "debug", name: "Show" })]),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        nodeId: "n1",
        nodeType: "debug",
        field: "id",
        severity: "error",
        message: "Node 'Show' (debug) has the id 'n1', which Node 'Test' (inject) already uses: every id must be unique (change one of them)",
      }),
    ]);
  });

  it("reports an id shared by a flow node and a config node", () => {
    expect(
      messages(doc([node({ id: "b", type: "debug", name: "Show" })], [{ id: "b", type: "mqtt-broker", name: "Home", config: {} }])),
    ).toContain("Node 'Home' (mqtt-broker) has the id 'b', which Node 'Show' (debug) already uses: every id must be unique (change one of them)");
  });

  it("reports a node whose id is the id of a flow", () => {
    expect(messages(doc([node({ id: "f1", type: "debug", name: "Show" })]))).toEqual([
      "Node 'Show' (debug) has the id 'f1', which flow 'Garage' already uses: every id must be unique (change one of them)",
    ]);
  });

  it("warns about an unknown type and keeps the node", () => {
    const d = doc([node({ id: "x", type: "foo", config: { a: 1 } })]);
    const { issues, normalized } = validateDocument(d);
    expect(issues).toEqual([
      expect.objectContaining({
        nodeId: "x",
        severity: "warning",
        message: "Node 'x' has unknown type 'foo': kept as is but not run (install support or remove it)",
      }),
    ]);
    expect(normalized.flows[0].nodes[0].config).toEqual({ a: 1 });
  });

  it("refuses a config node type placed on a flow", () => {
    expect(messages(doc([node({ id: "b", type: "mqtt-broker", name: "Home" })]))).toEqual([
      "Node 'Home' (mqtt-broker) is a configuration node and cannot sit on a flow (move it to the configuration nodes)",
    ]);
  });
});

describe("wires", () => {
  it("reports a wire to a node that does not exist, naming both ends", () => {
    const { issues } = validateDocument(
      doc([node({ id: "m", type: "mqtt in", name: "Motion sensors", config: { topic: "house/+/motion" }, wires: [["ghost"]] })]),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        nodeId: "m",
        field: "wires",
        severity: "error",
        message: "Node 'Motion sensors' (mqtt in): output 1 is wired to node 'ghost', which does not exist (remove the wire)",
      }),
    ]);
  });

  it("reports a wire on an output the node does not have", () => {
    expect(
      messages(
        doc([
          node({ id: "t", type: "trigger", name: "Timer", wires: [["d"], ["d"]] }),
          node({ id: "d", type: "debug", name: "Show" }),
        ]),
      ),
    ).toEqual(["Node 'Timer' (trigger): output 2 is wired but the node has only 1 output (remove the wire from output 2)"]);
  });

  it("accepts empty extra ports (nothing is wired there)", () => {
    expect(messages(doc([node({ id: "t", type: "trigger", wires: [[], []] })]))).toEqual([]);
  });

  it("follows the outputs a config gives (a two-output trigger may use output 2)", () => {
    const d = doc([
      node({ id: "t", type: "trigger", config: { outputs: 2 }, wires: [["d"], ["d"]] }),
      node({ id: "d", type: "debug" }),
    ]);
    expect(messages(d)).toEqual([]);
  });

  it("reports a wire into a node that has no input", () => {
    expect(
      messages(
        doc([
          node({ id: "t", type: "trigger", name: "Timer", wires: [["m"]] }),
          node({ id: "m", type: "mqtt in", name: "Motion", config: { topic: "a/b" } }),
        ]),
      ),
    ).toEqual(["Node 'Timer' (trigger): output 1 is wired to Node 'Motion' (mqtt in), which has no input (remove the wire)"]);
  });

  it("reports a wire to a node on another flow", () => {
    const d = doc([node({ id: "t", type: "trigger", name: "Timer", wires: [["d"]] })], [], [
      { id: "f2", name: "Other", disabled: false, info: "", nodes: [node({ id: "d", type: "debug", name: "Show" })] },
    ]);
    expect(messages(d)).toEqual([
      "Node 'Timer' (trigger): output 1 is wired to Node 'Show' (debug) on another flow: wires cannot cross flows (remove the wire)",
    ]);
  });

  it("checks the wires of nodes of unknown type too", () => {
    const { issues } = validateDocument(doc([node({ id: "fn", type: "ui_button", wires: [["ghost"]] })]));
    expect(issues.map((i) => i.severity)).toEqual(["warning", "error"]);
  });
});

describe("broker references", () => {
  const broker: ConfigNode = { id: "br", type: "mqtt-broker", name: "Home", config: { broker: "192.168.1.10", port: "1883" } };

  it("accepts an empty broker: the default broker", () => {
    expect(messages(doc([node({ id: "m", type: "mqtt in", config: { topic: "a/+", broker: "" } })]))).toEqual([]);
  });

  it("accepts a reference to an existing mqtt-broker", () => {
    expect(messages(doc([node({ id: "m", type: "mqtt out", config: { topic: "a/b", broker: "br" } })], [broker]))).toEqual([]);
  });

  it("reports a reference to a broker that does not exist", () => {
    const { issues } = validateDocument(doc([node({ id: "m", type: "mqtt in", name: "Motion", config: { topic: "a/+", broker: "nope" } })]));
    expect(issues).toEqual([
      expect.objectContaining({
        field: "broker",
        severity: "error",
        message: "Node 'Motion' (mqtt in): broker refers to mqtt-broker 'nope', which does not exist (choose an existing mqtt-broker or import it)",
      }),
    ]);
  });

  it("reports a reference to a config node of another type", () => {
    const other: ConfigNode = { id: "tls", type: "tls-config", name: "Certs", config: {} };
    expect(messages(doc([node({ id: "m", type: "mqtt in", name: "Motion", config: { topic: "a/+", broker: "tls" } })], [other]))).toContain(
      "Node 'Motion' (mqtt in): broker refers to 'Certs', a tls-config, but needs a mqtt-broker (choose another)",
    );
  });
});

describe("parseDocument", () => {
  it("accepts a document and applies schema defaults", () => {
    const result = parseDocument({ flows: [{ id: "f", name: "A", nodes: [{ id: "n", type: "debug" }] }] });
    expect(result.ok).toBe(true);
    expect(result.document?.flows[0].nodes[0]).toEqual({ id: "n", type: "debug", name: "", x: 0, y: 0, wires: [], disabled: false, config: {} });
  });

  it("reports problems by path and names the node they are in", () => {
    const result = parseDocument({ flows: [{ id: "f", name: "A", nodes: [{ id: "a", type: "debug" }, { id: "n", type: "debug", wires: "x" }] }] });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      {
        flowId: "f",
        nodeId: "n",
        nodeType: "debug",
        field: "wires",
        severity: "error",
        message: `flows[0].nodes[1].wires must be a list, got "x"`,
      },
    ]);
  });

  it("reports a body that is not a document at all", () => {
    expect(parseDocument(null).issues[0].message).toBe("document must be an object, got null");
    expect(parseDocument({}).issues[0].message).toBe("flows is missing (expected a list)");
  });
});
