/**
 * The audit log service: who did what, when, from where. `record()` never throws into the
 * caller (a failed audit write is logged, not turned into a failed deploy) and writes in
 * order. The table is pruned to the newest `maxRows` entries (checked every 500 writes and
 * at start).
 */
import type { PrismaClient } from "../../generated/prisma/client";
import { auditActions, insertAudit, listAudit, pruneAudit, type AuditRow } from "../db/audit-repo";

export interface AuditInput {
  /** User name, "api-token", "token:<name>", "system" or the attempted user name of a failed login. */
  actor: string;
  /** Dotted verb, e.g. "login", "login.failed", "deploy", "user.create", "broker.update". */
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

export interface AuditEntryView {
  id: number;
  /** ISO time */
  at: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  ip: string;
}

export const AUDIT_MAX_ROWS = 100_000;
const PRUNE_EVERY = 500;

export class AuditService {
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly opts: { maxRows?: number; warn?: (text: string) => void } = {},
  ) {}

  /** Appends an entry; resolves when written (or when the write failed and was logged). */
  record(input: AuditInput): Promise<void> {
    const run = this.queue.then(async () => {
      try {
        let details = "{}";
        try {
          details = JSON.stringify(input.details ?? {});
        } catch {
          details = JSON.stringify({ note: "details were not JSON-serialisable" });
        }
        await insertAudit(this.prisma, {
          actor: String(input.actor ?? "").slice(0, 200),
          action: String(input.action ?? "").slice(0, 100),
          target: String(input.target ?? "").slice(0, 500),
          details: details.length > 10_000 ? JSON.stringify({ note: "details too large", size: details.length }) : details,
          ip: String(input.ip ?? "").slice(0, 100),
        });
        if (++this.writes % PRUNE_EVERY === 0) await this.prune();
      } catch (err) {
        this.opts.warn?.(`audit log: could not record '${input.action}': ${(err as Error).message}`);
      }
    });
    this.queue = run;
    return run.then(() => undefined);
  }

  async prune(): Promise<number> {
    try {
      return await pruneAudit(this.prisma, this.opts.maxRows ?? AUDIT_MAX_ROWS);
    } catch (err) {
      this.opts.warn?.(`audit log: pruning failed: ${(err as Error).message}`);
      return 0;
    }
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(q: { limit: number; before?: number; action?: string }): Promise<{ entries: AuditEntryView[]; next: number | null; actions: string[] }> {
    const rows = await listAudit(this.prisma, { ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    return {
      entries: page.map(toView),
      next: rows.length > q.limit ? page[page.length - 1].id : null,
      actions: await auditActions(this.prisma),
    };
  }

  /** Waits for every queued write (tests, shutdown). */
  async flush(): Promise<void> {
    await this.queue.catch(() => undefined);
  }
}

function toView(row: AuditRow): AuditEntryView {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.details);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
  } catch {
    details = { raw: row.details };
  }
  return { id: row.id, at: row.at.toISOString(), actor: row.actor, action: row.action, target: row.target, details, ip: row.ip };
}
