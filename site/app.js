// The page's JavaScript: form ⇄ URL fragment, loading state, showing results.
// Reading, validating and computing all happen in Python (site/main.py → engine).
// Every visible string comes from the catalog; user text is only ever set as textContent.

const catalog = JSON.parse(document.getElementById("catalog").textContent);
const form = document.getElementById("scenario");
const results = document.getElementById("results");
const linkBanner = document.getElementById("link-problems");
let engine = null; // window.keaEngine once Python is ready

const twoDecimals = new Intl.NumberFormat(catalog.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholeNumber = new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 0 });

// Thousands grouped by a thin no-break space, whatever the locale's own separator.
function format(number, style = twoDecimals) {
  return style.formatToParts(number).map((part) => (part.type === "group" ? "\u202f" : part.value)).join("");
}

function formValues() {
  const values = {};
  for (const input of form.querySelectorAll("input[name]")) {
    values[input.name] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
  }
  return values;
}

// The trivial name → input mapping; Python reads the same fragment and reports its problems.
function fillForm(fragment) {
  form.reset();
  const seen = new Set();
  for (const [name, value] of new URLSearchParams(fragment)) {
    const input = form.elements.namedItem(name);
    if (seen.has(name) || !(input instanceof HTMLInputElement)) continue;
    seen.add(name); // the first of duplicates wins, as in engine.link
    if (input.type === "checkbox") input.checked = value === "1";
    else input.value = value;
  }
}

function problemText(problem) {
  return catalog.problems[problem.code] ?? problem.message;
}

function fieldLabel(field) {
  return catalog.fields[field]?.label ?? field;
}

// Problems the form shows inline need no second mention in the banner.
function showLinkProblems(problems) {
  const list = linkBanner.querySelector("ul");
  list.replaceChildren();
  for (const problem of problems) {
    const input = form.elements.namedItem(problem.field);
    if (input instanceof HTMLInputElement && input.type !== "checkbox") continue;
    const item = document.createElement("li");
    item.textContent = problem.field ? `${fieldLabel(problem.field)}: ${problemText(problem)}` : problemText(problem);
    list.append(item);
  }
  linkBanner.hidden = list.children.length === 0;
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
  row.querySelector(".title").textContent = fn.title;
  const group = catalog.groups[fn.group] ?? fn.group;
  row.querySelector(".group-col").textContent = group;
  row.querySelector(".group-inline").textContent = group; // shown where the column is not
  const value = row.querySelector(".value");
  value.dataset.testid = `value-${fn.id}`;
  setNumber(value, fn.value);
  const details = row.querySelector("details");
  details.dataset.id = fn.id;
  details.open = open;
  listItems(row.querySelector(".trace"), fn.trace);
  listItems(row.querySelector(".warnings"), warnings.map(warningText));
  row.classList.toggle("zero", fn.value === 0);
  row.classList.toggle("warned", warnings.length > 0);
  return row;
}

function renderFunctions(result) {
  const body = document.getElementById("function-rows");
  const open = new Set([...body.querySelectorAll("details[open]")].map((details) => details.dataset.id));
  const ids = new Set(result.functions.map((fn) => fn.id));
  body.replaceChildren(...result.functions.map((fn) =>
    functionRow(fn, result.warnings.filter((warning) => warning.id === fn.id), open.has(fn.id))));
  const others = result.warnings.filter((warning) => !ids.has(warning.id));
  const box = document.getElementById("other-warnings");
  listItems(box.querySelector("ul"), others.map((warning) => `${warning.id}, ${warningText(warning)}`));
  box.hidden = others.length === 0;
}

function update() {
  if (!engine) return; // typed values stay in the form and are computed once Python is ready
  const answer = JSON.parse(engine.calculate(JSON.stringify(formValues())));
  showFieldProblems(answer.problems);
  results.classList.toggle("stale", answer.problems.length > 0);
  document.getElementById("totalbar").classList.toggle("stale", answer.problems.length > 0);
  if (!answer.result) return;
  renderSummary(answer.result);
  renderFunctions(answer.result);
  const hash = `#${answer.fragment}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function openLink() {
  fillForm(location.hash.slice(1));
  if (engine) showLinkProblems(JSON.parse(engine.linkProblems(location.hash)));
  update();
}

function start() {
  engine = window.keaEngine;
  showLinkProblems(JSON.parse(engine.linkProblems(location.hash)));
  update();
  results.classList.remove("waiting");
  document.getElementById("loading").hidden = true;
  const ready = Object.assign(document.createElement("span"), { hidden: true });
  ready.dataset.testid = "ready";
  document.body.append(ready);
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
addEventListener("py:all-done", () => {
  if (!engine) document.getElementById("loading-text").textContent = catalog.page.load_failed;
});

fillForm(location.hash.slice(1));
if (window.keaEngine) start();
else addEventListener("kea:engine-ready", start, { once: true });
