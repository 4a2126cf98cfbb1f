import path from "node:path";
import { defineConfig } from "prisma/config";

// No telemetry or update check: every CLI run would otherwise try the network.
process.env.CHECKPOINT_DISABLE ??= "1";
// Prisma's CLI would download a native schema engine; ours forwards to the Wasm one from npm.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/schema-engine-standin.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/flowhouse.db" },
});
