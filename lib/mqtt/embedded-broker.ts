/**
 * The embedded MQTT broker (aedes 1.2, MQTT 3.1.1 only), used when no external broker is
 * configured.
 *
 * With `persistenceDir`, sessions, QoS 1/2 messages queued for offline `clean: false`
 * clients and retained messages are kept in a LevelDB (aedes-persistence-level over
 * classic-level) and survive a restart; without it they live in memory.
 *
 * Caveat (measured, see /work/shared/STACK.md): with level persistence an *online*
 * `clean: false` QoS 1 subscriber can miss a few messages live (aedes drops packets it
 * sees out of order; they arrive at the next reconnect). The app's own connection to this
 * broker therefore uses `clean: true`; persistent sessions are for outside clients.
 */
import { mkdir } from "node:fs/promises";
import net from "node:net";
import { Aedes } from "aedes";
import aedesPersistenceLevel, { type AedesLevelPersistence } from "aedes-persistence-level";
import { ClassicLevel } from "classic-level";

export interface EmbeddedBrokerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one (read it back from `port`). */
  port: number;
  /** Directory for the LevelDB (created if missing). In memory when omitted. */
  persistenceDir?: string;
}

export interface EmbeddedBroker {
  /** mqtt://host:port with the real port. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly aedes: Aedes;
  /** Stop listening, disconnect clients, close the database. Safe to call twice. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  let persistence: AedesLevelPersistence | undefined;
  if (options.persistenceDir) {
    persistence = await openPersistence(options.persistenceDir);
  }
  let aedes: Aedes;
  try {
    aedes = await Aedes.createBroker(persistence ? { persistence } : {});
  } catch (err) {
    await persistence?.destroy().catch(() => undefined);
    throw err;
  }

  const server = net.createServer((socket) => {
    aedes.handle(socket);
  });
  try {
    await listen(server, options.port, host);
  } catch (err) {
    await closeAedes(aedes);
    await persistence?.destroy().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(
        `MQTT port ${options.port} on ${host} is already in use: stop the other broker, or set MQTT_PORT to a free port, or MQTT_URL to use that broker`,
      );
    }
    throw new Error(`MQTT broker could not listen on ${host}:${options.port}: ${(err as Error).message}`);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  let closing: Promise<void> | null = null;
  return {
    url: `mqtt://${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    aedes,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeAedes(aedes); // disconnects the clients, so the server can finish closing
        await serverClosed;
        await persistence?.destroy();
      })();
      return closing;
    },
  };
}

async function openPersistence(dir: string): Promise<AedesLevelPersistence> {
  await mkdir(dir, { recursive: true });
  const db = new ClassicLevel<string, Buffer>(dir, { valueEncoding: "buffer" });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if ((err as { code?: string }).code === "LEVEL_LOCKED" || cause?.code === "LEVEL_LOCKED") {
      throw new Error(
        `MQTT broker data in ${dir} is in use by another process: stop the other Flowhouse server, or give this one a different data directory`,
      );
    }
    throw new Error(`MQTT broker data in ${dir} could not be opened: ${(err as Error).message}`);
  }
  return aedesPersistenceLevel(db);
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}
