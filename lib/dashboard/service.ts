/**
 * Dashboards in the database (Dashboard rows, widgets as JSON), validated with the shared
 * schema on the way in and on the way out. After every change the chart widgets' topic+path
 * pairs are reported (the monitor records their history).
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client";
import { getSetting, setSetting } from "../db/settings-repo";
import { dashboardSchema, widgetSchema, type Dashboard, type DashboardList, type Widget } from "./schema";

/** A caller's mistake (same brand as UserInputError, so route() answers it with its status). */
export class DashboardInputError extends Error {
  readonly userError = true;
  constructor(
    message: string,
    readonly status: 400 | 404 | 422,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DashboardInputError";
  }
}

export interface ChartPair {
  broker: string;
  topic: string;
  path: string;
}

export function chartPairs(dashboards: readonly Dashboard[]): ChartPair[] {
  const seen = new Map<string, ChartPair>();
  for (const d of dashboards) {
    for (const w of d.widgets) {
      if (w.type !== "chart" || !w.topic) continue;
      seen.set(JSON.stringify([w.broker, w.topic, w.path]), { broker: w.broker, topic: w.topic, path: w.path });
    }
  }
  return [...seen.values()];
}

function issuesText(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join(".") || "dashboard"}: ${i.message}`).join("; ");
}

export class DashboardService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly onChange: (dashboards: Dashboard[]) => void = () => undefined,
  ) {}

  async list(): Promise<DashboardList> {
    const rows = await this.prisma.dashboard.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
    return { dashboards: rows.map((r) => this.fromRow(r)) };
  }

  async get(id: string): Promise<Dashboard> {
    const row = await this.prisma.dashboard.findUnique({ where: { id } });
    if (!row) throw new DashboardInputError(`Dashboard '${id}' does not exist`, 404);
    return this.fromRow(row);
  }

  /** Creates or replaces dashboard `id`. 400 for an invalid body, 422 when the body's id differs. */
  async save(id: string, body: unknown): Promise<Dashboard> {
    const parsed = dashboardSchema.safeParse(body);
    if (!parsed.success) {
      throw new DashboardInputError(
        `Invalid dashboard: ${issuesText(parsed.error.issues)}`,
        400,
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      );
    }
    const d = parsed.data;
    if (d.id !== id) throw new DashboardInputError(`The dashboard's id '${d.id}' does not match the URL's '${id}': send it to /api/dashboards/${d.id}`, 422);
    const ids = new Set<string>();
    for (const w of d.widgets) {
      if (ids.has(w.id)) throw new DashboardInputError(`Two widgets have the id '${w.id}': give each widget its own id`, 422);
      ids.add(w.id);
    }
    const existing = await this.prisma.dashboard.findUnique({ where: { id } });
    const position = existing ? existing.position : await this.prisma.dashboard.count();
    await this.prisma.dashboard.upsert({
      where: { id },
      create: { id, name: d.name, widgets: JSON.stringify(d.widgets), position },
      update: { name: d.name, widgets: JSON.stringify(d.widgets) },
    });
    await this.changed();
    return d;
  }

  async delete(id: string): Promise<void> {
    const { count } = await this.prisma.dashboard.deleteMany({ where: { id } });
    if (count === 0) throw new DashboardInputError(`Dashboard '${id}' does not exist`, 404);
    await this.changed();
  }

  /** Reports the current dashboards to onChange (at start). */
  async changed(): Promise<void> {
    this.onChange((await this.list()).dashboards);
  }

  /** First start only: store the shipped example dashboard(s) from `file`. */
  async seed(file: string, flag: string, warn: (text: string) => void): Promise<boolean> {
    if (await getSetting(this.prisma, flag)) return false;
    let body: unknown;
    try {
      body = JSON.parse(await fs.readFile(path.resolve(file), "utf8"));
    } catch (err) {
      warn(`example dashboard ${file} not loaded: ${(err as Error).message}`);
      return false;
    }
    const list = Array.isArray(body) ? body : [body];
    for (const item of list) {
      const id = (item as { id?: unknown }).id;
      try {
        if (typeof id !== "string") throw new Error("it has no id");
        if (!(await this.prisma.dashboard.findUnique({ where: { id } }))) await this.save(id, item);
      } catch (err) {
        warn(`example dashboard in ${file} not loaded: ${(err as Error).message}`);
      }
    }
    await setSetting(this.prisma, flag, new Date().toISOString());
    return true;
  }

  private fromRow(row: { id: string; name: string; widgets: string }): Dashboard {
    let raw: unknown;
    try {
      raw = JSON.parse(row.widgets);
    } catch {
      raw = [];
    }
    // A stored widget that no longer validates is dropped from the answer, not fatal.
    const widgets: Widget[] = [];
    for (const w of Array.isArray(raw) ? raw : []) {
      const parsed = widgetSchema.safeParse(w);
      if (parsed.success) widgets.push(parsed.data);
    }
    return { id: row.id, name: row.name, widgets };
  }
}
