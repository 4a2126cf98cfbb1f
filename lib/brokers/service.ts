/**
 * BrokerService: the brokers Flowhouse connects to, behind the Brokers page and /api/brokers.
 *
 * Three kinds of broker, in this order of precedence when a connection is resolved:
 *  1. rows of the Broker table (source "settings"): created on the Brokers page, secrets
 *     sealed with the SecretBox (AES-256-GCM, key outside the database);
 *  2. mqtt-broker config nodes of the deployed flows (source "flow"): Node-RED imports keep
 *     working; "Save as broker" turns one into a row with the same id;
 *  3. the default broker, id "" (source "env"): the embedded aedes, or MQTT_URL.
 *
 * Rows are cached in memory: the ConnectionManager resolves synchronously. Saving a row
 * reconnects that broker at once — no deploy needed. Every row gets a stable client id
 * (`flowhouse-<instance>-<random4>`, stored on save) so persistent sessions find their session
 * again after a restart, and a birth/last-will status topic (`flowhouse/<instance>/status`).
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client";
import { getSetting, setSetting } from "../db/settings-repo";
import type { ConfigNode } from "../flow/schema";
import type { BrokerConnectionOptions, BrokerStatus } from "../mqtt/connections";
import { getNodeDefinition } from "../nodes/registry";
import type { SecretBox } from "../server/secrets";
import {
  brokerInputSchema,
  brokerSettingsSchema,
  brokerTestInputSchema,
  type BrokerHealth,
  type BrokerSettings,
  type BrokerTestResult,
  type BrokerView,
} from "./schema";
import {
  NO_SECRETS,
  ROW_MARKER,
  brokerWarnings,
  configNodeToSettings,
  defaultStatusTopic,
  settingsToConfigNode,
  settingsToOptions,
  type BrokerSecrets,
  type WarningInput,
} from "./options";
import { testBrokerConnection } from "./test-connection";

/** A caller's mistake: route() answers it with its status (same brand as UserInputError). */
export class BrokerInputError extends Error {
  readonly userError = true;
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 422,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "BrokerInputError";
  }
}

export interface PlanLike {
  nodes: ReadonlyMap<string, { id: string; type: string; name: string; config: Record<string, unknown> }>;
  configNodes: ReadonlyMap<string, { id: string; type: string; name: string; config: Record<string, unknown> }>;
}

export interface BrokerConnectionsLike {
  status(brokerId: string): BrokerStatus;
  reload(brokerId: string): Promise<void>;
  connect(brokerId: string): void;
}

export interface AuditLike {
  record(entry: { actor: string; action: string; target?: string; ip?: string; details?: unknown }): unknown;
}

/** Who changes a broker (for the audit log). */
export interface Actor {
  actor: string;
  ip?: string;
}

export interface BrokerServiceOptions {
  prisma: PrismaClient;
  box: SecretBox;
  /** The default broker: its real URL (may hold MQTT_URL's password), the URL to show, and whether it is the embedded one. */
  defaultBroker: { url: string; displayUrl: string; embedded: boolean };
  /** The running deployment's plan (mqtt-broker config nodes, nodes that use brokers). */
  plan: () => PlanLike | null;
  logger?: { info(text: string): void; warn(text: string): void };
  /** Test connections give up after this long. Default 5000. */
  testTimeoutMs?: number;
}

interface CachedRow {
  id: string;
  name: string;
  position: number;
  settings: BrokerSettings;
  secrets: BrokerSecrets;
  /** Set when the stored secrets could not be opened (wrong key). */
  secretsError?: string;
}

const INSTANCE_SETTING = "instanceId";

export class BrokerService {
  private rows = new Map<string, CachedRow>();
  private connections: BrokerConnectionsLike | null = null;
  private monitor: { reloadBroker(id: string): Promise<void> } | null = null;
  private audit: () => AuditLike | undefined = () => undefined;
  /** Client id of the embedded broker's connection (new per process: clean session). */
  private readonly embeddedClientId: string;

  private constructor(
    private readonly o: BrokerServiceOptions,
    readonly instanceId: string,
  ) {
    this.embeddedClientId = `flowhouse-${instanceId}-${randomBytes(2).toString("hex")}`;
  }

