// Pyodide for the page, started as early as the page allows and, from the second visit on,
// from a memory snapshot. It is PyScript's interpreter module (the build points the config's
// "interpreter" here), and the build also loads it at the top of the page as an async module
// script, so that it starts Python as soon as the form is parsed and its script has run, not when PyScript's own
// chain of modules gets to it; PyScript's loadPyodide() call then gets that same Pyodide.
//
// Pyodide's start-up is mostly CPU — initialising CPython and importing its own modules,
// seconds on a slow machine, on every visit, however well cached the files are. A memory
// snapshot of an initialised interpreter (≈ 31 MB) is restored in a fraction of that. The
// first visit starts Pyodide as usual; once the page is idle, this same module, run as a
// worker (off the main thread), starts a second Pyodide with _makeSnapshot, unpacks the
// engine wheel into its working directory as the page does, imports what main.py imports
// (and so the engine and its norm data), takes the snapshot and stores it in Cache Storage;
// later visits restore it. Either way the engine archive, downloaded from the start, is
// unpacked into Python's working directory before PyScript gets Python. (The instance a snapshot is taken of cannot serve the page: with
// _makeSnapshot its `js` module is a recording proxy on which DOM getters fail.)
//
// SETUP.key (web/build/python_module.py) hashes the runtime's files, the engine wheel and this module, so a
// snapshot never outlives what it was taken of; Pyodide also refuses a snapshot of another
// build. _makeSnapshot, _loadSnapshot and makeMemorySnapshot are Pyodide's experimental API:
// any failure falls back to a normal start, and without Cache Storage or module workers
// (file://, plain http, a sandboxed frame) nothing changes.

import { loadPyodide as startPyodide, version } from "./pyodide/pyodide.mjs";

export { version };

const SETUP = {{setup}}; // {key, archive, imports, wheels, module, wasm, stdlib, lock}: filled by the build (docs/BUILD.md)
const FOLDER = new URL("./", import.meta.url).href;
const INDEX_URL = new URL("./pyodide/", FOLDER).href;
const CACHE = `kea-1nt-python ${FOLDER}`; // not the service worker's prefix: it keeps this
// This visit's downloads of the runtime: the service worker's precache takes verified files
// from here instead of the network, and deletes it once active (web/sw.js).
const DOWNLOADS = `kea-1nt-downloads ${FOLDER}`;
// What Pyodide fetches (its default names) → what is downloaded for it (SETUP.wasm: gzip)
const RUNTIME = new Map([
  [new URL("pyodide.asm.wasm", INDEX_URL).href, SETUP.wasm],
  [new URL("python_stdlib.zip", INDEX_URL).href, SETUP.stdlib],
]);
const ENTRY = new URL(`./pyodide/snapshot-${SETUP.key}.bin`, FOLDER).href; // a key, no file
const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
const CACHE_TIMEOUT = 5000; // ms for an answer of Cache Storage (see withTimeout)
const READ_TIMEOUT = 30_000; // ms to read or write the ≈ 31 MB snapshot (a slow disk, a busy machine)

// For tests and the benchmark: how Python started — "snapshot"; "fresh" (none yet: one is
// being made); "plain" (no Cache Storage) — and whether a snapshot got stored. Performance
// marks "python:start" and "python:ready" time the start-up (bench/page.py).
const state = { start: "plain", stored: Promise.resolve(false), kept: Promise.resolve(), modules, loadWheels };
const keeping = []; // copies being written into DOWNLOADS (state.kept: once all are)
const output = {}; // PyScript's stdout and stderr, once it asks for Python
let started = null;

if (IN_WORKER) makeSnapshot().then((stored) => postMessage(stored), () => postMessage(false));
else {
  globalThis.keaPython = state;
  start();
}

