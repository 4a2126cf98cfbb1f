import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./testing";
import { openOutboxStore } from "./outbox-store";

const db = useTestDatabase();

describe("outbox store (OutboxMessage on a prepared-statement connection)", () => {
  it("keeps messages per broker, oldest first, across a close and reopen; binary payloads intact", () => {
    const first = openOutboxStore(db.file);
    const ids = first.append([
      { brokerId: "b1", topic: "a", payload: Buffer.from([0, 255, 1]), qos: 1, retain: true },
      { brokerId: "b2", topic: "b", payload: Buffer.from("two"), qos: 2, retain: false },
      { brokerId: "b1", topic: "c", payload: Buffer.from("three"), qos: 1, retain: false },
    ]);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBeLessThan(ids[2]);
    first.close();

    const second = openOutboxStore(db.file);
    expect(second.list("b1")).toEqual([
      { id: ids[0], brokerId: "b1", topic: "a", payload: Buffer.from([0, 255, 1]), qos: 1, retain: true },
      { id: ids[2], brokerId: "b1", topic: "c", payload: Buffer.from("three"), qos: 1, retain: false },
    ]);
    expect(second.count("b1")).toBe(2);
    expect(second.count("b2")).toBe(1);
    expect(second.brokerIds().sort()).toEqual(["b1", "b2"]);
    second.remove([ids[0], ids[1]]);
    expect(second.list("b1").map((m) => m.topic)).toEqual(["c"]);
    expect(second.brokerIds()).toEqual(["b1"]);
    second.remove([ids[2]]);
    expect(second.count("b1")).toBe(0);
    second.close();
  });

  it("reads rows Prisma wrote (same table, same columns)", async () => {
    await db.prisma.outboxMessage.create({ data: { brokerId: "p", topic: "via/prisma", payload: Buffer.from("hi"), qos: 1, retain: false } });
    const store = openOutboxStore(db.file);
    const rows = store.list("p");
    expect(rows.map((r) => [r.topic, r.payload.toString(), r.qos, r.retain])).toEqual([["via/prisma", "hi", 1, false]]);
    store.remove(rows.map((r) => r.id));
    store.close();
    // And Prisma reads what the store writes (createdAt included).
    const w = openOutboxStore(db.file);
    w.append([{ brokerId: "q", topic: "from/store", payload: Buffer.from("x"), qos: 2, retain: true }]);
    w.close();
    const viaPrisma = await db.prisma.outboxMessage.findMany({ where: { brokerId: "q" } });
    expect(viaPrisma).toHaveLength(1);
    expect(viaPrisma[0].createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(viaPrisma[0].createdAt.getTime())).toBe(false);
  });
});
