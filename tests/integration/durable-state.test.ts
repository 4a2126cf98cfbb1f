/**
 * State that survives: a light turned on before a restart still turns off after it, once,
 * at the right time — after a clean stop, after SIGKILL, and across an unrelated redeploy.
 * Context written by a flow is still there after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { getDraft, setTriggerDelayAndDeploy } from "../helpers/flows";

let app: AppHandle;
let probe: Probe;

async function reconnectProbe(): Promise<void> {
  await probe?.end();
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("house/+/light");
}

beforeAll(async () => {
  app = await startApp();
  await reconnectProbe();
  await setTriggerDelayAndDeploy(app, "6", "s");
});

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
});

describe("armed timers survive", () => {
  for (const how of ["restart", "kill"] as const) {
    it(`a ${how === "kill" ? "SIGKILL" : "restart"} 1 s after motion: off arrives once, 6 s after the motion (±1 s)`, async () => {
      const room = `room-${how}`;
      const from = probe.received.length;
      const t0 = Date.now();
      await probe.publish(`house/${room}/motion`, "1");
      await probe.waitFor((m) => m.topic === `house/${room}/light` && m.payload === "on", 3000, from);
      await new Promise((r) => setTimeout(r, 1000));
      if (how === "kill") {
        await app.kill();
        await app.restart();
      } else {
        await app.restart();
      }
      await reconnectProbe();
      const off = await probe.waitFor((m) => m.topic === `house/${room}/light` && m.payload === "off", 12_000);
      expect(Math.abs(off.at - (t0 + 6000))).toBeLessThanOrEqual(1000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(probe.on(`house/${room}/light`).filter((m) => m.payload === "off")).toHaveLength(1);
    });
  }

  it("an unrelated redeploy keeps the armed timer: off arrives once, on time", async () => {
    const from = probe.received.length;
    const t0 = Date.now();
    await probe.publish("house/study/motion", "1");
    await probe.waitFor((m) => m.topic === "house/study/light" && m.payload === "on", 3000, from);
    const doc = await getDraft(app);
    doc.flows[0].nodes.push({ id: "extra-debug", type: "debug", name: "extra", x: 100, y: 400, wires: [], disabled: false, config: {} });
    expect((await app.api("PUT", "/api/flows", doc)).status).toBe(200);
    const deployed = await app.api("POST", "/api/deploy", { note: "unrelated" });
    expect(deployed.status).toBe(200);
    expect((deployed.json as { changes: { added: string[]; changed: string[] } }).changes).toMatchObject({ added: ["extra-debug"], changed: [] });
    const off = await probe.waitFor((m) => m.topic === "house/study/light" && m.payload === "off", 10_000, from);
    expect(Math.abs(off.at - (t0 + 6000))).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(probe.received.slice(from).filter((m) => m.topic === "house/study/light").map((m) => m.payload)).toEqual(["on", "off"]);
  });
});

describe("context survives", () => {
  it("flow context written by a change node is readable after a restart", async () => {
    const flows = [
      { id: "ctx-tab", type: "tab", label: "Context" },
      { id: "ctx-in", type: "mqtt in", z: "ctx-tab", topic: "ctx/last", qos: "1", datatype: "utf8", broker: "", wires: [["ctx-set"]] },
      { id: "ctx-set", type: "change", z: "ctx-tab", rules: [{ t: "set", p: "last", pt: "flow", to: "payload", tot: "msg" }], wires: [] },
    ];
    const imported = await app.api("POST", "/api/import/node-red?deploy=1", flows);
    expect(imported.status).toBe(200);
    await probe.publish("ctx/last", "remember me");
    const deadline = Date.now() + 5000;
    let values: { scope: string; scopeId: string; key: string; value: unknown }[] = [];
    while (Date.now() < deadline) {
      values = ((await app.api("GET", "/api/context")).json as { values: typeof values }).values;
      if (values.some((v) => v.key === "last")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(values).toContainEqual({ scope: "flow", scopeId: "ctx-tab", key: "last", value: "remember me" });
    await app.restart();
    await reconnectProbe();
    const after = ((await app.api("GET", "/api/context")).json as { values: typeof values }).values;
    expect(after).toContainEqual({ scope: "flow", scopeId: "ctx-tab", key: "last", value: "remember me" });
  });
});
