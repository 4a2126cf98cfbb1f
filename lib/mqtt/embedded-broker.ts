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
 *
 * With `auth`, every client must log in with that user name and password (compared in
 * constant time); others get CONNACK "bad user name or password" (return code 4). With
 * `tls`, a second listener speaks MQTT over TLS (node:tls) on its own port.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import tls from "node:tls";
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
  /** Require this user name and password from every client. */
  auth?: { username: string; password: string };
  /** Also listen with TLS on this port (0: a free one), with this PEM certificate and key. */
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
}

export interface EmbeddedBroker {
  /**
   * mqtt://host:port with the real port, for this process' own clients (a wildcard listen
   * address becomes 127.0.0.1); with `auth`, mqtt://user:password@host:port.
   */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The TLS listener's port, or null without `tls`. */
  readonly tlsPort: number | null;
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
    aedes = await Aedes.createBroker({
      ...(persistence ? { persistence } : {}),
      ...(options.auth ? { authenticate: checkCredentials(options.auth) } : {}),
    });
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

  let tlsServer: tls.Server | null = null;
  let tlsPort: number | null = null;
  if (options.tls) {
    try {
      tlsServer = tls.createServer({ cert: options.tls.cert, key: options.tls.key }, (socket) => {
        aedes.handle(socket);
      });
    } catch (err) {
      await closeListeners([server], aedes, persistence);
      throw new Error(`MQTT TLS listener: the certificate or key cannot be used: ${(err as Error).message}`);
    }
    // A client that fails the handshake (wrong CA, plain MQTT on the TLS port) is not our error.
    tlsServer.on("tlsClientError", () => undefined);
    try {
      await listen(tlsServer, options.tls.port, host);
    } catch (err) {
      await closeListeners([server], aedes, persistence);
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new Error(
          `MQTT TLS port ${options.tls.port} on ${host} is already in use: stop the other program or set FLOWHOUSE_BROKER_TLS_PORT to a free port`,
        );
      }
      throw new Error(`MQTT broker could not listen with TLS on ${host}:${options.tls.port}: ${(err as Error).message}`);
    }
    const tlsAddress = tlsServer.address();
    tlsPort = typeof tlsAddress === "object" && tlsAddress ? tlsAddress.port : options.tls.port;
  }

  const connectHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.username)}:${encodeURIComponent(options.auth.password)}@`
    : "";
  const listeners: net.Server[] = tlsServer ? [server, tlsServer] : [server];
  let closing: Promise<void> | null = null;
  return {
    url: `mqtt://${credentials}${connectHost.includes(":") ? `[${connectHost}]` : connectHost}:${port}`,
    host,
    port,
    tlsPort,
    aedes,
    close() {
      closing ??= (async () => {
        const serversClosed = listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
        await closeAedes(aedes); // disconnects the clients, so the servers can finish closing
        await Promise.all(serversClosed);
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

type AuthenticateHandler = NonNullable<Parameters<typeof Aedes.createBroker>[0]>["authenticate"];

/** aedes `authenticate`: exact user name and password, compared in constant time. */
function checkCredentials(auth: { username: string; password: string }): AuthenticateHandler {
  // Hashing both sides first gives equal lengths, so timingSafeEqual leaks neither the
  // values nor their lengths.
  const digest = (b: Buffer | string) => createHash("sha256").update(b).digest();
  const wantUser = digest(auth.username);
  const wantPass = digest(auth.password);
  return (_client, username, password, done) => {
    const userOk = timingSafeEqual(digest(username ?? ""), wantUser);
    const passOk = timingSafeEqual(digest(password ?? Buffer.alloc(0)), wantPass);
    if (userOk && passOk && username !== undefined && password !== undefined) return done(null, true);
    const err = Object.assign(new Error("bad user name or password"), { returnCode: 4 as const });
    done(err, false);
  };
}

async function closeListeners(servers: net.Server[], aedes: Aedes, persistence: AedesLevelPersistence | undefined): Promise<void> {
  const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
  await closeAedes(aedes);
  await Promise.all(closed);
  await persistence?.destroy().catch(() => undefined);
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
