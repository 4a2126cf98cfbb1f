/** Small key/value settings (e.g. whether the shipped example was seeded, the API token digest). */
import type { PrismaClient } from "../../generated/prisma/client";

/** The stored value, or null if the key was never set. */
export async function getSetting(prisma: PrismaClient, key: string): Promise<string | null> {
  const row = await prisma.setting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/** Creates or overwrites the setting. */
export async function setSetting(prisma: PrismaClient, key: string, value: string): Promise<void> {
  await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

/** Removes the setting (no error if it does not exist). */
export async function deleteSetting(prisma: PrismaClient, key: string): Promise<void> {
  await prisma.setting.deleteMany({ where: { key } });
}
