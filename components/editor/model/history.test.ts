import { describe, expect, it } from "vitest";
import { canRedo, canUndo, createHistory, record, redo, replacePresent, seal, undo } from "./history";

describe("undo history", () => {
  it("undo goes back one edit and redo forward again", () => {
    let h = createHistory("a");
    h = record(h, "ab", { now: 0 });
    h = record(h, "abc", { now: 5000 });
    h = undo(h);
    expect(h.present).toBe("ab");
    h = undo(h);
    expect(h.present).toBe("a");
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    h = redo(h);
    expect(h.present).toBe("abc");
    expect(canRedo(h)).toBe(false);
  });

  it("a new edit after undo drops the redo steps", () => {
    let h = record(createHistory(1), 2, { now: 0 });
    h = undo(h);
    h = record(h, 3, { now: 10 });
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(1);
  });

  it("keeps only the newest steps up to the limit", () => {
    let h = createHistory(0, 3);
    for (let i = 1; i <= 10; i++) h = record(h, i, { now: i * 10_000 });
    expect(h.past).toEqual([7, 8, 9]);
    h = undo(undo(undo(h)));
    expect(h.present).toBe(7);
    expect(canUndo(h)).toBe(false);
  });

  it("typing quickly in one field is one undo step", () => {
    let h = createHistory("");
    let text = "";
    for (const [i, ch] of [..."house/+/motion"].entries()) {
      text += ch;
      h = record(h, text, { group: "config:n1", now: i * 150 });
    }
    expect(h.present).toBe("house/+/motion");
    expect(undo(h).present).toBe("");
  });

  it("a pause in typing starts a new undo step", () => {
    let h = createHistory("");
    h = record(h, "a", { group: "config:n1", now: 0 });
    h = record(h, "ab", { group: "config:n1", now: 300 });
    h = record(h, "abc", { group: "config:n1", now: 3000 });
    expect(undo(h).present).toBe("ab");
  });

  it("edits of another field are separate steps even in quick succession", () => {
    let h = createHistory("");
    h = record(h, "a", { group: "config:n1", now: 0 });
    h = record(h, "a|b", { group: "config:n2", now: 100 });
    expect(undo(h).present).toBe("a");
  });

  it("a node drag is one step however many moves (and pauses) it has, and the next drag is another", () => {
    let h = createHistory({ x: 0 });
    for (let i = 1; i <= 60; i++) h = record(h, { x: i }, { group: "drag:1", coalesceMs: Infinity, now: i * 2000 });
    h = seal(h);
    h = record(h, { x: 100 }, { group: "drag:1", coalesceMs: Infinity, now: 200_000 });
    expect(h.past).toHaveLength(2);
    expect(undo(h).present).toEqual({ x: 60 });
    expect(undo(undo(h)).present).toEqual({ x: 0 });
  });

  it("recording the same document is not an undo step", () => {
    const h = createHistory({ a: 1 });
    expect(record(h, h.present)).toBe(h);
  });

  it("replacing the present does not add an undo step", () => {
    let h = record(createHistory(1), 2, { now: 0 });
    h = replacePresent(h, 3);
    expect(h.present).toBe(3);
    expect(undo(h).present).toBe(1);
  });

  it("undo after a coalesced group does not merge the next edit into it", () => {
    let h = createHistory("");
    h = record(h, "a", { group: "g", now: 0 });
    h = undo(h);
    h = record(h, "b", { group: "g", now: 10 });
    h = record(h, "bc", { group: "g", now: 20 });
    expect(h.past).toEqual([""]);
  });
});
