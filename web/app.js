// The page's JavaScript: form ⇄ URL fragment, loading state, showing results.
// Reading, validating and computing all happen in Python (web/main.py → engine).
// Every visible string comes from the catalog; user text is only ever set as textContent.

const catalog = JSON.parse(document.getElementById("catalog").textContent);
const form = document.getElementById("scenario");
const results = document.getElementById("results");
const linkBanner = document.getElementById("link-problems");
const maxLink = Number(form.dataset.maxLink) || Infinity; // engine.link.MAX_LINK
let engine = null; // window.keaEngine once Python is ready
const failures = []; // {stage: "start" | "calculate" | "page", type, message, traceback, time}
const FAILURE_TEXT_MAX = 20000; // characters of one error's text in the report (see "Failures")

const twoDecimals = new Intl.NumberFormat(catalog.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholeNumber = new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 0 });

// The decimal sign and thousands separator of the page's language (catalog "numbers": ru and
// kk a comma and a narrow no-break space, en a point and a comma), whatever the locale data.
function format(number, style = twoDecimals) {
  const signs = { group: catalog.numbers.group, decimal: catalog.numbers.decimal };
  return style.formatToParts(number).map((part) => signs[part.type] ?? part.value).join("");
}

function formValues() {
  const values = {};
  for (const input of form.querySelectorAll("input[name]")) {
    values[input.name] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
  }
  values.lang = catalog.lang; // a page setting of the link (engine.link), as actual.<group>
  return values;
}

// The trivial name → input mapping; Python reads the same fragment and reports its problems.
// The input of a field path; null for anything else ("f-name" is an input's id, not a field).
function fieldInput(name) {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement && input.name === name ? input : null;
}

function fillForm(fragment) {
  form.reset();
  if (fragment.length > maxLink) return; // engine.link reads nothing of so long a link
  const seen = new Set();
  for (const [name, value] of new URLSearchParams(fragment)) {
    const input = fieldInput(name);
    if (seen.has(name) || !input) continue;
    seen.add(name); // the first of duplicates wins, as in engine.link
    if (input.type === "checkbox") input.checked = value === "1";
    else input.value = value;
  }
}

// A catalog entry by a key that may come from a link ("__proto__", "constructor", …).
function own(object, key) {
  return object !== null && typeof object === "object" && Object.hasOwn(object, key) ? object[key] : undefined;
}

// "{name}" in a catalog text → values.name; a function replacer, so "$&" in data stays as is.
function fillIn(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}

// What is wrong, in the page's language, naming what the field expects (by its kind);
// the engine's own text where the catalog has none.
function problemText(problem) {
  const template = own(catalog.problems, problem.code);
  if (typeof template !== "string") return problem.message;
  const kind = fieldInput(problem.field)?.dataset.kind;
  return fillIn(template, { expected: own(catalog.expected, kind) ?? "" });
}

function fieldLabel(field) {
  return own(catalog.fields, field)?.label ?? field;
}

// The notice above the form names every value of the link that was not taken, and why.
function showLinkProblems(problems) {
  const list = linkBanner.querySelector("ul");
  list.replaceChildren(...problems.map(linkProblemItem));
  linkBanner.hidden = list.children.length === 0;
}

const ECHO_MAX = 80; // characters of the link's own text repeated in the notice

function echo(text) {
  const chars = [...String(text)];
  return chars.length > ECHO_MAX ? `${chars.slice(0, ECHO_MAX).join("")}…` : chars.join("");
}

// "key=value" as the link has it (the first one), for the notice.
function linkPair(key) {
  const value = new URLSearchParams(location.hash.slice(1)).get(key);
  return value === null || value === "" ? `${key}: ${catalog.link.missing}` : `${key}=${value}`;
}

