import { describe, expect, it } from "vitest";
import { correctionFor, editDistance, filterMatches, topicTypoWarning } from "./topic-typos";

const known = ["house/garage/motion", "house/garage/light", "house/kitchen/temp", "sensor1/state", "$SYS/broker/uptime"];

describe("topic typo warning", () => {
  it("warns about a publish topic one typo away from a seen topic, naming both", () => {
    expect(topicTypoWarning("house/garge/motion", "publish", known)).toEqual({
      message: "No topic 'house/garge/motion' has been seen; did you mean 'house/garage/motion'?",
      suggestion: "house/garage/motion",
    });
  });

  it("says nothing for a topic that has been seen, an empty field or an empty catalogue", () => {
    expect(topicTypoWarning("house/garage/motion", "publish", known)).toBeUndefined();
    expect(topicTypoWarning("", "publish", known)).toBeUndefined();
    expect(topicTypoWarning("house/garge/motion", "publish", [])).toBeUndefined();
  });

  it("says nothing for a new topic that is not close to any seen one", () => {
    expect(topicTypoWarning("house/attic/fan", "publish", known)).toBeUndefined();
    // two levels wrong is a different topic, not a typo
    expect(topicTypoWarning("hous/garge/motion", "publish", known)).toBeUndefined();
    // another level count
    expect(topicTypoWarning("house/garage/motion/x", "publish", known)).toBeUndefined();
  });

  it("counts swapped letters, a missing letter and an extra letter as one typo", () => {
    expect(topicTypoWarning("house/gaarge/light", "publish", known)?.suggestion).toBe("house/garage/light");
    expect(topicTypoWarning("house/kitchen/tmep", "publish", known)?.suggestion).toBe("house/kitchen/temp");
    expect(topicTypoWarning("house/kitchenn/temp", "publish", known)?.suggestion).toBe("house/kitchen/temp");
  });

  it("does not call another device number a typo", () => {
    expect(topicTypoWarning("sensor2/state", "publish", known)).toBeUndefined();
    expect(topicTypoWarning("sensor12/state", "publish", known)).toBeUndefined();
  });

  it("checks wildcard filters against what they would match, keeping the wildcards", () => {
    expect(topicTypoWarning("house/+/motion", "filter", known)).toBeUndefined();
    expect(topicTypoWarning("house/#", "filter", known)).toBeUndefined();
    expect(topicTypoWarning("house/+/motoin", "filter", known)).toEqual({
      message: "No topic matching 'house/+/motoin' has been seen; did you mean 'house/+/motion'?",
      suggestion: "house/+/motion",
    });
    expect(topicTypoWarning("hose/#", "filter", known)?.suggestion).toBe("house/#");
    expect(topicTypoWarning("house/garge/+", "filter", known)?.suggestion).toBe("house/garage/+");
  });

  it("a filter starting with a wildcard does not match or suggest $ topics", () => {
    expect(topicTypoWarning("+/broker/uptime", "filter", ["$SYS/broker/uptime"])).toBeUndefined();
    expect(topicTypoWarning("$SYS/brokr/uptime", "filter", known)?.suggestion).toBe("$SYS/broker/uptime");
  });

  it("ignores a publish topic holding wildcards (the form reports it as invalid)", () => {
    expect(topicTypoWarning("house/+/motoin", "publish", known)).toBeUndefined();
  });
});

describe("helpers", () => {
  it("MQTT filter matching: the 15-case exercise", () => {
    const yes = ["#", "+/+/+/+", "+/b/c/#", "+/b/c/d", "a/#", "a/+/+/d", "a/+/c/d", "a/b/#", "a/b/c/#", "a/b/c/d"];
    const no = ["+/+/+", "a/b/c", "b/+/c/d", "a/b/c/d/+"];
    for (const f of yes) expect(filterMatches(f, "a/b/c/d"), f).toBe(true);
    for (const f of no) expect(filterMatches(f, "a/b/c/d"), f).toBe(false);
    // a/b/c/d/# also matches its parent level
    expect(filterMatches("a/b/c/d/#", "a/b/c/d")).toBe(true);
  });

  it("edit distance with transpositions", () => {
    expect(editDistance("garage", "garge")).toBe(1);
    expect(editDistance("motion", "motoin")).toBe(1);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("kitchen", "bedroom")).toBeGreaterThan(1);
  });

  it("correctionFor needs exactly one differing level", () => {
    expect(correctionFor("a/garge/c", "a/garage/c", "publish")).toBe("a/garage/c");
    expect(correctionFor("a/garage/c", "a/garage/c", "publish")).toBeUndefined();
  });
});
