/**
 * The benchmark's flows as Node-RED flows.json arrays: Flowhouse loads them through
 * `POST /api/import/node-red?deploy=1`, and the same files deploy unchanged in Node-RED
 * (`npm run bench -- --write-flows DIR` writes them out). Every MQTT node uses one
 * `mqtt-broker` config node pointing at the benchmark's mosquitto.
 */
import type { NodeRedNode } from "../../lib/flow/node-red";

export type Qos = 0 | 1;

const BROKER_ID = "bench-broker";

function brokerNode(port: number): NodeRedNode {
  return {
    id: BROKER_ID,
    type: "mqtt-broker",
    name: "bench mosquitto",
    broker: "127.0.0.1",
    port: String(port),
    clientid: "",
    autoConnect: true,
    usetls: false,
    protocolVersion: "4",
    keepalive: "60",
    cleansession: true,
    autoUnsubscribe: true,
    birthTopic: "",
    closeTopic: "",
    willTopic: "",
  };
}

function tab(id: string, label: string): NodeRedNode {
  return { id, type: "tab", label, disabled: false, info: "" };
}

function mqttIn(id: string, z: string, topic: string, qos: Qos, datatype: string, wires: string[], x: number, y: number): NodeRedNode {
  return { id, type: "mqtt in", z, name: "", topic, qos: String(qos), datatype, broker: BROKER_ID, nl: false, rap: true, rh: 0, inputs: 0, x, y, wires: [wires] };
}

function mqttOut(id: string, z: string, topic: string, qos: Qos, x: number, y: number): NodeRedNode {
  return { id, type: "mqtt out", z, name: "", topic, qos: String(qos), retain: "false", broker: BROKER_ID, x, y, wires: [] };
}

/** change: msg.topic regex replace, e.g. ^in/(.+)$ → out/$1 */
function topicRegexRule(from: string, to: string): Record<string, unknown> {
  return { t: "change", p: "topic", pt: "msg", from, fromt: "re", to, tot: "str" };
}

function change(id: string, z: string, rules: Record<string, unknown>[], wires: string[], x: number, y: number): NodeRedNode {
  return { id, type: "change", z, name: "", rules, action: "", property: "", from: "", to: "", reg: false, x, y, wires: [wires] };
}

function hotSwitch(id: string, z: string, wires: string[], x: number, y: number): NodeRedNode {
  return {
    id,
    type: "switch",
    z,
    name: "t > 25",
    property: "payload.t",
    propertyType: "msg",
    rules: [{ t: "gt", v: "25", vt: "num" }],
    checkall: "true",
    repair: false,
    outputs: 1,
    x,
    y,
    wires: [wires],
  };
}

/** S1: mqtt in `in/+` → change (topic ^in/(.+)$ → out/$1) → mqtt out (topic from msg). */
export function relayFlows(port: number, qos: Qos): NodeRedNode[] {
  const z = "s1";
  return [
    tab(z, "S1 relay"),
    mqttIn("s1-in", z, "in/+", qos, "auto-detect", ["s1-change"], 120, 80),
    change("s1-change", z, [topicRegexRule("^in/(.+)$", "out/$1")], ["s1-out"], 320, 80),
    mqttOut("s1-out", z, "", qos, 520, 80),
    brokerNode(port),
  ];
}

/** S2: mqtt in `house/+/temp` (JSON) → switch payload.t > 25 → change (payload cool-on, topic house/<room>/ac) → mqtt out. */
export function ruleFlows(port: number, qos: Qos): NodeRedNode[] {
  const z = "s2";
  return [
    tab(z, "S2 rule"),
    mqttIn("s2-in", z, "house/+/temp", qos, "json", ["s2-switch"], 120, 80),
    hotSwitch("s2-switch", z, ["s2-change"], 300, 80),
    change(
      "s2-change",
      z,
      [
        { t: "set", p: "payload", pt: "msg", to: "cool-on", tot: "str" },
        topicRegexRule("^house/([^/]+)/temp$", "house/$1/ac"),
      ],
      ["s2-out"],
      480,
      80,
    ),
    mqttOut("s2-out", z, "", qos, 680, 80),
    brokerNode(port),
  ];
}

/** S3: mqtt in `house/+/motion` → trigger (on, then off after delayMs, extended, per topic) → change topic → mqtt out. */
export function motionLightFlows(port: number, qos: Qos, delayMs: number): NodeRedNode[] {
  const z = "s3";
  return [
    tab(z, "S3 motion-light"),
    mqttIn("s3-in", z, "house/+/motion", qos, "auto-detect", ["s3-trigger"], 120, 80),
    {
      id: "s3-trigger",
      type: "trigger",
      z,
      name: "",
      op1: "on",
      op2: "off",
      op1type: "str",
      op2type: "str",
      duration: String(delayMs),
      extend: true,
      overrideDelay: false,
      units: "ms",
      reset: "",
      bytopic: "topic",
      topic: "topic",
      outputs: 1,
      x: 320,
      y: 80,
      wires: [["s3-change"]],
    },
    change("s3-change", z, [topicRegexRule("^house/([^/]+)/motion$", "house/$1/light")], ["s3-out"], 520, 80),
    mqttOut("s3-out", z, "", qos, 720, 80),
    brokerNode(port),
  ];
}

/** S4: `inputs` separate mqtt in nodes on t/0 … t/<inputs-1>, all wired to one mqtt out on fan/out. */
export function fanOutFlows(port: number, qos: Qos, inputs: number): NodeRedNode[] {
  const z = "s4";
  const nodes: NodeRedNode[] = [tab(z, "S4 fan-out")];
  for (let i = 0; i < inputs; i++) {
    nodes.push(mqttIn(`s4-in-${i}`, z, `t/${i}`, qos, "auto-detect", ["s4-out"], 120 + 200 * Math.floor(i / 50), 40 + 40 * (i % 50)));
  }
  nodes.push(mqttOut("s4-out", z, "fan/out", qos, 120 + 200 * Math.ceil(inputs / 50), 40), brokerNode(port));
  return nodes;
}

/** S5: `nodes` / 4 rules, each mqtt in `s5/r<i>/temp` (JSON) → switch t > 25 → change payload cool-on → mqtt out `s5/r<i>/ac`. */
export function scaleFlows(port: number, nodes: number): NodeRedNode[] {
  const rules = Math.max(1, Math.floor(nodes / 4));
  const perTab = 250;
  const out: NodeRedNode[] = [];
  for (let r = 0; r < rules; r++) {
    const z = `s5-tab-${Math.floor(r / perTab)}`;
    if (r % perTab === 0) out.push(tab(z, `S5 rules ${r}…${Math.min(rules, r + perTab) - 1}`));
    const y = 40 + 40 * (r % perTab);
    out.push(
      mqttIn(`s5-in-${r}`, z, `s5/r${r}/temp`, 1, "json", [`s5-sw-${r}`], 120, y),
      hotSwitch(`s5-sw-${r}`, z, [`s5-ch-${r}`], 300, y),
      change(`s5-ch-${r}`, z, [{ t: "set", p: "payload", pt: "msg", to: "cool-on", tot: "str" }], [`s5-out-${r}`], 480, y),
      mqttOut(`s5-out-${r}`, z, `s5/r${r}/ac`, 1, 680, y),
    );
  }
  out.push(brokerNode(port));
  return out;
}
