/**
 * The server side of the editor's dialogs, against the real app on the embedded broker:
 * deploy dry run, deployment detail and rollback, shipped examples, and the debug node's
 * live sidebar toggle (observed over socket.io like the editor does).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as ioClient, type Socket } from "socket.io-client";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { findNode, getDraft } from "../helpers/flows";
import type { ClientToServerEvents, DebugMessageEvent, ServerToClientEvents } from "../../lib/server/events";
import type { DeploymentDetail, DeploymentSummary, DeployPreviewResponse, DraftResponse, ExampleSummary, HealthResponse } from "../../lib/api/schemas";
import type { FlowDocument } from "../../lib/flow/schema";

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

async function putDraft(doc: FlowDocument): Promise<DraftResponse> {
  const res = await app.api("PUT", "/api/flows", doc);
  expect(res.status, res.text).toBe(200);
  return res.json as DraftResponse;
}

async function deployments(): Promise<DeploymentSummary[]> {
  const res = await app.api("GET", "/api/deployments");
  expect(res.status).toBe(200);
  return res.json as DeploymentSummary[];
}

async function health(): Promise<HealthResponse> {
  return (await app.api("GET", "/api/health")).json as HealthResponse;
}

describe("deploy dry run", () => {
  it("reports what would change and stores or deploys nothing", async () => {
    const before = await deployments();
    const running = (await health()).deployment.id;
    const doc = await getDraft(app);
    const trigger = findNode(doc, "trigger");
    trigger.config = { ...trigger.config, duration: "7" };
    await putDraft(doc);

    const res = await app.api("POST", "/api/deploy?dryRun=1");
    expect(res.status, res.text).toBe(200);
    const preview = res.json as DeployPreviewResponse;
    expect(preview.changes).toEqual({ added: [], changed: [trigger.id], removed: [] });
    expect(preview.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(preview.deployedId).toBe(running);

    expect(await deployments()).toEqual(before);
    expect((await health()).deployment.id).toBe(running);
    const draft = (await app.api("GET", "/api/flows")).json as DraftResponse;
    expect(draft.differsFromDeployed).toBe(true);
  });

  it("lists the problems of an invalid draft (200, not deployed)", async () => {
    const doc = await getDraft(app);
    const trigger = findNode(doc, "trigger");
    trigger.config = { ...trigger.config, duration: "abc" };
    await putDraft(doc);
    const count = (await deployments()).length;
    const res = await app.api("POST", "/api/deploy?dryRun=1");
    expect(res.status).toBe(200);
    const errors = (res.json as DeployPreviewResponse).issues.filter((i) => i.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ nodeId: trigger.id });
    expect((await deployments()).length).toBe(count);
    // The real deploy refuses it.
    expect((await app.api("POST", "/api/deploy", { note: "bad" })).status).toBe(422);
    trigger.config = { ...trigger.config, duration: "2" };
    await putDraft(doc);
  });

  it("needs the editor role", async () => {
    expect((await app.api("POST", "/api/deploy?dryRun=1", undefined, { token: null })).status).toBe(401);
  });
});

describe("history: deployment detail and rollback", () => {
  it("returns a deployment's document, and 404 for an unknown one", async () => {
    const [newest] = await deployments();
    const res = await app.api("GET", `/api/deployments/${newest.id}`);
    expect(res.status, res.text).toBe(200);
    const detail = res.json as DeploymentDetail;
    expect(detail.deployment).toEqual(newest);
    expect(detail.document.flows.length).toBeGreaterThan(0);
    expect((await app.api("GET", "/api/deployments/99999")).status).toBe(404);
    expect((await app.api("GET", "/api/deployments/abc")).status).toBe(400);
  });

  it("rollback makes that deployment's document the draft, and a deploy runs it", async () => {
    const [original] = await deployments();
    const originalDoc = ((await app.api("GET", `/api/deployments/${original.id}`)).json as DeploymentDetail).document;

    // A newer deployment sends "ON2" instead of "on".
    const doc = await getDraft(app);
    const trigger = findNode(doc, "trigger");
    trigger.config = { ...trigger.config, op1: "ON2", duration: "2" };
    await putDraft(doc);
    const dep = await app.api("POST", "/api/deploy", { note: "ON2" });
    expect(dep.status, dep.text).toBe(200);
    let from = probe.received.length;
    await probe.publish("house/hall/motion", "1");
    await probe.waitFor((m) => m.topic === "house/hall/light" && m.payload === "ON2", 5000, from);

    const rb = await app.api("POST", `/api/deployments/${original.id}/rollback`);
    expect(rb.status, rb.text).toBe(200);
    const draft = rb.json as DraftResponse;
    expect(draft.document).toEqual(originalDoc);
    expect(draft.differsFromDeployed).toBe(true);
    expect(await getDraft(app)).toEqual(originalDoc);
    // Nothing deployed by the rollback itself.
    expect((await health()).deployment.id).toBe((dep.json as { deployment: DeploymentSummary }).deployment.id);

    const again = await app.api("POST", "/api/deploy", { note: `roll back to #${original.id}` });
    expect(again.status, again.text).toBe(200);
    from = probe.received.length;
    await probe.publish("house/study/motion", "1");
    await probe.waitFor((m) => m.topic === "house/study/light" && m.payload === "on", 5000, from);
    expect((await deployments())[0].note).toBe(`roll back to #${original.id}`);

    expect((await app.api("POST", "/api/deployments/99999/rollback")).status).toBe(404);
  });
});

describe("examples", () => {
  it("lists the shipped flows with a title and description, without dashboard files", async () => {
    const res = await app.api("GET", "/api/examples");
    expect(res.status).toBe(200);
    const list = res.json as ExampleSummary[];
    const motion = list.find((e) => e.name === "motion-light");
    expect(motion).toMatchObject({ title: "Motion → light" });
    expect(motion?.description).toMatch(/motion/i);
    expect(list.every((e) => !e.name.includes("dashboard"))).toBe(true);
  });

  it("returns an example's flows.json, and refuses unknown or path-like names", async () => {
    const res = await app.api("GET", "/api/examples/motion-light");
    expect(res.status).toBe(200);
    const flows = res.json as { type: string }[];
    expect(flows.some((e) => e.type === "tab")).toBe(true);
    expect(flows.some((e) => e.type === "trigger")).toBe(true);
    expect((await app.api("GET", "/api/examples/nope")).status).toBe(404);
    expect([400, 404]).toContain((await app.api("GET", "/api/examples/..%2Fpackage")).status);
  });
});

describe("debug node live toggle", () => {
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const seen: DebugMessageEvent[] = [];

  beforeAll(async () => {
    socket = ioClient(app.url, { transports: ["websocket"], reconnection: false, auth: { token: app.token } });
    socket.on("debug:messages", (batch) => seen.push(...batch));
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", resolve);
      socket.on("connect_error", reject);
    });
  });

  afterAll(() => {
    socket?.close();
  });

  async function waitDebug(nodeId: string, topic: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (seen.some((e) => e.nodeId === nodeId && e.topic === topic)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  it("turns a running debug node's sidebar output off and on without a deploy", async () => {
    const debug = findNode(await getDraft(app), "debug");
    const deploymentsBefore = (await deployments()).length;

    await probe.publish("house/r1/motion", "1");
    expect(await waitDebug(debug.id, "house/r1/light", 5000)).toBe(true);

    const off = await app.api("POST", `/api/nodes/${debug.id}/active`, { active: false });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toEqual({ ok: true, active: false });
    const from = probe.received.length;
    await probe.publish("house/r2/motion", "1");
    // The flow still runs (the light turns on), but the sidebar hears nothing.
    await probe.waitFor((m) => m.topic === "house/r2/light" && m.payload === "on", 5000, from);
    expect(await waitDebug(debug.id, "house/r2/light", 800)).toBe(false);

    expect((await app.api("POST", `/api/nodes/${debug.id}/active`, { active: true })).status).toBe(200);
    await probe.publish("house/r3/motion", "1");
    expect(await waitDebug(debug.id, "house/r3/light", 5000)).toBe(true);
    expect((await deployments()).length).toBe(deploymentsBefore);
  });

  it("answers 404 for a node that is not a running debug node, 400 for a bad body", async () => {
    expect((await app.api("POST", "/api/nodes/nope/active", { active: false })).status).toBe(404);
    const trigger = findNode(await getDraft(app), "trigger");
    expect((await app.api("POST", `/api/nodes/${trigger.id}/active`, { active: false })).status).toBe(404);
    const debug = findNode(await getDraft(app), "debug");
    expect((await app.api("POST", `/api/nodes/${debug.id}/active`, { active: "no" })).status).toBe(400);
  });
});
