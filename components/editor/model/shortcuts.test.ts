import { describe, expect, it } from "vitest";
import { isTypingTarget, shortcutFor, type KeyLike } from "./shortcuts";

function k(key: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe("keyboard shortcuts", () => {
  it("ctrl or cmd+Z undoes; ctrl+shift+Z and ctrl+Y redo", () => {
    expect(shortcutFor(k("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutFor(k("z", { metaKey: true }))).toBe("undo");
    expect(shortcutFor(k("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(k("y", { ctrlKey: true }))).toBe("redo");
  });

  it("ctrl+D duplicates, ctrl+A selects all, / opens quick-add, ? opens help", () => {
    expect(shortcutFor(k("d", { ctrlKey: true }))).toBe("duplicate");
    expect(shortcutFor(k("a", { ctrlKey: true }))).toBe("selectAll");
    expect(shortcutFor(k("/"))).toBe("quickAdd");
    expect(shortcutFor(k("?", { shiftKey: true }))).toBe("help");
  });

  it("G toggles the grid, shift+G aligns to it", () => {
    expect(shortcutFor(k("g"))).toBe("toggleSnap");
    expect(shortcutFor(k("G", { shiftKey: true }))).toBe("alignToGrid");
  });

  it("plain letters and ctrl+C/V are left alone (clipboard goes through the browser's events)", () => {
    expect(shortcutFor(k("a"))).toBeNull();
    expect(shortcutFor(k("c", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(k("v", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(k("z", { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it("keys typed in text fields are not shortcuts, but checkboxes and buttons are not text fields", () => {
    expect(isTypingTarget({ tagName: "INPUT", type: "text" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
