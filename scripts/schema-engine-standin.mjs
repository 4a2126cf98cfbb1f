#!/usr/bin/env node
// Stand-in for Prisma's native schema engine binary (see /shared/STORAGE.md, "The stand-in").
//
// Prisma's CLI spawns the schema engine for migrate/db commands and talks newline-delimited
// JSON-RPC 2.0 over stdin/stdout. The native binary would be downloaded at install time; this
// script forwards the same requests to Prisma's WebAssembly schema engine from npm
// (@prisma/schema-engine-wasm, pinned to the engines commit of the `prisma` package) and reaches
// SQLite through @prisma/adapter-better-sqlite3. prisma.config.ts points
// PRISMA_SCHEMA_ENGINE_BINARY here.
//
//   schema-engine-standin.mjs --version
//   schema-engine-standin.mjs [--datamodels <schema>]… --datasource '{"url":"file:…"}'   (JSON-RPC)
//   schema-engine-standin.mjs --datasource '{"url":"file:…"}' cli <command>            (one-shot)
//
// Set SCHEMA_ENGINE_STANDIN_DEBUG=<file> to append every request, reply and log line to <file>.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const FILTERS = { externalTables: [], externalEnums: [] };
const EMPTY_MIGRATION = "-- This is an empty migration.";
const debugFile = process.env.SCHEMA_ENGINE_STANDIN_DEBUG;

function debug(...parts) {
  if (!debugFile) return;
  const line = parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  fs.appendFileSync(debugFile, `[${new Date().toISOString()} ${process.pid}] ${line}\n`);
}

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, version: false, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--version" || a === "-V") out.version = true;
    else if (a === "--datamodels" || a === "-d") out.datamodels.push(argv[++i]);
    else if (a === "--datasource") out.datasource = JSON.parse(argv[++i]);
    else if (a === "--enabled-preview-features" || a === "--extension-types") i++;
    else if (a === "cli") {
      out.cli = argv[i + 1];
      break;
    }
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
debug("argv", process.argv.slice(2), "cwd", process.cwd());

/** `file:./data/x.db?mode=…` → absolute path (relative to the working directory). */
function fileFromUrl(url) {
  if (typeof url !== "string" || url.length === 0) {
    throw engineError("P1012", "No datasource URL: set DATABASE_URL (e.g. file:./data/dev.db) or datasource.url in prisma.config.ts.");
  }
  let rest = url.replace(/^(file|sqlite):/, "");
  rest = rest.split("?")[0];
  if (rest.startsWith("//")) rest = rest.replace(/^\/\/(localhost)?/, "");
  if (rest === ":memory:") return rest;
  return path.resolve(rest);
}

function datasourceFile() {
  return fileFromUrl(args.datasource?.url);
}

function mkdirFor(file) {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
}

function engineError(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

// ---------------------------------------------------------------- lazy loading

let Database; // better-sqlite3
function sqlite() {
  Database ??= require("better-sqlite3");
  return Database;
}

function openFile(file) {
  mkdirFor(file);
  const Db = sqlite();
  const db = new Db(file);
  return db;
}

function wasmPackageVersion() {
  const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  // The package's `exports` hides package.json: read it by path.
  return JSON.parse(fs.readFileSync(path.join(path.dirname(glue), "package.json"), "utf8")).version;
}

let enginePromise;
function loadWasmEngine() {
  enginePromise ??= (async () => {
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = await import(pathToFileURL(gluePath).href);
    const bytes = fs.readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const mod = await WebAssembly.compile(bytes);
    const inst = new WebAssembly.Instance(mod, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(inst.exports);
    inst.exports.__wbindgen_start();
    const { PrismaBetterSqlite3 } = await import(pathToFileURL(require.resolve("@prisma/adapter-better-sqlite3")).href);
    const { bindMigrationAwareSqlAdapterFactory } = await import(
      pathToFileURL(require.resolve("@prisma/driver-adapter-utils")).href
    );
    return { SchemaEngine: glue.SchemaEngine, PrismaBetterSqlite3, bindMigrationAwareSqlAdapterFactory };
  })();
  return enginePromise;
}

// ---------------------------------------------------------------- one engine per request

/** True when `sql` holds more than one statement (ignores strings, quoted names and comments). */
function hasSeveralStatements(sql) {
  let statements = 0;
  let pending = false; // non-blank content since the last ";"
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "'" || c === '"' || c === "`" || c === "[") {
      const close = c === "[" ? "]" : c;
      const end = sql.indexOf(close, i + 1);
      i = end < 0 ? sql.length : end;
      pending = true;
    } else if (c === ";") {
      if (pending) statements++;
      pending = false;
    } else if (!/\s/.test(c)) pending = true;
  }
  if (pending) statements++;
  return statements > 1;
}

