/** The live hub batches status and debug events so a busy flow never floods a browser. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Server as IoServer } from "socket.io";
import { LiveHub } from "./live";
import type { AuthService } from "./auth";
import type { ClientToServerEvents, DebugMessageEvent, NodeStatusEvent, ServerToClientEvents } from "./events";

function fakeIo() {
  const emitted: { event: string; payload: unknown }[] = [];
  const io = {
    use: () => undefined,
    on: () => undefined,
    emit: (event: string, payload: unknown) => void emitted.push({ event, payload }),
  } as unknown as IoServer<ClientToServerEvents, ServerToClientEvents>;
  return { io, emitted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("LiveHub", () => {
  it("sends 1,000 status changes of one node as one update with the last value", () => {
    vi.useFakeTimers();
    const { io, emitted } = fakeIo();
    const hub = new LiveHub(io, {} as AuthService);
    for (let i = 0; i < 1000; i++) hub.status("trig", { fill: "blue", shape: "dot", text: String(i) });
    vi.advanceTimersByTime(150);
    const updates = emitted.filter((e) => e.event === "node:status");
    expect(updates).toHaveLength(1);
    expect(updates[0].payload as NodeStatusEvent[]).toEqual([{ nodeId: "trig", status: { fill: "blue", shape: "dot", text: "999" } }]);
  });

  it("caps debug messages per batch and says how many were not shown", () => {
    vi.useFakeTimers();
    const { io, emitted } = fakeIo();
    const hub = new LiveHub(io, {} as AuthService);
    for (let i = 0; i < 1000; i++) {
      hub.debug({ nodeId: "d", nodeName: "dbg", flowId: "f", time: i, property: "payload", value: i, level: "debug" });
    }
    vi.advanceTimersByTime(150);
    const batch = emitted.find((e) => e.event === "debug:messages")!.payload as DebugMessageEvent[];
    expect(batch.length).toBe(201);
    expect(batch[0].value).toBe(0);
    expect(batch[batch.length - 1]).toMatchObject({ level: "warn", value: "800 more debug messages in the last 100 ms were not shown" });
  });
});
