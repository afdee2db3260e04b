// Starting Python: PyScript (./pyscript/core.js, its config on <script type="py">) runs
// web/main.py on the Pyodide that ../python.mjs starts. This module starts PyScript once
// its workarounds are in place, and watches the start: a runtime file that fails, comes
// broken, or stalls is said at once (which file, data-testid="load-error"), with a retry
// that downloads that file again past the browser's cache and reloads the page — the form,
// and so the link, keep what was typed.

import { catalog, fillIn } from "./catalog.js";
import { fail, onStartFailure, stage } from "./failures.js";
import { ensureIndexedDB, withoutWorkerHooks } from "./pyscript-workarounds.js";

// ms without any progress (a finished download, a step of Python's start) before the page
// says the start stalled; tests set window.keaLoadDeadline first (page.add_init_script).
const DEADLINE = Number(globalThis.keaLoadDeadline) > 0 ? Number(globalThis.keaLoadDeadline) : 40_000;
const EXPECTED_TYPE = { wasm: /wasm/, mjs: /javascript/, js: /javascript/, zip: /zip|octet/, whl: /zip|octet/, gz: /gzip|octet|wasm/ };

let started = false;
let received = 0; // bytes of same-origin downloads so far (countBytes)
let failedURL = null; // the file the load error names

export function startRuntime() {
  onStartFailure(showLoadError);
  countBytes();
  watchDownloads();
  watchProgress();
  addEventListener("kea:python-failed", (event) => fail("start", event.detail));
  addEventListener("py:all-done", () => {
    if (!started) fail("start", { type: "PyScript", message: "main.py ended without starting the engine", traceback: "" });
  });
  document.getElementById("retry").addEventListener("click", retry);
  start().catch((error) => fail("start", error));
}

export function runtimeStarted() {
  started = true;
  document.getElementById("load-error").hidden = true;
  dispatchEvent(new Event("kea:runtime-started"));
}

// The failed file may sit broken in the browser's HTTP cache (a truncated response with a
// matching length, from a host or proxy that cut it): a plain reload would take it from
// there again. So it is downloaded once more with cache "reload" (which also stores the
// good copy the reloaded page then uses); a download that still fails or hangs ends the wait.
async function retry() {
  document.getElementById("retry").disabled = true;
  if (failedURL) {
    try {
      const response = await fetch(failedURL, { cache: "reload", signal: AbortSignal.timeout(DEADLINE) });
      await response.arrayBuffer();
    } catch {
      // still broken: the reloaded page says so again
    }
  }
  location.reload();
}

async function start() {
  await ensureIndexedDB();
  const core = document.getElementById("pyscript-core").href;
  let pyscript;
  try {
    pyscript = await import(core);
  } catch (error) {
    throw Object.assign(new Error(`${core}: ${error.message}`), { name: error.name });
  }
  withoutWorkerHooks(pyscript.hooks);
  // What PyScript writes to stderr while starting (an uncaught Python error in main.py, a
  // failed fetch) goes to the report: its error plugin, which would print it into the page,
  // is off (config "plugins": ["!error"], web/render.py).
  pyscript.hooks.main.onReady.add((wrap) => {
    const stderr = wrap.io.stderr;
    wrap.io.stderr = (error, ...rest) => {
      if (!started) fail("start", error);
      return stderr(error, ...rest);
    };
  });
}

// Every file the start downloads: the preloads and module scripts of the page's head (the
// PyScript core among them), the modules they import (startModules); main.py, which PyScript
// asks for once Python runs, last.
// Not the page's own modules (this folder): they have all run before this one can say anything.
const OWN_MODULES = new URL("./", import.meta.url).href;

function runtimeFiles() {
  const head = document.querySelectorAll('link[rel="preload"], link[rel="modulepreload"], script[src]:not([type="py"])');
  const urls = [...head].map((element) => element.href || element.src).filter((url) => !url.startsWith(OWN_MODULES));
  const main = [...document.querySelectorAll('script[type="py"][src]')].map((script) => script.src);
  return [...new Set([...urls, ...startModules().keys(), ...main])];
}

// What the build wrote into the head does not change once the page runs: each is read once,
// not at every download and every second of the stall watch.
const once = (read) => {
  let value = null;
  return () => (value ??= read());
};

// The modules Python's start imports that the head does not preload (pyodide.mjs, PyScript's
// core chunks; web/build/pages.py): the python.mjs script's data-modules, URL → length.
const startModules = once(() => {
  const script = document.querySelector("script[data-modules]");
  const entries = Object.entries(script ? JSON.parse(script.dataset.modules) : {});
  return new Map(entries.map(([url, size]) => [new URL(url, document.baseURI).href, Number(size)]));
});

// The length of each file the build wrote next to its preload (data-size) or in data-modules.
const expectedSizes = once(() => {
  const links = [...document.querySelectorAll("link[data-size]")].map((link) => [link.href, Number(link.dataset.size)]);
  return new Map([...links, ...startModules()]);
});

function fileName(url) {
  return new URL(url).pathname.split("/").pop();
}

