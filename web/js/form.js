// The form is the page's one state. Its values go to Python as {field path: text}; a link's
// fragment (field=text pairs, engine.link) fills it; the problems Python finds are shown at
// their fields and, for a link, in the notice above the form.

import { catalog, echoText, fieldLabel, fillIn, own, withText } from "./catalog.js";

export const form = document.getElementById("scenario");
const linkBanner = document.getElementById("link-problems");
export const maxLink = Number(form.dataset.maxLink) || Infinity; // engine.link.MAX_LINK
// The pinned baseline of a comparison (compare.js): its own fragment in a hidden input owned
// by the form (form="scenario", outside its fieldsets), so the form stays the one state; in the link its pairs are prefixed (engine.link.BASE).
export const baselineInput = document.getElementById("baseline");
const BASE = "base.";

// {field path: text} of every input (a checked box is "1"), and the page's language.
export function formValues() {
  const values = {};
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.type === "hidden" && input.value === "") continue; // a reading left at its default
    values[input.name] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
  }
  for (const [key, text] of new URLSearchParams(baselineInput.value)) values[BASE + key] ??= text;
  values.lang = catalog.lang; // a page setting of the link (engine.link), as actual.<group>
  return values;
}

// What was typed as a fragment, exactly as typed (invalid text included): what the link
// holds while Python is loading (once it runs, its answer has the fragment).
export function rawFragment(values = formValues()) {
  const pairs = Object.entries(values).filter(([name, text]) => text !== ""
    && !(name === "lang" && text === DEFAULT_LANG) && !(name === "v" && text === CURRENT_VERSION));
  return new URLSearchParams(pairs).toString();
}

// The version a link without v= is read in (engine.link): the current edition of the rulings.
const CURRENT_VERSION = form.elements.namedItem("v")?.dataset.initial;

// The language a link without lang= is read in (engine.link): the page at ./ .
const DEFAULT_LANG = document.querySelector('link[rel="alternate"][href="./"]')?.hreflang;

// The input of a field path; null for anything else ("f-name" is an input's id, not a field).
export function fieldInput(name) {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement && input.name === name ? input : null;
}

// The form as a fragment says: the trivial name → input mapping (Python reads the same
// fragment and reports its problems); the first of duplicates wins, as in engine.link.
export function fillForm(fragment) {
  form.reset();
  // a hidden input's value is its default too, which reset() keeps: set them back by hand
  for (const input of form.querySelectorAll("input[type=hidden]")) input.value = input.dataset.initial ?? "";
  baselineInput.value = "";
  if (fragment.length > maxLink) return; // engine.link reads nothing of so long a link
  const seen = new Set();
  const baseline = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(fragment)) {
    if (name.startsWith(BASE)) {
      if (!seen.has(name)) baseline.append(name.slice(BASE.length), value);
      seen.add(name);
      continue;
    }
    const input = fieldInput(name);
    if (seen.has(name) || !input) continue;
    seen.add(name);
    // a version the engine does not know is read as the current one (the notice says so)
    if (name === "v" && !input.dataset.versions.split(" ").includes(value)) continue;
    if (input.type === "checkbox") input.checked = value === "1";
    else input.value = value;
  }
  baselineInput.value = baseline.toString();
}

// What is wrong, in the page's language, naming what the field expects (by its kind);
// the engine's text in the page's language (web/main.py) where the catalog has none.
export function problemText(problem) {
  const template = own(catalog.problems, problem.code);
  if (typeof template !== "string") return problem.text ?? problem.message;
  const kind = fieldInput(problem.field)?.dataset.kind;
  return fillIn(template, { expected: own(catalog.expected, kind) ?? "" });
}

export function showFieldProblems(problems) {
  for (const note of form.querySelectorAll(".problem:not([hidden])")) {
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

// The notice above the form names every value of the link that was not taken, and why.
export function showLinkProblems(problems) {
  const list = linkBanner.querySelector("ul");
  list.replaceChildren(...problems.map(linkProblemItem));
  linkBanner.hidden = list.children.length === 0;
}

export function hideLinkProblems() {
  if (!linkBanner.hidden) linkBanner.hidden = true; // on every edit: no write when already hidden
}

// "key=value" as the link has it (the first one), for the notice.
function linkPair(key) {
  const value = new URLSearchParams(location.hash.slice(1)).get(key);
  return value === null || value === "" ? `${key}: ${catalog.link.missing}` : `${key}=${value}`;
}

function linkProblemItem(problem) {
  const item = document.createElement("li");
  if (problem.code === "version" || problem.code === "edition") {
    const key = `${problem.field.startsWith(BASE) ? BASE : ""}${problem.code === "version" ? "v" : "ed"}`;
    item.append(...withText(catalog.link[problem.code], { value: echoText(linkPair(key)) }));
  } else if (problem.field === "" && problem.code === "too_long") {
    item.append(...withText(catalog.link.too_long, { max: maxLink }));
  } else {
    const text = problemText(problem);
    const label = own(catalog.fields, problem.field) ? fieldLabel(problem.field) : echoText(problem.field);
    const lowered = text.charAt(0).toLocaleLowerCase(catalog.lang) + text.slice(1);
    item.append(...withText(catalog.link.item, { field: label, problem: lowered }));
  }
  return item;
}
