import { describe, expect, it } from "vitest";
import { bindingKey, bindingsOf, LiveValueStore } from "./live-values";

describe("live values", () => {
  it("subscribes each topic + path once, skipping widgets without a topic", () => {
    const bs = bindingsOf([
      { broker: "", topic: "a", path: "" },
      { broker: "", topic: "a", path: "" },
      { broker: "", topic: "a", path: "x" },
      { broker: "", topic: "", path: "" },
    ]);
    expect(bs).toEqual([
      { broker: "", topic: "a", path: "" },
      { broker: "", topic: "a", path: "x" },
    ]);
  });

  it("tells only the widgets of the key that changed", () => {
    const store = new LiveValueStore();
    const ka = bindingKey({ broker: "", topic: "a", path: "" });
    const kb = bindingKey({ broker: "", topic: "b", path: "" });
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const off = store.subscribe(ka, (v) => seenA.push(v.value));
    store.subscribe(kb, (v) => seenB.push(v.value));
    store.set(ka, { value: 1, at: 0 });
    expect(seenA).toEqual([1]);
    expect(seenB).toEqual([]);
    off();
    store.set(ka, { value: 2, at: 1 });
    expect(seenA).toEqual([1]);
    expect(store.get(ka)?.value).toBe(2);
  });

  it("forgets values no widget shows any more", () => {
    const store = new LiveValueStore();
    store.set("x", { value: 1, at: 0 });
    store.set("y", { value: 1, at: 0 });
    store.retain(["y"]);
    expect(store.get("x")).toBeUndefined();
    expect(store.get("y")).toBeDefined();
  });
});
