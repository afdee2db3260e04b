// PyScript's interpreter module (build.py points the PyScript config's "interpreter" here):
// Pyodide's own loadPyodide, started from a memory snapshot when this browser has one.
//
// Pyodide's start-up is mostly CPU — initialising CPython and importing its own modules,
// seconds on a slow machine, on every visit, however well cached the files are. A memory
// snapshot of the freshly initialised interpreter (31 MB) is restored in a fraction of that.
// The first visit starts Pyodide as usual; once the page is idle, this same module, run as a
// worker (off the main thread, on another core), starts a second Pyodide with _makeSnapshot,
// takes its snapshot before anything runs in it and stores it in Cache Storage; later visits
// restore it. (The instance a snapshot is taken of cannot serve the page: with _makeSnapshot
// its `js` module is a recording proxy on which DOM getters fail.) The key names the runtime's
// files (build.py), so a new Pyodide never restores an old snapshot; Pyodide itself refuses a
// snapshot of another build too. _makeSnapshot, _loadSnapshot and makeMemorySnapshot are
// Pyodide's experimental API: any failure falls back to a normal start, and without Cache
// Storage or module workers (file://, plain http, a sandboxed frame) nothing changes.

import { loadPyodide as startPyodide, version } from "./pyodide/pyodide.mjs";

export { version };

const KEY = "SNAPSHOT_KEY"; // build.py: a hash of the runtime files and of this module
const FOLDER = new URL("./", import.meta.url).href;
const INDEX_URL = new URL("./pyodide/", FOLDER).href;
const CACHE = `kea-1nt-python ${FOLDER}`; // not the service worker's prefix: it keeps this
const ENTRY = new URL(`./pyodide/snapshot-${KEY}.bin`, FOLDER).href; // a cache key, no file
const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;

// For tests and the benchmark: how Python started — "snapshot"; "fresh" (none yet: one is
// being made); "plain" (no Cache Storage) — and whether a snapshot got stored.
const state = { start: "plain", stored: Promise.resolve(false) };
if (IN_WORKER) makeSnapshot().then((stored) => postMessage(stored), () => postMessage(false));
else globalThis.keaPython = state;

export async function loadPyodide(options = {}) {
  // PyScript derives indexURL from this module's folder; Pyodide's files are in ./pyodide/
  const settings = { ...options, indexURL: INDEX_URL };
  const image = await readSnapshot();
  if (image) {
    try {
      const pyodide = await startPyodide({ ...settings, _loadSnapshot: image });
      state.start = "snapshot";
      return pyodide;
    } catch (error) {
      console.warn("Python: the stored snapshot did not start, starting afresh.", error);
      await forgetSnapshots();
    }
  }
  const pyodide = await startPyodide(settings);
  if (await cacheUsable()) {
    state.start = "fresh";
    state.stored = snapshotWhenIdle();
  }
  return pyodide;
}

async function cacheUsable() {
  try {
    if (typeof caches === "undefined") return false;
    await caches.has(CACHE); // throws where storage is not allowed (an opaque origin, …)
    return true;
  } catch {
    return false;
  }
}

async function readSnapshot() {
  try {
    if (typeof caches === "undefined" || !(await caches.has(CACHE))) return null;
    const response = await (await caches.open(CACHE)).match(ENTRY);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

// In the page: run this module as a worker once PyScript has run main.py and the page is
// idle (the first result first) → whether it stored a snapshot.
function snapshotWhenIdle() {
  return new Promise((resolve) => {
    const start = () => {
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
      ? requestIdleCallback(start, { timeout: 5000 }) : setTimeout(start, 500));
    addEventListener("py:all-done", idle, { once: true });
  });
}

// In the worker: a fresh Pyodide, its snapshot taken before anything runs in it, stored
// (only this build's snapshot is kept).
async function makeSnapshot() {
  const pyodide = await startPyodide({ indexURL: INDEX_URL, _makeSnapshot: true });
  const image = pyodide.makeMemorySnapshot();
  await forgetSnapshots();
  await (await caches.open(CACHE)).put(ENTRY, new Response(image, {
    headers: { "Content-Type": "application/octet-stream" },
  }));
  return true;
}

async function forgetSnapshots() {
  try {
    await caches.delete(CACHE);
  } catch {
    // nothing stored, nothing to forget
  }
}
