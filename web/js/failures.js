// Python failing to download or start, or a bug in a calculation, is said in a sentence
// with a report to copy (page, build, browser, error, traceback); never a blank page or a
// raw traceback in the layout. The form keeps working and keeps its values.

import { catalog } from "./catalog.js";

const failures = []; // {stage: "start" | "calculate" | "page", type, message, traceback, time}
const FAILURE_TEXT_MAX = 20000; // characters of one error's text in the report
let pythonReady = false;
let startListener = () => {};

// listener({type, message, traceback}) on each failure of the start (runtime.js).
export function onStartFailure(listener) {
  startListener = listener;
}

// Anything thrown → {type, message, traceback}: main.py's {error}; a PythonError (its
// message is the Python traceback, its type the Python type); an Error; Emscripten's
// ExitStatus and other objects; anything else as text.
export function describe(error) {
  try {
    if (error === null || typeof error !== "object") return { type: typeof error, message: String(error), traceback: "" };
    if ("traceback" in error && !(error instanceof Error)) {
      return { type: String(error.type), message: String(error.message), traceback: String(error.traceback) };
    }
    if (error instanceof Error && typeof error.type === "string") {
      const lines = String(error.message).trim().split("\n");
      return { type: error.type, message: lines.at(-1), traceback: `${error.message}\n${error.stack ?? ""}` };
    }
    const type = String(error.name ?? error.constructor?.name ?? "Object");
    const message = "message" in error ? String(error.message) : JSON.stringify(error);
    return { type, message, traceback: String(error.stack ?? "") };
  } catch {
    return { type: "unknown", message: "(the error could not be read)", traceback: "" };
  }
}

export function fail(stage, error) {
  const found = describe(error);
  if (failures.some((f) => f.stage === stage && f.type === found.type && f.message === found.message)) return;
  if (failures.length >= 20) failures.splice(10, 1); // the first ten and the latest ones
  failures.push({ stage, ...found, time: new Date().toISOString() });
  show();
  if (stage === "start" && !pythonReady) startListener(found);
}

export function recover(stage) {
  const before = failures.length;
  for (let i = failures.length - 1; i >= 0; i--) if (failures[i].stage === stage) failures.splice(i, 1);
  if (failures.length !== before) show();
}

// Python runs: whatever went wrong while loading, it did start.
export function pythonStarted() {
  pythonReady = true;
  recover("start");
}

export function stage() {
  return pythonReady ? "page" : "start";
}

function show() {
  const panel = document.getElementById("engine-error");
  panel.hidden = failures.length === 0;
  document.getElementById("results").classList.toggle("failed", failures.length > 0);
  if (failures.length === 0) return;
  document.getElementById("engine-error-text").textContent =
    pythonReady ? catalog.errors.calculate_failed : catalog.errors.load_failed;
  document.getElementById("engine-error-report").value = report();
  if (!pythonReady) {
    document.getElementById("loading-text").textContent = catalog.page.load_failed;
    document.querySelector("#loading progress").hidden = true;
  }
}

function clip(text, max = FAILURE_TEXT_MAX) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function report() {
  const lines = [
    "KEA 1-nt calculator: error report",
    `Build: ${document.querySelector('meta[name="kea-build"]')?.content ?? "unknown"}`,
    `Page: ${clip(location.href, 10000)}`,
    `User agent: ${navigator.userAgent}`,
    `Python ready: ${pythonReady ? "yes" : "no"}`,
  ];
  for (const failure of failures) {
    lines.push("", `[${failure.stage}] ${failure.time} ${failure.type}: ${clip(failure.message)}`);
    if (failure.traceback && failure.traceback !== failure.message) lines.push(clip(failure.traceback));
  }
  return lines.join("\n");
}

async function copyReport() {
  const area = document.getElementById("engine-error-report");
  const status = document.getElementById("engine-error-status");
  try {
    await navigator.clipboard.writeText(area.value);
    status.textContent = catalog.errors.copied;
  } catch {
    area.select();
    status.textContent = catalog.errors.copy_failed;
  }
}

// Every uncaught error and rejection of the page goes to the report.
export function watchFailures() {
  document.getElementById("engine-error-copy").addEventListener("click", copyReport);
  addEventListener("error", (event) => {
    if (String(event.message).startsWith("ResizeObserver loop")) return; // benign, not ours
    fail(stage(), event.error ?? event.message);
  });
  addEventListener("unhandledrejection", (event) => fail(stage(), event.reason));
}
