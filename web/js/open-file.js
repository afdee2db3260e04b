// "Открыть файл": a calculation saved by this page (its JSON or XLSX download) opened again.
// Python finds the link the file stands for (web/main.py open_file: the JSON's scenario, the
// XLSX's link cell read with openpyxl, loaded on first use); the page then opens that link as
// any other (page.js openLink via hashchange), so what is wrong in the file is refused and
// named field by field, exactly as in a link, and the rest is kept. A file that is no such
// calculation changes nothing. Back returns to the form as it was.

import { callLoading, ready } from "./bridge.js";
import { catalog, echoText, fillIn, say } from "./catalog.js";
import { toBase64 } from "./files.js";

const MAX_MB = 5; // our files are ~20 kB; a mistaken pick of a large file is refused at once
const input = document.getElementById("open-file");

async function openFile(file) {
  const name = echoText(file.name);
  if (!ready()) return say(catalog.results.waiting);
  if (file.size > MAX_MB * 2 ** 20) return say(fillIn(catalog.sheets.too_large, { file: name, max: MAX_MB }));
  let answer;
  try {
    say(catalog.sheets.preparing);
    answer = await callLoading("openFile", { name: file.name, base64: toBase64(new Uint8Array(await file.arrayBuffer())) });
  } catch (error) {
    return say(fillIn(catalog.sheets.wheels_failed, { file: error.message }));
  }
  if (!answer) return say(""); // a bug, shown with its report
  if (answer.wheels) return say(fillIn(catalog.sheets.wheels_failed, { file: answer.wheels.join(", ") }));
  if (answer.unreadable) return say(fillIn(catalog.sheets.unreadable, { file: name }));
  location.hash = answer.fragment; // a new history entry; hashchange opens it as a link
  return say(fillIn(catalog.sheets.opened, { file: name }));
}

export function watchOpenFile() {
  document.getElementById("action-open").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const [file] = input.files;
    input.value = ""; // the same file can be opened again
    if (file) openFile(file);
  });
}
