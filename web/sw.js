// The calculator's service worker: a second visit, and any visit offline, is served from
// Cache Storage with no network. The build fills in BUILD (web/build/service_worker.py),
// {"id": "<build id>", "files": {"./index.html": "<sha256 hex>", ...}}: "files" is the
// precache list, every file the page loads, by its URL relative to this script (the page's folder), with the full sha256 of its content;
// the id is a hash of that list. docs/OFFLINE.md tells the whole story; in short:
//
// - Install is all or nothing. Every file is taken from an older build's cache or the
//   network only if its bytes hash to the list's digest (a truncated download, a file of
//   another build served during a deploy, a poisoned old cache entry all fail); any failed,
//   non-OK or wrongly redirected answer, or a Cache Storage call that times out, fails the
//   install and the deleted half-filled cache leaves the old worker serving its own build.
// - Pages may be redirected by the host (pretty URLs: /kk.html → /kk): what is stored is a
//   fresh, not redirected, response under the URL asked for, and also under the URL the host
//   redirected to, so both work offline; a redirected response is never served to a
//   navigation (the browser refuses it).
// - Updates wait. A new worker never takes over pages of the old build by itself (their
//   remaining downloads would then come from another build); it waits until every old tab
//   is closed or a page asks it to (message {type: "activate"}: js/updates.js, after the
//   visitor clicks its notice). On activate it deletes the older builds' caches.
// - Every Cache Storage call has a deadline (CACHE_TIMEOUT): a hung storage makes a request
//   go to the network, as without a worker. An answer from the network for a file of the list
//   (but a page), or to a URL that names its content hash (?v=<hash>, as the pages refer to
//   their own files), is checked against that hash: a host that ignores the query, or a
//   deploy in between, never passes another build's file off as this one (502 instead).
//
// Works from any folder (every URL is resolved against this script's location, and cache
// names carry the folder so two copies on one origin never delete each other's caches).
// Requests outside the folder, to another origin, or not GET are left to the browser.

const BUILD = {{build}};
const FOLDER = new URL("./", self.location).href;
const PREFIX = `kea-1nt ${FOLDER} `;
const CACHE = PREFIX + BUILD.id;
const DOWNLOADS = `kea-1nt-downloads ${FOLDER}`; // the page's own downloads (python.mjs)
const FILES = new Map(Object.entries(BUILD.files).map(([path, hash]) => [new URL(path, FOLDER).href, hash]));
// a file of the list → its gzip sibling (web/build/compress.py), downloaded instead of it
const PACKED = new Map(Object.entries(BUILD.packed ?? {}).map(([path, sibling]) => [new URL(path, FOLDER).href, new URL(sibling, FOLDER).href]));
const CACHE_TIMEOUT = 5000; // ms for one lookup; storing a file may take longer
const STORE_TIMEOUT = 60000; // ms to store one file (the 9.6 MB wasm on a slow disk)

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches());
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "activate") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(FOLDER)) return;
  const key = cacheKey(request);
  if (FILES.has(key) || request.mode === "navigate") event.respondWith(respond(key, request));
  else if (expectedHash(request.url)) event.respondWith(fromNetwork(request));
});

// The URL a request is stored under. A page navigation ignores the query (e.g. an embed
// switch: the HTML is static); the folder itself is its index.html.
function cacheKey(request) {
  const url = new URL(request.url);
  url.hash = "";
  if (request.mode === "navigate") {
    url.search = "";
    if (url.href === FOLDER) url.pathname += "index.html";
  }
  return url.href;
}

// Cache first; a miss, an error or a storage that does not answer in time: the network —
// for a file of this build (not a page, which may be a newer build's), only with its content.
async function respond(key, request) {
  try {
    const hit = await deadline(caches.match(key, { cacheName: CACHE }), CACHE_TIMEOUT);
    if (hit) return hit;
  } catch {
    // storage unavailable or hung: as without a worker
  }
  return fromNetwork(request, request.mode === "navigate" ? null : FILES.get(key));
}

// The network's answer; for a URL whose content hash is known (this build's list, or the
// URL's ?v=), only if the content has it.
async function fromNetwork(request, expected = expectedHash(request.url)) {
  const response = await fetch(request);
  if (!expected || !response.ok) return response;
  if ((await sha256(await response.clone().arrayBuffer())).startsWith(expected)) return response;
  return new Response(`${request.url}: the server sent a file of another build`, {
    status: 502, statusText: "Another build", headers: { "Content-Type": "text/plain" },
  });
}

// "./app.js?v=3fa2c1d0e9b8" → "3fa2c1d0e9b8" (a prefix of the file's sha256), else null.
function expectedHash(url) {
  const version = new URL(url).searchParams.get("v");
  return version && /^[0-9a-f]{8,64}$/.test(version) ? version : null;
}

