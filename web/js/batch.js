// The batch page (batch.html, docs/BATCH.md): a CSV or XLSX of organizations in, a table of
// their norms out. Python (web/main.py batch_run, batch_file → engine.batch) reads, computes
// and writes the files; this module only passes the file's bytes and shows the answer. Each
// computed row links to the calculator of the page's language with that organization's
// scenario (engine.link), where its full calculation is shown.

import { trustSameOriginScripts } from "./trusted-types.js";
import { callLoading, whenReady } from "./bridge.js";
import { catalog, echoText, fillIn, format, say, styles } from "./catalog.js";
import { pythonStarted, watchFailures } from "./failures.js";
import { save, toBase64, today } from "./files.js";
import { runtimeStarted, startRuntime } from "./runtime.js";
import "./updates.js"; // the service worker: this page works offline too

const MAX_MB = 20; // engine.batch.MAX_BYTES
const table = document.querySelector('[data-testid="batch-table"]');
const input = document.getElementById("batch-file");
let latest = null; // {name, base64} of the file shown

// Python's answer, or null once what went wrong is said; loads the XLSX wheels on first use.
async function ask(method, request) {
  let answer;
  try {
    answer = await callLoading(method, request);
  } catch (error) {
    say(fillIn(catalog.sheets.wheels_failed, { file: error.message }));
    return null;
  }
  if (!answer) say(""); // a bug, shown with its report
  else if (answer.wheels) say(fillIn(catalog.sheets.wheels_failed, { file: answer.wheels.join(", ") }));
  else if (answer.unreadable) say(fillIn(catalog.batch.unreadable, { file: latest.name, reason: answer.unreadable }));
  else return answer;
  return null;
}

async function openFile(file) {
  const name = echoText(file.name);
  if (file.size > MAX_MB * 2 ** 20) return say(fillIn(catalog.sheets.too_large, { file: name, max: MAX_MB }));
  // performance marks batch:start → batch:computed (Python) → batch:shown: bench/batch.py
  performance.mark("batch:start");
  say(fillIn(catalog.batch.running, { file: name }));
  latest = { name, base64: toBase64(new Uint8Array(await file.arrayBuffer())) };
  await new Promise(requestAnimationFrame); // the status is drawn before Python runs
  performance.mark("batch:read");
  const answer = await ask("batchRun", { base64: latest.base64 });
  performance.mark("batch:computed");
  if (!answer) return showRows([]);
  showRows(answer.rows);
  performance.mark("batch:shown");
  const bad = answer.rows.filter((row) => row.errors.length > 0).length;
  return say(fillIn(catalog.batch.summary, { file: name, count: answer.rows.length, good: answer.rows.length - bad, bad }));
}

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function number(value, testid, style = styles.twoDecimals) {
  const td = cell("td", value === null ? "—" : format(value, style), "num");
  td.dataset.testid = testid;
  if (value !== null) td.dataset.value = String(value);
  return td;
}

// Errors are shown in full; warnings (often several long ones per row) fold under their
// count, so that a row stays one line high and the table fits a laptop screen.
function list(items, testid, folded = false) {
  const td = document.createElement("td");
  td.dataset.testid = testid;
  if (items.length === 0) return td;
  const ul = document.createElement("ul");
  ul.append(...items.map((text) => cell("li", text)));
  if (!folded) td.append(ul);
  else {
    const details = document.createElement("details");
    details.append(cell("summary", fillIn(catalog.batch.warnings_count, { count: items.length })), ul);
    td.append(details);
  }
  return td;
}

function rowElement(row) {
  const tr = document.createElement("tr");
  tr.dataset.row = String(row.row);
  if (row.errors.length > 0) tr.className = "bad";
  const name = cell("td", row.name || "—");
  if (row.fragment !== null) {
    const open = cell("a", catalog.batch.open, "open-link");
    open.href = `${table.dataset.calculator}#${row.fragment}`;
    open.dataset.testid = "open-row";
    name.append(" ", open);
  }
  const total = number(row.total, "row-total", styles.whole);
  if (row.total_exact !== null) total.dataset.exact = String(row.total_exact);
  tr.append(cell("td", String(row.row), "num"), name, total, number(row.production_base, "row-production-base"),
    number(row.workers, "row-workers"), number(row.production_specialists, "row-production_specialists"),
    number(row.management, "row-management"), list(row.warnings, "row-warnings", true), list(row.errors, "row-errors"));
  tr.lastChild.dataset.fields = row.fields.join(" ");
  return tr;
}

function showRows(rows) {
  table.tBodies[0].replaceChildren(...rows.map(rowElement));
  for (const button of document.querySelectorAll("[data-download]")) button.disabled = rows.length === 0;
}

async function download(request) {
  const answer = await ask("batchFile", request);
  if (!answer) return;
  save(answer);
  say(`${catalog.page.download_ready} ${answer.filename}`);
}

function start() {
  pythonStarted();
  runtimeStarted();
  document.getElementById("loading").hidden = true;
  for (const control of document.querySelectorAll("[data-template], #batch-file")) control.disabled = false;
  const ready = Object.assign(document.createElement("span"), { hidden: true });
  ready.dataset.testid = "ready";
  document.body.append(ready);
}

trustSameOriginScripts();
watchFailures();
startRuntime();
input.addEventListener("change", () => {
  const [file] = input.files;
  input.value = ""; // the same file can be read again
  if (file) openFile(file);
});
for (const button of document.querySelectorAll("[data-template]")) {
  button.addEventListener("click", () => download({ kind: button.dataset.template, template: true }));
}
for (const button of document.querySelectorAll("[data-download]")) {
  button.addEventListener("click", () => latest && download({ kind: button.dataset.download, base64: latest.base64, date: today() }));
}
whenReady(start);
