// Two calculations side by side: "pin as baseline" keeps the current scenario (its own
// fragment, engine.link.encode) in the form's hidden #baseline input; Python computes both in
// the same `calculate` call and answers their difference (engine.analysis.difference), shown
// per total, group, P and function. The link carries the baseline as base.<key> pairs.

import { catalog, fillIn, format, say, styles } from "./catalog.js";
import { baselineInput, form } from "./form.js";

const texts = catalog.compare;
const panel = document.getElementById("compare");
let latest = ""; // the current scenario's own fragment (answer.scenario_fragment)

function pin(fragment) {
  baselineInput.value = fragment;
  form.dispatchEvent(new Event("input")); // recompute, rewrite the link
}

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function row(clause, title, pair, testid, style = styles.twoDecimals) {
  const tr = document.createElement("tr");
  const name = cell("th", title);
  name.scope = "row";
  const difference = cell("td", format(pair.difference, pair.difference ? styles.signed : style), "num deviation");
  difference.dataset.testid = testid;
  difference.dataset.value = String(pair.difference);
  tr.className = pair.difference === 0 ? "same" : "changed";
  tr.append(cell("td", clause, "fn-clause"), name, cell("td", format(pair.baseline, style), "num"),
    cell("td", format(pair.current, style), "num"), difference);
  return tr;
}

function setDifference(testid, value, style) {
  const element = panel.querySelector(`[data-testid="${testid}"]`);
  element.textContent = format(value, style);
  element.dataset.value = String(value);
}

// After each calculation (page.js): the panel for answer.baseline, hidden without one.
export function showComparison(answer) {
  latest = answer.scenario_fragment ?? latest;
  const baseline = answer.baseline;
  panel.hidden = !baseline;
  document.getElementById("action-pin").hidden = Boolean(baseline);
  if (!baseline) return;
  const diff = baseline.difference;
  setDifference("diff-total", diff.total.difference, styles.signed);
  setDifference("diff-total-exact", diff.total_exact.difference, styles.signed);
  document.getElementById("compare-name").textContent = baseline.name ? fillIn(texts.named, { name: baseline.name }) : "";
  const titles = new Map(answer.result.functions.map((fn) => [fn.id, catalog.functions?.[fn.id] ?? fn.title]));
  document.getElementById("compare-rows").replaceChildren(
    row("", texts.total_row, diff.total, "diff-total-row", styles.whole),
    row("", texts.total_exact_row, diff.total_exact, "diff-total-exact-row"),
    ...Object.entries(diff.groups).map(([group, pair]) => row("", catalog.groups[group], pair, `diff-group-${group}`)),
    row("", catalog.results.production_base, diff.production_base, "diff-production-base"),
    ...Object.entries(diff.functions).map(([id, pair]) => row(id, titles.get(id) ?? id, pair, `diff-${id}`)),
  );
}

function pinCurrent() {
  pin(latest);
  say(texts.pinned);
}

document.getElementById("action-pin").addEventListener("click", pinCurrent);
document.getElementById("compare-repin").addEventListener("click", pinCurrent);
document.getElementById("compare-unpin").addEventListener("click", () => pin(""));