// This build's cache, filled only with verified files; on any failure it is deleted and
// the install fails (the browser tries again on a later visit).
async function precache() {
  try {
    const cache = await deadline(caches.open(CACHE), CACHE_TIMEOUT);
    const older = await olderCaches();
    if (await deadline(caches.has(DOWNLOADS), CACHE_TIMEOUT)) older.push(await deadline(caches.open(DOWNLOADS), CACHE_TIMEOUT));
    await Promise.all([...FILES].map(async ([url, hash]) => {
      // pages always come from the server: it may redirect them (and so name an alias)
      const found = (!isPage(url) && (await fromCaches([cache, ...older], url, hash) || await fromHttpCache(url, hash)))
        || await download(url, hash);
      const stored = [url, ...(found.alias && !FILES.has(found.alias) ? [found.alias] : [])];
      for (const key of stored) await deadline(cache.put(key, fresh(found)), STORE_TIMEOUT);
    }));
  } catch (error) {
    await deadline(caches.delete(CACHE), CACHE_TIMEOUT).catch(() => {});
    throw error;
  }
}

// What this visit's page has just downloaded, if the browser's HTTP cache still holds it
// (no request is made) and it is this build's file.
async function fromHttpCache(url, hash) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (!response.ok || response.redirected) return null;
    const bytes = await response.arrayBuffer();
    return (await sha256(bytes)) === hash ? { bytes, type: response.headers.get("Content-Type") } : null;
  } catch {
    return null;
  }
}

// A file already stored (this build's interrupted install, an older build, or the page's
// own downloads: web/python.mjs) whose bytes
// still hash to what this build expects → {bytes, type}, else null.
async function fromCaches(stores, url, hash) {
  for (const cache of stores) {
    const response = await deadline(cache.match(url), CACHE_TIMEOUT);
    if (!response) continue;
    const bytes = await response.arrayBuffer();
    if ((await sha256(bytes)) === hash) return { bytes, type: response.headers.get("Content-Type") };
  }
  return null;
}

// A file from the server — its gzip sibling where there is one, decompressed here —
// downloaded past the HTTP cache: its copy there, if any, was not this build's file
// (fromHttpCache), and a revalidation could answer 304 and keep it (a deploy that restores a
// file cut short with its older modification time). A page may be redirected within the
// folder (→ alias: the URL it was redirected to), which a HEAD of the page itself tells when
// its body comes from the sibling; any other redirect, any non-OK answer or other bytes than
// the list's (of the plain file) fail the install.
async function download(url, hash) {
  const packed = PACKED.get(url);
  const head = packed && isPage(url) ? answered(url, await fetch(url, { method: "HEAD", cache: "reload" })) : null;
  const response = answered(url, await fetch(packed ?? url, { cache: "reload" }));
  const alias = redirectedTo(url, head ?? response);
  if (head) redirectedTo(packed, response); // a sibling is no page: any redirect of it throws
  const bytes = packed ? await gunzip(await response.arrayBuffer()) : await response.arrayBuffer();
  if ((await sha256(bytes)) !== hash) throw new Error(`precache: ${url} is not this build's file`);
  const type = packed ? typeOf(url) : response.headers.get("Content-Type");
  return { bytes, type, alias };
}

function answered(url, response) {
  if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
  return response;
}

// The address a page was redirected to within the folder, or null; any other redirect throws.
function redirectedTo(url, response) {
  if (!response.redirected) return null;
  const target = new URL(response.url);
  target.hash = "";
  if (!isPage(url) || !target.href.startsWith(FOLDER)) throw new Error(`precache: ${url} redirected to ${response.url}`);
  return target.href;
}

// A gzip file's content; other bytes as they are (a host that sent the .gz with
// Content-Encoding: gzip, which the browser has undone).
async function gunzip(bytes) {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

const TYPES = { js: "text/javascript", mjs: "text/javascript", css: "text/css", json: "application/json",
  wasm: "application/wasm", py: "text/x-python", html: "text/html", svg: "image/svg+xml", txt: "text/plain" };

function typeOf(url) {
  const extension = new URL(url).pathname.split(".").pop();
  return TYPES[extension] ? `${TYPES[extension]}${/^(text|application\/json)/.test(TYPES[extension]) ? "; charset=utf-8" : ""}` : null;
}

function isPage(url) {
  return new URL(url).pathname.endsWith(".html");
}

// A new, never redirected response with the verified bytes and their type (the other
// headers described the transfer).
function fresh({ bytes, type }) {
  return new Response(bytes, { status: 200, headers: type ? { "Content-Type": type } : {} });
}

async function olderCaches() {
  const names = await deadline(caches.keys(), CACHE_TIMEOUT);
  const older = names.filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  return Promise.all(older.map((name) => deadline(caches.open(name), CACHE_TIMEOUT)));
}

async function dropOldCaches() {
  for (const name of await deadline(caches.keys(), CACHE_TIMEOUT)) {
    if ((name.startsWith(PREFIX) && name !== CACHE) || name === DOWNLOADS) await deadline(caches.delete(name), CACHE_TIMEOUT);
  }
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// A promise, or a rejection once `ms` have passed without it settling.
function deadline(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Cache Storage gave no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
