// The page's entry: form → scenario (Python, web/main.py) → result → DOM → link. The form's
// DOM is the one state; Python is a stateless function behind bridge.js; the link (the URL
// fragment) and the local draft are written from the form after every change.

import { trustSameOriginScripts } from "./trusted-types.js";
import { call, ready, whenReady } from "./bridge.js";
import { catalog, say } from "./catalog.js";
import { showCharts } from "./charts.js";
import { showComparison } from "./compare.js";
import { readDraft, saveDraft } from "./draft.js";
import { reportHeight } from "./embedded.js";
import { pythonStarted, watchFailures } from "./failures.js";
import {
  fillForm, form, formValues, hideLinkProblems, rawFragment, showFieldProblems, showLinkProblems,
} from "./form.js";
import { drop, flush, later } from "./later.js";
import { recall, remember } from "./last-answer.js";
import { watchOpenFile } from "./open-file.js";
import { clearFieldNotes } from "./readings.js";
import { refreshLinks, showReport, watchReport } from "./report.js";
import { markStale, openTracesForPrint, renderResult, showKept, showReady } from "./results.js";
import { runtimeStarted, startRuntime } from "./runtime.js";
import { watchSaved } from "./saved.js";
import "./updates.js"; // the service worker: registered once Python runs, updates offered

const results = document.getElementById("results");

// Compute what the form says and show it; the link follows the form in every case (after
// the result, with the rest of what follows an edit: later.js).
function update() {
  const values = formValues();
  const answer = ready() ? call("calculate", values) : null;
  if (!ready()) showKeptAnswer(values);
  if (!answer) return later(() => writeLink(typedFragment(values))); // loading, or a bug (shown, last result kept)
  remember(values, answer);
  showFieldProblems(answer.problems);
  markStale(answer.problems.length > 0);
  if (answer.result) renderResult(answer.result, answer.texts, values.name ?? "");
  return later(() => {
    writeLink(answer.fragment ?? typedFragment(values));
    if (answer.result) showComparison(answer);
    if (answer.result) showCharts(answer.result);
    showReport(values, answer);
  });
}

// While Python loads, the answer this build gave for these very values on a last visit, if
// the browser kept it (last-answer.js), else the waiting note (and no field note of a kept
// answer); Python computes it again once it runs.
function showKeptAnswer(values) {
  const answer = recall(values);
  if (answer) renderResult(answer.result, answer.texts, values.name ?? "");
  else clearFieldNotes();
  showKept(Boolean(answer));
}

// What was typed, exactly, for a link (invalid text included), under the link's own
// version and edition where it has them (engine.link), so that reading it back gives the
// same form and the same problems.
function typedFragment(values) {
  const link = new URLSearchParams(location.hash.slice(1));
  const header = ["ed"].filter((key) => link.has(key)).map((key) => [key, link.get(key)]);
  const typed = rawFragment(values);
  return [new URLSearchParams(header).toString(), typed].filter(Boolean).join("&");
}

// The link, the draft and the links built from them.
function writeLink(fragment) {
  const hash = fragment ? `#${fragment}` : "";
  if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
  saveDraft(fragment);
  refreshLinks();
}

// The link the page is opened with (or, without one, the local draft) fills the form; once
// Python runs, what in it was not taken is said above the form.
function openLink() {
  drop(); // the address is now the one navigated to
  fillForm(location.hash.slice(1));
  if (ready()) showLinkProblems(call("linkProblems", { fragment: location.hash, lang: catalog.lang })?.problems ?? []);
  if (ready()) update();
  else showKeptAnswer(formValues());
}

function start() {
  pythonStarted();
  runtimeStarted();
  showLinkProblems(call("linkProblems", { fragment: location.hash, lang: catalog.lang })?.problems ?? []);
  update();
  flush(); // "ready" means all of the first result is shown, its charts and links too
  showReady();
  warmUp(WARM_UP_CALLS);
}

// The first edits after the page is ready took up to five times as long as later ones:
// Python's code was still cold (docs/PERFORMANCE.md). A few calls with the form's values,
// each in an idle task of its own (an edit never waits for more than one), warm it before
// the visitor types; their answers are dropped.
const WARM_UP_CALLS = 8;
const idle = window.requestIdleCallback ?? ((job) => setTimeout(job, 50));

function warmUp(left) {
  if (left > 0) idle(() => {
    call("calculate", formValues());
    warmUp(left - 1);
  });
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(location.href);
    say(catalog.page.link_copied);
  } catch {
    say(catalog.page.link_copy_failed);
  }
}

// "Сбросить" empties the form as a new history entry: Back, or the notice's undo, brings
// the scenario back.
function reset() {
  const before = location.hash;
  history.pushState(null, "", location.pathname + location.search);
  fillForm("");
  hideLinkProblems();
  update();
  if (!before) return say("");
  const undo = Object.assign(document.createElement("button"), { type: "button", className: "link-button" });
  undo.textContent = catalog.loading.undo;
  undo.dataset.testid = "undo";
  undo.addEventListener("click", () => {
    say("");
    history.back();
  });
  return say(catalog.loading.reset_done, " ", undo);
}

function restore() {
  if (location.hash.length <= 1) {
    const draft = readDraft();
    if (draft) history.replaceState(null, "", `#${draft}`);
  }
  fillForm(location.hash.slice(1));
}

trustSameOriginScripts();
watchFailures();
startRuntime();
restore();
showKeptAnswer(formValues());
watchReport();
watchOpenFile();
watchSaved();
openTracesForPrint();
reportHeight();
form.addEventListener("input", () => {
  hideLinkProblems();
  say("");
  update();
});
form.addEventListener("submit", (event) => event.preventDefault());
document.getElementById("action-copy").addEventListener("click", copyLink);
document.getElementById("action-reset").addEventListener("click", reset);
document.getElementById("action-print").addEventListener("click", () => print());
document.getElementById("totalbar").addEventListener("click", () => results.scrollIntoView({ behavior: "smooth" }));
document.getElementById("skip-link").addEventListener("click", () => {
  results.tabIndex = -1;
  results.focus();
  results.scrollIntoView();
});
addEventListener("hashchange", openLink);
whenReady(start);
