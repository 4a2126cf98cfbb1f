/**
 * Process configuration from the environment, validated once at start. These variable
 * names are a contract (README's env table, scripts, benchmarks).
 */
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { z } from "zod";

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({ code: "custom", message: `${name} must be a port number 0–65535, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const coordinate = (name: string, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || Math.abs(n) > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a number between -${max} and ${max} (decimal degrees), got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  PORT: port("PORT", 3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().trim().min(1).default("file:./data/flowhouse.db"),
  MQTT_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^(mqtts?|wss?|tcp|ssl):\/\//.test(v), {
      message: "MQTT_URL must start with mqtt://, mqtts://, ws:// or wss:// (e.g. mqtt://user:pass@192.168.1.10:1883)",
    }),
  MQTT_PORT: port("MQTT_PORT", 1883),
  FLOWHOUSE_DATA_DIR: z.string().trim().min(1).default("./data"),
  FLOWHOUSE_ADMIN_PASSWORD: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || v.length >= 8, {
      message: "FLOWHOUSE_ADMIN_PASSWORD must have at least 8 characters",
    }),
  FLOWHOUSE_LATITUDE: coordinate("FLOWHOUSE_LATITUDE", 90),
  FLOWHOUSE_LONGITUDE: coordinate("FLOWHOUSE_LONGITUDE", 180),
  FLOWHOUSE_API_TOKEN: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || v.length >= 16, {
      message: "FLOWHOUSE_API_TOKEN must have at least 16 characters (e.g. `openssl rand -hex 24`)",
    }),
  // Embedded broker security (ignored when MQTT_URL points at an external broker).
  FLOWHOUSE_BROKER_USERNAME: optionalText.refine((v) => v === undefined || !/[:\s]/.test(v), {
    message: "FLOWHOUSE_BROKER_USERNAME must not contain ':' or spaces (it goes into mqtt://user:pass@host URLs)",
  }),
  FLOWHOUSE_BROKER_PASSWORD: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 8, {
      message: "FLOWHOUSE_BROKER_PASSWORD must have at least 8 characters (e.g. `openssl rand -hex 16`)",
    })
    // MQTT.js splits the URL's user:password at the last ':' (the app connects through
    // mqtt://user:pass@host), so a ':' in the password would cut it.
    .refine((v) => v === undefined || !v.includes(":"), {
      message: "FLOWHOUSE_BROKER_PASSWORD must not contain ':' (e.g. `openssl rand -hex 16`)",
    }),
  FLOWHOUSE_BROKER_HOST: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : "127.0.0.1"))
    .refine((v) => /^[A-Za-z0-9.:_-]+$/.test(v), {
      message: "FLOWHOUSE_BROKER_HOST must be an IP address or host name to listen on (e.g. 127.0.0.1, 0.0.0.0 for every interface)",
    }),
  FLOWHOUSE_BROKER_TLS_PORT: port("FLOWHOUSE_BROKER_TLS_PORT", -1),
  FLOWHOUSE_BROKER_TLS_CERT: optionalText,
  FLOWHOUSE_BROKER_TLS_KEY: optionalText,
});

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** External broker; undefined → the embedded broker. */
  mqttUrl: string | undefined;
  mqttPort: number;
  dataDir: string;
  adminPassword: string | undefined;
  apiToken: string | undefined;
  /** Credentials the embedded broker requires (and the app's own connections use); both or neither. */
  brokerAuth: { username: string; password: string } | undefined;
  /** Where the embedded broker listens (default 127.0.0.1: loopback only). */
  brokerHost: string;
  /** A second, TLS listener of the embedded broker (PEM files, checked at start). */
  brokerTls: BrokerTlsConfig | undefined;
  /** For sun times (time window node); both or neither. */
  location: { latitude: number; longitude: number } | undefined;
  dev: boolean;
}

export interface BrokerTlsConfig {
  port: number;
  certFile: string;
  keyFile: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, opts: { dev: boolean }): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      "Invalid environment:\n" + parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n"),
    );
  }
  const e = parsed.data;
  if ((e.FLOWHOUSE_LATITUDE === undefined) !== (e.FLOWHOUSE_LONGITUDE === undefined)) {
    throw new ConfigError("Invalid environment:\n  - set both FLOWHOUSE_LATITUDE and FLOWHOUSE_LONGITUDE, or neither");
  }
  const problems: string[] = [];
  if ((e.FLOWHOUSE_BROKER_USERNAME === undefined) !== (e.FLOWHOUSE_BROKER_PASSWORD === undefined)) {
    problems.push(
      `set both FLOWHOUSE_BROKER_USERNAME and FLOWHOUSE_BROKER_PASSWORD, or neither (only ${e.FLOWHOUSE_BROKER_USERNAME === undefined ? "the password" : "the user name"} is set)`,
    );
  }
  let brokerTls: BrokerTlsConfig | undefined;
  const tlsSet = [
    ["FLOWHOUSE_BROKER_TLS_PORT", e.FLOWHOUSE_BROKER_TLS_PORT >= 0],
    ["FLOWHOUSE_BROKER_TLS_CERT", e.FLOWHOUSE_BROKER_TLS_CERT !== undefined],
    ["FLOWHOUSE_BROKER_TLS_KEY", e.FLOWHOUSE_BROKER_TLS_KEY !== undefined],
  ] as const;
  const missing = tlsSet.filter(([, set]) => !set).map(([name]) => name);
  if (missing.length === 0) {
    brokerTls = {
      port: e.FLOWHOUSE_BROKER_TLS_PORT,
      certFile: path.resolve(e.FLOWHOUSE_BROKER_TLS_CERT!),
      keyFile: path.resolve(e.FLOWHOUSE_BROKER_TLS_KEY!),
    };
    if (brokerTls.port !== 0 && brokerTls.port === e.MQTT_PORT) {
      problems.push(`FLOWHOUSE_BROKER_TLS_PORT must differ from MQTT_PORT (both are ${brokerTls.port})`);
    } else {
      try {
        readBrokerTlsFiles(brokerTls);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  } else if (missing.length < tlsSet.length) {
    problems.push(
      `the embedded broker's TLS listener needs FLOWHOUSE_BROKER_TLS_PORT, FLOWHOUSE_BROKER_TLS_CERT and FLOWHOUSE_BROKER_TLS_KEY together: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing`,
    );
  }
  if (problems.length) throw new ConfigError("Invalid environment:\n" + problems.map((p) => `  - ${p}`).join("\n"));
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
    mqttPort: e.MQTT_PORT,
    dataDir: path.resolve(e.FLOWHOUSE_DATA_DIR),
    adminPassword: e.FLOWHOUSE_ADMIN_PASSWORD || undefined,
    apiToken: e.FLOWHOUSE_API_TOKEN || undefined,
    brokerAuth:
      e.FLOWHOUSE_BROKER_USERNAME !== undefined && e.FLOWHOUSE_BROKER_PASSWORD !== undefined
        ? { username: e.FLOWHOUSE_BROKER_USERNAME, password: e.FLOWHOUSE_BROKER_PASSWORD }
        : undefined,
    brokerHost: e.FLOWHOUSE_BROKER_HOST,
    brokerTls,
    location:
      e.FLOWHOUSE_LATITUDE !== undefined && e.FLOWHOUSE_LONGITUDE !== undefined
        ? { latitude: e.FLOWHOUSE_LATITUDE, longitude: e.FLOWHOUSE_LONGITUDE }
        : undefined,
    dev: opts.dev,
  };
}