function linkProblemItem(problem) {
  const item = document.createElement("li");
  if (problem.code === "version" || problem.code === "edition") {
    const key = problem.code === "version" ? "v" : "ed";
    item.append(...withText(catalog.link[problem.code], { value: echo(linkPair(key)) }));
  } else if (problem.field === "" && problem.code === "too_long") {
    item.append(...withText(catalog.link.too_long, { max: maxLink }));
  } else {
    const text = problemText(problem);
    const label = own(catalog.fields, problem.field) ? fieldLabel(problem.field) : echo(problem.field);
    const lowered = text.charAt(0).toLocaleLowerCase(catalog.lang) + text.slice(1);
    item.append(...withText(catalog.link.item, { field: label, problem: lowered }));
  }
  return item;
}

// A catalog text with its {placeholders} filled, as nodes: each value — possibly the link's
// own text — is a text node in a <bdi>, so that a right-to-left mark cannot reorder the rest.
function withText(template, values) {
  const nodes = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    if (!Object.hasOwn(values, match[1])) continue;
    const value = document.createElement("bdi");
    value.textContent = String(values[match[1]]);
    nodes.push(template.slice(last, match.index), value);
    last = match.index + match[0].length;
  }
  nodes.push(template.slice(last));
  return nodes;
}

function showFieldProblems(problems) {
  for (const note of form.querySelectorAll(".problem")) {
    note.hidden = true;
    note.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const problem of problems) {
    const note = document.getElementById(`p-${problem.field}`);
    if (!note) continue;
    note.textContent = problemText(problem);
    note.hidden = false;
    document.getElementById(`f-${problem.field}`).setAttribute("aria-invalid", "true");
  }
}

function setNumber(element, value, style) {
  element.textContent = format(value, style);
  element.dataset.value = String(value);
}

function renderSummary(result) {
  setNumber(results.querySelector('[data-testid="total"]'), result.total, wholeNumber);
  document.getElementById("totalbar-value").textContent = format(result.total, wholeNumber);
  setNumber(results.querySelector('[data-testid="total-exact"]'), result.total_exact);
  setNumber(results.querySelector('[data-testid="production-base"]'), result.production_base);
  for (const [group, value] of Object.entries(result.groups)) {
    setNumber(results.querySelector(`[data-group="${group}"]`), value);
  }
  document.getElementById("results-name").textContent = form.elements.namedItem("name").value;
}