  /** Loads (or creates) the instance id and every Broker row. */
  static async open(o: BrokerServiceOptions): Promise<BrokerService> {
    let instanceId = await getSetting(o.prisma, INSTANCE_SETTING);
    if (!instanceId) {
      instanceId = randomBytes(4).toString("hex");
      await setSetting(o.prisma, INSTANCE_SETTING, instanceId);
    }
    const service = new BrokerService(o, instanceId);
    await service.load();
    return service;
  }

  /** Late wiring: the connection manager and monitor need resolve() before they exist. */
  attach(deps: { connections: BrokerConnectionsLike; monitor?: { reloadBroker(id: string): Promise<void> }; audit?: () => AuditLike | undefined }): void {
    this.connections = deps.connections;
    this.monitor = deps.monitor ?? null;
    if (deps.audit) this.audit = deps.audit;
  }

  /** Opens a connection to every Broker row, so its health shows before anything uses it. */
  connectAll(): void {
    for (const id of this.rows.keys()) this.safeConnect(id);
  }

  private async load(): Promise<void> {
    const rows = await this.o.prisma.broker.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
    const next = new Map<string, CachedRow>();
    for (const row of rows) {
      let settings: BrokerSettings;
      try {
        settings = brokerSettingsSchema.parse(JSON.parse(row.settings));
      } catch (err) {
        this.o.logger?.warn(`broker '${row.name}' (${row.id}): stored settings are unreadable (${(err as Error).message}); skipped — save it again on the Brokers page`);
        continue;
      }
      const cached: CachedRow = { id: row.id, name: row.name, position: row.position, settings, secrets: NO_SECRETS };
      try {
        cached.secrets = this.openSecrets(row.secrets);
      } catch (err) {
        cached.secretsError = (err as Error).message;
        this.o.logger?.warn(`broker '${row.name}' (${row.id}): ${cached.secretsError}`);
      }
      next.set(row.id, cached);
    }
    this.rows = next;
  }

  private openSecrets(sealed: string): BrokerSecrets {
    if (sealed === "") return { ...NO_SECRETS };
    const parsed = JSON.parse(this.o.box.open(sealed)) as Partial<BrokerSecrets>;
    return {
      password: typeof parsed.password === "string" ? parsed.password : "",
      key: typeof parsed.key === "string" ? parsed.key : "",
      passphrase: typeof parsed.passphrase === "string" ? parsed.passphrase : "",
    };
  }

  private sealSecrets(secrets: BrokerSecrets): string {
    if (!secrets.password && !secrets.key && !secrets.passphrase) return "";
    return this.o.box.seal(JSON.stringify(secrets));
  }

  // ---- resolving ---------------------------------------------------------------------

  /** brokerId → how to connect: a Broker row, else a deployed mqtt-broker config node, else undefined. "" = the default broker. */
  resolve(brokerId: string): BrokerConnectionOptions | undefined {
    if (brokerId === "") return this.defaultOptions();
    const row = this.rows.get(brokerId);
    if (row) return settingsToOptions(row.settings, row.secrets, this.instanceId);
    const node = this.flowNode(brokerId);
    if (node) {
      const { settings, secrets } = configNodeToSettings(node.config);
      return settingsToOptions(settings, secrets, this.instanceId);
    }
    return undefined;
  }

  private defaultOptions(): BrokerConnectionOptions {
    const status = { topic: defaultStatusTopic(this.instanceId), online: "online", offline: "offline" };
    if (this.o.defaultBroker.embedded) {
      // clean:true on the embedded broker: aedes' level persistence drops some live QoS 1
      // messages for online persistent sessions (STACK.md); there is nothing to catch up on
      // anyway, since the broker lives and dies with this process.
      return { url: this.o.defaultBroker.url, clientId: this.embeddedClientId, clean: true, status };
    }
    // MQTT_URL: a stable client id and a persistent session, so QoS ≥ 1 subscriptions get
    // what was published while Flowhouse was down.
    return { url: this.o.defaultBroker.url, clientId: this.defaultClientId(), clean: false, status };
  }

  private defaultClientId(): string {
    return this.o.defaultBroker.embedded ? this.embeddedClientId : `flowhouse-${this.instanceId}`;
  }

