/** BrokerService: sealing, resolve precedence, warnings, client ids, delete refusal, test connection. */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import { useTestDatabase } from "../db/testing";
import { secretBoxFromKey } from "../server/secrets";
import type { BrokerStatus } from "../mqtt/connections";
import { BrokerService, type PlanLike } from "./service";
import { configNodeToSettings, settingsToConfigNode } from "./options";
import { mqttBrokerConfigSchema } from "../nodes/mqtt-broker/definition";

const db = useTestDatabase();
const box = secretBoxFromKey(Buffer.alloc(32, 9), "test key");

const PASSWORD = "s3cret-Hunter2-pw";
const input = (over: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}) => ({
  name: "Home mosquitto",
  settings: { url: "mqtt://127.0.0.1:1883", username: "flow", ...over },
  secrets,
});

function fakeConnections() {
  const calls: string[] = [];
  return {
    calls,
    status: (id: string): BrokerStatus => ({
      connected: id === "",
      url: "",
      lastError: id === "" ? null : "Connection refused: Bad username or password",
      reconnects: 2,
      lastErrorAt: null,
      lastConnectedAt: null,
      outbox: 3,
    }),
    reload: async (id: string) => {
      calls.push(`reload ${id}`);
    },
    connect: (id: string) => {
      calls.push(`connect ${id}`);
    },
  };
}

let plan: PlanLike | null = null;
const who = { actor: "admin", ip: "127.0.0.1" };

async function open(embedded = false) {
  const audit: unknown[] = [];
  const svc = await BrokerService.open({
    prisma: db.prisma,
    box,
    defaultBroker: embedded
      ? { url: "mqtt://127.0.0.1:1883", displayUrl: "mqtt://127.0.0.1:1883", embedded: true }
      : { url: "mqtt://u:pw@broker.lan:1883", displayUrl: "mqtt://u:***@broker.lan:1883", embedded: false },
    plan: () => plan,
  });
  const conns = fakeConnections();
  svc.attach({ connections: conns, audit: () => ({ record: (e) => audit.push(e) }) });
  return { svc, conns, audit };
}

