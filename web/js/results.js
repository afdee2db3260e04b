// The result of a calculation in the page: the total and its parts, one row per function
// of the norm with its trace and warnings. Built from nodes and textContent only.

import { catalog, format, quoted, styles } from "./catalog.js";
import { renderReadings } from "./readings.js";

const results = document.getElementById("results");

function setNumber(element, value, style) {
  element.textContent = format(value, style);
  element.dataset.value = String(value);
}

// `texts` (web/main.py): the trace and warnings in the page's language; the result shown
// has them in place of its Russian `trace` and `message`.
export function renderResult(result, texts, name) {
  const shown = inPageLanguage(result, texts);
  renderSummary(shown, name);
  renderReadings(shown);
  renderFunctions(shown);
}

function inPageLanguage(result, texts) {
  return {
    ...result,
    functions: result.functions.map((fn) => ({ ...fn, trace: texts.trace[fn.id] })),
    warnings: result.warnings.map((warning, i) => ({ ...warning, message: texts.warnings[i] })),
  };
}

// The last result stays on show, marked stale, while the form has a problem.
export function markStale(stale) {
  results.classList.toggle("stale", stale);
  document.getElementById("totalbar").classList.toggle("stale", stale);
}

// While Python loads: the answer kept from the last visit (last-answer.js) on show, marked
// as such; false: the waiting note and the summary's dashes again (an edit made the kept
// answer another form's).
export function showKept(kept) {
  results.classList.toggle("kept", kept);
  results.classList.toggle("waiting", !kept);
  if (!kept) clearSummary();
}

function clearSummary() {
  for (const element of results.querySelectorAll(".summary [data-value]")) {
    element.textContent = "—";
    delete element.dataset.value;
  }
  document.getElementById("totalbar-value").textContent = "—";
  document.getElementById("results-name").textContent = "";
}

export function showReady() {
  results.classList.remove("waiting", "kept");
  document.getElementById("loading").hidden = true;
  const ready = Object.assign(document.createElement("span"), { hidden: true });
  ready.dataset.testid = "ready";
  document.body.append(ready);
}

function renderSummary(result, name) {
  setNumber(results.querySelector('[data-testid="total"]'), result.total, styles.whole);
  document.getElementById("totalbar-value").textContent = format(result.total, styles.whole);
  setNumber(results.querySelector('[data-testid="total-exact"]'), result.total_exact);
  setNumber(results.querySelector('[data-testid="production-base"]'), result.production_base);
  for (const [group, value] of Object.entries(result.groups)) {
    setNumber(results.querySelector(`[data-group="${group}"]`), value);
  }
  document.getElementById("results-name").textContent = name;
}

function warningText(warning) {
  return `${warning.ruling}: ${warning.message}`;
}

// A function's row: made once from the template; a recalculation fills again, in place,
// only the rows whose function data — value, trace, warnings, … — changed (an open trace
// stays open). (A memo of what the DOM shows, not a second state: rebuilt from the result.)
const shownRows = new Map(); // function id → {key, row}
let shownOrder = ""; // the ids of the rows in the table, in order
let shownOthers = null; // what the list of warnings without a function row was built from

function newRow(id) {
  const row = document.getElementById("function-row").content.firstElementChild.cloneNode(true);
  row.querySelector(".value").dataset.testid = `value-${id}`;
  row.querySelector("details").dataset.id = id;
  row.querySelector(".trace").dataset.testid = `trace-${id}`;
  row.querySelector(".warnings").dataset.testid = `warnings-${id}`;
  return row;
}

// Text written only where it differs: an equal write still costs the browser a relayout.
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function fillRow(row, fn, warnings) {
  setText(row.querySelector(".fn-clause"), fn.id.split(".").filter((part) => /^\d/.test(part)).join("."));
  setText(row.querySelector(".title"), fn.title); // the norm's own (Russian) wording
  const gloss = catalog.functions?.[fn.id];
  setText(row.querySelector(".gloss"), gloss && gloss !== fn.title ? gloss : "");
  const group = catalog.groups[fn.group] ?? fn.group;
  setText(row.querySelector(".group-col"), group);
  setText(row.querySelector(".group-inline"), group); // shown where the column is not
  setNumber(row.querySelector(".value"), fn.value);
  linkedItems(row.querySelector(".trace"), fn.trace);
  linkedItems(row.querySelector(".warnings"), warnings.map(warningText));
  row.classList.toggle("zero", fn.value === 0);
  row.classList.toggle("warned", warnings.length > 0);
}

function renderFunctions(result) {
  const body = document.getElementById("function-rows");
  const ids = result.functions.map((fn) => fn.id);
  const rows = result.functions.map((fn) => {
    const warnings = result.warnings.filter((warning) => warning.id === fn.id);
    const key = JSON.stringify([fn, warnings]);
    const shown = shownRows.get(fn.id) ?? { key: null, row: newRow(fn.id) };
    if (shown.key !== key) fillRow(shown.row, fn, warnings);
    shownRows.set(fn.id, { key, row: shown.row });
    return shown.row;
  });
  if (ids.join("\n") !== shownOrder || body.children.length !== rows.length) {
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

// "… = 0,611111 (п. 1.4, R2)" → text nodes (quotes of the norm marked Russian) and an
// <a href="methodology.html#R2"> per ruling id, "why is it so?" — built as nodes, no
// markup parsed. In an iframe they open a new tab.
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
    nodes.push(...quoted(text.slice(last, match.index)), link);
    last = match.index + match[0].length;
  }
  nodes.push(...quoted(text.slice(last)));
  return nodes;
}

function linkedItems(list, texts) {
  list.replaceChildren(...texts.map((text) => {
    const item = document.createElement("li");
    item.append(...withRulingLinks(text));
    return item;
  }));
}

// Printing shows every trace; the ones the reader had closed close again afterwards.
export function openTracesForPrint() {
  let closed = [];
  addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details:not([open])")];
    for (const details of closed) details.open = true;
  });
  addEventListener("afterprint", () => {
    for (const details of closed) details.open = false;
  });
}
