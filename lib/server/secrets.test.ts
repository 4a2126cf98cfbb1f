import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSecretBox, secretBoxFromKey, SecretError } from "./secrets";

describe("secrets at rest", () => {
  it("round-trips a secret and never stores it in clear", () => {
    const box = secretBoxFromKey(Buffer.alloc(32, 7), "test");
    const sealed = box.seal("hunter2-password");
    expect(sealed).not.toContain("hunter2");
    expect(sealed.startsWith("v1:")).toBe(true);
    expect(box.open(sealed)).toBe("hunter2-password");
    expect(box.seal("")).toBe("");
  });

  it("refuses a value sealed under another key, naming where the key comes from", () => {
    const sealed = secretBoxFromKey(Buffer.alloc(32, 1), "a").seal("x");
    expect(() => secretBoxFromKey(Buffer.alloc(32, 2), "/data/secret.key").open(sealed)).toThrow(/\/data\/secret\.key/);
    expect(() => secretBoxFromKey(Buffer.alloc(32, 2), "k").open("garbage")).toThrow(SecretError);
  });

  it("generates a key file with mode 0600 once and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fh-secret-"));
    const a = loadSecretBox({}, dir);
    const file = path.join(dir, "secret.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const b = loadSecretBox({}, dir);
    expect(b.open(a.seal("same key"))).toBe("same key");
    fs.rmSync(dir, { recursive: true });
  });

  it("takes the key from FLOWHOUSE_SECRET_KEY and rejects a short one", () => {
    const box = loadSecretBox({ FLOWHOUSE_SECRET_KEY: "ab".repeat(32) }, os.tmpdir());
    expect(box.keySource).toBe("env FLOWHOUSE_SECRET_KEY");
    expect(() => loadSecretBox({ FLOWHOUSE_SECRET_KEY: "abc" }, os.tmpdir())).toThrow(/32 bytes/);
  });
});