describe("BrokerService", () => {
  it("stores the password sealed: neither the row nor the database file holds it in clear, and GET answers never return it", async () => {
    const { svc, audit, conns } = await open();
    const view = await svc.create(input({}, { password: PASSWORD }), who);
    const row = await db.prisma.broker.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.secrets).not.toContain(PASSWORD);
    expect(row.settings).not.toContain(PASSWORD);
    expect(row.secrets.startsWith("v1:")).toBe(true);
    for (const file of [db.file, `${db.file}-wal`]) {
      if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(Buffer.from(PASSWORD))).toBe(false);
    }
    expect(JSON.stringify(await svc.list())).not.toContain(PASSWORD);
    expect(view.secretsSet).toEqual({ password: true, key: false, passphrase: false });
    expect(svc.resolve(view.id)?.password).toBe(PASSWORD);
    expect(audit).toContainEqual(expect.objectContaining({ actor: "admin", action: "broker.create", target: view.id, ip: "127.0.0.1" }));
    expect(conns.calls).toContain(`connect ${view.id}`);

    // A fresh service (an app restart) opens the sealed secret again.
    const again = await open();
    expect(again.svc.resolve(view.id)?.password).toBe(PASSWORD);
  });

  it("keeps a secret left out on update, clears it with an empty string, and reconnects the broker without a deploy", async () => {
    const { svc, conns } = await open();
    const view = await svc.create(input({}, { password: PASSWORD }), who);
    conns.calls.length = 0;
    await svc.update(view.id, input({ keepaliveSeconds: 30 }), who);
    expect(svc.resolve(view.id)).toMatchObject({ password: PASSWORD, keepaliveSeconds: 30 });
    expect(conns.calls).toEqual([`reload ${view.id}`, `connect ${view.id}`]);
    await svc.update(view.id, input({}, { password: "" }), who);
    expect(svc.resolve(view.id)?.password).toBeUndefined();
    expect((await svc.get(view.id)).secretsSet.password).toBe(false);
  });

  it("generates a stable client id flowhouse-<instance>-<random4> on save and keeps it across edits", async () => {
    const { svc } = await open();
    const view = await svc.create(input(), who);
    expect(view.settings.clientId).toMatch(new RegExp(`^flowhouse-${svc.instanceId}-[0-9a-f]{4}$`));
    const edited = await svc.update(view.id, { ...input(), settings: { ...input().settings, clientId: view.settings.clientId } }, who);
    expect(edited.settings.clientId).toBe(view.settings.clientId);
    expect(svc.resolve(view.id)?.clientId).toBe(view.settings.clientId);
    // The instance id is stored once: a restart keeps it.
    expect((await open()).svc.instanceId).toBe(svc.instanceId);
  });

  it("resolves a Broker row before a deployed mqtt-broker node with the same id, then the node, then nothing", async () => {
    const { svc } = await open();
    plan = {
      nodes: new Map(),
      configNodes: new Map([
        ["nr1", { id: "nr1", type: "mqtt-broker", name: "NR", config: { broker: "10.0.0.5", port: "1884", clientid: "nr-client", credentials: { user: "u", password: "p" } } }],
      ]),
    };
    expect(svc.resolve("nr1")).toMatchObject({ url: "mqtt://10.0.0.5:1884", clientId: "nr-client", username: "u", password: "p" });
    expect((await svc.list()).find((b) => b.id === "nr1")).toMatchObject({ source: "flow", secretsSet: { password: true } });
    // "Save as broker": a row with the same id; the node's password is sealed with it.
    const saved = await svc.update("nr1", { name: "NR saved", settings: { url: "mqtt://10.0.0.6:1883", clientId: "nr-client" } }, who);
    expect(saved.source).toBe("settings");
    expect(svc.resolve("nr1")).toMatchObject({ url: "mqtt://10.0.0.6:1883", password: "p" });
    const row = await db.prisma.broker.findUniqueOrThrow({ where: { id: "nr1" } });
    expect(row.secrets).not.toContain('"p"');
    expect((await svc.list()).filter((b) => b.id === "nr1")).toHaveLength(1);
    expect(svc.resolve("nope")).toBeUndefined();
    await svc.remove("nr1", who);
    plan = null;
  });

  it("the default broker: MQTT_URL gets a stable client id and a persistent session, the embedded one a clean session; both announce status", async () => {
    const ext = (await open()).svc;
    expect(ext.resolve("")).toMatchObject({
      url: "mqtt://u:pw@broker.lan:1883",
      clientId: `flowhouse-${ext.instanceId}`,
      clean: false,
      status: { topic: `flowhouse/${ext.instanceId}/status`, online: "online", offline: "offline" },
    });
    const list = await ext.list();
    expect(list[0]).toMatchObject({ id: "", source: "env", name: "Default broker (MQTT_URL)", settings: { url: "mqtt://u:***@broker.lan:1883" } });
    expect(JSON.stringify(list)).not.toContain(":pw@");
    const emb = (await open(true)).svc;
    expect(emb.resolve("")).toMatchObject({ clean: true, status: { topic: `flowhouse/${emb.instanceId}/status` } });
  });

  it("birth/last will is on by default for a row, with the instance's status topic; MQTT 5 persistent sessions get the expiry", async () => {
    const { svc } = await open();
    const view = await svc.create(input({ protocolVersion: 5, cleanSession: false, sessionExpirySeconds: 3600 }), who);
    expect(svc.resolve(view.id)).toMatchObject({
      protocolVersion: 5,
      clean: false,
      sessionExpirySeconds: 3600,
      status: { topic: `flowhouse/${svc.instanceId}/status`, online: "online", offline: "offline" },
    });
    const off = await svc.update(view.id, input({ status: { enabled: false } }), who);
    expect(svc.resolve(off.id)?.status).toBeUndefined();
    await svc.remove(view.id, who);
  });

  it("maps TLS settings and the sealed client key into the connection options", async () => {
    const { svc } = await open();
    const ca = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----";
    const cert = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----";
    const key = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----";
    const view = await svc.create(input({ url: "mqtts://iot.example.com:8883", tls: { ca, cert, servername: "iot.example.com" } }, { key, passphrase: "pp" }), who);
    expect(svc.resolve(view.id)?.tls).toEqual({ ca, cert, key, passphrase: "pp", rejectUnauthorized: true, servername: "iot.example.com" });
    const row = await db.prisma.broker.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.secrets).not.toContain("KEY");
    expect(view.secretsSet).toEqual({ password: false, key: true, passphrase: true });
    // A certificate without its key is refused, naming the field.
    await expect(svc.create(input({ url: "mqtts://x:8883", tls: { cert } }), who)).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ path: "secrets.key" })],
    });
    await svc.remove(view.id, who);
  });

  it("warns about verification off, duplicate client ids, passwords over plain mqtt:// to another host", async () => {
    const { svc } = await open();
    const a = await svc.create(input({ url: "mqtts://a.example.com:8883", clientId: "dup", tls: { verify: false } }), who);
    const b = await svc.create(input({ url: "mqtt://192.168.1.20:1883", clientId: "dup" }, { password: "x" }), who);
    const c = await svc.create(input({ url: "mqtt://localhost:1883" }, { password: "x" }), who);
    const views = await svc.list();
    const w = (id: string) => views.find((v) => v.id === id)!.warnings.join("\n");
    expect(w(a.id)).toMatch(/verification is off/);
    expect(w(a.id)).toMatch(/Client id 'dup' is also used by 'Home mosquitto'/);
    expect(w(b.id)).toMatch(/unencrypted over mqtt:\/\/ to 192\.168\.1\.20: use mqtts:\/\//);
    expect(w(c.id)).toBe("");
    for (const v of [a, b, c]) await svc.remove(v.id, who);
  });

  it("refuses to delete a broker deployed nodes use (409 naming them), deletes it once unused", async () => {
    const { svc, audit } = await open();
    const view = await svc.create(input(), who);
    plan = {
      nodes: new Map([
        ["n1", { id: "n1", type: "mqtt in", name: "Garage sensor", config: { broker: view.id, topic: "a" } }],
        ["n2", { id: "n2", type: "mqtt out", name: "", config: { broker: "" } }],
      ]),
      configNodes: new Map(),
    };
    expect((await svc.get(view.id)).usedBy).toEqual(["n1"]);
    expect((await svc.get("")).usedBy).toEqual(["n2"]);
    await expect(svc.remove(view.id, who)).rejects.toMatchObject({ status: 409, message: /'Garage sensor' \(mqtt in\)/ });
    plan = null;
    await svc.remove(view.id, who);
    await expect(svc.get(view.id)).rejects.toMatchObject({ status: 404 });
    expect(audit).toContainEqual(expect.objectContaining({ action: "broker.delete", target: view.id }));
    await expect(svc.remove("", who)).rejects.toMatchObject({ status: 409 });
  });

  it("after a row is deleted, the node added for it to the running plan is not shown as a broker of the flows", async () => {
    const { svc } = await open();
    const view = await svc.create(input(), who);
    const added = svc.configNodes("compile").find((n) => n.id === view.id)!;
    plan = { nodes: new Map(), configNodes: new Map([[added.id, added]]) };
    await svc.remove(view.id, who);
    expect((await svc.list()).map((b) => b.id)).not.toContain(view.id);
    expect(svc.resolve(view.id)).toBeUndefined();
    plan = null;
  });

  it("rejects bad input with the field named (400)", async () => {
    const { svc } = await open();
    await expect(svc.create({ name: "", settings: { url: "http://x" } }, who)).rejects.toMatchObject({
      status: 400,
      details: expect.arrayContaining([expect.objectContaining({ path: "name" }), expect.objectContaining({ path: "settings.url" })]),
    });
  });

  it("shows health from the connection manager (connected, last error, reconnects, outbox)", async () => {
    const { svc } = await open();
    const view = await svc.create(input(), who);
    expect((await svc.get(view.id)).health).toMatchObject({ connected: false, lastError: "Connection refused: Bad username or password", reconnects: 2, outbox: 3 });
    expect(svc.health()[0]).toEqual({ id: "", name: "Default broker (MQTT_URL)", connected: true, lastError: null, reconnects: 2, outbox: 3 });
    await svc.remove(view.id, who);
  });

  it("a row as a Node-RED mqtt-broker node: valid for the mqtt-broker schema, no credentials, and reads back the same", async () => {
    const { svc } = await open();
    const view = await svc.create(input({ url: "mqtts://iot.example.com:8883", cleanSession: false, protocolVersion: 5 }, { password: PASSWORD }), who);
    const node = svc.configNodes("export").find((n) => n.id === view.id)!;
    expect(Object.keys(node.config).some((k) => k.startsWith("flowhouse"))).toBe(false);
    expect(mqttBrokerConfigSchema.safeParse(node.config).success).toBe(true);
    expect(node.config).toMatchObject({ broker: "iot.example.com", port: "8883", usetls: true, cleansession: false, protocolVersion: "5" });
    expect(JSON.stringify(node)).not.toContain(PASSWORD);
    expect(JSON.stringify(node)).not.toContain('"user"');
    const back = configNodeToSettings(node.config).settings;
    expect(back).toMatchObject({ url: "mqtts://iot.example.com:8883", clientId: view.settings.clientId, cleanSession: false, protocolVersion: 5 });
    const ws = settingsToConfigNode("w", "W", { ...view.settings, url: "wss://h.example.com/mqtt" }, svc.instanceId);
    expect(ws.config.broker).toBe("wss://h.example.com/mqtt");
    await svc.remove(view.id, who);
  });
});

