import { describe, expect, it } from "vitest";
import type { FlowDocument } from "../../../lib/flow/schema";
import { fromNodeRed } from "../../../lib/flow/node-red";
import { clipboardText, copyNodes, duplicateNodes, parseClipboardText, pasteNodes, PASTE_OFFSET } from "./clipboard";

function counter(prefix = "n"): (chars: number) => string {
  let n = 0;
  return (chars) => `${prefix}${String(++n).padStart(chars - prefix.length, "0")}`;
}

function doc(): FlowDocument {
  return {
    schemaVersion: 1,
    configNodes: [{ id: "b1", type: "mqtt-broker", name: "Home", config: { broker: "127.0.0.1", port: "1883" } }],
    flows: [
      {
        id: "f1",
        name: "Lights",
        disabled: false,
        info: "",
        nodes: [
          { id: "in", type: "mqtt in", name: "motion", x: 100, y: 100, wires: [["trig"]], disabled: false, config: { topic: "house/+/motion", broker: "b1" } },
          { id: "trig", type: "trigger", name: "", x: 300, y: 100, wires: [["out"]], disabled: false, config: { op1: "on", op2: "off", duration: "1", units: "s" } },
          { id: "out", type: "mqtt out", name: "", x: 500, y: 100, wires: [], disabled: false, config: { topic: "", broker: "b1" } },
        ],
      },
      { id: "f2", name: "Other", disabled: false, info: "", nodes: [] },
    ],
  };
}

describe("copy", () => {
  it("copies the selected nodes as Node-RED flows.json with the broker they use and wires only between them", () => {
    const entries = copyNodes(doc(), "f1", ["in", "trig"]);
    expect(entries.map((e) => e.id)).toEqual(["in", "trig", "b1"]);
    expect(entries.find((e) => e.id === "in")).toMatchObject({ type: "mqtt in", z: "f1", topic: "house/+/motion", broker: "b1", wires: [["trig"]], x: 100, y: 100 });
    // The wire to 'out' (not copied) is not in the clipboard.
    expect(entries.find((e) => e.id === "trig")?.wires).toEqual([[]]);
    expect(entries.some((e) => e.type === "tab")).toBe(false);
    expect(entries.find((e) => e.id === "b1")).toMatchObject({ type: "mqtt-broker", name: "Home", broker: "127.0.0.1" });
  });

  it("copying nothing gives an empty clipboard", () => {
    expect(copyNodes(doc(), "f1", [])).toEqual([]);
    expect(copyNodes(doc(), "nope", ["in"])).toEqual([]);
  });

  it("the clipboard text is a flows.json Node-RED can import", () => {
    const text = clipboardText(copyNodes(doc(), "f1", ["in", "trig", "out"]));
    const parsed = JSON.parse(text) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    const back = fromNodeRed(parsed);
    expect(back.document.flows.flatMap((f) => f.nodes).map((n) => n.id)).toEqual(["in", "trig", "out"]);
  });
});

