/**
 * CPU cost per message of the durable outbox (not part of the test run):
 *   node --import tsx lib/mqtt/outbox-cost.bench.ts
 * 1. the SQLite store alone: insert + delete per message, grouped by batch size;
 * 2. ConnectionManager.publish QoS 1 to the embedded broker, 20,000 messages (100 or 1 at a time), with and without
 *    the outbox (CPU of this process: the client, the outbox and aedes together).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { openOutboxStore } from "../db/outbox-store";
import { ConnectionManager } from "./connections";
import { startEmbeddedBroker } from "./embedded-broker";

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "flowhouse-outbox-bench-"));
  const db = await openDatabase(`file:${path.join(dir, "bench.db")}`);
  const store = openOutboxStore(db.file);
  const payload = Buffer.from(JSON.stringify({ temperature: 21.5, humidity: 40, at: Date.now() }));
  for (const batch of [1, 10, 100]) {
    const n = 20_000;
    const start = cpuUs();
    for (let i = 0; i < n; i += batch) {
      const records = Array.from({ length: batch }, () => ({ brokerId: "b", topic: "bench/topic", payload, qos: 1 as const, retain: false }));
      const ids = store.append(records);
      store.remove(ids);
    }
    console.log(`store: insert+delete, ${batch} per transaction: ${((cpuUs() - start) / n).toFixed(1)} µs CPU per message`);
  }

  const broker = await startEmbeddedBroker({ port: 0, persistenceDir: path.join(dir, "broker") });
  for (const [withOutbox, concurrent] of [[false, 100], [true, 100], [false, 100], [true, 100], [false, 1], [true, 1]] as const) {
    const m = new ConnectionManager({
      resolveBroker: () => ({ url: broker.url }),
      logger: { info: () => undefined, warn: () => undefined },
      outbox: withOutbox ? store : undefined,
    });
    await m.whenConnected("");
    const n = 20_000;
    const startCpu = cpuUs();
    const startWall = Date.now();
    for (let i = 0; i < n; i += concurrent) {
      await Promise.all(Array.from({ length: concurrent }, (_, j) => m.publish("", `bench/${j}`, payload, { qos: 1 })));
    }
    const us = (cpuUs() - startCpu) / n;
    console.log(`publish QoS 1, ${concurrent} at a time, ${withOutbox ? "with" : "without"} outbox: ${us.toFixed(1)} µs CPU per message, ${Math.round(n / ((Date.now() - startWall) / 1000))} msg/s`);
    await m.close();
  }
  await broker.close();
  store.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
