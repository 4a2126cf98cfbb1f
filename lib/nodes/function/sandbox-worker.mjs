// Worker thread of the function node's sandbox pool (sandbox-pool.ts). Plain JavaScript so it
// loads the same way under `node --import tsx`, vitest and plain node.
//
// Every job gets a fresh QuickJS runtime and context (≈0.2 ms): nothing survives between
// messages, and the runtime's memory limit, stack limit and interrupt deadline bound what the
// user's code can do. The user's code never sees Node: the context has only ECMAScript
// built-ins plus the small Node-RED-like API the prelude below defines. Everything crosses
// the boundary as JSON strings.
//
// Protocol (one reply per job, in order):
//   {id, kind: "check", sources: [{file, code}]}                  → {id, errors: [{file, name, message, stack}]}
//   {id, kind: "run", file, code, input, timeoutMs, memoryBytes, stackBytes}
//                                                                 → {id, events: [[kind, json]], result?: json,
//                                                                      failure?: {kind, name, message, stack}, recycle}
// A host-side exception (a bug, or wasm trouble) answers {id, crashed: message} and ends the
// worker, so the pool replaces it with a clean one.
import { parentPort, workerData } from "node:worker_threads";
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC } from "quickjs-emscripten";

// QuickJS's own memory limit bounds single allocations only: under Emscripten it cannot see
// block sizes (malloc_usable_size is 0), so many small allocations never add up
// (quickjs-emscripten issues #255 and #271). The real bound is the wasm heap itself: this
// worker gives QuickJS a WebAssembly.Memory with a fixed maximum, so malloc fails and QuickJS
// throws "out of memory" instead of growing the process by gigabytes.
const WASM_PAGE = 64 * 1024;
const INITIAL_HEAP_BYTES = 16 * 1024 * 1024; // Emscripten's INITIAL_MEMORY for these builds
const maxHeapBytes = Math.max(INITIAL_HEAP_BYTES * 2, Number(workerData?.maxHeapBytes) || 48 * 1024 * 1024);
const memory = new WebAssembly.Memory({ initial: INITIAL_HEAP_BYTES / WASM_PAGE, maximum: Math.ceil(maxHeapBytes / WASM_PAGE) });
const quickjs = await newQuickJSWASMModuleFromVariant(
  newVariant(RELEASE_SYNC, {
    wasmMemory: memory,
    // An abort is reported on the node (and this worker retires); keep it out of the server log.
    emscriptenModule: { printErr: (text) => void (String(text).startsWith("Aborted(") || console.error(text)) },
  }),
);
/** The heap grew to its maximum: it may be fragmented, so this worker retires after the job. */
const heapFull = () => memory.buffer.byteLength + WASM_PAGE > maxHeapBytes;

/** Extra room for reading an error out of a runtime that hit its memory limit. */
const EXTRACT_HEADROOM_BYTES = 4 * 1024 * 1024;

/** Wraps the user's code as Node-RED does: the body of an async function of msg. */
function wrap(code) {
  // Same line as the header, so line numbers in errors are the user's line numbers.
  return `(async function (msg) {${code}\n})`;
}

