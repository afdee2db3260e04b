// The page's texts and numbers: the catalog of its language (web/i18n/<lang>.json, embedded
// in the page by the build), numbers written with that catalog's signs, and catalog texts
// with their {placeholders} filled — as text, never as markup.

export const catalog = JSON.parse(document.getElementById("catalog").textContent);

export const styles = {
  twoDecimals: new Intl.NumberFormat(catalog.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  whole: new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 0 }),
  upToTwo: new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 2 }),
  // a deviation always has its sign: colour is never the only cue
  signed: new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 2, signDisplay: "exceptZero" }),
  signedPercent: new Intl.NumberFormat(catalog.locale,
    { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }),
};

// The decimal sign and thousands separator of the page's language (catalog "numbers": ru and
// kk a comma and a narrow no-break space, en a point and a comma), whatever the locale data,
// and a true minus sign.
const SIGNS = { group: catalog.numbers.group, decimal: catalog.numbers.decimal, minusSign: "\u2212" };

export function format(number, style = styles.twoDecimals) {
  return style.formatToParts(number).map((part) => SIGNS[part.type] ?? part.value).join("");
}

// A catalog entry by a key that may come from a link ("__proto__", "constructor", …).
export function own(object, key) {
  return object !== null && typeof object === "object" && Object.hasOwn(object, key) ? object[key] : undefined;
}

// "{name}" in a catalog text → values.name; a function replacer, so "$&" in data stays as is.
export function fillIn(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}

// A catalog text with its {placeholders} filled, as nodes: each value — possibly the link's
// own text — is a text node in a <bdi>, so that a right-to-left mark cannot reorder the rest.
export function withText(template, values) {
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

// An engine text as nodes: each «…» — the norm's own Russian words, quoted in every
// language (engine/messages) — is a <span lang="ru"> on a kk or en page, for screen readers
// and hyphenation.
export function quoted(text) {
  if (catalog.lang === "ru") return [text];
  return text.split(/(«[^»]*»)/).map((part, i) => (i % 2 === 0 ? part
    : Object.assign(document.createElement("span"), { lang: "ru", textContent: part })));
}

export function fieldLabel(field) {
  return own(catalog.fields, field)?.label ?? field;
}

// The status line under the actions (role="status"): what the last action did (text, and
// maybe a button to undo it).
export function say(...parts) {
  const status = document.getElementById("action-status");
  if (status.textContent === "" && parts.every((part) => part === "")) return; // every edit clears it
  status.replaceChildren(...parts);
}

const ECHO_MAX = 80; // characters of a link's own text repeated in a notice

export function echoText(text) {
  const chars = [...String(text)];
  return chars.length > ECHO_MAX ? `${chars.slice(0, ECHO_MAX).join("")}…` : chars.join("");
}
