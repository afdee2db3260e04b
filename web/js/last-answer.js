// The last answer, kept for a returning visitor: opened again with the same form (the same
// link, or the draft), the page shows the result this build of it computed for those very
// values before Python has loaded — marked as such — and Python computes it again once it
// runs. One answer per page, in localStorage where the browser allows it; it is used only
// under the same build (<meta name="kea-build">: the page, its scripts, main.py and the
// engine wheel) and for exactly the same form values, language and edition included, so it
// is the number Python would give. An answer with problems is never kept.

import { storage } from "./draft.js";

const KEY = `kea-1nt:answer:${new URL(location.href).pathname}`;
const BUILD = document.querySelector('meta[name="kea-build"]')?.content ?? "";

let latest = null; // {values, answer} of the latest calculation, written when the page is left
let stored; // the entry in storage, read once: {build, values, answer}, or null

// After each calculation (page.js); the first kept is written at once (a visit may end
// without a pagehide), the later ones when the page is hidden or left.
export function remember(values, answer) {
  if (!answer.result || answer.problems.length > 0) return;
  if (latest === null) setTimeout(write, 0);
  latest = { values, answer };
}

// The kept answer for these form values, or null.
export function recall(values) {
  if (stored === undefined) stored = read();
  return stored?.build === BUILD && stored.values === JSON.stringify(values) ? stored.answer : null;
}

function read() {
  try {
    return JSON.parse(storage()?.getItem(KEY) ?? "null");
  } catch {
    return null; // unreadable or denied: the page waits for Python as on a first visit
  }
}

function write() {
  if (!latest || !BUILD) return;
  stored = { build: BUILD, values: JSON.stringify(latest.values), answer: latest.answer };
  try {
    storage()?.setItem(KEY, JSON.stringify(stored));
  } catch {
    // storage denied or full: the next visit waits for Python
  }
}

addEventListener("pagehide", write);
document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && write());