  /** A deployed mqtt-broker config node of the flows themselves (not one added for a row, see configNodes()). */
  private flowNode(id: string): { id: string; name: string; config: Record<string, unknown> } | undefined {
    const node = this.o.plan()?.configNodes.get(id);
    return node && node.type === "mqtt-broker" && node.config[ROW_MARKER] !== true ? node : undefined;
  }

  private flowNodes(): { id: string; name: string; config: Record<string, unknown> }[] {
    const out = [];
    for (const node of this.o.plan()?.configNodes.values() ?? []) {
      if (node.type === "mqtt-broker" && node.config[ROW_MARKER] !== true && !this.rows.has(node.id)) out.push(node);
    }
    return out;
  }

  /** Whether `id` is a Broker row (mqtt nodes may reference it directly). */
  isRow(id: string): boolean {
    return this.rows.has(id);
  }

  /**
   * Every Broker row as a Node-RED mqtt-broker config node (no credentials): added to a
   * document before it is validated or compiled (so mqtt in/out may reference a row by id),
   * and to Node-RED exports (so the export imports into Node-RED with its brokers).
   */
  configNodes(purpose: "compile" | "export" = "compile"): ConfigNode[] {
    // Nodes added for compiling carry a marker, so that after a row is deleted its node in the
    // running plan is not mistaken for a broker of the flows.
    return [...this.rows.values()].map((r) => settingsToConfigNode(r.id, r.name, r.settings, this.instanceId, { marker: purpose === "compile" }));
  }

  /** The brokers the monitor offers: default, rows, then the deployment's config nodes. */
  monitorList(): { id: string; name: string; url: string }[] {
    return this.describeAll().map((b) => ({ id: b.id, name: b.name, url: b.settings.url }));
  }

  /** For /api/health. */
  health(): { id: string; name: string; connected: boolean; lastError: string | null; reconnects: number; outbox: number }[] {
    return this.describeAll().map((b) => {
      const h = this.healthOf(b.id);
      return { id: b.id, name: b.name, connected: h.connected, lastError: h.lastError, reconnects: h.reconnects, outbox: h.outbox };
    });
  }

  // ---- views -------------------------------------------------------------------------

  async list(): Promise<BrokerView[]> {
    return this.views();
  }

  async get(id: string): Promise<BrokerView> {
    const view = this.views().find((v) => v.id === id);
    if (!view) throw this.notFound(id);
    return view;
  }

  private notFound(id: string): BrokerInputError {
    return new BrokerInputError(`Broker '${id}' does not exist: pick one from GET /api/brokers`, 404);
  }

  private describeAll(): { id: string; name: string; source: BrokerView["source"]; settings: BrokerSettings; secretsSet: BrokerView["secretsSet"]; secretsError?: string }[] {
    const out: ReturnType<BrokerService["describeAll"]> = [];
    const d = this.o.defaultBroker;
    out.push({
      id: "",
      name: d.embedded ? "Embedded broker" : "Default broker (MQTT_URL)",
      source: "env",
      settings: brokerSettingsSchema.parse({
        url: d.displayUrl,
        clientId: this.defaultClientId(),
        cleanSession: d.embedded,
        status: { enabled: true, topic: defaultStatusTopic(this.instanceId) },
      }),
      secretsSet: { password: /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(d.url), key: false, passphrase: false },
    });
    for (const r of this.rows.values()) {
      out.push({
        id: r.id,
        name: r.name,
        source: "settings",
        settings: r.settings,
        secretsSet: { password: r.secrets.password !== "", key: r.secrets.key !== "", passphrase: r.secrets.passphrase !== "" },
        secretsError: r.secretsError,
      });
    }
    for (const n of this.flowNodes()) {
      const { settings, secrets } = configNodeToSettings(n.config);
      out.push({
        id: n.id,
        name: n.name || settings.url,
        source: "flow",
        settings,
        secretsSet: { password: secrets.password !== "", key: false, passphrase: false },
      });
    }
    return out;
  }

