/**
 * The Brokers API end to end: a real mosquitto that wants a password, a broker created
 * through /api/brokers, a deployed flow whose mqtt in/out use it, and edits that take effect
 * without a deploy. Secrets never leave the server and are not in the database file in clear.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "../helpers/app";
import { connectProbe, type Probe } from "../helpers/mqtt-probe";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto";

const PASSWORD = "Corr3ct-Horse-Battery";
const WRONG = "wrong-password-123";

let broker: Mosquitto;
let app: AppHandle;
let probe: Probe;
let brokerId = "";
let confDir = "";

interface View {
  id: string;
  name: string;
  source: string;
  settings: { url: string; clientId: string; username: string };
  secretsSet: { password: boolean };
  health: { connected: boolean; lastError: string | null; reconnects: number };
  usedBy: string[];
  warnings: string[];
}
interface Health {
  ok: boolean;
  brokers: { id: string; name: string; connected: boolean; lastError: string | null; reconnects: number; outbox: number }[];
}

const brokerInput = (password?: string) => ({
  name: "Test mosquitto",
  settings: { url: broker.url, username: "flow" },
  secrets: password === undefined ? {} : { password },
});

async function health(): Promise<Health> {
  return (await app.api("GET", "/api/health", undefined, { token: null })).json as Health;
}

async function until<T>(what: string, probeFn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probeFn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  const last = await health();
  throw new Error(`${what} not within ${timeoutMs} ms; health: ${JSON.stringify(last)}`);
}

function flowUsing(id: string) {
  return {
    flows: [
      {
        id: "f1",
        name: "Relay",
        nodes: [
          { id: "in1", type: "mqtt in", name: "Relay in", x: 100, y: 100, wires: [["out1"]], config: { broker: id, topic: "relay/in", qos: "1", datatype: "utf8" } },
          { id: "out1", type: "mqtt out", name: "Relay out", x: 300, y: 100, wires: [], config: { broker: id, topic: "relay/out", qos: "1" } },
        ],
      },
    ],
    configNodes: [],
  };
}

beforeAll(async () => {
  confDir = fs.mkdtempSync(path.join(os.tmpdir(), "fh-brokers-"));
  const pwFile = path.join(confDir, "passwd");
  execFileSync("/usr/bin/mosquitto_passwd", ["-b", "-c", pwFile, "flow", PASSWORD]);
  fs.chmodSync(pwFile, 0o600);
  broker = await startMosquitto({ extraConfig: ["allow_anonymous false", `password_file ${pwFile}`] });
  app = await startApp();
  const port = new URL(broker.url).port;
  probe = await connectProbe(`mqtt://flow:${PASSWORD}@127.0.0.1:${port}`);
  await probe.subscribe("relay/out");
  await probe.subscribe("flowhouse/+/status");
}, 120_000);

afterAll(async () => {
  await probe?.end();
  await app?.dispose();
  await broker?.stop();
  if (confDir) fs.rmSync(confDir, { recursive: true, force: true });
});

describe("Brokers API", () => {
  it("rejects bad input with 400 naming each field", async () => {
    const res = await app.api("POST", "/api/brokers", { name: "", settings: { url: "http://nope", keepaliveSeconds: -1 } });
    expect(res.status).toBe(400);
    const body = res.json as { error: string; details: { path: string; message: string }[] };
    expect(body.details.map((d) => d.path)).toEqual(expect.arrayContaining(["name", "settings.url", "settings.keepaliveSeconds"]));
    expect(body.error).toMatch(/settings\.url: URL must look like mqtt:\/\/host:1883/);
    expect((await app.api("POST", "/api/brokers", "not json")).status).toBe(400);
    const noToken = await app.api("GET", "/api/brokers", undefined, { token: null });
    expect(noToken.status).toBe(401);
  });

  it("tests a connection without saving: the wrong password in words, the right one with its time", async () => {
    const bad = (await app.api("POST", "/api/brokers/test", brokerInput(WRONG))).json as { ok: boolean; error?: string };
    expect(bad.ok).toBe(false);
    // Mosquitto 2 answers a wrong password with "not authorized" (CONNACK 5).
    expect(bad.error).toMatch(/(Bad username or password|Not authorized).*check the username and password/i);
    const good = (await app.api("POST", "/api/brokers/test", brokerInput(PASSWORD))).json as { ok: boolean; ms?: number };
    expect(good.ok).toBe(true);
    expect(good.ms).toBeLessThan(5000);
  });

  it("creates a broker that connects at once, with a generated client id and its status published as online", async () => {
    const res = await app.api("POST", "/api/brokers", brokerInput(PASSWORD));
    expect(res.status).toBe(201);
    const view = res.json as View;
    brokerId = view.id;
    expect(view).toMatchObject({ source: "settings", secretsSet: { password: true } });
    expect(view.settings.clientId).toMatch(/^flowhouse-[0-9a-f]+-[0-9a-f]{4}$/);
    await until("connected", async () => ((await health()).brokers.find((b) => b.id === brokerId)?.connected ? true : undefined));
    const status = await probe.waitFor((m) => /^flowhouse\/[^/]+\/status$/.test(m.topic) && m.payload === "online", 5000);
    expect(status.topic).toMatch(/^flowhouse\/[0-9a-f]+\/status$/);
  });

  it("runs a deployed flow whose mqtt in and out use the broker", async () => {
    expect((await app.api("PUT", "/api/flows", flowUsing(brokerId))).status).toBe(200);
    const dep = await app.api("POST", "/api/deploy", { note: "relay" });
    expect(dep.status, dep.text).toBe(200);
    const from = probe.received.length;
    await probe.publish("relay/in", "hello");
    await probe.waitFor((m) => m.topic === "relay/out" && m.payload === "hello", 5000, from);
    const view = (await app.api("GET", `/api/brokers/${brokerId}`)).json as View;
    expect(view.usedBy.sort()).toEqual(["in1", "out1"]);
  });

  it("a wrong password shows as a readable error in health; fixing it reconnects and messages flow again, without a deploy", async () => {
    const deployedBefore = ((await health()) as unknown as { deployment: { id: number } }).deployment.id;
    expect((await app.api("PUT", `/api/brokers/${brokerId}`, brokerInput(WRONG))).status).toBe(200);
    const failed = await until("error shown", async () => {
      const b = (await health()).brokers.find((x) => x.id === brokerId);
      return b && !b.connected && b.lastError ? b : undefined;
    });
    expect(failed.lastError).toMatch(/bad username or password|not authorized/i);
    const view = (await app.api("GET", `/api/brokers/${brokerId}`)).json as View;
    expect(view.health.lastError).toMatch(/bad username or password|not authorized/i);

    // A secret left out stays as it is: restore the right one, then edit without sending it.
    expect((await app.api("PUT", `/api/brokers/${brokerId}`, brokerInput(PASSWORD))).status).toBe(200);
    await until("reconnected", async () => ((await health()).brokers.find((b) => b.id === brokerId)?.connected ? true : undefined));
    expect((await app.api("PUT", `/api/brokers/${brokerId}`, { ...brokerInput(), name: "Renamed mosquitto" })).status).toBe(200);
    await until("reconnected after rename", async () => ((await health()).brokers.find((b) => b.id === brokerId)?.connected ? true : undefined));

    let from = probe.received.length;
    // The subscription moves to the new connection: publish until it passes (bounded).
    await until("message passes", async () => {
      await probe.publish("relay/in", "again");
      try {
        await probe.waitFor((m) => m.topic === "relay/out" && m.payload === "again", 700, from);
        return true;
      } catch {
        from = probe.received.length;
        return undefined;
      }
    });
    expect(((await health()) as unknown as { deployment: { id: number } }).deployment.id).toBe(deployedBefore);
  });

  it("refuses to delete the broker while deployed nodes use it, naming them", async () => {
    const res = await app.api("DELETE", `/api/brokers/${brokerId}`);
    expect(res.status).toBe(409);
    expect((res.json as { error: string }).error).toMatch(/'Relay in' \(mqtt in\), 'Relay out' \(mqtt out\)/);
  });

  it("exports a Node-RED flows.json with an mqtt-broker node for the broker, without credentials", async () => {
    const res = await app.api("GET", "/api/export/node-red?source=deployed");
    expect(res.status).toBe(200);
    const nodes = res.json as Record<string, unknown>[];
    const cfg = nodes.find((n) => n.id === brokerId);
    expect(cfg).toMatchObject({ type: "mqtt-broker", name: "Renamed mosquitto", broker: "127.0.0.1", port: new URL(broker.url).port });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toContain('"credentials"');
  });

  it("never answers a secret and keeps it out of the database file in clear", async () => {
    for (const p of ["/api/brokers", `/api/brokers/${brokerId}`, "/api/health", "/api/monitor/brokers"]) {
      const res = await app.api("GET", p);
      expect(res.text, p).not.toContain(PASSWORD);
      expect(res.text, p).not.toContain(WRONG);
    }
    for (const file of ["flowhouse.db", "flowhouse.db-wal"]) {
      const f = path.join(app.dataDir, file);
      if (!fs.existsSync(f)) continue;
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(Buffer.from(PASSWORD)), file).toBe(false);
      expect(bytes.includes(Buffer.from(WRONG)), file).toBe(false);
    }
    expect(fs.statSync(path.join(app.dataDir, "secret.key")).mode & 0o777).toBe(0o600);
  });

  it("keeps the broker, its secret and its client id across an app restart", async () => {
    const before = (await app.api("GET", `/api/brokers/${brokerId}`)).json as View;
    await app.restart();
    const after = (await app.api("GET", `/api/brokers/${brokerId}`)).json as View;
    expect(after.settings.clientId).toBe(before.settings.clientId);
    await until("connected after restart", async () => ((await health()).brokers.find((b) => b.id === brokerId)?.connected ? true : undefined));
  });

  it("deletes the broker once no deployed node uses it", async () => {
    expect((await app.api("PUT", "/api/flows", { flows: [], configNodes: [] })).status).toBe(200);
    expect((await app.api("POST", "/api/deploy", { note: "empty" })).status).toBe(200);
    expect((await app.api("DELETE", `/api/brokers/${brokerId}`)).status).toBe(204);
    expect((await app.api("GET", `/api/brokers/${brokerId}`)).status).toBe(404);
    expect((await health()).brokers.map((b) => b.id)).toEqual([""]);
    const audit = await app.api("GET", "/api/audit?limit=100");
    expect(audit.status).toBe(200);
    const actions = (audit.json as { entries: { action: string; target: string }[] }).entries.filter((e) => e.target === brokerId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["broker.create", "broker.update", "broker.delete"]));
    expect(audit.text).not.toContain(PASSWORD);
  });
});