// Runs inside QuickJS first; evaluates to the `drive(fn)` function the host calls with the
// compiled user function. Reads the job from `__input`, talks back through `__host(kind, json)`,
// and removes both from the global object so user code cannot reach them.
const PRELUDE = String.raw`(function () {
  "use strict";
  const host = globalThis.__host;
  const inputText = globalThis.__input;
  delete globalThis.__host;
  delete globalThis.__input;

  const BufferProto = {
    get length() { return this.data.length; },
    toString(encoding) { return decodeBytes(this.data, encoding); },
    toJSON() { return { type: "Buffer", data: this.data }; },
  };
  function isBufferShape(v) {
    if (v === null || typeof v !== "object" || v.type !== "Buffer" || !Array.isArray(v.data)) return false;
    const keys = Object.keys(v);
    return keys.length === 2;
  }
  function revive(_k, v) { return isBufferShape(v) ? Object.setPrototypeOf(v, BufferProto) : v; }
  function makeBuffer(bytes) { return Object.setPrototypeOf({ type: "Buffer", data: bytes }, BufferProto); }

  const HEX = "0123456789abcdef";
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function decodeBytes(bytes, encoding) {
    const enc = String(encoding || "utf8").toLowerCase();
    if (enc === "hex") return bytes.map((b) => HEX[(b >> 4) & 15] + HEX[b & 15]).join("");
    if (enc === "base64") {
      let out = "";
      for (let i = 0; i < bytes.length; i += 3) {
        const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
        out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? B64[n & 63] : "=");
      }
      return out;
    }
    if (enc === "latin1" || enc === "binary" || enc === "ascii") return bytes.map((b) => String.fromCharCode(enc === "ascii" ? b & 127 : b)).join("");
    let out = "";
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i++];
      let cp = 0xfffd;
      if (b < 0x80) cp = b;
      else if (b >= 0xc0 && b < 0xe0 && i < bytes.length) cp = ((b & 31) << 6) | (bytes[i++] & 63);
      else if (b >= 0xe0 && b < 0xf0 && i + 1 < bytes.length) { cp = ((b & 15) << 12) | ((bytes[i] & 63) << 6) | (bytes[i + 1] & 63); i += 2; }
      else if (b >= 0xf0 && i + 2 < bytes.length) { cp = ((b & 7) << 18) | ((bytes[i] & 63) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63); i += 3; }
      out += String.fromCodePoint(cp);
    }
    return out;
  }
  function encodeUtf8(text) {
    const bytes = [];
    for (const ch of String(text)) {
      const cp = ch.codePointAt(0);
      if (cp < 0x80) bytes.push(cp);
      else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
      else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
      else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    }
    return bytes;
  }
  const Buffer = {
    from(value, encoding) {
      if (typeof value === "string") {
        const enc = String(encoding || "utf8").toLowerCase();
        if (enc === "hex") return makeBuffer((value.match(/../g) || []).map((h) => parseInt(h, 16)));
        if (enc === "latin1" || enc === "binary" || enc === "ascii") return makeBuffer([...value].map((c) => c.charCodeAt(0) & 255));
        if (enc === "base64") {
          const clean = value.replace(/[^A-Za-z0-9+/]/g, "");
          const bytes = [];
          for (let i = 0; i < clean.length; i += 4) {
            const n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) | ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
            bytes.push((n >> 16) & 255);
            if (i + 2 < clean.length) bytes.push((n >> 8) & 255);
            if (i + 3 < clean.length) bytes.push(n & 255);
          }
          return makeBuffer(bytes);
        }
        return makeBuffer(encodeUtf8(value));
      }
      if (isBufferShape(value)) return makeBuffer(value.data.slice());
      if (Array.isArray(value)) return makeBuffer(value.map((b) => Number(b) & 255));
      throw new TypeError("Buffer.from accepts a string, an array of bytes or a Buffer");
    },
    isBuffer(value) { return isBufferShape(value); },
  };

  const input = JSON.parse(inputText, revive);
  const mode = input.mode;
  const emit = (kind, value) => host(kind, value === undefined ? "null" : JSON.stringify(value));
  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value), revive));

  // Node-RED property expressions: a.b, a[0], a["b c"], a['b'].
  function parsePath(expr) {
    const text = String(expr);
    const parts = [];
    const re = /(?:^|\.)([^.[\]"']+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\]/y;
    let pos = 0;
    while (pos < text.length) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) throw new Error("invalid property expression: " + text);
      parts.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? m[3] : m[4]);
      pos = re.lastIndex;
    }
    if (parts.length === 0) throw new Error("invalid property expression: " + text);
    return parts;
  }
  function getPath(root, path) {
    let cur = root;
    for (const p of path) {
      if (cur === null || cur === undefined) return undefined;
      cur = cur[p];
    }
    return cur;
  }
  function setPath(root, path, value, createMissing) {
    let cur = root;
    for (let i = 0; i < path.length - 1; i++) {
      if (cur[path[i]] === null || typeof cur[path[i]] !== "object") {
        if (!createMissing) return;
        cur[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      }
      cur = cur[path[i]];
    }
    const last = path[path.length - 1];
    if (value === undefined) delete cur[last];
    else cur[last] = value;
  }

  function makeScope(scope) {
    const data = (input.context && input.context[scope]) || {};
    const read = (key) => clone(getPath(data, parsePath(key)));
    const write = (key, value) => {
      const copy = clone(value);
      setPath(data, parsePath(key), copy, true);
      host("ctx", JSON.stringify({ s: scope, k: String(key), v: copy === undefined ? null : copy, d: copy === undefined }));
    };
    return {
      get(key, store, cb) {
        if (typeof store === "function") cb = store;
        const v = Array.isArray(key) ? key.map(read) : read(key);
        if (typeof cb === "function") { Array.isArray(key) ? cb(null, ...v) : cb(null, v); return undefined; }
        return v;
      },
      set(key, value, store, cb) {
        if (typeof store === "function") cb = store;
        if (Array.isArray(key)) key.forEach((k, i) => write(k, Array.isArray(value) ? value[i] : undefined));
        else write(key, value);
        if (typeof cb === "function") cb(null);
      },
      keys(store, cb) {
        if (typeof store === "function") cb = store;
        const keys = Object.keys(data);
        if (typeof cb === "function") { cb(null, keys); return undefined; }
        return keys;
      },
    };
  }

  function text(value) {
    if (typeof value === "string") return value;
    if (value instanceof Error) return String(value);
    try { const s = JSON.stringify(value); return s === undefined ? String(value) : s; } catch (e) { return String(value); }
  }
  function errorInfo(e) {
    try {
      if (e !== null && typeof e === "object" && "message" in e) {
        return { name: String(e.name || "Error"), message: String(e.message), stack: String(e.stack || "") };
      }
      return { thrown: text(e) };
    } catch (x) {
      return { name: "Error", message: "the function threw a value that cannot be read" };
    }
  }

  const node = {
    id: input.node.id,
    name: input.node.name,
    outputCount: input.node.outputs,
    send(msgs) {
      if (mode === "finalize") throw new Error("node.send is not available in the On Stop code: the node is stopping");
      emit("send", msgs === undefined ? null : msgs);
    },
    warn(value) { emit("warn", text(value)); },
    error(err, msg) { emit("error", { e: errorInfo(err), m: msg === undefined ? null : msg }); },
    log(value) { emit("log", text(value)); },
    debug(value) { emit("log", text(value)); },
    trace() {},
    status(status) { emit("status", typeof status === "string" ? { text: status } : status || {}); },
    done() {},
    on() { throw new Error("node.on is not available in the Flowhouse sandbox: put cleanup code in the node's On Stop code"); },
  };
  const context = makeScope("node");
  context.flow = makeScope("flow");
  context.global = makeScope("global");
  const notAvailable = (what) => function () {
    throw new Error(what + " is not available in the Flowhouse function sandbox: the function ends when its code returns (use a delay or trigger node to wait)");
  };
  const globals = {
    node,
    context,
    flow: context.flow,
    global: context.global,
    env: { get(name) { return input.env[name]; } },
    RED: {
      util: {
        cloneMessage: clone,
        getMessageProperty(msg, expr) { return getPath(msg, parsePath(String(expr).replace(/^msg\./, ""))); },
        setMessageProperty(msg, expr, value, createMissing) { setPath(msg, parsePath(String(expr).replace(/^msg\./, "")), value, createMissing !== false); return true; },
      },
    },
    Buffer,
    console: { log: node.log, info: node.log, debug: node.log, warn: node.warn, error: (v) => node.error(v) },
    setTimeout: notAvailable("setTimeout"),
    setInterval: notAvailable("setInterval"),
    setImmediate: notAvailable("setImmediate"),
  };
  for (const key of Object.keys(globals)) {
    Object.defineProperty(globalThis, key, { value: globals[key], writable: true, configurable: true, enumerable: false });
  }

  return function drive(fn) {
    const fail = (e) => host("fail", JSON.stringify(errorInfo(e)));
    let promise;
    try {
      promise = fn.call(globalThis, input.msg);
    } catch (e) {
      fail(e);
      return;
    }
    promise.then((result) => {
      try {
        host("result", result === undefined ? "null" : JSON.stringify(result));
      } catch (e) {
        fail(e);
      }
    }, fail);
  };
})()`;