  private views(): BrokerView[] {
    const all = this.describeAll();
    const usedBy = this.usage();
    const warnInputs: WarningInput[] = all.map((b) => ({
      id: b.id,
      name: b.name,
      clientId: b.settings.clientId,
      url: b.settings.url,
      cleanSession: b.settings.cleanSession,
      verify: b.settings.tls.verify,
      hasPassword: b.secretsSet.password,
    }));
    return all.map((b, i) => {
      const warnings = brokerWarnings(warnInputs[i], warnInputs);
      if (b.secretsError) warnings.unshift(b.secretsError);
      if (b.source === "flow") warnings.push("Defined in the deployed flows (imported from Node-RED): use 'Save as broker' to edit it here.");
      return {
        id: b.id,
        name: b.name,
        source: b.source,
        settings: b.settings,
        secretsSet: b.secretsSet,
        health: this.healthOf(b.id),
        warnings,
        usedBy: (usedBy.get(b.id) ?? []).map((n) => n.id),
      };
    });
  }

  private healthOf(id: string): BrokerHealth {
    const s = this.connections?.status(id);
    return {
      connected: s?.connected ?? false,
      lastError: s?.lastError ?? null,
      lastErrorAt: s?.lastErrorAt ?? null,
      lastConnectedAt: s?.lastConnectedAt ?? null,
      reconnects: s?.reconnects ?? 0,
      outbox: s?.outbox ?? 0,
    };
  }

  /** broker id → the deployed nodes that use it (any field the definition marks as an mqtt-broker reference). */
  private usage(): Map<string, { id: string; name: string; type: string }[]> {
    const out = new Map<string, { id: string; name: string; type: string }[]>();
    for (const node of this.o.plan()?.nodes.values() ?? []) {
      const def = getNodeDefinition(node.type);
      for (const [field, hint] of Object.entries(def?.fields ?? {})) {
        if (hint.configNodeType !== "mqtt-broker") continue;
        const ref = node.config[field];
        const id = typeof ref === "string" ? ref.trim() : "";
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push({ id: node.id, name: node.name, type: node.type });
      }
    }
    return out;
  }

  // ---- changes -----------------------------------------------------------------------

  async create(input: unknown, who: Actor): Promise<BrokerView> {
    const id = `broker-${randomBytes(4).toString("hex")}`;
    return this.save(id, input, who, "create");
  }

  /**
   * Replaces a row. An id that is a deployed mqtt-broker config node without a row creates
   * the row ("Save as broker"): the node's password is kept (sealed) unless one is given.
   */
  async update(id: string, input: unknown, who: Actor): Promise<BrokerView> {
    if (id === "") throw new BrokerInputError("The default broker comes from MQTT_URL or is the embedded one: change it with environment variables, not here", 422);
    if (!this.rows.has(id) && !this.flowNode(id)) throw this.notFound(id);
    return this.save(id, input, who, this.rows.has(id) ? "update" : "create");
  }

