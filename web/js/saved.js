// Saved calculations: a named list kept on the visitor's own device (localStorage, where the
// browser allows it), each entry a link fragment; opened (the fragment becomes the address,
// so Back returns), renamed, deleted, and exported/imported all at once as one JSON file.
// Where storage is denied the panel says so and offers nothing that would fail.

import { catalog, fillIn } from "./catalog.js";
import { storage } from "./draft.js";
import { form } from "./form.js";

const texts = catalog.saved;
const KEY = `kea-1nt:saved:${new URL("./", location.href).pathname}`;
const FORMAT = "kea-1nt-saved"; // the export file's mark
const MAX_NAME = 200;
const list = document.getElementById("saved-list");
const nameInput = document.getElementById("saved-name");

function status(text) {
  document.getElementById("saved-status").textContent = text;
}

// The list as stored; [] when there is none or it is unreadable (never thrown).
function readList() {
  try {
    const items = JSON.parse(storage()?.getItem(KEY) ?? "[]");
    return Array.isArray(items) ? items.filter(isItem) : [];
  } catch {
    return [];
  }
}

// true when written; false (and said) when the browser refused (quota, denied)
function writeList(items) {
  try {
    storage().setItem(KEY, JSON.stringify(items));
    return true;
  } catch {
    status(texts.write_failed);
    return false;
  }
}

function isItem(item) {
  return item !== null && typeof item === "object" && typeof item.id === "string"
    && typeof item.name === "string" && item.name.length <= MAX_NAME
    && typeof item.fragment === "string" && typeof item.saved === "string";
}

// Storage that can be read and written: probed once, by writing nothing new.
function available() {
  try {
    const store = storage();
    store.setItem(KEY, store.getItem(KEY) ?? "[]");
    return true;
  } catch {
    return false;
  }
}

// crypto.randomUUID needs a secure context; a page served over plain http has none
function newId() {
  return [...crypto.getRandomValues(new Uint32Array(4))].map((n) => n.toString(36)).join("-");
}

function today() {
  return new Intl.DateTimeFormat(catalog.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date());
}

// The current calculation as a fragment of this page: the address's, without lang= (it opens
// in the language of the page it is opened on).
function currentFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  params.delete("lang");
  return params.toString();
}

function save() {
  const typed = nameInput.value.trim() || form.elements.namedItem("name")?.value.trim();
  const name = (typed || fillIn(texts.untitled, { date: today() })).slice(0, MAX_NAME);
  const item = { id: newId(), name, fragment: currentFragment(), saved: new Date().toISOString() };
  if (!writeList([...readList(), item])) return;
  nameInput.value = "";
  render();
  status(fillIn(texts.done_save, { name }));
}

function change(id, update, done) {
  const items = readList();
  const item = items.find((entry) => entry.id === id);
  if (!item) return render();
  const kept = update(items, item);
  if (!writeList(kept)) return undefined;
  render();
  return status(fillIn(done, { name: item.name }));
}

function open(item) {
  const hash = `#${item.fragment}`;
  if (location.hash !== hash) location.hash = hash; // hashchange: page.js reads the link
  status(fillIn(texts.done_open, { name: item.name }));
}

function itemNode(item) {
  const node = document.getElementById("saved-item").content.firstElementChild.cloneNode(true);
  const name = node.querySelector(".saved-item-name");
  name.value = item.name;
  const date = node.querySelector(".saved-item-date");
  date.dateTime = item.saved;
  date.textContent = new Date(item.saved).toLocaleString(catalog.locale);
  node.querySelector(".saved-open").addEventListener("click", () => open(item));
  node.querySelector(".saved-rename").addEventListener("click", () => change(item.id, (items, entry) => {
    entry.name = name.value.trim().slice(0, MAX_NAME) || entry.name;
    return items;
  }, texts.done_rename));
  node.querySelector(".saved-delete").addEventListener("click", () => change(item.id,
    (items) => items.filter((entry) => entry.id !== item.id), texts.done_delete));
  return node;
}

function render() {
  const items = readList();
  list.replaceChildren(...items.map(itemNode));
  document.getElementById("saved-empty").hidden = items.length > 0;
  document.getElementById("saved-count").textContent = items.length ? `(${items.length})` : "";
}

// --- One JSON file for all ------------------------------------------------------------------

function exportAll() {
  const text = JSON.stringify({ format: FORMAT, version: 1, items: readList() }, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: "application/json;charset=utf-8" }));
  const stamp = new Date().toISOString().slice(0, 10);
  const link = Object.assign(document.createElement("a"), { href: url, download: `kea-1nt-saved_${stamp}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The items of an export file, or null when it is not one. Entries already in the list (same
// id) are replaced by the file's.
function importedItems(text) {
  try {
    const file = JSON.parse(text);
    if (file?.format !== FORMAT || !Array.isArray(file.items) || !file.items.every(isItem)) return null;
    return file.items;
  } catch {
    return null;
  }
}

async function importFile(input) {
  const [file] = input.files;
  input.value = "";
  if (!file) return;
  const items = importedItems(await file.text());
  if (!items) return status(texts.import_failed);
  const ids = new Set(items.map((item) => item.id));
  if (!writeList([...readList().filter((item) => !ids.has(item.id)), ...items])) return undefined;
  render();
  return status(fillIn(texts.done_import, { count: items.length }));
}

export function watchSaved() {
  const usable = available();
  document.getElementById("saved-unavailable").hidden = usable;
  document.getElementById("saved-controls").hidden = !usable;
  if (!usable) return;
  render();
  document.getElementById("saved-save").addEventListener("click", save);
  nameInput.addEventListener("keydown", (event) => event.key === "Enter" && save());
  document.getElementById("saved-export").addEventListener("click", exportAll);
  const input = document.getElementById("saved-import");
  document.getElementById("saved-import-button").addEventListener("click", () => input.click());
  input.addEventListener("change", () => importFile(input));
  addEventListener("storage", (event) => event.key === KEY && render()); // another tab
}