function readString(ctx, handle, prop) {
  try {
    const h = ctx.getProp(handle, prop);
    try {
      return ctx.typeof(h) === "undefined" ? "" : ctx.getString(h);
    } finally {
      h.dispose();
    }
  } catch {
    return "";
  }
}

/** What an error handle that escaped the prelude's own handlers says. */
function describeHandle(ctx, handle) {
  if (ctx.typeof(handle) === "object") {
    return { name: readString(ctx, handle, "name") || "Error", message: readString(ctx, handle, "message"), stack: readString(ctx, handle, "stack") };
  }
  try {
    return { thrown: String(ctx.dump(handle)) };
  } catch {
    return { thrown: "unknown error" };
  }
}

function runJob(job) {
  const runtime = quickjs.newRuntime();
  const events = [];
  let result;
  let failure;
  let interrupted = false;
  // Set when the runtime cannot be freed cleanly (interrupted mid-job, or QuickJS refused):
  // the worker then retires, which frees the whole wasm heap at once.
  let retire = false;
  let ctx;
  try {
    runtime.setMemoryLimit(job.memoryBytes);
    runtime.setMaxStackSize(job.stackBytes);
    const deadline = Date.now() + job.timeoutMs;
    runtime.setInterruptHandler(() => {
      if (Date.now() > deadline) interrupted = true;
      return interrupted;
    });
    ctx = runtime.newContext();
    const escaped = (handle) => {
      // Lift the limit a little so the error itself can be read after an out-of-memory.
      runtime.setMemoryLimit(job.memoryBytes + EXTRACT_HEADROOM_BYTES);
      if (failure === undefined) failure = describeHandle(ctx, handle);
      handle.dispose();
    };
    const hostFn = ctx.newFunction("__host", (kindHandle, dataHandle) => {
      const kind = ctx.getString(kindHandle);
      const data = ctx.getString(dataHandle);
      if (kind === "result") result = data;
      else if (kind === "fail") failure = JSON.parse(data);
      else events.push([kind, data]);
    });
    ctx.setProp(ctx.global, "__host", hostFn);
    hostFn.dispose();
    const inputHandle = ctx.newString(job.input);
    ctx.setProp(ctx.global, "__input", inputHandle);
    inputHandle.dispose();

    const prelude = ctx.evalCode(PRELUDE, "sandbox.js");
    if (prelude.error) {
      escaped(prelude.error);
    } else {
      const drive = prelude.value;
      const compiled = ctx.evalCode(wrap(job.code), job.file);
      if (compiled.error) {
        escaped(compiled.error);
      } else {
        const called = ctx.callFunction(drive, ctx.undefined, compiled.value);
        compiled.value.dispose();
        if (called.error) escaped(called.error);
        else called.value.dispose();
        // All microtasks run, also after the code returned (a .then() that sends); an endless
        // chain of them meets the deadline like any loop.
        while (!interrupted && runtime.hasPendingJob()) {
          const jobs = runtime.executePendingJobs(64);
          if (jobs.error) escaped(jobs.error);
        }
      }
      drive.dispose();
    }
  } finally {
    if (interrupted || runtime.hasPendingJob()) {
      retire = true;
    } else {
      try {
        ctx?.dispose();
        runtime.dispose();
      } catch {
        // QuickJS found objects it could not free: the job left the runtime inconsistent,
        // typically after running out of memory inside a microtask (a runaway promise chain).
        retire = true;
        if (failure === undefined || result !== undefined) {
          failure = { name: "InternalError", message: heapFull() ? "out of memory" : "the sandbox could not be freed after the code ran", stack: "" };
        }
      }
    }
  }
  const recycle = retire || heapFull();
  if (interrupted) return { id: job.id, events, recycle, failure: { kind: "timeout", name: "InternalError", message: "interrupted", stack: "" } };
  if (failure !== undefined) {
    // Out of memory shows as QuickJS's InternalError, or, when not even the error object
    // could be built, as an unreadable value while the heap is at its maximum.
    const outOfMemory =
      (failure.name === "InternalError" && failure.message === "out of memory") ||
      (heapFull() && (failure.thrown !== undefined || !failure.message));
    return { id: job.id, events, recycle, failure: { kind: outOfMemory ? "memory" : "error", ...failure } };
  }
  if (result === undefined) {
    return {
      id: job.id,
      events,
      failure: {
        kind: "error",
        name: "Error",
        message: "the function is still waiting for a promise when its code ended (timers and I/O are not available in the sandbox)",
        stack: "",
      },
    };
  }
  return { id: job.id, events, result, recycle };
}

