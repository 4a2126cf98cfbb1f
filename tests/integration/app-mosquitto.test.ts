/**
 * Flowhouse against an external broker: a real mosquitto started on a free port, given to
 * the app through MQTT_URL. The example is only in the draft; a Node-RED flows.json imported
 * with ?deploy=1 runs; a broker restart is survived.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto";
import { getDraft } from "../helpers/flows";

let broker: Mosquitto;
let app: AppHandle;
let probe: Probe;

function motionLightFlows(delay: string, units: string): unknown[] {
  const flows = JSON.parse(fs.readFileSync("flows/motion-light.json", "utf8")) as Record<string, unknown>[];
  return flows.map((n) => (n.type === "trigger" ? { ...n, duration: delay, units } : n));
}

async function waitHealthy(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await app.api("GET", "/api/health", undefined, { token: null })).status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not healthy within ${timeoutMs} ms`);
}

beforeAll(async () => {
  broker = await startMosquitto();
  app = await startApp({ env: { MQTT_URL: broker.url } });
  probe = await connectProbe(broker.url);
  await probe.subscribe("house/+/light");
});

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
  await broker?.stop();
});

describe("Flowhouse with MQTT_URL pointing at mosquitto", () => {
  it("connects to it, starts no embedded broker, and keeps the example in the draft only", async () => {
    const health = (await app.api("GET", "/api/health", undefined, { token: null })).json as {
      broker: { connected: boolean; url: string; embedded: boolean };
      deployment: { id: number | null; nodes: number };
    };
    expect(health.broker).toMatchObject({ connected: true, embedded: false, url: broker.url });
    expect(health.deployment).toEqual({ id: null, nodes: 0 });
    const draft = await getDraft(app);
    expect(draft.flows.map((f) => f.name)).toContain("Motion → light");
    expect(app.output()).toContain("not deployed: external broker");
  });

  it("runs a Node-RED flows.json imported with ?deploy=1: on at once, exactly one off per room", async () => {
    const res = await app.api("POST", "/api/import/node-red?deploy=1", motionLightFlows("800", "ms"));
    expect(res.status).toBe(200);
    const body = res.json as { deployment: { id: number } | null; issues: { severity: string }[] };
    expect(body.deployment?.id).toBeGreaterThan(0);
    expect(body.issues.filter((i) => i.severity === "error")).toEqual([]);

    const from = probe.received.length;
    await probe.publish("house/garage/motion", "1");
    await probe.publish("house/porch/motion", "1");
    await probe.waitFor((m) => m.topic === "house/garage/light" && m.payload === "on", 3000, from);
    await probe.waitFor((m) => m.topic === "house/porch/light" && m.payload === "on", 3000, from);
    await probe.waitFor((m) => m.topic === "house/garage/light" && m.payload === "off", 3000, from);
    await probe.waitFor((m) => m.topic === "house/porch/light" && m.payload === "off", 3000, from);
    await new Promise((r) => setTimeout(r, 1200));
    const since = probe.received.slice(from);
    for (const room of ["garage", "porch"]) {
      expect(since.filter((m) => m.topic === `house/${room}/light`).map((m) => m.payload)).toEqual(["on", "off"]);
    }
  });

  it("exports what runs as a Node-RED flows.json that imports back unchanged", async () => {
    const res = await app.api("GET", "/api/export/node-red?source=deployed");
    expect(res.status).toBe(200);
    const exported = res.json as Record<string, unknown>[];
    const trigger = exported.find((n) => n.type === "trigger");
    expect(trigger).toMatchObject({ duration: "800", units: "ms", op1: "on", op2: "off" });
    const again = await app.api("POST", "/api/import/node-red", exported);
    expect(again.status).toBe(200);
    expect((await app.api("GET", "/api/export/node-red")).json).toEqual(exported);
  });

  it("reconnects after mosquitto restarts and the flow runs again", async () => {
    await broker.restart();
    await waitHealthy(20_000);
    await probe.end();
    probe = await connectProbe(broker.url);
    await probe.subscribe("house/+/light");
    const from = probe.received.length;
    await probe.publish("house/cellar/motion", "1");
    await probe.waitFor((m) => m.topic === "house/cellar/light" && m.payload === "on", 5000, from);
    await probe.waitFor((m) => m.topic === "house/cellar/light" && m.payload === "off", 5000, from);
  });
});
