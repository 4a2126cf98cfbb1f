// Run with: npx vitest bench --project unit lib/mqtt/trie.bench.ts (not part of the test run)
import { bench, describe } from "vitest";
import { topicMatchesFilter } from "./topic";
import { TopicTrie } from "./trie";

// 1,000 filters like a house of 100 rooms with 10 sensors, plus some wildcards.
const filters: string[] = [];
for (let room = 0; room < 100; room++) {
  for (let sensor = 0; sensor < 9; sensor++) filters.push(`house/room${room}/sensor${sensor}`);
  filters.push(`house/room${room}/+`);
}
filters.push("house/#", "+/room7/#", "#");
const trie = new TopicTrie<string>();
for (const f of filters) trie.add(f, f);
const topics = Array.from({ length: 100 }, (_, i) => `house/room${i}/sensor${i % 10}`);

describe("match one topic against 1,003 filters", () => {
  let i = 0;
  bench("TopicTrie.match", () => {
    trie.match(topics[i++ % topics.length]);
  });
  bench("test every filter (what the trie avoids)", () => {
    const topic = topics[i++ % topics.length];
    filters.filter((f) => topicMatchesFilter(f, topic));
  });
});
