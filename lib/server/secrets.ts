/**
 * Secrets at rest (broker passwords, private keys): AES-256-GCM under a 32-byte key that
 * never lives in the database. The key comes from FLOWHOUSE_SECRET_KEY (64 hex chars or
 * base64 of 32 bytes) or from `<data dir>/secret.key`, generated on first start with mode
 * 0600. A sealed value is `v1:<iv b64>:<tag b64>:<ciphertext b64>`; opening one sealed
 * under another key fails with an error that says which key to restore.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface SecretBox {
  /** Encrypts a string; "" stays "" (nothing to hide). */
  seal(plain: string): string;
  /** Decrypts what seal() produced; throws SecretError when the key is wrong or the value damaged. */
  open(sealed: string): string;
  /** Where the key came from, for the startup banner ("env FLOWHOUSE_SECRET_KEY" or the file path). */
  readonly keySource: string;
}

export class SecretError extends Error {}

export function secretBoxFromKey(key: Buffer, keySource: string): SecretBox {
  if (key.length !== 32) throw new SecretError(`The secret key must be 32 bytes, got ${key.length} (${keySource})`);
  return {
    keySource,
    seal(plain) {
      if (plain === "") return "";
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${data.toString("base64")}`;
    },
    open(sealed) {
      if (sealed === "") return "";
      const parts = sealed.split(":");
      if (parts.length !== 4 || parts[0] !== "v1") throw new SecretError("A stored secret is not in the v1 format: it was not written by Flowhouse");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts[1], "base64"));
        decipher.setAuthTag(Buffer.from(parts[2], "base64"));
        return Buffer.concat([decipher.update(Buffer.from(parts[3], "base64")), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretError(
          `A stored secret cannot be decrypted with the key from ${keySource}: restore the key it was saved with, or enter the secret again`,
        );
      }
    },
  };
}

function parseKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) {
    throw new SecretError(`${source} must hold 32 bytes as 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`), got ${key.length} bytes`);
  }
  return key;
}

/** The key from env FLOWHOUSE_SECRET_KEY, else `<dataDir>/secret.key` (created 0600 if missing). */
export function loadSecretBox(env: Readonly<Record<string, string | undefined>>, dataDir: string): SecretBox {
  const fromEnv = env.FLOWHOUSE_SECRET_KEY;
  if (fromEnv && fromEnv.trim() !== "") return secretBoxFromKey(parseKey(fromEnv, "FLOWHOUSE_SECRET_KEY"), "env FLOWHOUSE_SECRET_KEY");
  const file = path.join(dataDir, "secret.key");
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    const fd = fs.openSync(file, "wx", 0o600);
    fs.writeSync(fd, randomBytes(32).toString("hex") + "\n");
    fs.closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  return secretBoxFromKey(parseKey(fs.readFileSync(file, "utf8"), file), file);
}
