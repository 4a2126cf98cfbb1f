import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./testing";
import { openStateStore } from "./state-store";

const db = useTestDatabase();
const noop = () => {};

describe("state store (context and durable timers on a prepared-statement connection)", () => {
  it("keeps context values and timers across a close and reopen, Buffers and deletes included", async () => {
    const first = openStateStore(db.file, noop, (e) => {
      throw e;
    });
    first.putContext("flow", "f1", "last", { room: "garage", at: 5 });
    first.putContext("node", "n1", "raw", Buffer.from([1, 2, 3]));
    first.putContext("global", "", "gone", 1);
    first.putContext("global", "", "gone", undefined);
    first.timers.save({ nodeId: "trig", key: "house/garage/motion", dueAt: Date.UTC(2026, 0, 1, 12, 2), data: { payload: "off" } });
    first.timers.save({ nodeId: "trig", key: "house/hall/motion", dueAt: Date.UTC(2026, 0, 1, 12, 1), data: { payload: "off" } });
    first.timers.delete("trig", "house/hall/motion");
    await first.close();

    const second = openStateStore(db.file, noop, noop);
    expect(second.loadContext()).toEqual(
      expect.arrayContaining([
        { scope: "flow", scopeId: "f1", key: "last", value: { room: "garage", at: 5 } },
        { scope: "node", scopeId: "n1", key: "raw", value: Buffer.from([1, 2, 3]) },
      ]),
    );
    expect(second.loadContext()).toHaveLength(2);
    expect(second.loadTimers()).toEqual([
      { nodeId: "trig", key: "house/garage/motion", dueAt: Date.UTC(2026, 0, 1, 12, 2), data: { payload: "off" } },
    ]);
    await second.close();
  });

  it("batches a burst of re-armed timers into few writes and keeps only the newest due time", async () => {
    const store = openStateStore(db.file, noop, noop);
    for (let i = 0; i < 1000; i++) store.timers.save({ nodeId: "t", key: "room", dueAt: 1_000_000 + i, data: i });
    await store.close();
    const again = openStateStore(db.file, noop, noop);
    expect(again.loadTimers().find((t) => t.nodeId === "t")).toEqual({ nodeId: "t", key: "room", dueAt: 1_000_999, data: 999 });
    await again.close();
  });

  it("can be read back through Prisma too (same tables and formats)", async () => {
    const store = openStateStore(db.file, noop, noop);
    store.timers.save({ nodeId: "p", key: "k", dueAt: Date.UTC(2026, 5, 1), data: null });
    await store.close();
    const row = await db.prisma.pendingTimer.findUnique({ where: { nodeId_key: { nodeId: "p", key: "k" } } });
    expect(row?.dueAt.toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });
});
