// The calculator's service worker: a second visit, and any visit offline, is served from
// Cache Storage with no network. build.py writes dist/sw.js as
//     const BUILD = {"id": "<build id>", "files": {"./index.html": "<sha256>", ...}};
// followed by this file. "files" is the precache list: every file the page loads, by its
// URL relative to this script (the page's folder) and its content hash.
//
// Update path: a new build has a new id, so sw.js differs byte for byte; the browser
// notices on the next visit (it re-fetches sw.js on navigation, bypassing the HTTP cache),
// installs this new worker, which fills a new cache — copying every file whose hash did not
// change from the previous build's cache, downloading only the rest — and takes over at once
// (skipWaiting). On activate it deletes the caches of older builds. The visit that noticed
// the update was served by the old build, complete and consistent; the next load gets the
// new one. Until then nothing mixes: each build's cache holds one build.
//
// Works from any folder (every URL is resolved against this script's location, and cache
// names carry the folder so two copies on one origin never delete each other's caches).
// Requests it does not know (another folder, another origin, POST) are left to the browser.

const FOLDER = new URL("./", self.location).href;
const PREFIX = `kea-1nt ${FOLDER} `;
const CACHE = PREFIX + BUILD.id;
const MANIFEST = new URL("./.precache.json", FOLDER).href; // this build's list, in its cache
const FILES = new Map(Object.entries(BUILD.files).map(([path, hash]) => [new URL(path, FOLDER).href, hash]));

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const key = cacheKey(request);
  if (key) event.respondWith(respond(key, request));
});

// The URL a request is stored under, or null for a request this build does not serve.
// A page navigation ignores the query (e.g. an embed switch): the HTML is static.
function cacheKey(request) {
  const url = new URL(request.url);
  url.hash = "";
  if (request.mode === "navigate") {
    url.search = "";
    if (url.href === FOLDER) url.pathname += "index.html";
  }
  return FILES.has(url.href) ? url.href : null;
}

async function respond(key, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  return hit ?? fetch(request); // a cache evicted under us: the network, as without a worker
}

// Files unchanged since a previous build (same URL, same hash) are copied from its cache;
// the rest are fetched, revalidated against the server so that a stale HTTP-cache copy of an
// unversioned file (pyodide/*) never slips into a new build. A failed fetch fails the
// install: the old worker stays and the browser tries again on a later visit.
async function precache() {
  const cache = await caches.open(CACHE);
  const previous = await previousBuilds();
  await Promise.all([...FILES].map(async ([url, hash]) => {
    if (await cache.match(url)) return; // an interrupted install being retried
    for (const old of previous) {
      if (old.files.get(url) !== hash) continue;
      const response = await old.cache.match(url);
      if (response) return cache.put(url, response);
    }
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
    return cache.put(url, response);
  }));
  await cache.put(MANIFEST, new Response(JSON.stringify(BUILD), {
    headers: { "Content-Type": "application/json" },
  }));
}

async function previousBuilds() {
  const found = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const manifest = await cache.match(MANIFEST);
    if (!manifest) continue;
    const old = await manifest.json();
    found.push({ cache, files: new Map(Object.entries(old.files).map(([path, hash]) => [new URL(path, FOLDER).href, hash])) });
  }
  return found;
}

async function dropOldCaches() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
}
