// What this page needs of PyScript 0.7.31 that it has no configuration, hook or plugin for.
// Everything else is its supported surface: the config (interpreter, plugins), hooks.main.
// Each workaround here is small, runs before PyScript starts, and patches no file of it.

// 1. Starting without IndexedDB. PyScript opens IndexedDB unconditionally while it starts:
//    core.js's pyscript.fs at import (new IDBMap("@pyscript.fs")), and polyscript's Pyodide
//    engine awaits its package cache (new IDBMapSync(…).sync()) even for a page that installs
//    no package — `packages_cache: "never"` still opens it first. Where storage is denied (a
//    cross-site iframe with third-party storage blocked, "block all cookies", some private
//    modes) the open fails, the start is aborted, and idb-map's error handler re-dispatches
//    the event it is handling (InvalidStateError: "The event is already being dispatched").
//    So: probe IndexedDB first and, where it is refused, give the page an in-memory one
//    (the fake-indexeddb package, which the build bundles into dist and whose path there it
//    gives this module as KEA_MEMORY_DB, web/build/assets.py): PyScript
//    then starts as anywhere else, nothing is kept between visits, which it never needed.
const PROBE_TIMEOUT = 3000; // ms: a browser that neither opens nor refuses counts as refusing
const MEMORY_DB = new URL(KEA_MEMORY_DB, document.baseURI).href;

export async function ensureIndexedDB() {
  if (await indexedDBWorks()) return "indexeddb";
  const memory = await import(MEMORY_DB);
  for (const name of ["indexedDB", "IDBKeyRange", "IDBCursor", "IDBDatabase", "IDBTransaction", "IDBRequest"]) {
    const value = name === "indexedDB" ? memory.indexedDB : memory[name];
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  return "memory";
}

function indexedDBWorks() {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT);
    const done = (works) => {
      clearTimeout(timer);
      resolve(works);
    };
    try {
      const request = indexedDB.open("kea-1nt-probe");
      request.onsuccess = () => {
        request.result.close();
        indexedDB.deleteDatabase("kea-1nt-probe");
        done(true);
      };
      request.onerror = (event) => {
        event.preventDefault(); // refused: said here, not as an uncaught error
        done(false);
      };
      request.onblocked = () => done(false);
    } catch {
      done(false); // no indexedDB at all, or a SecurityError on access
    }
  });
}

// 2. A Content-Security-Policy without 'unsafe-eval'. PyScript's worker hooks are lazy
//    getters that compile their callbacks with Function(), and polyscript reads them for
//    every script, also on the main thread (new Hook(interpreter, hooks)); PyScript's one
//    default worker hook (it registers pyscript.fs's constants in a worker) makes that read
//    compile, which the page's CSP refuses. This page runs no worker, so that default goes,
//    through PyScript's own exported hooks (they are sets) before any script is handled.
export function withoutWorkerHooks(hooks) {
  for (const name of ["onReady", "onBeforeRun", "onBeforeRunAsync", "onAfterRun", "onAfterRunAsync"]) {
    hooks.worker[name].clear();
  }
}
