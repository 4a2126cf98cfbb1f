/**
 * Undo/redo for the flow document: a bounded stack of immutable snapshots. Pure; the editor
 * keeps one `History<FlowDocument>` and sets its document to `present` after each step.
 *
 * Coalescing: an edit recorded with a `group` key that matches the previous edit's key,
 * within `coalesceMs` of it, replaces the present instead of pushing a new step. So typing
 * "house/+/motion" into one field is one undo step, and a node drag (all of its position
 * updates share one gesture key, with `coalesceMs: Infinity`) is one step too. `seal()`
 * ends a group early (drag stop, field blur).
 */

export interface HistoryGroup {
  key: string;
  /** ms timestamp of the last edit in the group */
  at: number;
  coalesceMs: number;
}

export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  readonly group: HistoryGroup | null;
  /** most undo steps kept; the oldest fall off */
  readonly limit: number;
}

export const DEFAULT_HISTORY_LIMIT = 200;
export const DEFAULT_COALESCE_MS = 1000;

export interface RecordOptions {
  /** edits with the same key in quick succession become one undo step */
  group?: string;
  /** ms timestamp of this edit (injectable for tests) */
  now?: number;
  /** max gap between two edits of a group; Infinity for gestures ended by seal() */
  coalesceMs?: number;
}

export function createHistory<T>(present: T, limit = DEFAULT_HISTORY_LIMIT): History<T> {
  return { past: [], present, future: [], group: null, limit: Math.max(1, limit) };
}

/** Records `next` as the new present. An identical (===) document records nothing. */
export function record<T>(h: History<T>, next: T, opts: RecordOptions = {}): History<T> {
  if (next === h.present) return h;
  const now = opts.now ?? Date.now();
  const coalesceMs = opts.coalesceMs ?? DEFAULT_COALESCE_MS;
  const g = h.group;
  const group = opts.group ? { key: opts.group, at: now, coalesceMs } : null;
  if (opts.group && g && g.key === opts.group && now - g.at <= g.coalesceMs) {
    return { ...h, present: next, future: [], group };
  }
  const past = [...h.past, h.present];
  if (past.length > h.limit) past.splice(0, past.length - h.limit);
  return { ...h, past, present: next, future: [], group };
}

/** Replaces the present without an undo step (e.g. a server-side normalisation). */
export function replacePresent<T>(h: History<T>, next: T): History<T> {
  return next === h.present ? h : { ...h, present: next };
}

/** Ends the current coalescing group: the next edit is a new step. */
export function seal<T>(h: History<T>): History<T> {
  return h.group ? { ...h, group: null } : h;
}

export function canUndo<T>(h: History<T>): boolean {
  return h.past.length > 0;
}

export function canRedo<T>(h: History<T>): boolean {
  return h.future.length > 0;
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const previous = h.past[h.past.length - 1];
  return { ...h, past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], group: null };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...rest] = h.future;
  return { ...h, past: [...h.past, h.present], present: next, future: rest, group: null };
}
