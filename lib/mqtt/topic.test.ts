import { describe, expect, it } from "vitest";
import {
  dispatchFilter,
  filtersOverlap,
  isSharedFilter,
  joinFilters,
  topicLevels,
  topicMatchesFilter,
  utf8ByteLength,
  validatePublishTopic,
  validateTopicFilter,
} from "./topic";

describe("validatePublishTopic", () => {
  it("accepts ordinary topics, empty levels and '$' topics", () => {
    for (const topic of ["house/garage/motion", "a", "/a", "a//b", "a/", "$SYS/x", "über/größe", " "]) {
      expect(validatePublishTopic(topic)).toBeNull();
    }
  });

  it("rejects an empty topic and says what to enter", () => {
    expect(validatePublishTopic("")).toMatch(/topic is empty.*house\/garage\/motion/);
  });

  it("rejects wildcards in a publish topic and suggests a concrete one", () => {
    expect(validatePublishTopic("house/+/motion")).toBe(
      "topic 'house/+/motion': wildcards '+' and '#' are only allowed in subscriptions, not when publishing: use a concrete topic such as 'house/x/motion'",
    );
    expect(validatePublishTopic("house/#")).toMatch(/wildcards/);
    expect(validatePublishTopic("a+b")).toMatch(/wildcards/);
  });

  it("rejects a NUL character", () => {
    expect(validatePublishTopic("a\u0000b")).toMatch(/NUL character \(U\+0000\)/);
  });

  it("rejects topics longer than 65535 UTF-8 bytes, counting multi-byte characters", () => {
    expect(validatePublishTopic("a".repeat(65535))).toBeNull();
    expect(validatePublishTopic("a".repeat(65536))).toMatch(/65536 bytes long: the limit is 65535 bytes/);
    // 'é' is 2 bytes: 32768 of them are 65536 bytes though only 32768 characters.
    expect(validatePublishTopic("é".repeat(32768))).toMatch(/65536 bytes/);
  });
});

describe("validateTopicFilter", () => {
  it("accepts valid filters", () => {
    for (const filter of ["#", "+", "a/#", "+/+", "/+", "a/+/c", "a//b", "$SYS/#", "sport/tennis/+", "+/#"]) {
      expect(validateTopicFilter(filter), filter).toBeNull();
    }
  });

  it("explains that '#' must be the last level", () => {
    expect(validateTopicFilter("a/#/b")).toBe("topic filter 'a/#/b': '#' must be the last level, e.g. 'a/#'");
  });

  it("explains that wildcards must occupy a whole level", () => {
    expect(validateTopicFilter("a/b#")).toBe("topic filter 'a/b#': '#' must occupy a whole level, e.g. 'a/#' instead of 'b#'");
    expect(validateTopicFilter("sport+")).toBe("topic filter 'sport+': '+' must occupy a whole level, e.g. '+' instead of 'sport+'");
    expect(validateTopicFilter("a/b+/c")).toMatch(/'\+' must occupy a whole level, e.g. 'a\/\+\/c'/);
  });

  it("rejects empty filters, NUL and over-long filters", () => {
    expect(validateTopicFilter("")).toMatch(/topic filter is empty/);
    expect(validateTopicFilter("a/\u0000")).toMatch(/NUL/);
    expect(validateTopicFilter("#".padStart(65536, "a"))).toMatch(/limit is 65535 bytes/);
  });

  it("accepts shared subscriptions and checks the group and the inner filter", () => {
    expect(validateTopicFilter("$share/workers/house/+/motion")).toBeNull();
    expect(validateTopicFilter("$share/g/#")).toBeNull();
    expect(validateTopicFilter("$share//a")).toMatch(/needs a group name/);
    expect(validateTopicFilter("$share/g+/a")).toMatch(/group 'g\+' must not contain/);
    expect(validateTopicFilter("$share/g")).toMatch(/needs a filter after the group, e.g. '\$share\/g\/a\/b'/);
    expect(validateTopicFilter("$share/g/")).toMatch(/needs a filter after the group/);
    expect(validateTopicFilter("$share/g/a/#/b")).toBe("topic filter '$share/g/a/#/b': '#' must be the last level, e.g. 'a/#'");
  });
});

describe("filter helpers", () => {
  it("splits levels keeping empty ones", () => {
    expect(topicLevels("/a//b/")).toEqual(["", "a", "", "b", ""]);
  });

  it("counts UTF-8 bytes like Buffer.byteLength", () => {
    for (const text of ["abc", "é", "€", "😀", "a😀b", "\ud800x"]) {
      expect(utf8ByteLength(text), text).toBe(Buffer.byteLength(text, "utf8"));
    }
  });

  it("finds the filter a shared subscription dispatches by", () => {
    expect(isSharedFilter("$share/g/a/#")).toBe(true);
    expect(isSharedFilter("a/#")).toBe(false);
    expect(dispatchFilter("$share/g/a/#")).toBe("a/#");
    expect(dispatchFilter("a/+")).toBe("a/+");
  });

  it("knows when two filters can match the same topic", () => {
    const overlapping: [string, string][] = [
      ["a/b", "a/#"], ["a", "a/#"], ["a/+", "+/b"], ["#", "+/x"], ["a/+", "a/b/#"],
      ["$SYS/#", "$SYS/+"], ["+", "+"], ["a//b", "a/+/b"],
    ];
    const disjoint: [string, string][] = [
      ["a/b", "a/c"], ["a", "a/+"], ["a/b/#", "a"], ["$SYS/x", "+/x"], ["#", "$SYS/#"],
      ["a/+", "a/+/c"], ["$a/x", "$b/x"],
    ];
    for (const [x, y] of overlapping) {
      expect(filtersOverlap(x, y), `${x} ~ ${y}`).toBe(true);
      expect(filtersOverlap(y, x), `${y} ~ ${x}`).toBe(true);
    }
    for (const [x, y] of disjoint) {
      expect(filtersOverlap(x, y), `${x} !~ ${y}`).toBe(false);
      expect(filtersOverlap(y, x), `${y} !~ ${x}`).toBe(false);
    }
  });

  it("joins overlapping filters into one that covers both", () => {
    expect(joinFilters("a/b", "a/#")).toBe("a/#");
    expect(joinFilters("a", "a/#")).toBe("a/#");
    expect(joinFilters("a/+", "+/b")).toBe("+/+");
    expect(joinFilters("a/+", "a/b/#")).toBe("a/+/#");
    expect(joinFilters("$SYS/a", "$SYS/+")).toBe("$SYS/+");
    const samples = ["a/b", "a/c", "a", "a/b/c", "x/b", "$SYS/a"];
    for (const [x, y] of [["a/+", "+/b"], ["a/+", "a/b/#"], ["a", "a/#"]]) {
      const joined = joinFilters(x, y);
      for (const topic of samples) {
        if (topicMatchesFilter(x, topic) || topicMatchesFilter(y, topic)) {
          expect(topicMatchesFilter(joined, topic), `${joined} covers ${topic}`).toBe(true);
        }
      }
    }
  });

  it("matches single topics against filters", () => {
    expect(topicMatchesFilter("a/#", "a")).toBe(true);
    expect(topicMatchesFilter("sport/+", "sport/")).toBe(true);
    expect(topicMatchesFilter("sport/+", "sport")).toBe(false);
    expect(topicMatchesFilter("#", "$SYS/x")).toBe(false);
    expect(topicMatchesFilter("+/x", "$SYS/x")).toBe(false);
    expect(topicMatchesFilter("$SYS/#", "$SYS/x")).toBe(true);
    expect(topicMatchesFilter("+/+", "/finance")).toBe(true);
  });
});
