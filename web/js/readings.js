// Where the result depends on how the norm is read (RULINGS.md, edition 2): the notice of a
// version-1 link, the alternative readings that would change this total (R25) with a switch
// each, the nearest row edges (R24), and 3.2 named apart (R15). The switches only set the
// form's hidden inputs (v, readings.<ruling>): the form stays the one state and the link
// follows it. Text only via textContent.

import { catalog, fillIn, format, quoted, styles } from "./catalog.js";
import { form } from "./form.js";

const texts = catalog.readings;
const methodologyHref = document.querySelector('link[rel="help"]')?.getAttribute("href") ?? "methodology.html";

export function renderReadings(result) {
  showMetering(result);
  showEditionNotice(result);
  showAlternatives(result);
  showThresholds(result);
  showFieldNotes(result);
}

// R23: inputs that contradict each other keep their values; the warning is shown under
// each field it names (as well as in its function's row).
function showFieldNotes(result) {
  clearFieldNotes();
  for (const warning of result.warnings) {
    for (const path of warning.fields ?? []) {
      const problem = document.getElementById(`p-${path}`);
      if (!problem) continue;
      const note = Object.assign(document.createElement("p"), { className: "field-note" });
      note.append(...quoted(`${warning.ruling}: ${warning.message}`));
      note.dataset.testid = `note-${path}`;
      problem.after(note);
    }
  }
}

export function clearFieldNotes() {
  for (const old of form.querySelectorAll(".field-note")) old.remove();
}

function setInput(name, value) {
  form.elements.namedItem(name).value = value;
  form.dispatchEvent(new Event("input")); // recompute, rewrite the link
}

function showMetering(result) {
  const line = document.getElementById("metering-line");
  const value = result.functions.find((fn) => fn.id === "3.2")?.value ?? 0;
  line.textContent = fillIn(texts.metering, { value: format(value) });
  line.hidden = value === 0;
}

function showEditionNotice(result) {
  const notice = document.getElementById("edition-notice");
  notice.hidden = result.rulings_edition !== 1;
  if (notice.hidden) return;
  notice.dataset.value = String(result.current.total_exact);
  document.getElementById("edition-notice-text").textContent =
    fillIn(texts.edition_notice, { total: format(result.current.total, styles.whole) });
}

function rulingLink(ruling) {
  return Object.assign(document.createElement("a"), { href: `${methodologyHref}#${ruling}`, textContent: ruling, className: "ruling" });
}

function showAlternatives(result) {
  const panel = document.getElementById("alternatives");
  panel.hidden = result.rulings_edition === 1 || result.alternatives.length === 0;
  panel.querySelector("ul").replaceChildren(...result.alternatives.map((alternative) => {
    const item = document.createElement("li");
    item.dataset.testid = `alternative-${alternative.ruling}`;
    item.dataset.value = String(alternative.total_exact);
    const input = form.elements.namedItem(`readings.${alternative.ruling}`);
    const isDefault = alternative.variant === input.dataset.default;
    const text = fillIn(texts.alternative, {
      reading: texts.variants[alternative.ruling]?.[alternative.variant] ?? alternative.variant,
      total: format(alternative.total, styles.whole),
      delta: format(alternative.delta, styles.signed),
    });
    const button = Object.assign(document.createElement("button"), { type: "button", className: "secondary" });
    button.textContent = isDefault ? texts.restore : texts.apply;
    button.addEventListener("click", () => setInput(input.name, isDefault ? "" : alternative.variant));
    item.append(rulingLink(alternative.ruling), ": ", text, " ", button);
    return item;
  }));
}

function showThresholds(result) {
  const panel = document.getElementById("thresholds");
  const byId = new Map(result.functions.map((fn) => [fn.id, fn.value]));
  const shown = result.thresholds.filter((threshold) => Object.keys(threshold.functions).length > 0);
  panel.hidden = shown.length === 0;
  panel.querySelector("ul").replaceChildren(...shown.map((threshold) => {
    const item = document.createElement("li");
    item.dataset.testid = `threshold-${threshold.factor}`;
    item.dataset.value = String(threshold.total_exact);
    const changes = Object.entries(threshold.functions)
      .map(([id, value]) => `${id} ${format(value - byId.get(id), styles.signed)}`).join(", ");
    // every factor of R24 keys management apparatus only: its change is the total's
    const delta = format(threshold.total_exact - result.total_exact, styles.upToTwo);
    item.textContent = fillIn(texts.threshold[threshold.factor], {
      change: fillIn(threshold.total_exact > result.total_exact ? texts.threshold_grows : texts.threshold_changes, { delta }),
      value: format(threshold.value, styles.upToTwo),
      edge: format(threshold.next_edge, styles.upToTwo),
      distance: format(threshold.distance, styles.upToTwo),
      functions: changes,
    });
    return item;
  }));
}

document.getElementById("edition-switch").addEventListener("click", () => setInput("v", form.elements.namedItem("v").dataset.initial));
