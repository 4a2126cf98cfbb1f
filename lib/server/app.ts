/**
 * Composition root: builds every process singleton in order (database → auth → broker →
 * MQTT connections → runtime → flows), seeds the shipped example on first start and runs
 * the newest deployment. server.ts calls startFlowhouse once; route handlers reach the
 * result through lib/server/registry.ts.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Server as IoServer } from "socket.io";
import type { PrismaClient } from "../../generated/prisma/client";
import { openDatabase } from "../db/client";
import { getSetting, setSetting } from "../db/settings-repo";
import { startEmbeddedBroker, type EmbeddedBroker } from "../mqtt/embedded-broker";
import { ConnectionManager, type BrokerConnectionOptions } from "../mqtt/connections";
import { nodeFactories } from "../nodes/runtime-registry";
import { closeSandboxPool } from "../nodes/function/sandbox-pool";
import { RealClock } from "../runtime/clock";
import { ContextStore } from "../runtime/context";
import { openStateStore } from "../db/state-store";
import { openOutboxStore } from "../db/outbox-store";
import { Runtime } from "../runtime/executor";
import type { HealthResponse } from "../api/schemas";
import { AuthService, type StartupSecrets } from "./auth";
import { AuditService } from "./audit";
import { FlowService } from "./flow-service";
import { LiveHub } from "./live";
import { readBrokerTlsFiles, redactUrl, type AppConfig } from "./config";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";
import { loadSecretBox } from "./secrets";
import { BrokerService } from "../brokers/service";
import { MonitorService } from "../monitor/service";
import { attachMonitorNamespace } from "../monitor/socket";
import { DashboardService, chartPairs } from "../dashboard/service";

export interface Logger {
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export interface FlowhouseApp {
  config: AppConfig;
  prisma: PrismaClient;
  auth: AuthService;
  /** The audit log (lib/server/audit.ts): record() never throws. */
  audit: AuditService;
  flows: FlowService;
  runtime: Runtime;
  connections: ConnectionManager;
  live: LiveHub;
  /** Live topic monitor, topic catalogue and numeric history (lib/monitor). */
  monitor: MonitorService;
  dashboards: DashboardService;
  /** Brokers page and /api/brokers: rows, the deployment's mqtt-broker nodes, the default broker. */
  brokers: BrokerService;
  broker: EmbeddedBroker | null;
  /** The default broker's URL (password redacted). */
  brokerUrl: string;
  secrets: StartupSecrets;
  health(): HealthResponse;
  close(): Promise<void>;
}

const EXAMPLE_SETTING = "exampleSeeded";
const EXAMPLE_FILE = "flows/motion-light.json";
const EXAMPLE_DASHBOARD_SETTING = "exampleDashboardSeeded";
const EXAMPLE_DASHBOARD_FILE = "flows/dashboards/motion-light.json";