describe("Test connection", () => {
  let server: Server;
  let port = 0;
  const sockets: Socket[] = [];
  let closedSockets = 0;
  beforeAll(async () => {
    // A TCP server that accepts and says nothing: the test must give up within its bound.
    server = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read (and ignore) the CONNECT, so the client's close is seen
      socket.on("close", () => closedSockets++);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it("answers a refused connection in words", async () => {
    const { svc } = await open();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const result = await svc.test(input({ url: `mqtt://127.0.0.1:${closedPort}` }));
    expect(result).toEqual({ ok: false, error: `Connection refused by 127.0.0.1:${closedPort}: is the broker running and listening on that port?` });
  });

  it("gives up on a silent server within the time bound", async () => {
    const svc = await BrokerService.open({
      prisma: db.prisma,
      box,
      defaultBroker: { url: "mqtt://127.0.0.1:1", displayUrl: "mqtt://127.0.0.1:1", embedded: true },
      plan: () => null,
      testTimeoutMs: 300,
    });
    const started = Date.now();
    const result = await svc.test(input({ url: `mqtt://127.0.0.1:${port}` }));
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/No answer from mqtt:\/\/127\.0\.0\.1:\d+ within/);
    expect(Date.now() - started).toBeLessThan(2000);
    // The test client is closed afterwards.
    for (let i = 0; i < 50 && closedSockets < sockets.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closedSockets).toBe(sockets.length);
  });
});
