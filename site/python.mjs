// PyScript's interpreter module (build.py points the PyScript config's "interpreter" here):
// Pyodide's own loadPyodide, started from a memory snapshot when this browser has one.
//
// Pyodide's start-up is mostly CPU — initialising CPython and importing its own modules,
// about 3 s on a slow laptop, on every visit, however well cached the files are. A memory
// snapshot of the freshly initialised interpreter (31 MB) is restored in a fraction of that.
// The first visit starts Pyodide as usual (with _makeSnapshot), takes the snapshot at once —
// before PyScript runs anything in it — and stores it in Cache Storage when the page is idle;
// later visits restore it. The key names the runtime's files (build.py), so a new Pyodide
// never restores an old snapshot; Pyodide itself also refuses a snapshot of another build.
// _makeSnapshot, _loadSnapshot and makeMemorySnapshot are Pyodide's experimental API: any
// failure falls back to a normal start, and without Cache Storage (file://, plain http,
// a sandboxed frame) nothing changes.

import { loadPyodide as startPyodide, version } from "./pyodide/pyodide.mjs";

export { version };

const KEY = "SNAPSHOT_KEY"; // build.py: a hash of the runtime files and of this module
const FOLDER = new URL("./", import.meta.url).href;
const CACHE = `kea-1nt-python ${FOLDER}`; // not the service worker's prefix: it keeps this
const ENTRY = new URL(`./pyodide/snapshot-${KEY}.bin`, FOLDER).href; // a cache key, no file

// For tests and the benchmark: how Python started, and whether a snapshot got stored.
const state = { start: "plain", stored: Promise.resolve(false) };
globalThis.keaPython = state;

export async function loadPyodide(options = {}) {
  // PyScript derives indexURL from this module's folder; Pyodide's files are in ./pyodide/
  const settings = { ...options, indexURL: new URL("./pyodide/", FOLDER).href };
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
  if (!(await cacheUsable())) return startPyodide(settings);
  const pyodide = await startPyodide({ ...settings, _makeSnapshot: true });
  state.start = "fresh";
  try {
    state.stored = storeWhenIdle(pyodide.makeMemorySnapshot());
  } catch (error) {
    console.warn("Python: no snapshot taken.", error);
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

// Once PyScript, the engine and the first result are done with the CPU; only this build's
// snapshot is kept.
function storeWhenIdle(image) {
  return new Promise((resolve) => {
    const store = async () => {
      try {
        await forgetSnapshots();
        await (await caches.open(CACHE)).put(ENTRY, new Response(image, {
          headers: { "Content-Type": "application/octet-stream" },
        }));
        resolve(true);
      } catch (error) {
        console.warn("Python: the snapshot could not be stored.", error);
        resolve(false);
      }
    };
    if (typeof requestIdleCallback === "function") requestIdleCallback(store, { timeout: 10000 });
    else setTimeout(store, 1000);
  });
}

async function forgetSnapshots() {
  try {
    await caches.delete(CACHE);
  } catch {
    // nothing stored, nothing to forget
  }
}