function checkJob(job) {
  const errors = [];
  const runtime = quickjs.newRuntime();
  try {
    runtime.setMemoryLimit(job.memoryBytes);
    const deadline = Date.now() + 2000;
    runtime.setInterruptHandler(() => Date.now() > deadline);
    const ctx = runtime.newContext();
    try {
      for (const source of job.sources) {
        const compiled = ctx.evalCode(wrap(source.code), source.file, { compileOnly: true });
        if (compiled.error) {
          errors.push({ file: source.file, ...describeHandle(ctx, compiled.error) });
          compiled.error.dispose();
        } else {
          compiled.value.dispose();
        }
      }
    } finally {
      ctx.dispose();
    }
  } finally {
    runtime.dispose();
  }
  return { id: job.id, errors };
}

parentPort.on("message", (job) => {
  let reply;
  try {
    reply = job.kind === "check" ? checkJob(job) : runJob(job);
  } catch (err) {
    if (job.kind === "run" && heapFull()) {
      // The host side of the bridge ran out of wasm heap too: still the code's memory use.
      parentPort.postMessage({ id: job.id, events: [], recycle: true, failure: { kind: "memory", name: "InternalError", message: "out of memory" } });
      process.exit(0);
    }
    parentPort.postMessage({ id: job.id, crashed: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    process.exit(1);
  }
  parentPort.postMessage(reply);
  // A worker whose heap reached its maximum is replaced by a fresh one (the pool sees the exit).
  if (reply.recycle) process.exit(0);
});