function listItems(list, texts) {
  list.replaceChildren(...texts.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
}

function warningText(warning) {
  return `${warning.ruling}: ${warning.message}`;
}

function functionRow(fn, warnings, open) {
  const row = document.getElementById("function-row").content.firstElementChild.cloneNode(true);
  row.querySelector(".fn-clause").textContent = fn.id.split(".").filter((part) => /^\d/.test(part)).join(".");
  row.querySelector(".title").textContent = fn.title; // the norm's own (Russian) wording
  const gloss = catalog.functions?.[fn.id];
  row.querySelector(".gloss").textContent = gloss && gloss !== fn.title ? gloss : "";
  const group = catalog.groups[fn.group] ?? fn.group;
  row.querySelector(".group-col").textContent = group;
  row.querySelector(".group-inline").textContent = group; // shown where the column is not
  const value = row.querySelector(".value");
  value.dataset.testid = `value-${fn.id}`;
  setNumber(value, fn.value);
  const details = row.querySelector("details");
  details.dataset.id = fn.id;
  details.open = open;
  linkedItems(row.querySelector(".trace"), fn.trace);
  linkedItems(row.querySelector(".warnings"), warnings.map(warningText));
  row.classList.toggle("zero", fn.value === 0);
  row.classList.toggle("warned", warnings.length > 0);
  return row;
}

// The rows on show, by function id, each with the data it was built from: a recalculation
// builds (with functionRow, the one place a row is made) only the rows whose function data —
// value, trace, warnings, … — changed; the others stay as they are, open trace and all.
const shownRows = new Map(); // function id → {key, row}
let shownOrder = ""; // the ids of the rows in the table, in order
let shownOthers = null; // what the list of warnings without a function row was built from

function renderFunctions(result) {
  const body = document.getElementById("function-rows");
  const ids = result.functions.map((fn) => fn.id);
  const rows = result.functions.map((fn) => {
    const warnings = result.warnings.filter((warning) => warning.id === fn.id);
    const key = JSON.stringify([fn, warnings]);
    const shown = shownRows.get(fn.id);
    if (shown?.key === key) return shown.row;
    const row = functionRow(fn, warnings, shown?.row.querySelector("details")?.open ?? false);
    shownRows.set(fn.id, { key, row });
    return row;
  });
  if (ids.join("\n") === shownOrder && body.children.length === rows.length) {
    rows.forEach((row, i) => body.children[i] !== row && body.children[i].replaceWith(row));
  } else {
    body.replaceChildren(...rows);
    shownOrder = ids.join("\n");
    for (const id of shownRows.keys()) if (!ids.includes(id)) shownRows.delete(id);
  }
  const known = new Set(ids);
  const others = result.warnings.filter((warning) => !known.has(warning.id));
  const othersKey = JSON.stringify(others);
  if (othersKey === shownOthers) return;
  shownOthers = othersKey;
  const box = document.getElementById("other-warnings");
  linkedItems(box.querySelector("ul"), others.map((warning) => `${warning.id}, ${warningText(warning)}`));
  box.hidden = others.length === 0;
}

function update() {
  if (!engine) return; // typed values stay in the form and are computed once Python is ready
  const values = formValues();
  const answer = ask("calculate", JSON.stringify(values));
  if (!answer) return; // a bug, shown with its report; the last result stays, marked
  showFieldProblems(answer.problems);
  results.classList.toggle("stale", answer.problems.length > 0);
  document.getElementById("totalbar").classList.toggle("stale", answer.problems.length > 0);
  if (!answer.result) return announce(values, answer);
  renderSummary(answer.result);
  renderFunctions(answer.result);
  const hash = `#${answer.fragment}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  announce(values, answer);
}

// web/report.js (comparison, downloads, language and full-version links) listens to this.
function announce(values, answer) {
  dispatchEvent(new CustomEvent("kea:updated", { detail: { values, answer } }));
}

// "… = 0,611111 (п. 1.4, R2)" → text nodes and an <a href="methodology.html#R2"> per ruling
// id, "why is it so?" — built as nodes, no markup parsed. In an iframe they open a new tab.
const methodologyHref = document.querySelector('link[rel="help"]')?.getAttribute("href") ?? "methodology.html";

function withRulingLinks(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/(?<![\p{L}\d])R\d{1,2}(?![\p{L}\d])/gu)) {
    const link = document.createElement("a");
    link.className = "ruling";
    link.href = `${methodologyHref}#${match[0]}`;
    link.textContent = match[0];
    link.title = catalog.results.why;
    link.setAttribute("aria-label", `${match[0]}: ${catalog.results.why}`);
    if (document.documentElement.classList.contains("embed")) Object.assign(link, { target: "_blank", rel: "noopener" });
    nodes.push(text.slice(last, match.index), link);
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

function linkedItems(list, texts) {
  list.replaceChildren(...texts.map((text) => {
    const item = document.createElement("li");
    item.append(...withRulingLinks(text));
    return item;
  }));
}

function openLink() {
  fillForm(location.hash.slice(1));
  if (engine) showLinkProblems(ask("linkProblems", location.hash)?.problems ?? []);
  update();
}

function start() {
  engine = window.keaEngine;
  recover("start"); // whatever went wrong while loading, Python did start
  showLinkProblems(ask("linkProblems", location.hash)?.problems ?? []);
  update();
  results.classList.remove("waiting");
  document.getElementById("loading").hidden = true;
  const ready = Object.assign(document.createElement("span"), { hidden: true });
  ready.dataset.testid = "ready";
  document.body.append(ready);
}

// The engine wheel and main.py, which PyScript fetches only once Python runs, are preloaded
// at the top of the page (build.py, data-late). Fetched here at once — a preload still unused
// 3 s after the load event draws a Chromium warning — and that response is what PyScript's
// own fetch() of the same URL gets: one download, begun at the start.
function adoptLateDownloads() {
  const early = new Map();
  for (const link of document.querySelectorAll('link[rel="preload"][data-late]')) {
    early.set(link.href, fetch(link.href));
  }
  if (early.size === 0) return;
  const networkFetch = window.fetch;
  window.fetch = function fetch(input, init) {
    if (typeof input === "string" && init === undefined && early.size > 0) {
      const url = new URL(input, document.baseURI).href;
      const response = early.get(url);
      if (response) {
        early.delete(url);
        return response;
      }
    }
    return networkFetch.apply(this, arguments);
  };
}

function say(text) {
  document.getElementById("action-status").textContent = text;
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(location.href);
    say(catalog.page.link_copied);
  } catch {
    say(catalog.page.link_copy_failed);
  }
}

function reset() {
  fillForm("");
  linkBanner.hidden = true;
  history.replaceState(null, "", location.pathname + location.search);
  say("");
  update();
}

// Printing shows every trace; the ones the reader had closed close again afterwards.
let closedForPrint = [];
addEventListener("beforeprint", () => {
  closedForPrint = [...document.querySelectorAll("details:not([open])")];
  for (const details of closedForPrint) details.open = true;
});
addEventListener("afterprint", () => {
  for (const details of closedForPrint) details.open = false;
});

form.addEventListener("input", () => {
  linkBanner.hidden = true;
  update();
});
form.addEventListener("submit", (event) => event.preventDefault());
document.getElementById("action-copy").addEventListener("click", copyLink);
document.getElementById("action-reset").addEventListener("click", reset);
document.getElementById("action-print").addEventListener("click", () => print());
document.getElementById("totalbar").addEventListener("click", () => results.scrollIntoView({ behavior: "smooth" }));
addEventListener("hashchange", openLink);
adoptLateDownloads();
trustSameOriginScripts();
watchFailures();

fillForm(location.hash.slice(1));
if (window.keaEngine) start();
else addEventListener("kea:engine-ready", start, { once: true });

// --- Failures ---------------------------------------------------------------------------
// Python failing to download or start, or a bug in a calculation, is said in a sentence
// with a report to copy (page, build, browser, error, traceback); never a blank page or a
// raw traceback in the layout. The form keeps working and keeps its values.

// One call into Python (web/main.py): its answer, or null when it failed — a bug, never
// bad input, which comes back as problems — after the failure is shown.
function ask(method, argument) {
  let answer;
  try {
    answer = JSON.parse(engine[method](argument));
  } catch (error) {
    answer = { error: describe(error) };
  }
  if (answer === null || typeof answer !== "object" || answer.error) {
    fail("calculate", answer?.error ?? { type: "TypeError", message: `not an answer: ${String(answer)}` });
    document.getElementById("totalbar").classList.add("stale");
    return null;
  }
  recover("calculate");
  return answer;
}

// Anything thrown → {type, message, traceback}: main.py's {error}; a PythonError (its
// message is the Python traceback, its type the Python type); an Error; Emscripten's
// ExitStatus and other objects; anything else as text.
function describe(error) {
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

function fail(stage, error) {
  const found = describe(error);
  if (failures.some((f) => f.stage === stage && f.type === found.type && f.message === found.message)) return;
  if (failures.length >= 20) failures.splice(10, 1); // the first ten and the latest ones
  failures.push({ stage, ...found, time: new Date().toISOString() });
  showFailures();
}

function recover(stage) {
  const before = failures.length;
  for (let i = failures.length - 1; i >= 0; i--) if (failures[i].stage === stage) failures.splice(i, 1);
  if (failures.length !== before) showFailures();
}

function showFailures() {
  const panel = document.getElementById("engine-error");
  panel.hidden = failures.length === 0;
  results.classList.toggle("failed", failures.length > 0);
  if (failures.length === 0) return;
  const starting = !engine;
  document.getElementById("engine-error-text").textContent =
    starting ? catalog.errors.load_failed : catalog.errors.calculate_failed;
  document.getElementById("engine-error-report").value = failureReport();
  if (starting) {
    document.getElementById("loading-text").textContent = catalog.page.load_failed;
    document.querySelector("#loading progress").hidden = true;
  }
}

function clip(text, max = FAILURE_TEXT_MAX) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function failureReport() {
  const lines = [
    "KEA 1-nt calculator: error report",
    `Build: ${document.querySelector('meta[name="kea-build"]')?.content ?? "unknown"}`,
    `Page: ${clip(location.href, 10000)}`,
    `User agent: ${navigator.userAgent}`,
    `Python ready: ${engine ? "yes" : "no"}`,
  ];
  for (const failure of failures) {
    lines.push("", `[${failure.stage}] ${failure.time} ${failure.type}: ${clip(failure.message)}`);
    if (failure.traceback && failure.traceback !== failure.message) lines.push(clip(failure.traceback));
  }
  return lines.join("\n");
}

async function copyReport() {
  const report = document.getElementById("engine-error-report");
  const status = document.getElementById("engine-error-status");
  try {
    await navigator.clipboard.writeText(report.value);
    status.textContent = catalog.errors.copied;
  } catch {
    report.select();
    status.textContent = catalog.errors.copy_failed;
  }
}

function watchFailures() {
  document.getElementById("engine-error-copy").addEventListener("click", copyReport);
  addEventListener("error", (event) => {
    if (String(event.message).startsWith("ResizeObserver loop")) return; // benign, not ours
    fail(engine ? "page" : "start", event.error ?? event.message);
  });
  addEventListener("unhandledrejection", (event) => fail(engine ? "page" : "start", event.reason));
  addEventListener("py:all-done", () => {
    if (!engine && failures.length === 0) {
      fail("start", { type: "PyScript", message: "main.py ended without starting the engine", traceback: "" });
    }
  });
  watchDownloads();
  adaptPyScript();
}

// A file of the page failed to download while Python is loading — an HTTP error, or no
// answer at all (status 0 from this origin): Pyodide may then wait forever, so say it now.
// Should Python start after all, start() takes the failure back.
function watchDownloads() {
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (engine || !("responseStatus" in entry) || !entry.name.startsWith(`${location.origin}/`)) continue;
        if (entry.responseStatus === 0 || entry.responseStatus >= 400) {
          const type = entry.responseStatus ? `HTTP ${entry.responseStatus}` : "Network error";
          fail("start", { type, message: entry.name, traceback: "" });
        }
      }
    }).observe({ type: "resource", buffered: true });
  } catch {
    // no resource timing here: the runtime's own errors still arrive as events
  }
}

