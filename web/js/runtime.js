// Starting Python: PyScript (./pyscript/core.js, its config on <script type="py">) runs
// web/main.py on the Pyodide that ../python.mjs starts. This module starts PyScript once
// its workarounds are in place, and watches the start: a runtime file that fails, comes
// broken, or stalls is said at once (which file, data-testid="load-error"), with a retry
// that reloads the page — the form, and so the link, keep what was typed.

import { catalog, fillIn } from "./catalog.js";
import { fail, onStartFailure, stage } from "./failures.js";
import { ensureIndexedDB, withoutWorkerHooks } from "./pyscript-workarounds.js";

// ms without any progress (a finished download, a step of Python's start) before the page
// says the start stalled; tests set window.keaLoadDeadline first (page.add_init_script).
const DEADLINE = Number(globalThis.keaLoadDeadline) > 0 ? Number(globalThis.keaLoadDeadline) : 40_000;
const EXPECTED_TYPE = { wasm: /wasm/, mjs: /javascript/, js: /javascript/, zip: /zip|octet/, whl: /zip|octet/, gz: /gzip|octet|wasm/ };

let started = false;

export function startRuntime() {
  onStartFailure(showLoadError);
  watchDownloads();
  watchProgress();
  addEventListener("kea:python-failed", (event) => fail("start", event.detail));
  addEventListener("py:all-done", () => {
    if (!started) fail("start", { type: "PyScript", message: "main.py ended without starting the engine", traceback: "" });
  });
  document.getElementById("retry").addEventListener("click", () => location.reload());
  start().catch((error) => fail("start", error));
}

export function runtimeStarted() {
  started = true;
  document.getElementById("load-error").hidden = true;
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
// PyScript core among them); main.py, which PyScript asks for once Python runs, last.
function runtimeFiles() {
  const links = document.querySelectorAll('link[rel="preload"], link[rel="modulepreload"], script[src]');
  return [...new Set([...links].map((element) => element.href || element.src))];
}

// The length of each file the build wrote next to its preload (data-size).
function expectedSizes() {
  return new Map([...document.querySelectorAll("link[data-size]")].map((link) => [link.href, Number(link.dataset.size)]));
}

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

// No progress for DEADLINE ms while Python is not running: the start stalled.
function watchProgress() {
  let seen = -1;
  let since = performance.now();
  const timer = setInterval(() => {
    if (started) return clearInterval(timer);
    const progress = performance.getEntriesByType("resource").length + performance.getEntriesByType("mark").length;
    if (progress !== seen) {
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
  return runtimeFiles().filter((url) => !done.has(url) && !url.includes("/main.py"));
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
  if (/zip/i.test(text)) return files.find((url) => url.endsWith("python_stdlib.zip"));
  return pendingFiles()[0] ?? null;
}

function showLoadError(error) {
  if (stage() !== "start") return;
  const file = failedFile(error);
  const texts = catalog.loading;
  let text = texts.failed;
  if (file && error.type === "Timeout") text = fillIn(texts.stalled, { file: fileName(file), seconds: Math.round(DEADLINE / 1000) });
  else if (file) text = fillIn(texts.failed_file, { file: fileName(file) });
  document.getElementById("load-error-text").textContent = text;
  document.getElementById("load-error").hidden = false;
}