function wrapAdapter(adapter, opened) {
  opened.push(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  // The engine replays whole migration files through executeRaw; better-sqlite3 prepares one
  // statement at a time, so run multi-statement scripts as a script.
  adapter.executeRaw = async (q) => {
    if ((!q.args || q.args.length === 0) && hasSeveralStatements(q.sql)) {
      await adapter.executeScript(q.sql);
      return 0;
    }
    return executeRaw(q);
  };
  return adapter;
}

function schemaFilesFromArgs() {
  return args.datamodels.map((p) => [p, fs.readFileSync(p, "utf8")]);
}

function forwardLog(line) {
  const text = String(line).replace(/\n+$/, "");
  debug("log", text);
  if (text) process.stderr.write(`${text}\n`);
}

/** Runs `fn(engine)` with a fresh engine on `file`, then frees it and closes its connections. */
async function withEngine(fn, file = undefined) {
  const { SchemaEngine, PrismaBetterSqlite3, bindMigrationAwareSqlAdapterFactory } = await loadWasmEngine();
  const opened = [];
  const resolveMain = () => file ?? datasourceFile();
  let inner;
  const innerFactory = () => {
    if (!inner) {
      const main = resolveMain();
      mkdirFor(main);
      inner = new PrismaBetterSqlite3({ url: main }, { shadowDatabaseUrl: ":memory:" });
    }
    return inner;
  };
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: "sqlite",
    adapterName: "@prisma/adapter-better-sqlite3",
    connect: async () => wrapAdapter(await innerFactory().connect(), opened),
    connectToShadowDb: async () => {
      const shadow = new PrismaBetterSqlite3({ url: ":memory:" }, { shadowDatabaseUrl: ":memory:" });
      return wrapAdapter(await shadow.connectToShadowDb(), opened);
    },
  });
  const files = schemaFilesFromArgs();
  const engine = await SchemaEngine.new({ datamodels: files.length > 0 ? files : undefined }, forwardLog, factory);
  try {
    return await fn(engine);
  } finally {
    try {
      engine.free();
    } catch (e) {
      debug("free failed", String(e));
    }
    for (const adapter of opened) {
      try {
        await adapter.dispose();
      } catch (e) {
        debug("dispose failed", String(e));
      }
    }
  }
}

// ---------------------------------------------------------------- method emulations

function withLockfile(migrationsList) {
  // On the first migration there is no lock file yet; the engine then refuses the shadow replay.
  const lockfile = migrationsList.lockfile ?? { path: "migration_lock.toml", content: null };
  return {
    ...migrationsList,
    lockfile: { ...lockfile, content: lockfile.content ?? 'provider = "sqlite"\n' },
  };
}

async function diffMigrationsToSchema(engine, params) {
  const { stdout } = await engine.diff({
    from: { tag: "migrations", ...withLockfile(params.migrationsList) },
    to: { tag: "schemaDatamodel", files: params.schema.files },
    script: true,
    exitCode: null,
    filters: FILTERS,
  });
  return stdout ?? "";
}

function isEmptyMigration(script) {
  return script.trim() === "" || script.trim() === EMPTY_MIGRATION;
}

function countSteps(script) {
  if (isEmptyMigration(script)) return 0;
  return script.split("\n").filter((l) => /^-- [A-Z][A-Za-z]+\s*$/.test(l)).length || 1;
}

