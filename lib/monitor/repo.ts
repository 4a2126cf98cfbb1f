/**
 * The monitor's tables: the topic catalogue (Topic), downsampled numeric history
 * (MetricSample) and the history settings (Setting). Writes are batched multi-row upserts
 * (a few statements per flush, whatever the number of topics) behind a WriteBehind.
 */
import type { PrismaClient } from "../../generated/prisma/client";
import { WriteBehind } from "../db/write-behind";
import { getSetting, setSetting } from "../db/settings-repo";
import type { TopicSummary } from "../api/schemas";
import { DEFAULT_HISTORY_SETTINGS, historySettingsSchema, type HistorySettings } from "./events";
import type { Bucket } from "./history";

// Small chunks with a yield between them: a catalogue flush of 20,000 topics must not hold
// the event loop (400-row chunks showed up as ~300 ms p99 latency spikes in the benchmark).
const CHUNK = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
export const HISTORY_SETTINGS_KEY = "monitor.historySettings";

export interface CatalogueRow {
  brokerId: string;
  topic: string;
  lastSeen: Date;
  /** messages since the last write (added to the stored count) */
  delta: number;
  lastPayload: string;
  retained: boolean;
}

export function catalogueWriter(prisma: PrismaClient, onError: (err: unknown) => void): WriteBehind<CatalogueRow, CatalogueRow> {
  return new WriteBehind<CatalogueRow, CatalogueRow>(
    async (batch) => {
      const rows = batch.map((b) => b.value).filter((v): v is CatalogueRow => v !== undefined);
      for (let i = 0; i < rows.length; i += CHUNK) {
        if (i > 0) await yieldToEventLoop();
        const chunk = rows.slice(i, i + CHUNK);
        const params: unknown[] = [];
        for (const r of chunk) params.push(r.brokerId, r.topic, r.lastSeen, r.lastSeen, r.delta, r.lastPayload, r.retained ? 1 : 0);
        await prisma.$executeRawUnsafe(
          `INSERT INTO "Topic" ("brokerId","topic","firstSeen","lastSeen","messages","lastPayload","retained") VALUES ${chunk
            .map(() => "(?,?,?,?,?,?,?)")
            .join(",")}
           ON CONFLICT("brokerId","topic") DO UPDATE SET "lastSeen" = excluded."lastSeen",
             "messages" = "messages" + excluded."messages", "lastPayload" = excluded."lastPayload", "retained" = excluded."retained"`,
          ...params,
        );
      }
    },
    (row) => `${row.brokerId}\u0000${row.topic}`,
    onError,
  );
}

export function metricWriter(prisma: PrismaClient, onError: (err: unknown) => void): WriteBehind<Bucket, Bucket> {
  return new WriteBehind<Bucket, Bucket>(
    async (batch) => {
      const rows = batch.map((b) => b.value).filter((v): v is Bucket => v !== undefined);
      for (let i = 0; i < rows.length; i += CHUNK) {
        if (i > 0) await yieldToEventLoop();
        const chunk = rows.slice(i, i + CHUNK);
        const params: unknown[] = [];
        for (const b of chunk) params.push(b.brokerId, b.topic, b.path, new Date(b.start), b.count, b.min, b.max, b.sum, b.last);
        await prisma.$executeRawUnsafe(
          `INSERT INTO "MetricSample" ("brokerId","topic","path","bucket","count","min","max","sum","last") VALUES ${chunk
            .map(() => "(?,?,?,?,?,?,?,?,?)")
            .join(",")}
           ON CONFLICT("brokerId","topic","path","bucket") DO UPDATE SET "count" = "count" + excluded."count",
             "min" = MIN("min", excluded."min"), "max" = MAX("max", excluded."max"), "sum" = "sum" + excluded."sum", "last" = excluded."last"`,
          ...params,
        );
      }
    },
    // Two closes of the same bucket (e.g. a bucket size change) are merged by the upsert; keep both.
    (b) => `${b.brokerId}\u0000${b.topic}\u0000${b.path}\u0000${b.start}\u0000${b.count}\u0000${b.sum}`,
    onError,
  );
}

export async function readMetricBuckets(prisma: PrismaClient, q: { brokerId: string; topic: string; path: string; from: number; to: number }): Promise<Bucket[]> {
  const rows = await prisma.metricSample.findMany({
    where: { brokerId: q.brokerId, topic: q.topic, path: q.path, bucket: { gte: new Date(q.from), lte: new Date(q.to) } },
    orderBy: { bucket: "asc" },
  });
  return rows.map((r) => ({
    brokerId: r.brokerId,
    topic: r.topic,
    path: r.path,
    start: r.bucket.getTime(),
    count: r.count,
    min: r.min,
    max: r.max,
    sum: r.sum,
    last: r.last,
  }));
}

/** Deletes samples older than the retention; returns how many. */
export async function purgeMetrics(prisma: PrismaClient, olderThan: Date): Promise<number> {
  const { count } = await prisma.metricSample.deleteMany({ where: { bucket: { lt: olderThan } } });
  return count;
}

export async function loadHistorySettings(prisma: PrismaClient, warn: (text: string) => void): Promise<HistorySettings> {
  const raw = await getSetting(prisma, HISTORY_SETTINGS_KEY);
  if (!raw) return DEFAULT_HISTORY_SETTINGS;
  try {
    return historySettingsSchema.parse({ ...DEFAULT_HISTORY_SETTINGS, ...(JSON.parse(raw) as object) });
  } catch (err) {
    warn(`history settings in the database are invalid (${(err as Error).message}): using the defaults`);
    return DEFAULT_HISTORY_SETTINGS;
  }
}

export async function saveHistorySettings(prisma: PrismaClient, settings: HistorySettings): Promise<void> {
  await setSetting(prisma, HISTORY_SETTINGS_KEY, JSON.stringify(settings));
}

function summary(row: { brokerId: string; topic: string; messages: number; lastSeen: Date; retained: boolean; description: string; unit: string }): TopicSummary {
  return {
    brokerId: row.brokerId,
    topic: row.topic,
    messages: row.messages,
    lastSeen: row.lastSeen.toISOString(),
    retained: row.retained,
    description: row.description,
    unit: row.unit,
  };
}

export async function listCatalogue(prisma: PrismaClient, q: { q: string; brokerId?: string; limit: number }): Promise<TopicSummary[]> {
  const rows = await prisma.topic.findMany({
    where: { ...(q.brokerId !== undefined ? { brokerId: q.brokerId } : {}), ...(q.q ? { topic: { contains: q.q } } : {}) },
    orderBy: { lastSeen: "desc" },
    take: q.limit,
  });
  return rows.map(summary);
}

export async function getCatalogueEntry(prisma: PrismaClient, brokerId: string, topic: string): Promise<TopicSummary | null> {
  const row = await prisma.topic.findUnique({ where: { brokerId_topic: { brokerId, topic } } });
  return row ? summary(row) : null;
}

export async function updateCatalogueEntry(prisma: PrismaClient, u: { brokerId: string; topic: string; description?: string; unit?: string }): Promise<TopicSummary> {
  const data = { ...(u.description !== undefined ? { description: u.description } : {}), ...(u.unit !== undefined ? { unit: u.unit } : {}) };
  const row = await prisma.topic.upsert({
    where: { brokerId_topic: { brokerId: u.brokerId, topic: u.topic } },
    create: { brokerId: u.brokerId, topic: u.topic, ...data },
    update: data,
  });
  return summary(row);
}
