/**
 * The debug sidebar's view of its messages: filter by node, by flow and by text, and pause
 * (the list freezes while new messages keep arriving and are counted). Pure.
 */
import type { DebugMessageEvent } from "../../../lib/server/events";

export interface DebugFilter {
  /** Only this node's messages ("" = all nodes) */
  nodeId: string;
  /** Only this flow's messages ("" = all flows) */
  flowId: string;
  /** Words found in the node name, topic, property or value (case-insensitive) */
  text: string;
}

export const NO_FILTER: DebugFilter = { nodeId: "", flowId: "", text: "" };

export function isFiltering(f: DebugFilter): boolean {
  return f.nodeId !== "" || f.flowId !== "" || f.text.trim() !== "";
}

function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function filterDebug(entries: readonly DebugMessageEvent[], filter: DebugFilter, nodeName: (id: string, fallback: string) => string = (_, f) => f): readonly DebugMessageEvent[] {
  if (!isFiltering(filter)) return entries;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    if (filter.nodeId && e.nodeId !== filter.nodeId) return false;
    if (filter.flowId && e.flowId !== filter.flowId) return false;
    if (words.length === 0) return true;
    const hay = `${nodeName(e.nodeId, e.nodeName)} ${e.nodeName} ${e.topic ?? ""} ${e.property} ${valueText(e.value)}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * While paused the sidebar shows `frozen` (the list when pause was pressed); `waiting` is how
 * many messages arrived since (found by the last frozen message; all of them if it was
 * pushed out of the bounded list).
 */
export function pausedView(frozen: readonly DebugMessageEvent[], current: readonly DebugMessageEvent[]): { shown: readonly DebugMessageEvent[]; waiting: number } {
  if (current.length === 0) return { shown: [], waiting: 0 }; // cleared while paused
  const last = frozen.at(-1);
  if (!last) return { shown: frozen, waiting: current.length };
  for (let i = current.length - 1; i >= 0; i--) {
    if (current[i].id === last.id) return { shown: frozen, waiting: current.length - 1 - i };
  }
  return { shown: frozen, waiting: current.length };
}

/** Nodes and flows that sent messages, for the filter selects (first seen first). */
export function debugSources(entries: readonly DebugMessageEvent[]): { nodes: { id: string; name: string }[]; flows: string[] } {
  const nodes = new Map<string, string>();
  const flows = new Set<string>();
  for (const e of entries) {
    if (!nodes.has(e.nodeId)) nodes.set(e.nodeId, e.nodeName);
    if (e.flowId) flows.add(e.flowId);
  }
  return { nodes: [...nodes].map(([id, name]) => ({ id, name })), flows: [...flows] };
}

/** The text "copy value" puts on the clipboard: strings as they are, the rest as JSON. */
export function copyText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