// Python's start holds the main thread for seconds: it begins once the page's own module
// script (the form: filled from the link, listening to input, the kept answer shown) has
// run, i.e. at DOMContentLoaded, which waits for that deferred script.
function formScriptRun() {
  const [navigation] = performance.getEntriesByType("navigation");
  if (document.readyState === "complete" || navigation?.domContentLoadedEventStart > 0) return Promise.resolve();
  return new Promise((resolve) => addEventListener("DOMContentLoaded", resolve, { once: true }));
}

// PyScript's call: the Pyodide already starting, its output now PyScript's. (PyScript passes
// stdout, stderr and an indexURL derived from this module's folder — ./pyodide/ is used.)
export function loadPyodide(options = {}) {
  output.stdout = options.stdout;
  output.stderr = options.stderr;
  return start();
}

function start() {
  started ??= (async () => {
    const image = readSnapshot(); // Cache Storage is read while the page is parsed
    const module = pyodideModule(); // downloaded alongside the rest of the runtime
    const engine = fetchArchive();
    module.catch(() => {}); // both awaited below; a failure is reported from there
    engine.catch(() => {});
    await formScriptRun();
    performance.mark("python:start");
    const settings = {
      indexURL: INDEX_URL,
      createPyodideModule: await module,
      lockFileContents: SETUP.lock, // no package is installed: no need to fetch it
      stdout: (text) => (output.stdout ?? console.log)(text),
      stderr: (text) => (output.stderr ?? console.warn)(text),
    };
    let pyodide = null;
    const snapshot = await image;
    if (snapshot) {
      try {
        pyodide = await withRuntimeFiles(() => startPyodide({ ...settings, _loadSnapshot: snapshot }));
        state.start = "snapshot";
      } catch (error) {
        console.warn("Python: the stored snapshot did not start, starting afresh.", error);
        await forgetSnapshots();
      }
    }
    if (!pyodide) {
      pyodide = await withRuntimeFiles(() => startPyodide(settings));
      if (await cacheUsable()) {
        state.start = "fresh";
        // tests that do not test the snapshot set window.keaSnapshot = false (page.add_init_script):
        // making one is a second Pyodide start in the background, seconds of CPU on each first visit
        if (globalThis.keaSnapshot !== false) state.stored = snapshotWhenIdle();
      }
    }
    unpack(pyodide, SETUP.archive, await engine, ".");
    state.kept = Promise.all(keeping).then(() => {});
    state.pyodide = pyodide;
    performance.mark("python:ready");
    return pyodide;
  })();
  // PyScript reports a failure when it asks; the page (web/js/runtime.js) is told at once
  started.catch((error) => dispatchEvent(new CustomEvent("kea:python-failed", { detail: error })));
  return started;
}

// The engine archive (engine/ + norm_json/ as a wheel, downloaded as its gzip copy),
// unpacked into Python's working directory, which is on sys.path — before PyScript runs
// main.py, which imports it.
async function fetchArchive() {
  return downloadBytes(SETUP.archive);
}

