// Pyodide for the page, started as early as the page allows and, from the second visit on,
// from a memory snapshot. It is PyScript's interpreter module (the build points the config's
// "interpreter" here), and the build also loads it at the top of the page as an async module
// script, so that it starts Python as soon as the form is parsed, not when PyScript's own
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

const SETUP = {{setup}}; // {key, archive, imports, wheels}: filled by the build (docs/BUILD.md)
const FOLDER = new URL("./", import.meta.url).href;
const INDEX_URL = new URL("./pyodide/", FOLDER).href;
const CACHE = `kea-1nt-python ${FOLDER}`; // not the service worker's prefix: it keeps this
const ENTRY = new URL(`./pyodide/snapshot-${SETUP.key}.bin`, FOLDER).href; // a key, no file
const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
const CACHE_TIMEOUT = 5000; // ms for an answer of Cache Storage (see withTimeout)
const READ_TIMEOUT = 30_000; // ms to read or write the ≈ 31 MB snapshot (a slow disk, a busy machine)

// For tests and the benchmark: how Python started — "snapshot"; "fresh" (none yet: one is
// being made); "plain" (no Cache Storage) — and whether a snapshot got stored. Performance
// marks "python:start" and "python:ready" time the start-up (bench/page.py).
const state = { start: "plain", stored: Promise.resolve(false), loadWheels };
const output = {}; // PyScript's stdout and stderr, once it asks for Python
let started = null;

if (IN_WORKER) makeSnapshot().then((stored) => postMessage(stored), () => postMessage(false));
else {
  globalThis.keaPython = state;
  start();
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
    const engine = fetchArchive(); // downloaded alongside the runtime
    engine.catch(() => {}); // awaited below; a failure is reported from there
    if (document.readyState === "loading") {
      await new Promise((resolve) => addEventListener("DOMContentLoaded", resolve, { once: true }));
    }
    performance.mark("python:start");
    const settings = {
      indexURL: INDEX_URL,
      stdout: (text) => (output.stdout ?? console.log)(text),
      stderr: (text) => (output.stderr ?? console.warn)(text),
    };
    let pyodide = null;
    const snapshot = await image;
    if (snapshot) {
      try {
        pyodide = await startPyodide({ ...settings, _loadSnapshot: snapshot });
        state.start = "snapshot";
      } catch (error) {
        console.warn("Python: the stored snapshot did not start, starting afresh.", error);
        await forgetSnapshots();
      }
    }
    if (!pyodide) {
      pyodide = await startPyodide(settings);
      if (await cacheUsable()) {
        state.start = "fresh";
        state.stored = snapshotWhenIdle();
      }
    }
    unpackEngine(pyodide, await engine);
    performance.mark("python:ready");
    return pyodide;
  })();
  // PyScript reports a failure when it asks; the page (web/js/runtime.js) is told at once
  started.catch((error) => dispatchEvent(new CustomEvent("kea:python-failed", { detail: error })));
  return started;
}

// The engine archive (engine/ + norm_json/ as a wheel), unpacked into Python's working
// directory, which is on sys.path — before PyScript runs main.py, which imports it. A
// failed, truncated or wrong file is an error naming it.
async function fetchArchive() {
  const response = await fetch(new URL(SETUP.archive, FOLDER));
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.ok) throw new Error(`${SETUP.archive}: HTTP ${response.status}`);
  if (/text|html|javascript/.test(type)) throw new Error(`${SETUP.archive}: Content-Type ${type}`);
  return response.arrayBuffer();
}

function unpackEngine(pyodide, archive) {
  try {
    pyodide.unpackArchive(archive, "whl", { extractDir: "." });
  } catch (error) {
    throw new Error(`${SETUP.archive}: ${error.message}`);
  }
}

// The pinned pure-Python wheels an export or an import needs (SETUP.wheels: {name: URL},
// vendored by the build into ./wheels/, web/build/wheels.py), installed into Python on first
// use — never at start-up — from this origin (the service worker precaches them, so this
// works offline). loadWheels(["xlsxwriter"]) → a promise; a wheel that failed (Pyodide only
// logs it) rejects, and is tried again on the next call.
const wheelsLoading = new Map(); // name → promise
function loadWheels(names) {
  const fresh = [...new Set(names)].filter((name) => !wheelsLoading.has(name));
  if (fresh.length > 0) {
    const load = installWheels(fresh); // one call: Pyodide's messages and lock are per call
    for (const name of fresh) wheelsLoading.set(name, load);
    load.catch(() => fresh.forEach((name) => wheelsLoading.delete(name)));
  }
  return Promise.all(names.map((name) => wheelsLoading.get(name)));
}

async function installWheels(names) {
  const unknown = names.filter((name) => !Object.hasOwn(SETUP.wheels, name));
  if (unknown.length > 0) throw new Error(`no wheel ${unknown.join(", ")} in this build`);
  const urls = names.map((name) => new URL(SETUP.wheels[name], FOLDER).href);
  const errors = [];
  const pyodide = await start();
  const loaded = await pyodide.loadPackage(urls, { messageCallback: () => {}, errorCallback: (text) => errors.push(text) });
  if (loaded.length !== names.length) throw new Error(errors.join(" ") || `${names.join(", ")}: not loaded`);
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
  const pyodide = await startPyodide({ indexURL: INDEX_URL, _makeSnapshot: true });
  unpackEngine(pyodide, await fetchArchive());
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
