/**
 * What `npm start` runs: the server bundled by esbuild (dist/server.mjs), not server.ts through
 * tsx. Checks that the bundle starts, serves pages and the API, runs flows — including a
 * function node, whose sandbox worker file is copied next to the bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";

let app: AppHandle;
let probe: Probe;

const TAB = "bundle-tab";
const flow = [
  { id: TAB, type: "tab", label: "Bundle check", disabled: false, info: "" },
  { id: "b-in", type: "mqtt in", z: TAB, name: "", topic: "bundle/in", qos: "1", datatype: "utf8", broker: "", nl: false, rap: true, rh: 0, inputs: 0, x: 100, y: 100, wires: [["b-fn"]] },
  { id: "b-fn", type: "function", z: TAB, name: "double", func: "msg.payload = String(Number(msg.payload) * 2); return msg;", outputs: 1, timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [], x: 300, y: 100, wires: [["b-out"]] },
  { id: "b-out", type: "mqtt out", z: TAB, name: "", topic: "bundle/out", qos: "1", retain: "false", broker: "", x: 500, y: 100, wires: [] },
];

beforeAll(async () => {
  app = await startApp({ entry: "bundle" });
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("bundle/out", 1);
}, 120_000);

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
});

describe("the bundled server (npm start)", () => {
  it("starts healthy, serves the login page and the API", async () => {
    expect((await app.api("GET", "/api/health", undefined, { token: null })).status).toBe(200);
    const login = await fetch(`${app.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Flowhouse");
    expect((await app.api("GET", "/api/flows")).status).toBe(200);
  });

  it("runs a deployed flow with a function node (sandbox worker found next to the bundle)", async () => {
    const res = await app.api("POST", "/api/import/node-red?deploy=1", flow);
    expect(res.status).toBe(200);
    const from = probe.received.length;
    await probe.publish("bundle/in", "21", { qos: 1 });
    const out = await probe.waitFor((m) => m.topic === "bundle/out", 5000, from);
    expect(out.payload).toBe("42");
  });
});