export async function startFlowhouse(
  config: AppConfig,
  io: IoServer<ClientToServerEvents, ServerToClientEvents>,
  log: Logger,
): Promise<FlowhouseApp> {
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        log.warn(`shutdown: ${(err as Error).message}`);
      }
    }
  };
  try {
    const db = await openDatabase(config.databaseUrl);
    closers.push(() => db.close());
    const prisma = db.prisma;

    const audit = new AuditService(prisma, { warn: log.warn });
    closers.push(() => audit.flush());
    void audit.prune();
    const auth = new AuthService(prisma, audit);
    const secrets = await auth.init({ adminPassword: config.adminPassword, apiToken: config.apiToken });

    let broker: EmbeddedBroker | null = null;
    let defaultUrl: string;
    if (config.mqttUrl) {
      defaultUrl = config.mqttUrl;
      if (config.brokerAuth || config.brokerTls || config.brokerHost !== "127.0.0.1") {
        log.warn("FLOWHOUSE_BROKER_* settings are for the embedded broker and are ignored: MQTT_URL points at an external broker");
      }
    } else {
      broker = await startEmbeddedBroker({
        host: config.brokerHost,
        port: config.mqttPort,
        persistenceDir: path.join(config.dataDir, "broker"),
        auth: config.brokerAuth,
        tls: config.brokerTls ? { port: config.brokerTls.port, ...readBrokerTlsFiles(config.brokerTls) } : undefined,
      });
      closers.push(() => broker?.close());
      // With FLOWHOUSE_BROKER_USERNAME/PASSWORD this is mqtt://user:pass@host:port (logs and
      // health show it through redactUrl).
      defaultUrl = broker.url;
      if (config.brokerTls) log.info(`embedded broker: MQTT over TLS on ${config.brokerHost}:${broker.tlsPort}`);
      if (!isLoopback(config.brokerHost)) {
        if (!config.brokerAuth) {
          log.warn(
            `the embedded MQTT broker listens on ${config.brokerHost} WITHOUT a password: anyone on the network can read and publish every topic. Set FLOWHOUSE_BROKER_USERNAME and FLOWHOUSE_BROKER_PASSWORD (and FLOWHOUSE_BROKER_TLS_*), or FLOWHOUSE_BROKER_HOST=127.0.0.1`,
          );
        } else if (!config.brokerTls) {
          log.warn(
            `the embedded MQTT broker listens on ${config.brokerHost} without TLS: passwords and messages cross the network in clear text. Set FLOWHOUSE_BROKER_TLS_PORT, FLOWHOUSE_BROKER_TLS_CERT and FLOWHOUSE_BROKER_TLS_KEY`,
          );
        }
      }
    }
    let runtime: Runtime | null = null;
    // Brokers: rows of the Brokers page (secrets sealed under the key from env or
    // <dataDir>/secret.key), else the deployment's mqtt-broker config nodes, else ""= default.
    // The default broker's options (client id, clean session, status topic) live in BrokerService.
    const secretBox = loadSecretBox(process.env, config.dataDir);
    const brokers = await BrokerService.open({
      prisma,
      box: secretBox,
      defaultBroker: { url: defaultUrl, displayUrl: redactUrl(defaultUrl), embedded: broker !== null },
      plan: () => runtime?.currentPlan ?? null,
      logger: log,
    });
    const resolveBroker = (brokerId: string): BrokerConnectionOptions | undefined => brokers.resolve(brokerId);
    // QoS 1/2 publishes are written here before they go out (nothing lost; lib/mqtt/outbox.ts).
    const outbox = openOutboxStore(db.file);
    closers.push(() => outbox.close());
    const connections = new ConnectionManager({
      resolveBroker,
      outbox,
      logger: { info: (t: string) => log.info(t), warn: (t: string) => log.warn(t) },
    });
    closers.push(() => connections.close());

    const live = new LiveHub(io, auth);
    closers.push(() => live.close());
    connections.onConnectionChange("", (connected) => live.broker({ connected, url: redactUrl(defaultUrl) }));
    // Open the default broker's connection now, not on first use: health and the editor's
    // connection indicator report it even before anything is deployed.
    connections.connect("");

    // The monitor watches every topic over its own connection (see lib/monitor/service.ts).
    const monitor = new MonitorService({
      prisma,
      // The monitor's own clients must not publish the status/last will: their LWT would say
      // "offline" while the runtime's connection is up.
      resolveBroker: (id) => {
        const o = resolveBroker(id);
        return o ? { ...o, status: undefined } : undefined;
      },
      listBrokers: () => brokers.monitorList().map((b) => ({ ...b, url: redactUrl(b.url) })),
      clock: new RealClock(),
      logger: log,
    });
    closers.push(() => monitor.close());
    await monitor.start();
    brokers.attach({
      connections,
      monitor,
      audit: () => audit,
    });
    brokers.connectAll();
    const monitorNs = attachMonitorNamespace(io as unknown as IoServer, auth, monitor);
    const dashboards = new DashboardService(prisma, (all) => monitor.setChartPairs(chartPairs(all)));
    if (await dashboards.seed(EXAMPLE_DASHBOARD_FILE, EXAMPLE_DASHBOARD_SETTING, log.warn)) log.info("seeded the example dashboard");
    await dashboards.changed();

    // Context and durable timers: loaded before the first deploy, written through afterwards.
    const state = openStateStore(db.file, log.warn, (err) => log.error(`saving context/timers failed: ${(err as Error).message}`));
    closers.push(() => state.close());
    const context = new ContextStore((scope, scopeId, key, value) => state.putContext(scope, scopeId, key, value));
    context.load(state.loadContext());

    runtime = new Runtime({
      mqtt: connections,
      clock: new RealClock(),
      factories: nodeFactories,
      context,
      timerPersistence: state.timers,
      location: () => config.location,
      env: (name) => process.env[name],
      events: {
        status: (nodeId, status) => live.status(nodeId, status),
        debug: (event) => live.debug(event),
        log: (level, text) => (level === "info" ? log.info(text) : log.warn(text)),
      },
    });
    closers.push(() => closeSandboxPool());
    closers.push(() => runtime?.stop());
    runtime.loadTimers(state.loadTimers());

    const flows = new FlowService(prisma, runtime, {
      brokerConfigNodes: (purpose) => brokers.configNodes(purpose),
      onDeployed: (id, nodes) => {
        live.deployed(id, nodes);
        monitorNs.emit("monitor:brokers", monitor.brokers());
      },
      async swap<T>(start: () => Promise<T>): Promise<T> {
        const brokersBefore = runtime?.currentPlan?.configNodes;
        const release = connections.hold();
        let result: T;
        try {
          result = await start();
        } finally {
          release();
        }
        // A broker config node that changed: reconnect with its new settings (the nodes using
        // it are unchanged and keep their subscriptions, which move to the new connection).
        for (const [id, before] of brokersBefore ?? []) {
          const after = runtime?.currentPlan?.configNodes.get(id);
          if (before.type === "mqtt-broker" && after && !brokers.isRow(id) && JSON.stringify(after.config) !== JSON.stringify(before.config)) {
            await connections.reload(id).catch((err: unknown) => log.warn(`broker '${id}': ${(err as Error).message}`));
            await monitor.reloadBroker(id).catch((err: unknown) => log.warn(`monitor: broker '${id}': ${(err as Error).message}`));
          }
        }
        // Brokers the new plan subscribes on: wait (bounded) for a new connection to come up,
        // so that Deploy's answer means the rules are live, not merely scheduled.
        const brokerIds = [...(runtime?.currentPlan?.subscriptions.keys() ?? [])];
        await Promise.all(
          brokerIds.map((id) =>
            Promise.resolve()
              .then(() => connections.whenConnected(id, 3000))
              .catch((err: unknown) => log.warn(`deploy: ${(err as Error).message}`)),
          ),
        );
        if (!(await connections.settled(3000))) log.warn("deploy: the broker has not acknowledged the new subscriptions within 3 s");
        return result;
      },
    });

    await seedExample(prisma, flows, { deploy: !config.mqttUrl }, log);
    const started = await flows.startLatest();
    if (started) log.info(`runtime: running deployment #${started.id} (${started.nodes} nodes)`);
    else log.info("runtime: nothing deployed yet");

    const rt = runtime;
    return {
      config,
      prisma,
      auth,
      audit,
      flows,
      runtime: rt,
      connections,
      live,
      monitor,
      dashboards,
      brokers,
      broker,
      brokerUrl: redactUrl(defaultUrl),
      secrets,
      health() {
        const connected = connections.isConnected("");
        return {
          ok: connected,
          broker: { connected, url: redactUrl(defaultUrl), embedded: broker !== null },
          deployment: { id: flows.deployedId, nodes: rt.nodeCount },
          brokers: brokers.health(),
        };
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** First start only: put the shipped example in the draft (and deploy it on the embedded broker). */
async function seedExample(prisma: PrismaClient, flows: FlowService, opts: { deploy: boolean }, log: Logger): Promise<void> {
  if (await getSetting(prisma, EXAMPLE_SETTING)) return;
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(path.resolve(EXAMPLE_FILE), "utf8"));
  } catch (err) {
    log.warn(`example flow ${EXAMPLE_FILE} not loaded: ${(err as Error).message}`);
    return;
  }
  await flows.importNodeRed(json, { deploy: opts.deploy, user: "system" });
  await setSetting(prisma, EXAMPLE_SETTING, new Date().toISOString());
  log.info(`seeded the example flow "Motion → light"${opts.deploy ? " and deployed it" : " into the draft (not deployed: external broker)"}`);
}
