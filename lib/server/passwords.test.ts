import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword, sameDigest, sha256 } from "./passwords";

describe("passwords", () => {
  it("verifies the right password and refuses a wrong one; the hash is salted", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await hashPassword("correct horse battery")).not.toBe(hash);
  });

  it("refuses a malformed stored hash instead of throwing", async () => {
    expect(await verifyPassword("x", "plaintext")).toBe(false);
  });

  it("compares token digests in constant time and never matches empty digests", () => {
    expect(sameDigest(sha256("a"), sha256("a"))).toBe(true);
    expect(sameDigest(sha256("a"), sha256("b"))).toBe(false);
    expect(sameDigest("", "")).toBe(false);
  });
});
