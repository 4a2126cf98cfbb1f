/**
 * Updates that arrive while the view is paused: coalesced per topic (a topic that changed
 * 500 times is one row, its newest state), so a long pause costs memory per topic, not per
 * message. Resume applies them in one go. Pure.
 */
import type { MonitorMessage, TopicRow } from "../../../lib/monitor/events";

export class PendingUpdates {
  private readonly rows = new Map<string, TopicRow>();
  private readonly removed = new Set<string>();
  /** Messages of the selected topic that arrived while paused (newest kept). */
  messages: MonitorMessage[] = [];
  /** Batches received while paused. */
  batches = 0;

  constructor(private readonly maxMessages = 500) {}

  addTree(rows: readonly TopicRow[], removed: readonly string[]): void {
    this.batches++;
    for (const t of removed) {
      this.rows.delete(t);
      this.removed.add(t);
    }
    for (const r of rows) {
      this.removed.delete(r.topic);
      this.rows.set(r.topic, r);
    }
  }

  addMessages(messages: readonly MonitorMessage[]): void {
    this.messages = [...this.messages, ...messages];
    if (this.messages.length > this.maxMessages) this.messages = this.messages.slice(this.messages.length - this.maxMessages);
  }

  /** Topics with a newer state waiting. */
  get topicCount(): number {
    return this.rows.size + this.removed.size;
  }

  /** Messages that arrived while paused, from the counters (`current` = the shown message count of a topic). */
  messageCount(current: (topic: string) => number | undefined): number {
    let n = 0;
    for (const r of this.rows.values()) n += Math.max(0, r.messages - (current(r.topic) ?? 0));
    return n;
  }

  get empty(): boolean {
    return this.rows.size === 0 && this.removed.size === 0 && this.messages.length === 0;
  }

  /** Takes everything waiting and empties the buffer. */
  drain(): { rows: TopicRow[]; removed: string[]; messages: MonitorMessage[] } {
    const out = { rows: [...this.rows.values()], removed: [...this.removed], messages: this.messages };
    this.rows.clear();
    this.removed.clear();
    this.messages = [];
    this.batches = 0;
    return out;
  }

  clear(): void {
    this.drain();
  }
}
