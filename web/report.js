// Around the number: the actual-vs-norm table, the downloads (CSV, JSON), the print header,
// the language switch and, in an iframe (?embed=1), the link to the full page.
// It listens to app.js's "kea:updated" ({values, answer}); computing and exporting are
// Python's (web/main.py → engine.analysis, engine.export). Text only via textContent.

const catalog = JSON.parse(document.getElementById("catalog").textContent);
const results = document.getElementById("results");
let latest = null; // the latest {values, answer} of app.js

// Numbers as app.js writes them (catalog "numbers"), with a true minus sign and the sign
// always written for a deviation: colour is never the only cue.
const upToTwo = new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 2, signDisplay: "exceptZero" });
const signedPercent = new Intl.NumberFormat(catalog.locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });

function format(value, style) {
  const signs = { group: catalog.numbers.group, decimal: catalog.numbers.decimal, minusSign: "\u2212" };
  return style.formatToParts(value).map((part) => signs[part.type] ?? part.value).join("");
}

function say(text) {
  document.getElementById("action-status").textContent = text;
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
  const difference = cell("td", format(row.difference, signed), "num deviation");
  difference.dataset.testid = `deviation-${group}`;
  difference.dataset.value = String(row.difference);
  difference.append(" ", cell("span", catalog.results[direction], "direction"));
  const percent = cell("td", row.percent === null ? "—" : format(row.percent / 100, signedPercent), "num");
  percent.dataset.testid = `deviation-percent-${group}`;
  tr.append(name, cell("td", format(row.actual, upToTwo), "num"), cell("td", format(row.normative, upToTwo), "num"),
    difference, percent);
  return tr;
}

function renderComparison(comparison) {
  const table = document.getElementById("comparison");
  const rows = Object.entries(comparison ?? {});
  table.tBodies[0].replaceChildren(...rows.map(([group, row]) => comparisonRow(group, row)));
  table.hidden = rows.length === 0;
}

// --- Downloads ------------------------------------------------------------------------------

function today() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}

function download(kind) {
  const engine = window.keaEngine;
  if (!engine || !latest) return say(catalog.results.waiting);
  if (latest.answer.problems.length > 0) return say(catalog.page.export_stale);
  const answer = JSON.parse(engine.exportFile(JSON.stringify({ values: latest.values, kind, date: today() })));
  if (answer.error) throw new Error(`exportFile: ${answer.error.type}: ${answer.error.message}\n${answer.error.traceback}`);
  if (answer.problems.length > 0) return say(catalog.page.export_stale);
  // CSV with a byte-order mark, so that spreadsheet programs read it as UTF-8
  const parts = kind === "csv" ? ["\ufeff", answer.text] : [answer.text];
  const url = URL.createObjectURL(new Blob(parts, { type: `${answer.mime};charset=utf-8` }));
  const link = Object.assign(document.createElement("a"), { href: url, download: answer.filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(`${catalog.page.download_ready} ${answer.filename}`);
}

// --- Print header, links carrying the scenario ---------------------------------------------

let printDate = null; // an Intl.DateTimeFormat is slow to build: once, not on every update

function printHeader() {
  const now = new Date();
  const time = document.getElementById("print-date");
  time.dateTime = today();
  printDate ??= new Intl.DateTimeFormat(catalog.locale, { dateStyle: "long" });
  time.textContent = printDate.format(now);
  const full = new URL(location.href);
  full.searchParams.delete("embed");
  document.getElementById("print-url").textContent = readable(full.href);
}

// The address with its letters shown as letters (a name in Cyrillic), reserved signs kept.
function readable(address) {
  try {
    return decodeURI(address);
  } catch {
    return address;
  }
}

// Each language's page with this scenario: the fragment with lang= of that page (the page
// then writes its own canonical link), the query (?embed=1) kept.
function languageLinks() {
  for (const link of document.querySelectorAll("nav.languages a[data-lang]")) {
    link.dataset.page ??= link.getAttribute("href");
    const params = new URLSearchParams(location.hash.slice(1));
    params.delete("lang");
    params.append("lang", link.dataset.lang);
    link.href = `${link.dataset.page}${location.search}#${params}`;
  }
  const full = new URL(location.href);
  full.searchParams.delete("embed");
  document.getElementById("open-full").href = full.href;
}

function refresh() {
  languageLinks();
  printHeader();
}

addEventListener("kea:updated", (event) => {
  latest = event.detail;
  if (latest.answer.result) renderComparison(latest.answer.comparison);
  refresh();
});
addEventListener("beforeprint", printHeader);
// a fragment edited by hand to another lang= goes to that language's page (as boot.js)
addEventListener("hashchange", () => {
  const wanted = new URLSearchParams(location.hash.slice(1)).get("lang");
  const page = wanted && wanted !== document.documentElement.lang
    && [...document.querySelectorAll('link[rel="alternate"][hreflang]')].find((link) => link.hreflang === wanted);
  if (page) location.replace(page.getAttribute("href") + location.search + location.hash);
});
document.getElementById("action-csv").addEventListener("click", () => download("csv"));
document.getElementById("action-json").addEventListener("click", () => download("json"));
document.getElementById("skip-link").addEventListener("click", () => {
  results.tabIndex = -1;
  results.focus();
  results.scrollIntoView();
});
refresh();