// The page's CSP requires Trusted Types: a string given to an HTML or script sink is refused.
// Its one allowed policy, "default", converts only a script URL of this page's own origin
// (e.g. navigator.serviceWorker.register("./sw.js")); no HTML, no script text, ever.
function trustSameOriginScripts() {
  if (!window.trustedTypes || trustedTypes.defaultPolicy) return;
  trustedTypes.createPolicy("default", {
    createScriptURL(url) {
      const resolved = new URL(url, document.baseURI);
      if (resolved.origin !== location.origin) throw new TypeError(`script from another origin: ${resolved.origin}`);
      return resolved.href;
    },
  });
}

// PyScript (the module of <script id="pyscript-core">, loading in parallel), before it runs
// Python: (1) its hook for workers is compiled with Function() even on a page with none,
// which the page's CSP (no 'unsafe-eval') refuses — this page runs no worker, so the hook
// goes; (2) what it writes to stderr while starting (an uncaught Python error in main.py,
// a failed fetch) goes to the report, since its own error plugin, which would print it
// into the page, is switched off (web/render.py).
function adaptPyScript() {
  const core = document.getElementById("pyscript-core");
  if (!core) return;
  import(core.src).then(({ hooks }) => {
    hooks.worker.onBeforeRunAsync.clear();
    hooks.main.onReady.add((wrap) => {
      const stderr = wrap.io.stderr;
      wrap.io.stderr = (error, ...rest) => {
        if (!engine) fail("start", error);
        return stderr(error, ...rest);
      };
    });
  }, (error) => fail("start", error));
}
