/** The selected topic's message list in the browser: kept in order by sequence number, bounded. Pure. */
import type { MonitorMessage } from "../../../lib/monitor/events";

export const MAX_KEPT_MESSAGES = 500;

/** Appends new messages (oldest first), ignoring ones already held (same seq), keeping the newest `max`. */
export function appendMessages(held: readonly MonitorMessage[], incoming: readonly MonitorMessage[], max = MAX_KEPT_MESSAGES): MonitorMessage[] {
  if (incoming.length === 0) return held as MonitorMessage[];
  const lastSeq = held.length ? held[held.length - 1].seq : -Infinity;
  const fresh = incoming.filter((m) => m.seq > lastSeq);
  if (fresh.length === 0) return held as MonitorMessage[];
  const all = [...held, ...fresh];
  return all.length > max ? all.slice(all.length - max) : all;
}

/** The message before `seq` in the held list (for the diff), or null. */
export function previousOf(held: readonly MonitorMessage[], seq: number): MonitorMessage | null {
  for (let i = held.length - 1; i >= 0; i--) if (held[i].seq < seq) return held[i];
  return null;
}