// Pyodide's JavaScript half, pyodide.asm.mjs: 1.25 MB, which Pyodide would import itself,
// plain, from a host that compresses nothing. It is downloaded as its gzip copy (0.24 MB)
// and imported from the decompressed text (a blob: URL, which the page's CSP allows for
// this) → what loadPyodide takes as its createPyodideModule option. A failed download is a
// load error naming the file, as for the wasm; a host policy that refuses blob: scripts →
// undefined: Pyodide imports the plain file as usual.
async function pyodideModule() {
  const code = await downloadBytes(SETUP.module);
  // its frames in a stack trace (a bug report) are then named as the plain file, not blob:…
  const name = `\n//# sourceURL=${new URL("pyodide.asm.mjs", INDEX_URL).href}\n`;
  const url = URL.createObjectURL(new Blob([code, name], { type: "text/javascript" }));
  try {
    return (await import(url)).default;
  } catch (error) {
    console.warn(`Python: the page may not import ${SETUP.module} (its policy?); Pyodide imports pyodide.asm.mjs.`, error);
    return undefined;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// The one workaround of this module: Pyodide has no option for where its wasm comes from
// (it fetches indexURL + "pyodide.asm.wasm"), and that file is 9.6 MB where the host
// compresses nothing. While loadPyodide starts, its fetches of the RUNTIME files are
// answered by download() — the wasm from its gzip copy (3.5 MB), decompressed here as it
// arrives, still compiled as it streams in; every other fetch goes on unchanged.
async function withRuntimeFiles(run) {
  const plain = globalThis.fetch;
  globalThis.fetch = (resource, options) => {
    const name = RUNTIME.get(String(resource instanceof Request ? resource.url : resource));
    return name ? download(name, plain) : plain(resource, options);
  };
  try {
    return await run();
  } finally {
    globalThis.fetch = plain;
  }
}

// A runtime file (its gzip copy), downloaded once per visit → its content, decompressed
// as it arrives: the worker first looks for the page's copy (or the service worker's); the
// page, while no service worker serves it, keeps a copy in DOWNLOADS (a private window's
// HTTP cache keeps no file this big). A failed, truncated or wrong file is an error naming
// it (a host's "not found" page has a text type).
async function download(name, plainFetch = fetch) {
  const url = new URL(name, FOLDER).href;
  const copy = IN_WORKER ? await cachedCopy(url) : null;
  if (copy) return decompressed(copy, name);
  const response = await plainFetch(url);
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  if (/text|html|javascript/.test(type)) throw new Error(`${name}: Content-Type ${type}`);
  if (!IN_WORKER && !navigator.serviceWorker?.controller) keep(url, response.clone());
  return decompressed(response, name);
}

// A runtime file's whole content (an ArrayBuffer): one cut short, or not gzip, is an error
// naming it too.
async function downloadBytes(name) {
  const response = await download(name);
  try {
    return await response.arrayBuffer();
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
}

async function cachedCopy(url) {
  try {
    return (await withTimeout(caches.match(url))) ?? null;
  } catch {
    return null;
  }
}

function keep(url, response) {
  keeping.push((async () => {
    try {
      if (!(await cacheUsable())) return;
      await withTimeout((async () => (await caches.open(DOWNLOADS)).put(url, response))(), READ_TIMEOUT);
    } catch {
      // not kept: the service worker downloads it itself
    }
  })());
}

// A gzip file's content as a Response of its plain type; other bytes as they are (a host
// may already have undone the compression, sending the .gz with Content-Encoding: gzip).
// By the name, not response.url: a copy the service worker stored has none.
async function decompressed(response, name) {
  const reader = response.body.getReader();
  const first = await reader.read();
  const body = new ReadableStream({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(first.value);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const gzip = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
  const type = name.includes(".wasm") ? "application/wasm" : "application/octet-stream";
  return new Response(gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body, {
    headers: { "Content-Type": type },
  });
}

// For tests (tests/e2e/test_stdlib_imports.py): the source files of the standard library's
// zip (Pyodide mounts it at /lib/python3XY.zip) whose modules Python has imported; the
// build's zip holds them compiled (json/__init__.pyc: json/__init__.py).
function modules() {
  return state.pyodide?.runPython([
    "import sys",
    "sorted({f.split('.zip/', 1)[1].removesuffix('c') for m in list(sys.modules.values())",
    "        if '.zip/' in (f := getattr(m, '__file__', None) or '')})",
  ].join("\n")).toJs() ?? null;
}

// A wheel's bytes (name: its URL, for the error) unpacked into a folder on sys.path.
function unpack(pyodide, name, archive, extractDir) {
  try {
    pyodide.unpackArchive(archive, "whl", { extractDir });
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
}

// The pinned pure-Python wheels an export or an import needs (SETUP.wheels: {name: URL of
// its gzip copy}, vendored by the build into ./wheels/, web/build/wheels.py), installed into
// Python on first use — never at start-up — from this origin (the service worker precaches
// them, so this works offline): unpacked into site-packages as the engine archive is into
// the working directory (a pure-Python wheel needs nothing more). loadWheels(["xlsxwriter"])
// → a promise; a wheel that failed rejects, and is tried again on the next call.
const wheelsLoading = new Map(); // name → promise
function loadWheels(names) {
  const fresh = [...new Set(names)].filter((name) => !wheelsLoading.has(name));
  if (fresh.length > 0) {
    const load = installWheels(fresh);
    for (const name of fresh) wheelsLoading.set(name, load);
    load.catch(() => fresh.forEach((name) => wheelsLoading.delete(name)));
  }
  return Promise.all(names.map((name) => wheelsLoading.get(name)));
}

async function installWheels(names) {
  const unknown = names.filter((name) => !Object.hasOwn(SETUP.wheels, name));
  if (unknown.length > 0) throw new Error(`no wheel ${unknown.join(", ")} in this build`);
  const archives = Promise.all(names.map((name) => downloadBytes(SETUP.wheels[name])));
  archives.catch(() => {}); // awaited below, once Python runs
  const pyodide = await start();
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  (await archives).forEach((archive, index) => unpack(pyodide, SETUP.wheels[names[index]], archive, sitePackages));
  pyodide.runPython("import importlib; importlib.invalidate_caches()"); // the new folders
}

// Cache Storage that neither answers nor refuses (a stalled quota check, a busy disk) must
// not hold up the start: each call gets a deadline, after which it counts as refused.
function withTimeout(promise, timeout = CACHE_TIMEOUT) {
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("Cache Storage did not answer")), timeout);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function cacheUsable() {
  try {
    if (typeof caches === "undefined") return false;
    await withTimeout(caches.has(CACHE)); // throws where storage is not allowed (an opaque origin, …)
    return true;
  } catch {
    return false;
  }
}

async function readSnapshot() {
  try {
    if (typeof caches === "undefined" || !(await withTimeout(caches.has(CACHE)))) return null;
    const response = await withTimeout((async () => (await caches.open(CACHE)).match(ENTRY))());
    return response ? new Uint8Array(await withTimeout(response.arrayBuffer(), READ_TIMEOUT)) : null;
  } catch {
    return null;
  }
}

// In the page: run this module as a worker once PyScript has run main.py and the page is
// idle (the first result first) → whether it stored a snapshot.
function snapshotWhenIdle() {
  return new Promise((resolve) => {
    const begin = () => {
      try {
        const worker = new Worker(import.meta.url, { type: "module", name: "python-snapshot" });
        const done = (stored) => {
          worker.terminate();
          resolve(stored);
        };
        worker.onmessage = (event) => done(event.data === true);
        worker.onerror = () => done(false);
      } catch {
        resolve(false); // no module workers here
      }
    };
    const idle = () => (typeof requestIdleCallback === "function"
      ? requestIdleCallback(begin, { timeout: 5000 }) : setTimeout(begin, 500));
    addEventListener("py:all-done", idle, { once: true });
  });
}

// In the worker: a fresh Pyodide; the engine unpacked and imported as the page will; its
// snapshot taken and stored (only this build's snapshot is kept).
async function makeSnapshot() {
  const createPyodideModule = await pyodideModule();
  const pyodide = await withRuntimeFiles(() => startPyodide({
    indexURL: INDEX_URL, lockFileContents: SETUP.lock, createPyodideModule, _makeSnapshot: true,
  }));
  unpack(pyodide, SETUP.archive, await fetchArchive(), ".");
  pyodide.runPython([
    "import importlib",
    `for name in ${JSON.stringify(SETUP.imports)}:`,
    "    try:",
    "        importlib.import_module(name)",
    "    except ImportError:",
    "        pass",
  ].join("\n"));
  const image = pyodide.makeMemorySnapshot();
  await forgetSnapshots();
  await withTimeout((async () => (await caches.open(CACHE)).put(ENTRY, new Response(image, {
    headers: { "Content-Type": "application/octet-stream" },
  })))(), READ_TIMEOUT);
  return true;
}

async function forgetSnapshots() {
  try {
    await withTimeout(caches.delete(CACHE));
  } catch {
    // nothing stored, nothing to forget
  }
}