// A file of the page failed to download while Python is loading — an HTTP error, or no
// answer at all (status 0 from this origin): Pyodide may then wait forever, so say it now.
function watchDownloads() {
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (started || !entry.name.startsWith(`${location.origin}/`)) continue;
        const problem = responseProblem(entry);
        if (problem) fail("start", { type: problem, message: entry.name, traceback: "" });
      }
    }).observe({ type: "resource", buffered: true });
  } catch {
    // no resource timing here: the runtime's own errors still arrive as events
  }
}

function responseProblem(entry) {
  if (!("responseStatus" in entry)) return null;
  if (entry.responseStatus === 0 || entry.responseStatus >= 400) {
    return entry.responseStatus ? `HTTP ${entry.responseStatus}` : "Network error";
  }
  const expected = EXPECTED_TYPE[fileName(entry.name).split(".").pop()];
  if (expected && entry.contentType && !expected.test(entry.contentType)) return `Content-Type ${entry.contentType}`;
  const size = expectedSizes().get(entry.name);
  // (0: a size the browser does not tell, e.g. of a response a service worker made)
  if (size && entry.decodedBodySize && entry.decodedBodySize !== size) {
    return `${entry.decodedBodySize} bytes instead of ${size}`;
  }
  return null;
}

// Progress is counted in bytes: a large file that arrives slowly (the 9.6 MB wasm on a slow
// line takes minutes) is no stall, and Resource Timing tells only of finished downloads. So
// while Python starts, every same-origin fetch() (Pyodide's wasm and stdlib, the engine
// archive; they take over the preloads' responses) is read a second time, as it arrives,
// from a clone of its response; the caller's response is untouched.
function countBytes() {
  const original = globalThis.fetch;
  const counting = async function (...args) {
    const response = await original.apply(this, args);
    if (!started && response.body && response.url.startsWith(`${location.origin}/`)) count(response.clone().body);
    return response;
  };
  globalThis.fetch = counting;
  addEventListener("kea:runtime-started", () => {
    if (globalThis.fetch === counting) globalThis.fetch = original;
  }, { once: true });
}

async function count(body) {
  const reader = body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done && !started; chunk = await reader.read()) {
      received += chunk.value.byteLength;
    }
  } catch {
    // a failed download is said by watchDownloads or by the runtime's own error
  } finally {
    reader.cancel().catch(() => {});
  }
}

// No bytes, no finished download and no step of the start for DEADLINE ms while a runtime
// file is still being downloaded: the start stalled. (With every file in, Python is busy
// starting on the CPU, which may take long on a slow machine, but it is no stall.)
function watchProgress() {
  let seen = -1;
  let since = performance.now();
  const timer = setInterval(() => {
    if (started) return clearInterval(timer);
    const progress = received + performance.getEntriesByType("resource").length + performance.getEntriesByType("mark").length;
    if (progress !== seen || pendingFiles().length === 0) {
      seen = progress;
      since = performance.now();
    } else if (performance.now() - since > DEADLINE) {
      const pending = pendingFiles();
      fail("start", { type: "Timeout", message: `no progress for ${Math.round(DEADLINE / 1000)} s: ${pending.join(", ")}`, traceback: "" });
    }
    return undefined;
  }, 1000);
}

function pendingFiles() {
  const done = new Set(performance.getEntriesByType("resource").map((entry) => entry.name));
  return runtimeFiles().filter((url) => !done.has(url) && awaited(url));
}

// PyScript fetches main.py once Python runs (python:ready): only from then on is it awaited.
function awaited(url) {
  return !url.includes("/main.py") || performance.getEntriesByName("python:ready").length > 0;
}

// Which file a start failure is about: one that came with an HTTP error or a wrong type, one
// the error names, the runtime's wasm for a WebAssembly error, or one still downloading.
function failedFile(error) {
  const files = runtimeFiles();
  const entries = new Map(performance.getEntriesByType("resource").map((entry) => [entry.name, entry]));
  const bad = files.find((url) => entries.has(url) && responseProblem(entries.get(url)));
  if (bad) return bad;
  const text = `${error.type} ${error.message} ${error.traceback}`;
  const named = files.find((url) => text.includes(fileName(url)));
  if (named) return named;
  if (/WebAssembly|CompileError|LinkError|wasm/i.test(text)) return files.find((url) => /\.wasm(\.gz)?$/.test(url));
  if (/zip/i.test(text)) return files.find((url) => /python_stdlib\.zip(\.gz)?$/.test(url));
  return pendingFiles()[0] ?? null;
}

function showLoadError(error) {
  if (stage() !== "start") return;
  const file = failedFile(error);
  failedURL = file;
  const texts = catalog.loading;
  let text = texts.failed;
  if (file && error.type === "Timeout") text = fillIn(texts.stalled, { file: fileName(file), seconds: Math.round(DEADLINE / 1000) });
  else if (file) text = fillIn(texts.failed_file, { file: fileName(file) });
  document.getElementById("load-error-text").textContent = text;
  document.getElementById("load-error").hidden = false;
}
