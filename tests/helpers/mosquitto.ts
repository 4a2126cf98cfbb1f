/**
 * A real mosquitto for integration tests, on 127.0.0.1 and a port of its own.
 * `restart()` brings it back on the same port (and the same persistence directory).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "./ports";

const MOSQUITTO = "/usr/sbin/mosquitto";

export interface MosquittoOptions {
  /** Keep sessions and retained messages here across restarts (persistence on). */
  persistenceDir?: string;
  /** Default: a free port. */
  port?: number;
  /**
   * Save persistence after EVERY change (`autosave_on_changes true`, `autosave_interval 1`)
   * instead of once a second, so a SIGKILL loses no queued message. Needs persistenceDir.
   */
  saveEveryChange?: boolean;
  /** A second listener with TLS (PEM file paths), on `tlsPort`. */
  tls?: {
    caFile: string;
    certFile: string;
    keyFile: string;
    /** Clients must present a certificate signed by caFile. Default false. */
    requireCertificate?: boolean;
    /** Default: a free port. */
    port?: number;
  };
  /** Extra mosquitto.conf lines (appended). */
  extraConfig?: string[];
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  /** With `tls`: the TLS listener's port and mqtts:// URL. */
  readonly tlsPort?: number;
  readonly tlsUrl?: string;
  /** What mosquitto wrote to stderr since its last start. */
  log(): string;
  /** SIGTERM and wait for exit (mosquitto saves its persistence file). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  /** Start again on the same port and config (after stop/kill, or stops it first). */
  restart(): Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  if (!existsSync(MOSQUITTO)) {
    throw new Error(`mosquitto is not installed at ${MOSQUITTO}: install it: apt-get install -y mosquitto`);
  }
  const port = options.port ?? (await freePort());
  const confDir = await mkdtemp(path.join(tmpdir(), "flowhouse-mosquitto-"));
  const confFile = path.join(confDir, "mosquitto.conf");
  const lines = [`listener ${port} 127.0.0.1`, "allow_anonymous true", "log_dest stderr", "log_type error", "log_type warning"];
  // Started as root, mosquitto drops to the 'mosquitto' user, which cannot write our dirs.
  if (process.getuid?.() === 0) lines.push("user root");
  if (options.persistenceDir) {
    lines.push("persistence true", `persistence_location ${options.persistenceDir.replace(/\/?$/, "/")}`, "autosave_interval 1");
    if (options.saveEveryChange) lines.push("autosave_on_changes true");
  } else {
    lines.push("persistence false");
  }
  const tlsPort = options.tls ? (options.tls.port ?? (await freePort())) : undefined;
  if (options.tls) {
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${options.tls.caFile}`,
      `certfile ${options.tls.certFile}`,
      `keyfile ${options.tls.keyFile}`,
      `require_certificate ${options.tls.requireCertificate ? "true" : "false"}`,
    );
  }
  lines.push(...(options.extraConfig ?? []));
  await writeFile(confFile, lines.join("\n") + "\n");

  let child: ChildProcess | null = null;
  let stderr = "";

  const launch = async () => {
    stderr = "";
    const proc = spawn(MOSQUITTO, ["-c", confFile], { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<never>((_, reject) =>
      proc.once("exit", (code) => reject(new Error(`mosquitto exited with code ${code} while starting on port ${port}: ${stderr.trim()}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 5000), exited]);
    if (tlsPort !== undefined) await Promise.race([waitForPort(tlsPort, 5000), exited]);
  };

  const terminate = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    tlsPort,
    tlsUrl: tlsPort === undefined ? undefined : `mqtts://127.0.0.1:${tlsPort}`,
    log: () => stderr,
    stop: async () => {
      await terminate("SIGTERM");
    },
    kill: async () => {
      await terminate("SIGKILL");
    },
    restart: async () => {
      await terminate("SIGTERM");
      await launch();
    },
  };
}

/** Remove a temp directory made by a test (ignores errors). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
