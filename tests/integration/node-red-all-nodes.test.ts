/**
 * A Node-RED flows.json using every node type Flowhouse runs is imported with ?deploy=1 and
 * driven by a scripted MQTT message sequence; each path's output is what Node-RED produces.
 * The export gives back the same flows.json.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";

let app: AppHandle;
let probe: Probe;
let server: http.Server;

const out = (id: string, topic: string) => ({ id, type: "mqtt out", z: "all", name: "", topic, qos: "1", retain: "false", broker: "", x: 900, y: 100, wires: [] });
const mqttIn = (id: string, topic: string, wires: string[][], datatype = "auto-detect") => ({ id, type: "mqtt in", z: "all", name: "", topic, qos: "1", datatype, broker: "", nl: false, rap: true, rh: 0, inputs: 0, x: 100, y: 100, wires });

function flows(httpPort: number): Record<string, unknown>[] {
  return [
    { id: "all", type: "tab", label: "Every node", disabled: false, info: "", env: [] },
    { id: "note", type: "comment", z: "all", name: "Scripted by the integration test", info: "", x: 100, y: 20, wires: [] },
    // 1. JSON in → function doubles → json to string → out
    mqttIn("in1", "in/json", [["fn"]]),
    { id: "fn", type: "function", z: "all", name: "double", func: "msg.payload.doubled = msg.payload.v * 2;\nreturn msg;", outputs: 1, timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [], x: 300, y: 100, wires: [["js"]] },
    { id: "js", type: "json", z: "all", name: "", property: "payload", action: "", pretty: false, x: 500, y: 100, wires: [["o1"]] },
    out("o1", "out/json"),
    // 2. range + template
    mqttIn("in2", "in/range", [["rng"]]),
    { id: "rng", type: "range", z: "all", name: "", minin: "0", maxin: "10", minout: "0", maxout: "100", action: "scale", round: false, property: "payload", x: 300, y: 200, wires: [["tpl"]] },
    { id: "tpl", type: "template", z: "all", name: "", field: "payload", fieldType: "msg", format: "handlebars", syntax: "mustache", template: "value={{payload}}", output: "str", x: 500, y: 200, wires: [["o2"]] },
    out("o2", "out/range"),
    // 3. report by exception
    mqttIn("in3", "in/rbe", [["rbe"]], "utf8"),
    { id: "rbe", type: "rbe", z: "all", name: "", func: "rbe", gap: "", start: "", inout: "out", septopics: true, property: "payload", topi: "topic", x: 300, y: 300, wires: [["o3"]] },
    out("o3", "out/rbe"),
    // 4. split → delay → join → json
    mqttIn("in4", "in/split", [["spl"]]),
    { id: "spl", type: "split", z: "all", name: "", splt: "\\n", spltType: "str", arraySplt: 1, arraySpltType: "len", stream: false, addname: "", x: 300, y: 400, wires: [["dly"]] },
    { id: "dly", type: "delay", z: "all", name: "", pauseType: "delay", timeout: "100", timeoutUnits: "milliseconds", rate: "1", nbRateUnits: "1", rateUnits: "second", randomFirst: "1", randomLast: "5", randomUnits: "seconds", drop: false, allowrate: false, outputs: 1, x: 450, y: 400, wires: [["jn"]] },
    { id: "jn", type: "join", z: "all", name: "", mode: "auto", build: "object", property: "payload", propertyType: "msg", key: "topic", joiner: "\\n", joinerType: "str", accumulate: false, timeout: "", count: "", reduceRight: false, x: 600, y: 400, wires: [["js4"]] },
    { id: "js4", type: "json", z: "all", name: "", property: "payload", action: "str", pretty: false, x: 750, y: 400, wires: [["o4"]] },
    out("o4", "out/join"),
    // 5. link call into a subroutine on the same tab
    mqttIn("in5", "in/link", [["call"]]),
    { id: "call", type: "link call", z: "all", name: "", links: ["li"], linkType: "static", timeout: "5", x: 300, y: 500, wires: [["o5"]] },
    out("o5", "out/link"),
    { id: "li", type: "link in", z: "all", name: "subroutine", links: [], x: 100, y: 560, wires: [["sub"]] },
    { id: "sub", type: "change", z: "all", name: "", rules: [{ t: "set", p: "payload", pt: "msg", to: "linked", tot: "str" }], x: 300, y: 560, wires: [["lr"]] },
    { id: "lr", type: "link out", z: "all", name: "", mode: "return", links: [], x: 500, y: 560, wires: [] },
    // 6. errors to catch
    mqttIn("in6", "in/bad", [[]], "json"),
    { id: "ct", type: "catch", z: "all", name: "", scope: ["in6"], uncaught: false, x: 100, y: 640, wires: [["cmsg"]] },
    { id: "cmsg", type: "change", z: "all", name: "", rules: [{ t: "set", p: "payload", pt: "msg", to: "error.source.id", tot: "msg" }], x: 300, y: 640, wires: [["o6"]] },
    out("o6", "out/caught"),
    // 7. complete after the function
    { id: "cmp", type: "complete", z: "all", name: "", scope: ["fn"], uncaught: false, x: 100, y: 700, wires: [["cset"]] },
    { id: "cset", type: "change", z: "all", name: "", rules: [{ t: "set", p: "payload", pt: "msg", to: "done", tot: "str" }], x: 300, y: 700, wires: [["o7"]] },
    out("o7", "out/complete"),
    // 8. time window open all day (start = end), switch on the payload
    mqttIn("in8", "in/window", [["tw"]], "utf8"),
    { id: "tw", type: "time-window", z: "all", name: "", start: "00:00", end: "00:00", outputs: 2, x: 300, y: 760, wires: [["sw"], []] },
    { id: "sw", type: "switch", z: "all", name: "", property: "payload", propertyType: "msg", rules: [{ t: "eq", v: "open", vt: "str" }, { t: "else" }], checkall: "false", repair: false, outputs: 2, x: 500, y: 760, wires: [["o8"], []] },
    out("o8", "out/window"),
    // 9. http request to a local server
    mqttIn("in9", "in/http", [["req"]], "utf8"),
    { id: "req", type: "http request", z: "all", name: "", method: "GET", ret: "txt", paytoqs: "ignore", url: `http://127.0.0.1:${httpPort}/hello`, tls: "", persist: false, proxy: "", insecureHTTPParser: false, authType: "", senderr: false, headers: [], x: 300, y: 820, wires: [["o9"]] },
    out("o9", "out/http"),
    // 10. inject once at start
    { id: "inj", type: "inject", z: "all", name: "", props: [{ p: "payload" }], repeat: "", crontab: "", once: true, onceDelay: 0.1, topic: "", payload: "started", payloadType: "str", x: 100, y: 880, wires: [["o10"]] },
    out("o10", "out/inject"),
    // 11. trigger: 1 now, 0 after 300 ms
    mqttIn("in11", "in/trigger", [["trg"]], "utf8"),
    { id: "trg", type: "trigger", z: "all", name: "", op1: "1", op2: "0", op1type: "str", op2type: "str", duration: "300", extend: false, overrideDelay: false, units: "ms", reset: "", bytopic: "all", topic: "topic", outputs: 1, x: 300, y: 940, wires: [["o11", "dbg"]] },
    out("o11", "out/trigger"),
    { id: "dbg", type: "debug", z: "all", name: "", active: true, tosidebar: true, console: false, tostatus: false, complete: "payload", targetType: "msg", statusVal: "", statusType: "auto", x: 500, y: 980, wires: [] },
    { id: "st", type: "status", z: "all", name: "", scope: ["trg"], x: 100, y: 1000, wires: [[]] },
  ];
}

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("hello from http"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  app = await startApp();
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("out/#");
});

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
  await new Promise((r) => server?.close(r));
});

describe("a Node-RED flows.json with every supported node type", () => {
  let imported: Record<string, unknown>[];

  it("imports and deploys with no errors", async () => {
    imported = flows((server.address() as AddressInfo).port);
    const res = await app.api("POST", "/api/import/node-red?deploy=1", imported);
    expect(res.status, res.text).toBe(200);
    const body = res.json as { deployment: { id: number } | null; issues: { severity: string; message: string }[] };
    expect(body.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(body.issues.map((i) => i.message).filter((m) => /unknown type/.test(m))).toEqual([]);
    expect(body.deployment?.id).toBeGreaterThan(0);
  });

  it("behaves like Node-RED on a scripted message sequence", async () => {
    await probe.waitFor((m) => m.topic === "out/inject" && m.payload === "started", 5000);
    await probe.publish("in/json", JSON.stringify({ v: 3 }));
    await probe.publish("in/range", "5");
    for (const v of ["a", "a", "b"]) await probe.publish("in/rbe", v);
    await probe.publish("in/split", JSON.stringify([1, 2, 3]));
    await probe.publish("in/link", "x");
    await probe.publish("in/bad", "{not json");
    await probe.publish("in/window", "open");
    await probe.publish("in/http", "go");
    await probe.publish("in/trigger", "go");

    const one = async (topic: string) => (await probe.waitFor((m) => m.topic === topic, 5000)).payload;
    expect(JSON.parse(await one("out/json"))).toEqual({ v: 3, doubled: 6 });
    expect(await one("out/range")).toBe("value=50");
    expect(await one("out/join")).toBe("[1,2,3]");
    expect(await one("out/link")).toBe("linked");
    expect(await one("out/caught")).toBe("in6");
    expect(await one("out/complete")).toBe("done");
    expect(await one("out/window")).toBe("open");
    expect(await one("out/http")).toBe("hello from http");
    await probe.waitFor((m) => m.topic === "out/trigger" && m.payload === "0", 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(probe.on("out/rbe").map((m) => m.payload)).toEqual(["a", "b"]);
    expect(probe.on("out/trigger").map((m) => m.payload)).toEqual(["1", "0"]);
    expect((await app.api("GET", "/api/health")).status).toBe(200);
  });

  it("exports the same flows.json it imported", async () => {
    const res = await app.api("GET", "/api/export/node-red?source=deployed");
    const byId = (list: Record<string, unknown>[]) => Object.fromEntries(list.map((n) => [n.id as string, n]));
    expect(byId(res.json as Record<string, unknown>[])).toEqual(byId(imported));
  });
});