describe("paste", () => {
  it("pastes on another tab with new ids, wired to each other", () => {
    const d = doc();
    const entries = copyNodes(d, "f1", ["in", "trig"]);
    const r = pasteNodes(d, "f2", JSON.parse(clipboardText(entries)), { random: counter() });
    const f2 = r.doc.flows[1].nodes;
    expect(r.nodeIds).toHaveLength(2);
    expect(f2.map((n) => n.id)).toEqual(r.nodeIds);
    expect(r.nodeIds.some((id) => id === "in" || id === "trig")).toBe(false);
    const [a, b] = f2;
    expect(a.wires).toEqual([[b.id]]);
    expect(b.wires).toEqual([[]]);
    // The existing broker is reused, not duplicated.
    expect(a.config.broker).toBe("b1");
    expect(r.doc.configNodes).toHaveLength(1);
    // The original is untouched.
    expect(r.doc.flows[0]).toBe(d.flows[0]);
  });

  it("drops wires to nodes that were not pasted", () => {
    const entries = [
      { id: "x", type: "change", z: "t", x: 0, y: 0, wires: [["y", "elsewhere"]] },
      { id: "y", type: "debug", z: "t", x: 100, y: 0, wires: [] },
    ];
    const r = pasteNodes(doc(), "f2", entries, { random: counter() });
    const [x, y] = r.doc.flows[1].nodes;
    expect(x.wires).toEqual([[y.id]]);
  });

  it("puts the group's top-left corner at the pointer", () => {
    const entries = copyNodes(doc(), "f1", ["trig", "out"]);
    const r = pasteNodes(doc(), "f2", entries, { at: { x: 40, y: 60 }, random: counter() });
    expect(r.doc.flows[1].nodes.map((n) => [n.x, n.y])).toEqual([
      [40, 60],
      [240, 60],
    ]);
  });

  it("pasting onto the same tab without a pointer offsets the copy so it does not hide the original", () => {
    const d = doc();
    const r = pasteNodes(d, "f1", copyNodes(d, "f1", ["trig"]), { random: counter() });
    const copy = r.doc.flows[0].nodes.find((n) => n.id === r.nodeIds[0]);
    expect(copy).toMatchObject({ x: 300 + PASTE_OFFSET, y: 100 + PASTE_OFFSET, type: "trigger" });
    // A second paste steps further.
    const r2 = pasteNodes(r.doc, "f1", copyNodes(d, "f1", ["trig"]), { random: counter("m") });
    expect(r2.doc.flows[0].nodes.find((n) => n.id === r2.nodeIds[0])).toMatchObject({ x: 300 + 2 * PASTE_OFFSET });
  });

  it("adds a config node the document does not have, keeping its id so references still work", () => {
    const entries = [
      { id: "newbroker", type: "mqtt-broker", name: "Remote", broker: "10.0.0.2", port: "1883" },
      { id: "o", type: "mqtt out", z: "t", x: 0, y: 0, topic: "a/b", broker: "newbroker", wires: [] },
    ];
    const r = pasteNodes(doc(), "f2", entries, { random: counter() });
    expect(r.doc.configNodes.map((c) => c.id)).toEqual(["b1", "newbroker"]);
    expect(r.doc.flows[1].nodes[0].config.broker).toBe("newbroker");
  });

  it("a config node whose id is taken by a different type gets a new id and its users follow", () => {
    const entries = [
      { id: "b1", type: "tls-config", name: "certs" },
      { id: "o", type: "mqtt out", z: "t", x: 0, y: 0, topic: "a/b", broker: "b1", wires: [] },
    ];
    const r = pasteNodes(doc(), "f2", entries, { random: counter() });
    const added = r.doc.configNodes[1];
    expect(added.id).not.toBe("b1");
    expect(added.type).toBe("tls-config");
    expect(r.doc.flows[1].nodes[0].config.broker).toBe(added.id);
  });

  it("link targets between pasted nodes follow the new ids", () => {
    const entries = [
      { id: "lo", type: "link out", z: "t", x: 0, y: 0, links: ["li"], wires: [] },
      { id: "li", type: "link in", z: "t", x: 100, y: 0, links: ["lo"], wires: [[]] },
    ];
    const r = pasteNodes(doc(), "f2", entries, { random: counter() });
    const [lo, li] = r.doc.flows[1].nodes;
    expect(lo.config.links).toEqual([li.id]);
    expect(li.config.links).toEqual([lo.id]);
  });

  it("a Node-RED export with tabs pastes all its nodes onto the current tab", () => {
    const nodeRed = [
      { id: "tab1", type: "tab", label: "From Node-RED" },
      { id: "a", type: "inject", z: "tab1", x: 10, y: 10, wires: [["b"]] },
      { id: "b", type: "debug", z: "tab1", x: 200, y: 10, wires: [] },
    ];
    const r = pasteNodes(doc(), "f1", nodeRed, { random: counter() });
    expect(r.doc.flows).toHaveLength(2);
    expect(r.doc.flows[0].nodes).toHaveLength(5);
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("nothing pastable leaves the document as it was and says why", () => {
    const d = doc();
    const r = pasteNodes(d, "f1", [{ id: "t", type: "tab", label: "x" }], { random: counter() });
    expect(r.doc).toBe(d);
    expect(r.issues[0].message).toMatch(/no nodes/);
    const bad = pasteNodes(d, "f1", { hello: 1 });
    expect(bad.doc).toBe(d);
    expect(bad.issues[0].message).toMatch(/flows\.json/);
  });
});

describe("clipboard text", () => {
  it("explains text that is not flows.json", () => {
    expect(parseClipboardText("")).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(parseClipboardText("hello")).toMatchObject({ ok: false, message: expect.stringMatching(/does not hold nodes/) });
    expect(parseClipboardText("[{")).toMatchObject({ ok: false, message: expect.stringMatching(/not valid flows\.json/) });
    expect(parseClipboardText(' [{"id":"a","type":"debug"}] ')).toEqual({ ok: true, json: [{ id: "a", type: "debug" }] });
  });
});

describe("duplicate", () => {
  it("duplicates the selection next to it, with the wires between the copies", () => {
    const r = duplicateNodes(doc(), "f1", ["in", "trig"], counter());
    const nodes = r.doc.flows[0].nodes;
    expect(nodes).toHaveLength(5);
    const [a, b] = r.nodeIds.map((id) => nodes.find((n) => n.id === id));
    expect(a).toMatchObject({ type: "mqtt in", x: 120, y: 120, wires: [[b?.id]] });
    expect(b).toMatchObject({ type: "trigger", x: 320, y: 120 });
  });
});