function utcStamp(d = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

async function createMigration(params) {
  const script = await withEngine((engine) => diffMigrationsToSchema(engine, params));
  const empty = isEmptyMigration(script);
  return {
    connectorType: "sqlite",
    generatedMigrationName: params.migrationName ? `${utcStamp()}_${params.migrationName}` : utcStamp(),
    migrationScript: empty && !params.draft ? null : script,
    extension: "sql",
  };
}

async function evaluateDataLoss(params) {
  const script = await withEngine((engine) => diffMigrationsToSchema(engine, params));
  const migrationSteps = countSteps(script);
  const result = { migrationSteps, warnings: [], unexecutableSteps: [] };
  const main = datasourceFile();
  if (migrationSteps === 0 || main === ":memory:" || !fs.existsSync(main)) return result;
  // Real warnings: push the target schema onto a throwaway copy of the dev database.
  const copy = path.join(os.tmpdir(), `schema-engine-standin-${randomUUID()}.db`);
  const src = openFile(main);
  try {
    await src.backup(copy);
  } finally {
    src.close();
  }
  try {
    const pushed = await withEngine((engine) => engine.schemaPush({ force: false, schema: params.schema, filters: FILTERS }), copy);
    result.warnings = (pushed.warnings ?? []).map((message, stepIndex) => ({ message, stepIndex }));
    result.unexecutableSteps = (pushed.unexecutable ?? []).map((message, stepIndex) => ({ message, stepIndex }));
  } finally {
    removeDatabaseFiles(copy);
  }
  return result;
}

function removeDatabaseFiles(file) {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

function resetDatabase() {
  const db = openFile(datasourceFile());
  try {
    db.pragma("foreign_keys = OFF");
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
      .all();
    for (const { type, name } of objects) {
      db.exec(`DROP ${type === "view" ? "VIEW" : "TABLE"} IF EXISTS "${name.replaceAll('"', '""')}"`);
    }
    db.exec("VACUUM");
  } finally {
    db.close();
  }
  return {};
}

function dbExecute(params) {
  const target = params.datasourceType;
  const file = target?.tag === "url" ? fileFromUrl(target.url) : datasourceFile();
  const db = openFile(file);
  try {
    db.exec(params.script);
  } finally {
    db.close();
  }
  return {};
}

function touchDatabase() {
  const file = datasourceFile();
  openFile(file).close();
  return file;
}

// ---------------------------------------------------------------- JSON-RPC

let ownId = 1_000_000_000; // ids of our own requests to the CLI (print)
const pendingReplies = new Map();

function send(message) {
  debug("out", message);
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Asks the CLI to print `content` (the CLI writes only what arrives this way) and waits for its ack. */
function printThroughCli(content) {
  const id = ownId++;
  return new Promise((resolve) => {
    pendingReplies.set(id, resolve);
    send({ jsonrpc: "2.0", id, method: "print", params: { content } });
  });
}

async function handle(method, params) {
  switch (method) {
    case "applyMigrations":
    case "markMigrationRolledBack":
    case "schemaPush":
    case "introspect":
      return withEngine((engine) => engine[method](params));
    case "getDatabaseVersion":
      return withEngine((engine) => engine.version());
    case "devDiagnostic":
    case "diagnoseMigrationHistory":
    case "markMigrationApplied":
      return withEngine(async (engine) => {
        // These fail with P1014 when _prisma_migrations is missing: create it first.
        await engine.applyMigrations({
          migrationsList: { ...params.migrationsList, migrationDirectories: [] },
          filters: FILTERS,
        });
        return engine[method](params);
      });
    case "diff": {
      // The engine connects to the main database even when neither side reads it; then give it
      // a throwaway in-memory one so `migrate diff --from-migrations … --to-schema …` (db:check)
      // does not create an empty database file.
      const readsDatabase = [params.from, params.to].some((t) => t?.tag === "schemaDatasource" || t?.tag === "url");
      const result = await withEngine((engine) => engine.diff(params), readsDatabase ? undefined : ":memory:");
      if (typeof result.stdout === "string") await printThroughCli(result.stdout);
      return { exitCode: result.exitCode };
    }
    case "createMigration":
      return createMigration(params);
    case "evaluateDataLoss":
      return evaluateDataLoss(params);
    case "reset":
      return resetDatabase();
    case "dbExecute":
      return dbExecute(params);
    case "ensureConnectionValidity":
      touchDatabase();
      return {};
    case "createDatabase":
      return { databaseName: path.basename(touchDatabase()) };
    default:
      throw engineError("P1000", `schema-engine-standin: method '${method}' is not supported by the Wasm stand-in (scripts/schema-engine-standin.mjs).`);
  }
}

function errorReply(id, err) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err && typeof err === "object" && typeof err.code === "string" && /^P\d{4}$/.test(err.code) ? err.code : undefined;
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: { is_panic: false, message, ...(code ? { error_code: code } : {}), meta: {} },
    },
  };
}

function serveRpc() {
  let chain = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      debug("unparsable", line);
      return;
    }
    debug("in", msg);
    if (msg.method === undefined) {
      // A reply to one of our own requests (print).
      const resolve = pendingReplies.get(msg.id);
      pendingReplies.delete(msg.id);
      resolve?.(msg.result);
      return;
    }
    chain = chain.then(async () => {
      try {
        const result = await handle(msg.method, msg.params ?? {});
        if (msg.id !== undefined) send({ jsonrpc: "2.0", id: msg.id, result: result ?? null });
      } catch (err) {
        debug("error", String(err?.stack ?? err));
        if (msg.id !== undefined) send(errorReply(msg.id, err));
      }
    });
  });
  rl.on("close", () => {
    chain.then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- one-shot `cli` commands

function runCli(command) {
  const file = datasourceFile();
  switch (command) {
    case "can-connect-to-database": {
      if (file === ":memory:" || fs.existsSync(file)) return 0;
      const line = {
        level: "ERROR",
        target: "schema_engine::logger",
        fields: {
          error_code: "P1003",
          message: `Database \`${path.basename(file)}\` does not exist at \`${file}\``,
        },
      };
      // The CLI drops the first stderr line and parses each further one as JSON: no trailing newline.
      process.stderr.write(`\n${JSON.stringify(line)}`);
      return 1;
    }
    case "create-database":
      openFile(file).close();
      return 0;
    case "drop-database":
      removeDatabaseFiles(file);
      return 0;
    default:
      process.stderr.write(`schema-engine-standin: unknown cli command '${command}'\n`);
      return 1;
  }
}

// ---------------------------------------------------------------- main

if (args.version) {
  const version = wasmPackageVersion();
  process.stdout.write(`schema-engine-cli ${version.split(".").pop()}\n`);
  process.exit(0);
} else if (args.cli !== undefined) {
  let code;
  try {
    code = runCli(args.cli);
  } catch (err) {
    process.stderr.write(`\n${JSON.stringify({ level: "ERROR", target: "schema_engine::logger", fields: { error_code: err.code ?? "P1000", message: err.message } })}`);
    code = 1;
  }
  process.exit(code);
} else {
  serveRpc();
}
