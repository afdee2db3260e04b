// Files in and out of the page: a picked file's bytes as base64 for Python (plain strings
// cross the JS ⇄ Python border), and a download Python made ({filename, mime, text | base64})
// saved by the browser. Used by the calculator's downloads and "open file" and by the batch page.

export function toBase64(bytes) {
  const chunks = [];
  for (let start = 0; start < bytes.length; start += 0x8000) {
    chunks.push(String.fromCharCode(...bytes.subarray(start, start + 0x8000)));
  }
  return btoa(chunks.join(""));
}

function fromBase64(base64) {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

// CSV gets a byte-order mark, so that spreadsheet programs read it as UTF-8.
export function save(answer) {
  const csv = answer.filename.endsWith(".csv");
  const parts = answer.base64 ? [fromBase64(answer.base64)] : csv ? ["\ufeff", answer.text] : [answer.text];
  const type = answer.base64 ? answer.mime : `${answer.mime};charset=utf-8`;
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: answer.filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function today() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}
