import { describe, expect, it } from "vitest";
import { runNode } from "../test-harness";
import { getNodeDefinition } from "../registry";
import { importNodeRed, toNodeRed } from "../../flow/node-red";
import { templateDefinition, type TemplateConfig } from "./definition";
import { createTemplateNode } from "./runtime";

const cfg = (fields: Record<string, unknown> = {}): TemplateConfig => templateDefinition.config.parse(fields);
const template = (fields: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  runNode(createTemplateNode, cfg(fields), { env });

describe("template definition", () => {
  it("fills Node-RED's defaults", () => {
    expect(cfg()).toEqual({
      field: "payload",
      fieldType: "msg",
      format: "handlebars",
      syntax: "mustache",
      template: "This is the payload: {{payload}} !",
      output: "str",
    });
    expect(templateDefinition.label(cfg())).toBe("template");
  });

  it("refuses unknown field types, syntaxes and outputs, and yaml output for now", () => {
    const msg = (fields: Record<string, unknown>) => templateDefinition.config.safeParse(fields).error?.issues[0].message;
    expect(msg({ fieldType: "env" })).toMatch(/fieldType must be msg, flow or global, got "env"/);
    expect(msg({ syntax: "handlebars" })).toMatch(/syntax must be "mustache" or "plain"/);
    expect(msg({ output: "xml" })).toMatch(/output must be "str" \(plain text\) or "json"/);
    expect(msg({ output: "yaml" })).toMatch(/"yaml" .*not supported yet/);
    expect(msg({ field: "a..b" })).toMatch(/^set property: /);
  });

  it("refuses to start with yaml output", () => {
    expect(() => runNode(createTemplateNode, { ...cfg(), output: "yaml" } as TemplateConfig)).toThrow(/yaml.*not supported/);
  });
});

describe("template: mustache", () => {
  it("fills {{payload}} from the message into msg.payload", async () => {
    const h = template();
    await h.input({ payload: "foo", topic: "bar" });
    expect(h.port(0)[0]).toMatchObject({ payload: "This is the payload: foo !", topic: "bar" });
  });

  it("reads nested properties and writes into a nested property", async () => {
    const h = template({ field: "topic.foo.bar", template: "payload={{payload.doh.rei.me}}" });
    await h.input({ payload: { doh: { rei: { me: "foo" } } } });
    expect(h.port(0)[0].topic).toEqual({ foo: { bar: "payload=foo" } });
  });

  it("handles sections over message values", async () => {
    const h = template({ template: "A{{#payload.A}}{{payload.A}}{{.}}{{/payload.A}}B" });
    await h.input({ payload: { A: "abc" } });
    expect(h.port(0)[0].payload).toBe("AabcabcB");
    const list = template({ template: "{{#payload}}[{{name}}]{{/payload}}" });
    await list.input({ payload: [{ name: "a" }, { name: "b" }] });
    expect(list.port(0)[0].payload).toBe("[a][b]");
  });

  it("escapes HTML in {{x}} but not in {{{x}}}", async () => {
    const h = template({ template: "{{payload}}|{{{payload}}}" });
    await h.input({ payload: "a&b<c>" });
    expect(h.port(0)[0].payload).toBe("a&amp;b&lt;c&gt;|a&b<c>");
  });

  it("a missing value becomes empty text", async () => {
    const h = template({ template: "[{{nothing}}][{{payload.missing}}]" });
    await h.input({ payload: {} });
    expect(h.port(0)[0].payload).toBe("[][]");
  });

  it("looks up {{flow.x}}, {{global.y}} and {{env.Z}}", async () => {
    const h = template({ template: "{{flow.room}} {{global.house.name}} {{env.ZONE}} {{flow[memory].room}}" }, { ZONE: "north" });
    h.context.scope("flow", "f1").set("room", "kitchen");
    h.context.scope("global", "").set("house", { name: "home" });
    await h.input({ payload: 1 });
    expect(h.port(0)[0].payload).toBe("kitchen home north kitchen");
  });

  it("a message property wins over context of the same name", async () => {
    const h = template({ template: "{{flow.x}}" });
    h.context.scope("flow", "f1").set("x", "context");
    await h.input({ payload: 1, flow: { x: "message" } });
    expect(h.port(0)[0].payload).toBe("message");
  });

  it("context values drive sections (Node-RED's nested context tags)", async () => {
    const tpl = "{{#flow.time}}time={{flow.time}}{{/flow.time}}{{^flow.time}}!time{{/flow.time}}";
    const unset = template({ template: tpl });
    await unset.input({ payload: "foo" });
    expect(unset.port(0)[0].payload).toBe("!time");
    const set = template({ template: tpl });
    set.context.scope("flow", "f1").set("time", "123");
    await set.input({ payload: "foo" });
    expect(set.port(0)[0].payload).toBe("time=123");
  });

  it("uses msg.template when the node's template is empty", async () => {
    const h = template({ template: "" });
    await h.input({ payload: "x", template: "from msg: {{payload}}" });
    expect(h.port(0)[0].payload).toBe("from msg: x");
    const fixed = template({ template: "node: {{payload}}" });
    await fixed.input({ payload: "x", template: "from msg" });
    expect(fixed.port(0)[0].payload).toBe("node: x");
  });

  it("a template that does not parse is an error and nothing is sent", async () => {
    const h = template({ template: "payload={{payload" });
    await h.input({ payload: "foo" });
    expect(h.sent).toEqual([]);
    expect(String(h.errors[0].error)).toMatch(/^the template does not parse: Unclosed tag at/);
  });
});

describe("template: plain text and outputs", () => {
  it("plain syntax uses the template as it is", async () => {
    const h = template({ syntax: "plain", template: "payload={{payload}}" });
    await h.input({ payload: "foo" });
    expect(h.port(0)[0].payload).toBe("payload={{payload}}");
  });

  it("json output parses the result, escaping message strings so they stay valid", async () => {
    const h = template({ template: '{"data":"{{{payload}}}","n":{{n}}}', output: "json" });
    await h.input({ payload: "line\t1\nline\\2", n: 5 });
    expect(h.port(0)[0].payload).toEqual({ data: "line\t1\nline\\2", n: 5 });
  });

  it("json output that is not JSON is an error naming the text", async () => {
    const h = template({ template: "{{payload}} is not json", output: "json" });
    await h.input({ payload: "this" });
    expect(h.sent).toEqual([]);
    expect(String(h.errors[0].error)).toMatch(/^the result is not valid JSON \(.+\): 'this is not json'/);
  });

  it("the format (editor highlighting) does not change the result", async () => {
    const h = template({ format: "json", template: '{"a":"{{payload}}"}' });
    await h.input({ payload: "x" });
    expect(h.port(0)[0].payload).toBe('{"a":"x"}');
  });

  it("writes into a flow or global context variable and sends the message on", async () => {
    const h = template({ fieldType: "flow", field: "greeting", template: "hello {{payload}}" });
    await h.input({ payload: "world" });
    expect(h.context.scope("flow", "f1").get("greeting")).toBe("hello world");
    expect(h.port(0)[0].payload).toBe("world");
    const g = template({ fieldType: "global", field: "cfg", template: '{"on":true}', output: "json" });
    await g.input({ payload: 1 });
    expect(g.context.scope("global", "").get("cfg")).toEqual({ on: true });
  });

  it("non-string payloads render as text", async () => {
    const h = template({ template: "{{payload}}" });
    for (const payload of [42, true, null, undefined]) await h.input({ payload });
    expect(h.port(0).map((m) => m.payload)).toEqual(["42", "true", "", ""]);
  });
});

describe("template: Node-RED import/export", () => {
  it("a Node-RED template node round-trips unchanged and validates", () => {
    const flows = [
      { id: "t1", type: "tab", label: "Flow 1", disabled: false, info: "", env: [] },
      {
        id: "tp1", type: "template", z: "t1", name: "status text", field: "payload", fieldType: "msg", format: "handlebars",
        syntax: "mustache", template: "Temperature in {{topic}} is {{payload.temp}} °C", output: "str", x: 320, y: 200, wires: [[]],
      },
    ];
    const lookup = (type: string) => (type === "template" ? templateDefinition : getNodeDefinition(type));
    const imported = importNodeRed(flows, lookup as typeof getNodeDefinition);
    expect(imported.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(toNodeRed(imported.document).find((n) => n.id === "tp1")).toEqual(flows[1]);
  });
});