/**
 * Reads and checks the embedded broker's TLS certificate and key (PEM). Throws a ConfigError
 * naming the variable and what is wrong: missing, unreadable, not PEM, or not a pair.
 */
export function readBrokerTlsFiles(t: BrokerTlsConfig): { cert: Buffer; key: Buffer } {
  const read = (name: string, file: string, kind: "certificate" | "private key"): Buffer => {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied: check the file's owner and mode)" : code === "EISDIR" ? "is a directory, not a file" : (err as Error).message;
      throw new ConfigError(`${name}: the ${kind} file ${file} ${why}`);
    }
    const text = data.toString("latin1");
    const ok = kind === "certificate" ? /-----BEGIN CERTIFICATE-----/.test(text) : /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
    if (!ok) {
      throw new ConfigError(
        `${name}: ${file} is not a PEM ${kind} (expected a text file with a '-----BEGIN ${kind === "certificate" ? "CERTIFICATE" : "PRIVATE KEY"}-----' line; convert DER files with openssl)`,
      );
    }
    return data;
  };
  const cert = read("FLOWHOUSE_BROKER_TLS_CERT", t.certFile, "certificate");
  const key = read("FLOWHOUSE_BROKER_TLS_KEY", t.keyFile, "private key");
  try {
    tls.createSecureContext({ cert, key });
  } catch (err) {
    const text = (err as Error).message;
    throw new ConfigError(
      /mismatch/i.test(text)
        ? `FLOWHOUSE_BROKER_TLS_KEY: ${t.keyFile} is not the private key of the certificate ${t.certFile}`
        : `FLOWHOUSE_BROKER_TLS_CERT/FLOWHOUSE_BROKER_TLS_KEY: ${t.certFile} and ${t.keyFile} cannot be used for TLS: ${text} (encrypted keys are not supported: remove the passphrase with \`openssl pkey -in key.pem -out key.pem\`)`,
    );
  }
  return { cert, key };
}

/** The broker URL with any password replaced, for logs and /api/health. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
