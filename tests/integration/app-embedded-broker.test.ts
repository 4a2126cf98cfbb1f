/**
 * The acceptance story against the embedded broker: the app starts on its defaults, the
 * shipped "Motion → light" example is deployed, MQTT makes it run, and it survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { findNode, getDraft, setTriggerDelayAndDeploy } from "../helpers/flows";

let app: AppHandle;
let probe: Probe;

beforeAll(async () => {
  app = await startApp();
  probe = await connectProbe(app.mqttUrl);
  await probe.subscribe("house/+/light");
});

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
});

describe("Flowhouse on the embedded broker", () => {
  it("reports healthy with the shipped example deployed", async () => {
    const res = await app.api("GET", "/api/health", undefined, { token: null });
    expect(res.status).toBe(200);
    const health = res.json as { ok: boolean; broker: { connected: boolean; embedded: boolean }; deployment: { id: number | null; nodes: number } };
    expect(health.ok).toBe(true);
    expect(health.broker).toMatchObject({ connected: true, embedded: true });
    expect(health.deployment.id).toBeGreaterThan(0);
    expect(health.deployment.nodes).toBeGreaterThanOrEqual(4);
    const draft = await getDraft(app);
    expect(draft.flows.map((f) => f.name)).toContain("Motion → light");
    expect(findNode(draft, "trigger").config).toMatchObject({ op1: "on", op2: "off", extend: true, bytopic: "topic" });
  });

  it("prints where everything is and how to log in", () => {
    expect(app.output()).toContain(`http://127.0.0.1:${app.port}`);
    expect(app.output()).toContain(`mqtt://127.0.0.1:${app.mqttPort}`);
    expect(app.output()).toMatch(/user: admin/);
  });

  it("turns the light on within milliseconds of motion", async () => {
    const from = probe.received.length;
    const sent = Date.now();
    await probe.publish("house/garage/motion", "1");
    const on = await probe.waitFor((m) => m.topic === "house/garage/light" && m.payload === "on", 2000, from);
    expect(on.at - sent).toBeLessThan(500);
  });

  it("sends exactly one off, the delay after the LAST motion, per room", async () => {
    await setTriggerDelayAndDeploy(app, "1", "s");
    const from = probe.received.length;
    const t0 = Date.now();
    await probe.publish("house/kitchen/motion", "1");
    await new Promise((r) => setTimeout(r, 200));
    await probe.publish("house/hall/motion", "1");
    await new Promise((r) => setTimeout(r, 400));
    await probe.publish("house/kitchen/motion", "1"); // extends the kitchen's timer only
    const lastKitchen = Date.now();
    const hallOff = await probe.waitFor((m) => m.topic === "house/hall/light" && m.payload === "off", 4000, from);
    const kitchenOff = await probe.waitFor((m) => m.topic === "house/kitchen/light" && m.payload === "off", 4000, from);
    // Give a duplicate 'off' time to show up before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const since = probe.received.slice(from);
    const count = (topic: string, payload: string) => since.filter((m) => m.topic === topic && m.payload === payload).length;
    expect(count("house/kitchen/light", "on")).toBe(1);
    expect(count("house/kitchen/light", "off")).toBe(1);
    expect(count("house/hall/light", "on")).toBe(1);
    expect(count("house/hall/light", "off")).toBe(1);
    // The hall's timer is independent: it fires ~1 s after its own motion, before the kitchen's.
    expect(hallOff.at - t0).toBeGreaterThanOrEqual(1100);
    expect(hallOff.at).toBeLessThan(kitchenOff.at);
    expect(kitchenOff.at - lastKitchen).toBeGreaterThanOrEqual(950);
    expect(kitchenOff.at - lastKitchen).toBeLessThan(1800);
  });

  it("keeps the deployment running and the draft edits after a restart", async () => {
    const before = await getDraft(app);
    before.flows[0].info = "edited before restart";
    expect((await app.api("PUT", "/api/flows", before)).status).toBe(200);
    await app.restart();
    await probe.end();
    probe = await connectProbe(app.mqttUrl);
    await probe.subscribe("house/+/light");
    const after = await getDraft(app);
    expect(after.flows[0].info).toBe("edited before restart");
    expect(findNode(after, "trigger").config).toMatchObject({ duration: "1", units: "s" });
    const from = probe.received.length;
    await probe.publish("house/attic/motion", "1");
    await probe.waitFor((m) => m.topic === "house/attic/light" && m.payload === "on", 3000, from);
    await probe.waitFor((m) => m.topic === "house/attic/light" && m.payload === "off", 4000, from);
  });
});

describe("API input handling", () => {
  it("answers 401 without a token or with a wrong one, 200 with the right one", async () => {
    expect((await app.api("GET", "/api/flows", undefined, { token: null })).status).toBe(401);
    expect((await app.api("GET", "/api/flows", undefined, { token: "wrong-token-wrong-token" })).status).toBe(401);
    expect((await app.api("POST", "/api/deploy", {}, { token: null })).status).toBe(401);
    expect((await app.api("GET", "/api/flows")).status).toBe(200);
  });

  it("redirects pages to the login page when not logged in", async () => {
    const res = await fetch(`${app.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2F");
  });

  it("logs in with the admin password and uses the session cookie; a wrong password is refused", async () => {
    const bad = await app.api("POST", "/api/auth/login", { username: "admin", password: "nope-nope" }, { token: null });
    expect(bad.status).toBe(401);
    expect((bad.json as { error: string }).error).toMatch(/wrong user name or password/i);
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: app.adminPassword }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(";")[0];
    expect((await app.api("GET", "/api/flows", undefined, { token: null, headers: { cookie: session } })).status).toBe(200);
    const logout = await app.api("POST", "/api/auth/logout", undefined, { token: null, headers: { cookie: session, origin: app.url } });
    expect(logout.status).toBe(200);
    expect((await app.api("GET", "/api/flows", undefined, { token: null, headers: { cookie: session } })).status).toBe(401);
  });

  it("rejects bad bodies with 4xx and a readable error, and stays healthy", async () => {
    const notJson = await app.api("PUT", "/api/flows", "{not json");
    expect(notJson.status).toBe(400);
    expect((notJson.json as { error: string }).error).toMatch(/not valid JSON/);
    const wrongShape = await app.api("PUT", "/api/flows", { flows: "nope" });
    expect(wrongShape.status).toBe(400);
    expect(JSON.stringify(wrongShape.json)).toMatch(/flows/);
    const notArray = await app.api("POST", "/api/import/node-red", { hello: "world" });
    expect(notArray.status).toBe(400);
    const huge = await app.api("PUT", "/api/flows", "x".repeat(6 * 1024 * 1024));
    expect(huge.status).toBe(413);
    const badDeployBody = await app.api("POST", "/api/deploy", { note: 42 });
    expect(badDeployBody.status).toBe(400);
    const health = await app.api("GET", "/api/health");
    expect(health.status).toBe(200);
  });

  it("refuses to deploy an invalid draft and names the node and field", async () => {
    const doc = await getDraft(app);
    const trigger = findNode(doc, "trigger");
    trigger.config = { ...trigger.config, duration: "soon" };
    expect((await app.api("PUT", "/api/flows", doc)).status).toBe(200);
    const res = await app.api("POST", "/api/deploy", {});
    expect(res.status).toBe(422);
    const body = res.json as { error: string; details: { nodeId?: string; field?: string; message: string }[] };
    const issue = body.details.find((d) => d.nodeId === trigger.id);
    expect(issue?.field).toBe("duration");
    expect(issue?.message).toContain(trigger.name || "trigger");
    // The running deployment is untouched.
    const health = (await app.api("GET", "/api/health")).json as { deployment: { id: number } };
    expect(health.deployment.id).toBeGreaterThan(0);
    trigger.config = { ...trigger.config, duration: "1" };
    expect((await app.api("PUT", "/api/flows", doc)).status).toBe(200);
  });

  it("survives a payload that makes a node fail, and reports it", async () => {
    const flows = [
      { id: "t1", type: "tab", label: "Errors" },
      { id: "in1", type: "mqtt in", z: "t1", topic: "sensors/+/json", qos: "0", datatype: "json", broker: "", wires: [["out1"]] },
      { id: "out1", type: "mqtt out", z: "t1", topic: "echo/json", qos: "0", retain: "false", broker: "", wires: [] },
    ];
    const imported = await app.api("POST", "/api/import/node-red?deploy=1", flows);
    expect(imported.status).toBe(200);
    await probe.subscribe("echo/json");
    await probe.publish("sensors/a/json", "{broken");
    await probe.publish("sensors/b/json", '{"t": 21}');
    // The broken message was reported, not forwarded; the next one still flows.
    const echoed = await probe.waitFor((m) => m.topic === "echo/json", 3000);
    expect(JSON.parse(echoed.payload)).toEqual({ t: 21 });
    expect(probe.on("echo/json")).toHaveLength(1);
    expect((await app.api("GET", "/api/health")).status).toBe(200);
  });
});
