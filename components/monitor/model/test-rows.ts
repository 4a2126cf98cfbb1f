/** A topic row for tests (defaults: one small numeric message). */
import type { TopicRow } from "../../../lib/monitor/events";

export function row(topic: string, over: Partial<TopicRow> = {}): TopicRow {
  return { topic, value: "1", encoding: "utf8", truncated: false, size: 1, retained: false, qos: 0, messages: 1, rate: 0, lastTime: 1000, numeric: true, ...over };
}