  private parseInput(input: unknown) {
    const parsed = brokerInputSchema.safeParse(input);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      throw new BrokerInputError(`Invalid broker: ${details.map((d) => `${d.path || "body"}: ${d.message}`).join("; ")}`, 400, details);
    }
    return parsed.data;
  }

  private async save(id: string, input: unknown, who: Actor, action: "create" | "update"): Promise<BrokerView> {
    const data = this.parseInput(input);
    const previous = this.rows.get(id);
    const base: BrokerSecrets = previous
      ? { ...previous.secrets }
      : (() => {
          const node = this.flowNode(id);
          return node ? configNodeToSettings(node.config).secrets : { ...NO_SECRETS };
        })();
    const secrets: BrokerSecrets = {
      password: data.secrets.password ?? base.password,
      key: data.secrets.key ?? base.key,
      passphrase: data.secrets.passphrase ?? base.passphrase,
    };
    const settings: BrokerSettings = { ...data.settings, tls: { ...data.settings.tls }, status: { ...data.settings.status } };
    this.checkPair(settings, secrets);
    if (settings.clientId === "") settings.clientId = this.generateClientId();

    const position = previous?.position ?? Math.max(-1, ...[...this.rows.values()].map((r) => r.position)) + 1;
    const row = { name: data.name, position, settings: JSON.stringify(settings), secrets: this.sealSecrets(secrets) };
    await this.o.prisma.broker.upsert({ where: { id }, create: { id, ...row }, update: row });
    this.rows.set(id, { id, name: data.name, position, settings, secrets });
    this.recordAudit(who, `broker.${action}`, id, { name: data.name, url: settings.url });
    await this.reconnect(id);
    return this.get(id);
  }

  private checkPair(settings: BrokerSettings, secrets: BrokerSecrets): void {
    const details: { path: string; message: string }[] = [];
    if (settings.tls.cert.trim() !== "" && secrets.key.trim() === "") {
      details.push({ path: "secrets.key", message: "A client certificate needs its private key: paste or upload the client key too" });
    }
    if (secrets.key.trim() !== "" && settings.tls.cert.trim() === "") {
      details.push({ path: "settings.tls.cert", message: "A client key needs its certificate: paste or upload the client certificate too" });
    }
    if (details.length > 0) {
      throw new BrokerInputError(`Invalid broker: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, 400, details);
    }
  }

  /** `flowhouse-<instance>-<random4>` */
  generateClientId(): string {
    return `flowhouse-${this.instanceId}-${randomBytes(2).toString("hex")}`;
  }

  async remove(id: string, who: Actor): Promise<void> {
    const row = this.rows.get(id);
    if (!row) {
      if (id === "" || this.flowNode(id)) {
        throw new BrokerInputError(
          id === "" ? "The default broker cannot be deleted" : `Broker '${id}' is defined in the deployed flows: delete its mqtt-broker node in the editor and deploy`,
          409,
        );
      }
      throw this.notFound(id);
    }
    const users = this.usage().get(id) ?? [];
    if (users.length > 0) {
      const names = users.map((n) => `'${n.name || n.id}' (${n.type})`);
      throw new BrokerInputError(
        `Broker '${row.name}' is used by the deployed node${users.length > 1 ? "s" : ""} ${names.join(", ")}: choose another broker in ${users.length > 1 ? "them" : "it"} and deploy, then delete the broker`,
        409,
        users.map((n) => ({ nodeId: n.id, nodeName: n.name, nodeType: n.type })),
      );
    }
    await this.o.prisma.broker.delete({ where: { id } });
    this.rows.delete(id);
    this.recordAudit(who, "broker.delete", id, { name: row.name });
    await this.reconnect(id);
  }

  /** Connects once with the given settings (≤ 5 s). `id` reuses that broker's stored secrets for any left out. */
  async test(input: unknown): Promise<BrokerTestResult> {
    const parsed = brokerTestInputSchema.safeParse(input);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      throw new BrokerInputError(`Invalid broker: ${details.map((d) => `${d.path || "body"}: ${d.message}`).join("; ")}`, 400, details);
    }
    const data = parsed.data;
    let stored: BrokerSecrets = { ...NO_SECRETS };
    if (data.id) {
      const row = this.rows.get(data.id);
      const node = row ? undefined : this.flowNode(data.id);
      if (row) stored = row.secrets;
      else if (node) stored = configNodeToSettings(node.config).secrets;
    }
    const secrets: BrokerSecrets = {
      password: data.secrets.password ?? stored.password,
      key: data.secrets.key ?? stored.key,
      passphrase: data.secrets.passphrase ?? stored.passphrase,
    };
    const options = settingsToOptions(data.settings, secrets, this.instanceId);
    return testBrokerConnection({ ...options, status: undefined }, this.o.testTimeoutMs ?? 5000);
  }

  private async reconnect(id: string): Promise<void> {
    const log = this.o.logger;
    if (this.connections) {
      await this.connections.reload(id).catch((err: unknown) => log?.warn(`broker '${id}': ${(err as Error).message}`));
      if (this.resolve(id)) this.safeConnect(id);
    }
    await this.monitor?.reloadBroker(id).catch((err: unknown) => log?.warn(`monitor: broker '${id}': ${(err as Error).message}`));
  }

  private safeConnect(id: string): void {
    try {
      this.connections?.connect(id);
    } catch (err) {
      this.o.logger?.warn(`broker '${id}': ${(err as Error).message}`);
    }
  }

  private recordAudit(who: Actor, action: string, target: string, details: unknown): void {
    try {
      void Promise.resolve(this.audit()?.record({ actor: who.actor, action, target, ip: who.ip, details })).catch((err: unknown) =>
        this.o.logger?.warn(`audit: ${(err as Error).message}`),
      );
    } catch (err) {
      this.o.logger?.warn(`audit: ${(err as Error).message}`);
    }
  }
}
