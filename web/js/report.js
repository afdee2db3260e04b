// Around the number: the actual-vs-norm table, the downloads (CSV, JSON, XLSX), the print header,
// the language switch and, in an iframe (?embed=1), the link to the full page. Computing and
// exporting are Python's (web/main.py → engine.analysis, engine.export).

import { callLoading, ready } from "./bridge.js";
import { catalog, fillIn, format, say, styles } from "./catalog.js";
import { save, today } from "./files.js";

let latest = null; // the latest {values, answer} the page computed

// After each calculation (page.js).
export function showReport(values, answer) {
  latest = { values, answer };
  if (answer.result) renderComparison(answer.comparison);
  refreshLinks();
}

// --- Actual vs normative (engine.analysis.compare) ------------------------------------------

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function comparisonRow(group, row) {
  const direction = row.difference > 0 ? "over" : row.difference < 0 ? "under" : "equal";
  const tr = document.createElement("tr");
  tr.className = `${direction}${group === "total" ? " total-row" : ""}`;
  const name = cell("th", group === "total" ? catalog.results.total_row : catalog.groups[group]);
  name.scope = "row";
  const difference = cell("td", format(row.difference, styles.signed), "num deviation");
  difference.dataset.testid = `deviation-${group}`;
  difference.dataset.value = String(row.difference);
  difference.append(" ", cell("span", catalog.results[direction], "direction"));
  const percent = cell("td", row.percent === null ? "—" : format(row.percent / 100, styles.signedPercent), "num");
  percent.dataset.testid = `deviation-percent-${group}`;
  tr.append(name, cell("td", format(row.actual, styles.upToTwo), "num"),
    cell("td", format(row.normative, styles.upToTwo), "num"), difference, percent);
  return tr;
}

function renderComparison(comparison) {
  const table = document.getElementById("comparison");
  const rows = Object.entries(comparison ?? {});
  table.tBodies[0].replaceChildren(...rows.map(([group, row]) => comparisonRow(group, row)));
  table.hidden = rows.length === 0;
}

// --- Downloads ------------------------------------------------------------------------------

// The file of the latest result: CSV and JSON as text, XLSX as bytes (base64), made by Python
// in the page's language (web/main.py export_file); the XLSX's wheel is loaded on first use.
async function download(kind) {
  if (!ready() || !latest) return say(catalog.results.waiting);
  if (latest.answer.problems.length > 0) return say(catalog.page.export_stale);
  const request = { values: latest.values, kind, date: today(), address: pageAddress() };
  let answer;
  try {
    say(catalog.sheets.preparing);
    answer = await callLoading("exportFile", request);
  } catch (error) {
    return say(fillIn(catalog.sheets.wheels_failed, { file: error.message }));
  }
  if (!answer) return say(""); // a bug, shown with its report
  if (answer.wheels) return say(fillIn(catalog.sheets.wheels_failed, { file: answer.wheels.join(", ") }));
  if (answer.problems.length > 0) return say(catalog.page.export_stale);
  save(answer);
  return say(`${catalog.page.download_ready} ${answer.filename}`);
}

// The page's address for the link written into a file: the full page (no ?embed=1), no fragment.
function pageAddress() {
  const address = new URL(fullVersion());
  address.hash = "";
  return address.href;
}

// --- Print header, links carrying the scenario ---------------------------------------------

let printDate = null; // an Intl.DateTimeFormat is slow to build: once, not on every update

function printHeader() {
  const time = document.getElementById("print-date");
  time.dateTime = today();
  printDate ??= new Intl.DateTimeFormat(catalog.locale, { dateStyle: "long" });
  time.textContent = printDate.format(new Date());
  const address = readable(fullVersion());
  for (const element of document.querySelectorAll("[data-print-url]")) element.textContent = address;
}

// The address with its letters shown as letters (a name in Cyrillic), reserved signs kept.
function readable(address) {
  try {
    return decodeURI(address);
  } catch {
    return address;
  }
}

// This page outside an iframe: the same address and scenario without ?embed=1.
function fullVersion() {
  const full = new URL(location.href);
  full.searchParams.delete("embed");
  return full.href;
}

// Each language's page with this scenario: the fragment with lang= of that page (the page
// then writes its own canonical link), the query (?embed=1) kept.
function refreshLinks() {
  for (const link of document.querySelectorAll("nav.languages a[data-lang]")) {
    link.dataset.page ??= link.getAttribute("href");
    const params = new URLSearchParams(location.hash.slice(1));
    params.delete("lang");
    params.append("lang", link.dataset.lang);
    link.href = `${link.dataset.page}${location.search}#${params}`;
  }
  document.getElementById("open-full").href = fullVersion();
  printHeader();
}

// A fragment edited by hand to another lang= goes to that language's page (as boot.js).
function followLanguage() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get("lang");
  const page = wanted && wanted !== document.documentElement.lang
    && [...document.querySelectorAll('link[rel="alternate"][hreflang]')].find((link) => link.hreflang === wanted);
  if (page) location.replace(page.getAttribute("href") + location.search + location.hash);
}

export function watchReport() {
  addEventListener("beforeprint", printHeader);
  addEventListener("hashchange", followLanguage);
  document.getElementById("action-csv").addEventListener("click", () => download("csv"));
  document.getElementById("action-json").addEventListener("click", () => download("json"));
  document.getElementById("action-xlsx").addEventListener("click", () => download("xlsx"));
  refreshLinks();
}

export { refreshLinks };
