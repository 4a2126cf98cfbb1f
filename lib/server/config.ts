/**
 * Process configuration from the environment, validated once at start. These variable
 * names are a contract (README's env table, scripts, benchmarks).
 */
import path from "node:path";
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
  /** For sun times (time window node); both or neither. */
  location: { latitude: number; longitude: number } | undefined;
  dev: boolean;
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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
    mqttPort: e.MQTT_PORT,
    dataDir: path.resolve(e.FLOWHOUSE_DATA_DIR),
    adminPassword: e.FLOWHOUSE_ADMIN_PASSWORD || undefined,
    apiToken: e.FLOWHOUSE_API_TOKEN || undefined,
    location:
      e.FLOWHOUSE_LATITUDE !== undefined && e.FLOWHOUSE_LONGITUDE !== undefined
        ? { latitude: e.FLOWHOUSE_LATITUDE, longitude: e.FLOWHOUSE_LONGITUDE }
        : undefined,
    dev: opts.dev,
  };
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
