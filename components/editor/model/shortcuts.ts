/**
 * The editor's keyboard shortcuts: one table drives both the key handler and the help
 * dialog, so what the dialog shows is what the keys do. Pure.
 *
 * Copy, cut and paste run through the browser's clipboard events (so the system clipboard
 * works without a permission prompt); they are listed here for the dialog only.
 */

export type ShortcutAction =
  | "undo"
  | "redo"
  | "duplicate"
  | "selectAll"
  | "quickAdd"
  | "help"
  | "toggleSnap"
  | "alignToGrid"
  | "fitView"
  | "deselect";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface ShortcutHelp {
  keys: string;
  what: string;
}

export const SHORTCUT_HELP: readonly { group: string; items: readonly ShortcutHelp[] }[] = [
  {
    group: "Edit",
    items: [
      { keys: "Ctrl+Z", what: "Undo" },
      { keys: "Ctrl+Shift+Z / Ctrl+Y", what: "Redo" },
      { keys: "Ctrl+C / Ctrl+X / Ctrl+V", what: "Copy, cut, paste (Node-RED flows.json: works with Node-RED too)" },
      { keys: "Ctrl+D", what: "Duplicate the selection" },
      { keys: "Delete / Backspace", what: "Delete the selected nodes and wires" },
      { keys: "Ctrl+A", what: "Select every node on the tab" },
      { keys: "Escape", what: "Clear the selection, close a dialog" },
    ],
  },
  {
    group: "Canvas",
    items: [
      { keys: "/  or  Ctrl+click", what: "Quick-add a node where the pointer is" },
      { keys: "Shift+drag", what: "Box-select nodes" },
      { keys: "Shift+click", what: "Add a node to the selection" },
      { keys: "Arrow keys", what: "Move the selected nodes" },
      { keys: "G", what: "Snap to the 20 px grid on/off" },
      { keys: "Shift+G", what: "Align the selection (or the tab) to the grid" },
      { keys: "Shift+1", what: "Fit the whole flow in view" },
      { keys: "Tab / Enter", what: "Move focus between nodes, select the focused node" },
    ],
  },
  {
    group: "Tabs",
    items: [
      { keys: "Double-click / F2", what: "Rename the tab" },
      { keys: "Alt+← / Alt+→", what: "Move the focused tab left or right" },
      { keys: "?", what: "Show this list" },
    ],
  },
];

/** Which editor action a key press asks for, or null. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey) {
    if (key === "z") return e.shiftKey ? "redo" : "undo";
    if (key === "y" && !e.shiftKey) return "redo";
    if (key === "d" && !e.shiftKey) return "duplicate";
    if (key === "a" && !e.shiftKey) return "selectAll";
    return null;
  }
  if (e.altKey) return null;
  if (e.key === "?") return "help";
  if (e.key === "/") return "quickAdd";
  if (key === "g") return e.shiftKey ? "alignToGrid" : "toggleSnap";
  if (e.key === "!" || (e.shiftKey && e.key === "1")) return "fitView";
  if (e.key === "Escape") return "deselect";
  return null;
}

/** True when keys typed at `target` belong to a text field, not to the canvas. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== "string") return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (el.type ?? "text").toLowerCase();
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
}
