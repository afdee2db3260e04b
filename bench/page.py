"""How fast the web calculator is in Chromium, next to the floor Pyodide itself sets.

    python3 build.py bench [ARGS…]         # installs what it needs, builds dist/, runs this
    python3 build.py build                 # or: dist/ must exist (this tool does not build it)
    python3 bench/page.py [--dist DIR] [--runs 7] [--network-runs 3] [--edits 50] [--timeout 60]
                          [--wait-quiet 120] [--batch-rows 2000]
                          [--only loads,network,bytes,recalc,compute,batch]

A tool, not a test (stdlib + playwright; Debian's /usr/bin/chromium, headless). It copies
dist/ into a temporary folder (so a rebuild during the run cannot break it), writes next to
it a *bare page* that only does ``loadPyodide()`` from the vendored node_modules/pyodide files
(full standard library, lock file without packages) and
shows ``1+1`` in ``[data-testid="total"]``, serves each on its own free 127.0.0.1 port, and
prints a table; every figure also goes to bench/results.json.

The figures:

cold       Navigation start → the total is visible and reads the expected text (73 for the
           worked example tests/cases/city_mid.v1.json, opened through its link; 2 for the bare
           page). Each run is a new browser context, i.e. an empty HTTP cache, no service
           worker; the local server's log proves it (every cold run must fetch the wasm).
           min / median / max of --runs runs, ours and bare interleaved; ratio = ours/bare
           of the medians: what PyScript, our page and our engine add over Pyodide itself.
warm       The same, on a second visit in the same context (new tab, same URL): the HTTP
           cache and any service worker are allowed (a service worker the cold visit
           registered is first waited for until active, i.e. its precache complete; how many
           warm visits it served is reported; so is the memory snapshot of Python that our
           page makes in a worker after a first visit, also waited for, and how many warm
           visits started from it). The server sends Last-Modified and
           --cache-control (default max-age=600, as GitHub Pages does; with none, as from
           build.py serve, Chromium's heuristic freshness depends on how long ago dist/ was
           built, so warm figures would drift). The requests the server still sees on a
           warm visit, and their statuses, are reported too. Our page may show the answer it
           kept from the last visit (web/js/last-answer.js) before Python runs: such a first
           result is counted, and "Python ready" (data-testid="ready": Python has computed
           it) is reported beside it, cold and warm, against the bare page's first result.
form       Median over the cold runs of ours' first contentful paint and DOMContentLoaded:
           the form is plain HTML, usable before Python has loaded; and of the layout
           shift (CLS, as Core Web Vitals count it) until the first result is drawn.
timeline   Median over the cold runs of when (Resource Timing, ms after navigation start)
           the key files started and finished downloading, and the page's "python:start" /
           "python:ready" performance marks (our loadPyodide called / returned): where the
           cold time goes.
recalc     After ``ready`` and the background work a first visit starts (service worker
           precache, Python snapshot; see warm), which would otherwise compete with the
           first edits: set households_city.multi_storey to alternating numbers, fire
           an ``input`` event and time in page JS until the total's text has changed
           ("dom", a MutationObserver: the synchronous Python compute + rendering) and
           until the next frame after it ("frame", requestAnimationFrame, then a task: the
           browser could paint). "calculate" is the Python call alone
           (window.keaEngine.calculate, when the page exposes it). median / p95 of --edits.
bytes      One more cold visit per page and profile, with CDP Network events: "normal", a
           new persistent profile (a disk HTTP cache, as a real browser has), and
           "private", a new context (an in-memory cache, as an incognito window, which
           keeps no file as big as the wasm). Until the first result, any service worker
           active, the Python snapshot stored, 3.5 s after the load event and the server
           quiet for 2 s: "server", the body bytes the plain, non-compressing server sent
           in all (page, service worker's precache, snapshot worker), the files it sent
           more than once, Chromium's "preloaded but not used" warnings; and the sum of
           Network.loadingFinished encodedDataLength of the page itself (headers + body).
network    --network-runs cold visits per page over CDP Network.emulateNetworkConditions,
           20 Mbit/s / 40 ms and 1.6 Mbit/s / 150 ms (the page's requests are throttled; a
           worker's are not, none is on the path to the first result), ours and bare
           interleaved: min / median / max and the ratio of medians.
compute    engine.compute in CPython 3.11, bench/engine_compute.py's measure(): mean
           seconds per call over the golden cases (the browser's Python is slower).
batch      bench/batch.py's table of --batch-rows organizations (2 000): in CPython
           (engine.batch: read, compute, CSV), and uploaded on ours' batch.html after
           ``ready``: its performance marks batch:start → batch:read (the file's bytes
           taken) → batch:computed (Python: read, computed, answered) → batch:shown (the
           table's rows in the DOM), and that every row is in the table.
Parts: --only picks some of loads (cold, warm, form, timeline), network, bytes, recalc,
compute, batch; the table shows what was measured.
busy       Share of CPU time in use on the machine (/proc/stat, over 1 s) before the
           run, before each cold+warm pair (our browser idle) and after. Each pair first
           waits up to --wait-quiet seconds for it to fall below 15 %; pairs that started
           busier are counted. On 2 cores anything else running inflates every time above.
foreign    Every request of every context is recorded; any that is not to one of the two
           local servers (data:/blob: aside) is counted and listed — there should be none.
"""

import argparse
import contextlib
import datetime
import functools
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

import batch as batch_table  # bench/batch.py (this script's folder is on sys.path)
import engine_compute  # bench/engine_compute.py (it puts the repository on sys.path)
from web.build.serve import MIME  # the types the page needs, as build.py serves them

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
EXAMPLE = ROOT / "tests" / "cases" / "city_mid.v1.json"  # the worked example (its "scenario")
EXAMPLE_TOTAL = "73"
BARE_TOTAL = "2"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
EDIT_FIELD = "households_city.multi_storey"
EDIT_VALUES = (60000, 45000, 90000, 30000)  # each gives a new total; the example has 30000
TIMELINE_KEYS = ("core.js", "core-", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                 "python_stdlib.zip", "pyodide-lock.json", "main.py", "engine-")
LOCAL_SCHEMES = ("data:", "blob:")
QUIET = 0.15  # CPU share in use by others below which the machine counts as quiet

BARE_PAGE = """<!doctype html>
<meta charset="utf-8">
<title>bare Pyodide</title>
<strong data-testid="total">—</strong>
<script type="module">
import { loadPyodide } from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: "./pyodide/" });
document.querySelector('[data-testid="total"]').textContent = String(pyodide.runPython("1+1"));
window.benchVersions = { pyodide: pyodide.version,
                         python: pyodide.runPython("import sys; sys.version.split()[0]") };
</script>
"""

# Before any page script: timestamp the first moment the total is visible and as expected
# (and whether it was the answer our page kept from a last visit, web/js/last-answer.js),
# and the moment data-testid="ready" appears (Python has computed it; ours only).
# (Waited for through a promise: the page's CSP forbids the string evaluation that Playwright's
# wait_for_function needs; evaluate() goes through DevTools and is not subject to it.)
FIRST_RESULT_JS = """(() => {
  const expected = %s;
  let found;
  window.benchFirstResultFound = new Promise((resolve) => { found = resolve; });
  const observer = new MutationObserver(() => {
    const now = performance.now();
    if (window.benchReady === undefined && document.querySelector('[data-testid="ready"]')) {
      window.benchReady = now;
    }
    const total = document.querySelector('[data-testid="total"]');
    if (window.benchFirstResult !== undefined || !total || total.textContent.trim() !== expected
        || !total.checkVisibility()) return;
    window.benchFirstResult = now;
    window.benchFirstKept = Boolean(document.querySelector(".results.kept"));
    found(window.benchFirstResult);
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true,
                               attributes: true });
})();"""

# After the first result: if the page registers a service worker, wait until it is active
# (its precache complete) → its state, or null when the page has none (bare).
WORKER_JS = """async () => {
  if (!("serviceWorker" in navigator)) return null;
  for (let i = 0; i < 10; i++) {
    if (await navigator.serviceWorker.getRegistration()) {
      const registration = await navigator.serviceWorker.ready;
      return registration.active ? registration.active.state : "none";
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}"""

# How our page started Python (web/python.mjs: "snapshot", "fresh", "plain"), after waiting
# for the snapshot it makes in the background on a first visit to be stored; null for bare.
PYTHON_JS = """async () => globalThis.keaPython
  ? { start: globalThis.keaPython.start, stored: await globalThis.keaPython.stored } : null"""

PRELOAD_WARNING = "was preloaded using link preload but not used"

WAIT_FIRST_RESULT_JS = """(ms) => Promise.race([window.benchFirstResultFound,
  new Promise((resolve, reject) => setTimeout(() => reject(new Error(`no result in ${ms} ms`)), ms))])"""

# Until 3.5 s after the load event: Chromium warns of a preload still unused 3 s after it.
AFTER_LOAD_JS = """async () => {
  if (document.readyState !== "complete") {
    await new Promise((resolve) => addEventListener("load", resolve, { once: true }));
  }
  await new Promise((resolve) => setTimeout(resolve, 3500));
}"""

# Before any page script: the moment the rest of the page is drawn too, after the first
# frame, which shows only the first screen (web/boot.js, <html class="first-frame">): the end
# of the animation frame that follows the class's removal. Undefined on a page without it.
REST_DRAWN_JS = """(() => {
  let staged = false;
  new MutationObserver((records, observer) => {
    const root = document.documentElement;
    if (root.classList.contains("first-frame")) { staged = true; return; }
    if (!staged) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.benchRestDrawn = performance.now(); }));
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["class"] });
  window.benchLayoutShift = 0; // the visit's cumulative layout shift, as Core Web Vitals count it
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.benchLayoutShift += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
})();"""

# When the page could be seen and used before Python: first contentful paint, the rest of
# the page drawn, and DOMContentLoaded (the form is plain HTML, its script a module run
# after parsing).
FORM_JS = """async () => {
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 })); // what follows the result drawn
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const [navigation] = performance.getEntriesByType("navigation");
  return { fcp: paint ? paint.startTime : null, rest: window.benchRestDrawn ?? null,
           dcl: navigation ? navigation.domContentLoadedEventEnd : null,
           cls: window.benchLayoutShift ?? null };
}"""

# The same, read as soon as they are known (a paint visit ends there): → [fcp, rest, dcl]
PAINT_JS = """(staged) => new Promise((resolve) => {
  const read = () => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const [navigation] = performance.getEntriesByType("navigation");
    const rest = window.benchRestDrawn ?? null;
    if (paint && navigation?.domContentLoadedEventEnd > 0 && (rest !== null || !staged)) {
      resolve([paint.startTime, rest, navigation.domContentLoadedEventEnd]);
    } else setTimeout(read, 20);
  };
  read();
})"""

RESOURCES_JS = """() => [
  ...performance.getEntriesByType("resource").map((entry) => (
    { url: entry.name, start: entry.startTime, end: entry.responseEnd })),
  ...performance.getEntriesByType("mark").filter((mark) => mark.name.startsWith("python:"))
    .map((mark) => ({ url: `(mark) ${mark.name}`, start: mark.startTime, end: mark.startTime }))]"""

RECALC_JS = """async ({ field, values, edits, timeout }) => {
  const input = document.querySelector(`[name="${field}"]`);
  const total = document.querySelector('[data-testid="total"]');
  const form = input.form;
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();  // a task after the frame: it has been rendered
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  }));
  const totalChanged = (before) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`total stayed ${before}`)), timeout);
    const observer = new MutationObserver(() => {
      if (total.textContent === before) return;
      clearTimeout(timer);
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(total, { subtree: true, childList: true, characterData: true });
  });
  // as web/js/form.js formValues: a reading left at its default (an empty hidden input) is
  // left out — sent as "", it would be a problem, and the call would time the problems path
  const formValues = () => Object.fromEntries([...form.querySelectorAll("input[name]")]
    .filter((i) => !(i.type === "hidden" && i.value === ""))
    .map((i) => [i.name, i.type === "checkbox" ? (i.checked ? "1" : "") : i.value]));
  const out = [];
  for (let i = 0; i < edits; i++) {
    await nextFrame();
    const changed = totalChanged(total.textContent);
    const start = performance.now();
    input.value = String(values[i % values.length]);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const dom = await changed;
    const frame = await nextFrame();
    let calculate = null;
    if (window.keaEngine) {
      const json = JSON.stringify(formValues());
      const t0 = performance.now();
      window.keaEngine.calculate(json);
      calculate = performance.now() - t0;
    }
    out.push({ dom: dom - start, frame: frame - start, calculate, total: total.textContent });
  }
  return out;
}"""


class BenchError(Exception):
    """A step that failed or timed out; its message says which and why."""


# ---- serving ---------------------------------------------------------------------------

class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs and server.cache_control (if any);
    logs (path, status, body bytes) into server.hits instead of the console."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

    def end_headers(self):
        if self.server.cache_control:
            self.send_header("Cache-Control", self.server.cache_control)
        super().end_headers()

    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        self.server.hits.append([self.path, int(code), 0])

    def copyfile(self, source, outputfile):
        super().copyfile(source, outputfile)
        self.server.bodies.append((self.path, os.fstat(source.fileno()).st_size))


def start_server(directory, cache_control):
    """A threaded static server of directory on a free 127.0.0.1 port → (server, origin).
    (It counts hits and bodies and sends a Cache-Control header, which web.build.serve's
    server does not.)"""
    handler = functools.partial(Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.hits, server.bodies, server.cache_control = [], [], cache_control
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def stop_server(server):
    server.shutdown()
    server.server_close()


def listing(folder):
    """{relative path: (size, mtime)} of every file under folder."""
    return {str(f.relative_to(folder)): (f.stat().st_size, f.stat().st_mtime_ns)
            for f in folder.rglob("*") if f.is_file()}


def snapshot(dist, target, tries=6):
    """Copy dist to target, retrying while dist changes under us (a rebuild in progress)."""
    for attempt in range(tries):
        before = listing(dist) if dist.is_dir() else {}
        complete = "index.html" in before and "pyodide/pyodide.asm.wasm" in before
        if complete:
            shutil.copytree(dist, target)
            if listing(dist) == before:
                return
            shutil.rmtree(target)
        if attempt < tries - 1:
            print(f"  {dist} incomplete or changing; retrying in 5 s…", flush=True)
            time.sleep(5)
    raise BenchError(f"{dist} is missing or kept changing: run `python3 build.py build` "
                     f"first (or wait for a rebuild to finish)")


def prepare_sites(dist, folder):
    """Copy dist into folder/ours and write folder/bare: Pyodide's files as vendored in
    node_modules (its full standard library; its lock file emptied of packages, as ours
    was before it was inlined, so that bare fetches no more than Pyodide needs)."""
    ours = folder / "ours"
    snapshot(dist, ours)
    bare = folder / "bare"
    (bare / "pyodide").mkdir(parents=True)
    vendored = ROOT / "node_modules" / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        (bare / "pyodide" / name).symlink_to(vendored / name)
    lock = json.loads((vendored / "pyodide-lock.json").read_text("utf-8"))
    (bare / "pyodide" / "pyodide-lock.json").write_text(
        json.dumps({"info": lock["info"], "packages": {}}), "utf-8")
    (bare / "index.html").write_text(BARE_PAGE, "utf-8")
    return ours, bare


def example_fragment():
    sys.path.insert(0, str(ROOT))
    from engine import link
    return link.encode(json.loads(EXAMPLE.read_text("utf-8"))["scenario"])


# ---- one page visit --------------------------------------------------------------------

class Site:
    """One served page: its URL, the total it must show and its server's log."""

    def __init__(self, label, server, url, expected):
        self.label, self.server, self.url, self.expected = label, server, url, expected


def new_context(browser, requests):
    """A fresh context (own empty HTTP cache) that records every request URL."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.on("request", lambda request: requests.append(request.url))
    return context


def open_page(context, site, timeout):
    """New tab → site.url; waits for the first result. → (page, ms after navigation start)."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.add_init_script(FIRST_RESULT_JS % json.dumps(site.expected))
    page.add_init_script(REST_DRAWN_JS)
    try:
        page.goto(site.url, wait_until="commit", timeout=timeout * 1000)
        page.evaluate(WAIT_FIRST_RESULT_JS, timeout * 1000)
    except PlaywrightError as error:
        shown = page.locator('[data-testid="total"]').all_inner_texts() if not page.is_closed() else []
        raise BenchError(f"{site.label}: no total {site.expected!r} within {timeout} s "
                         f"(total shows {shown}; page errors: {errors[:3]}): "
                         f"{str(error).splitlines()[0]}") from None
    if site.label == "ours":
        page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=timeout * 1000)
    return page, page.evaluate("window.benchFirstResult")


def visit(context, site, timeout):
    """One visit: {ms, resources, controlled, worker, server: [(path, status, bytes)] the
    server saw}. controlled: a service worker served the page; worker: the state of the one
    the page registered, once active (its precache done, so that a next visit can use it)."""
    seen = len(site.server.hits)
    page, ms = open_page(context, site, timeout)
    resources = page.evaluate(RESOURCES_JS)
    shown = page.evaluate(FORM_JS)
    controlled = page.evaluate("!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
    worker = page.evaluate(WORKER_JS)
    python = page.evaluate(PYTHON_JS)
    ready, kept = page.evaluate("[window.benchReady ?? window.benchFirstResult, !!window.benchFirstKept]")
    page.close()
    return {"ms": ms, "ready": ready, "kept": kept, "resources": resources,
            "controlled": controlled, "worker": worker, "python": python, "form": shown,
            "server": site.server.hits[seen:]}


def check_cold(site, result):
    """A cold visit must have fetched the wasm from the server, or the cache was not cold."""
    if not any(path.split("?")[0].endswith(("pyodide.asm.wasm", "pyodide.asm.wasm.gz")) and status == 200
               for path, status, _ in result["server"]):
        raise BenchError(f"{site.label}: a 'cold' visit did not fetch pyodide.asm.wasm(.gz) "
                         f"from the server — the HTTP cache was not empty")


# ---- the measurements -------------------------------------------------------------------

def in_turn(sites, run):
    """The sites in the order of this run: each goes first in every other run. (With ours
    always first, two copies of one build measured so painted the first of a pair 16 ms
    later, median of 8: an order effect, not the page.)"""
    return sites if run % 2 == 0 else sites[::-1]


def cold_and_warm(browser, sites, args, requests):
    """runs × (new context: cold visit, then warm visit in a new tab), sites interleaved
    (in_turn), each pair after waiting for a quiet machine.
    → {label: {"cold": [visit...], "warm": [visit...], "busy": [CPU share before]}}"""
    found = {site.label: {"cold": [], "warm": [], "busy": []} for site in sites}
    timeout = args.timeout
    for run in range(args.runs):
        for site in in_turn(sites, run):
            found[site.label]["busy"].append(wait_quiet(args.wait_quiet))
            context = new_context(browser, requests)
            try:
                cold = visit(context, site, timeout)
                check_cold(site, cold)
                warm = visit(context, site, timeout)
            finally:
                context.close()
            found[site.label]["cold"].append(cold)
            found[site.label]["warm"].append(warm)
            print(f"  run {run + 1}/{args.runs} {site.label:<4} cold {cold['ms']:7.0f} ms   "
                  f"warm {warm['ms']:7.0f} ms ({len(warm['server'])} requests reached "
                  f"the server{', served by the service worker' if warm['controlled'] else ''})",
                  flush=True)
    return found


def paints(browser, sites, args, requests):
    """args.paint_runs × a cold visit of each site (interleaved, in_turn), ended once the
    first screen is painted and DOMContentLoaded has fired: the first paint moves by tens of
    ms from visit to visit on a small machine, more than five loads' median can tell.
    → {label: {"fcp": [...], "rest": [...], "dcl": [...]}}"""
    found = {site.label: {"fcp": [], "rest": [], "dcl": []} for site in sites}
    for run in range(args.paint_runs):
        wait_quiet(args.wait_quiet)
        for site in in_turn(sites, run):
            context = new_context(browser, requests)
            try:
                page = context.new_page()
                page.add_init_script(REST_DRAWN_JS)
                page.goto(site.url, wait_until="commit", timeout=args.timeout * 1000)
                fcp, rest, dcl = page.evaluate(PAINT_JS, site.label == "ours")
            except PlaywrightError as error:
                raise BenchError(f"{site.label}: no first paint: {str(error).splitlines()[0]}") from None
            finally:
                context.close()
            for key, value in (("fcp", fcp), ("rest", rest), ("dcl", dcl)):
                if value is not None:
                    found[site.label][key].append(value)
    return found


def summarize_paints(found):
    return {label: {key: spread(values) | {"quartiles": quartiles(values)}
                    for key, values in figures.items() if values}
            for label, figures in found.items()}


def quartiles(values):
    return statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3


def wait_network_quiet(server, quiet=2.0, limit=60.0):
    """Until the server has seen no request for `quiet` seconds (at most `limit`)."""
    deadline = time.monotonic() + limit
    seen, since = len(server.hits), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        if len(server.hits) != seen:
            seen, since = len(server.hits), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def transfer(playwright, browser, site, timeout, requests, profile_kind):
    """A first visit with CDP Network events, in a new persistent profile ("normal": a disk
    HTTP cache, as a real browser has) or a new context of the running browser ("private":
    an in-memory cache, as an incognito window); then, until any service worker is active,
    the memory snapshot stored, 3.5 s after the load event and the server quiet for 2 s.
    → {"total", "requests", "files": [(path, bytes)]} of the page (CDP), and "server": body
    bytes the server sent in all (page, service worker, snapshot worker), "twice": paths
    whose body it sent more than once, "warnings": Chromium's preload warnings."""
    seen = len(site.server.bodies)
    profile = None
    if profile_kind == "normal":
        profile = tempfile.TemporaryDirectory(prefix="kea-bench-profile-")
        context = playwright.chromium.launch_persistent_context(
            profile.name, executable_path=CHROMIUM, args=LAUNCH_ARGS,
            viewport={"width": 1400, "height": 1000})
        context.on("request", lambda request: requests.append(request.url))
    else:
        context = new_context(browser, requests)
    urls, sizes, warnings = {}, {}, []
    try:
        page = context.new_page()
        page.on("console", lambda m: PRELOAD_WARNING in m.text and warnings.append(m.text))
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent",
               lambda event: urls.setdefault(event["requestId"], event["request"]["url"]))
        cdp.on("Network.loadingFinished",
               lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
        cdp.send("Network.enable")
        page.add_init_script(FIRST_RESULT_JS % json.dumps(site.expected))
        page.goto(site.url, wait_until="commit", timeout=timeout * 1000)
        page.evaluate(WAIT_FIRST_RESULT_JS, timeout * 1000)
        page.evaluate(WORKER_JS)
        page.evaluate(PYTHON_JS)
        page.evaluate(AFTER_LOAD_JS)
        wait_network_quiet(site.server)
    except PlaywrightError as error:
        raise BenchError(f"{site.label}: transfer visit ({profile_kind}) failed: "
                         f"{str(error).splitlines()[0]}") from None
    finally:
        context.close()
        if profile:
            profile.cleanup()
    files = sorted(((short(urls.get(key, key)), size) for key, size in sizes.items()),
                   key=lambda item: -item[1])
    bodies = site.server.bodies[seen:]
    sent = {}
    for path, size in bodies:
        sent.setdefault(short(path), []).append(size)
    return {"total": sum(size for _, size in files), "requests": len(files), "files": files,
            "server": sum(size for _, size in bodies),
            "server_files": sorted(((path, sum(sizes_)) for path, sizes_ in sent.items()),
                                   key=lambda item: -item[1]),
            "twice": sorted(path for path, sizes_ in sent.items() if len(sizes_) > 1),
            "warnings": warnings}


NETWORKS = {  # CDP Network.emulateNetworkConditions: bytes/s, ms; and how much longer
    # than --timeout a load may take (13 MB at 1.6 Mbit/s alone take 67 s)
    "20 Mbit/s, 40 ms": ({"downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8,
                          "latency": 40}, 1),
    "1.6 Mbit/s, 150 ms": ({"downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8,
                            "latency": 150}, 4),
}


def cold_emulated(browser, sites, network, runs, timeout, requests, wait):
    """runs × a cold visit (new context) of each site over an emulated network (the page's
    own requests are throttled by CDP; a worker's are not, but none is on the path to the
    first result) → {label: [ms, ...]}."""
    found = {site.label: [] for site in sites}
    conditions, slower = NETWORKS[network]
    timeout *= slower
    for run in range(runs):
        for site in in_turn(sites, run):
            wait_quiet(wait)
            context = new_context(browser, requests)
            try:
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions",
                         {"offline": False, **conditions})
                page.add_init_script(FIRST_RESULT_JS % json.dumps(site.expected))
                page.goto(site.url, wait_until="commit", timeout=timeout * 1000)
                page.evaluate(WAIT_FIRST_RESULT_JS, timeout * 1000)
                found[site.label].append(page.evaluate("window.benchFirstResult"))
            except PlaywrightError as error:
                raise BenchError(f"{site.label}: cold over {network} failed: "
                                 f"{str(error).splitlines()[0]}") from None
            finally:
                context.close()
            print(f"  {network} run {run + 1}/{runs} {site.label:<4} {found[site.label][-1]:7.0f} ms",
                  flush=True)
    return found


def recalc(browser, site, edits, timeout, requests):
    """edits timed edits after ready → list of {dom, frame, calculate, total}."""
    context = new_context(browser, requests)
    try:
        page, _ = open_page(context, site, timeout)
        page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=timeout * 1000)
        page.evaluate(WORKER_JS)  # the steady state: a first visit's background work done
        page.evaluate(PYTHON_JS)
        samples = page.evaluate(RECALC_JS, {"field": EDIT_FIELD, "values": list(EDIT_VALUES),
                                            "edits": edits, "timeout": 5000})
    except PlaywrightError as error:
        raise BenchError(f"{site.label}: recalculation failed: "
                         f"{str(error).splitlines()[0]}") from None
    finally:
        context.close()
    if len({sample["total"] for sample in samples}) < 2:
        raise BenchError(f"{site.label}: the total never changed while editing {EDIT_FIELD}")
    return samples


BATCH_MARKS_JS = """() => {
  const at = (name) => performance.getEntriesByName(name)[0].startTime;
  return { read_ms: at("batch:read") - at("batch:start"), compute_ms: at("batch:computed") - at("batch:read"),
           shown_ms: at("batch:shown") - at("batch:computed"), total_ms: at("batch:shown") - at("batch:start") };
}"""


# Waits for the batch page's "batch:shown" mark (through a promise, as WAIT_FIRST_RESULT_JS:
# the page's CSP forbids the string evaluation that wait_for_function's polling needs).
BATCH_SHOWN_JS = """(ms) => new Promise((resolve, reject) => {
  const check = () => performance.getEntriesByName("batch:shown").length ? resolve() : setTimeout(check, 50);
  setTimeout(() => reject(new Error(`no batch:shown mark within ${ms} ms`)), ms);
  check();
})"""


def batch_page(browser, site, rows, timeout, requests):
    """Ours' batch.html: bench/batch.py's table of `rows` organizations uploaded after ready
    → the page's marks {read_ms, compute_ms, shown_ms, total_ms} and the rows shown."""
    context = new_context(browser, requests)
    try:
        page = context.new_page()
        page.goto(site.url.split("#")[0] + "batch.html", timeout=timeout * 1000)
        page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=timeout * 1000)
        page.set_input_files('[data-testid="batch-file"]', files=[{
            "name": "members.csv", "mimeType": "text/csv", "buffer": batch_table.table_csv(rows)}])
        page.evaluate(BATCH_SHOWN_JS, timeout * 1000)
        found = page.evaluate(BATCH_MARKS_JS)
        found["rows_shown"] = page.locator('[data-testid="batch-table"] tbody tr').count()
    except PlaywrightError as error:
        raise BenchError(f"{site.label}: batch of {rows} rows failed: "
                         f"{str(error).splitlines()[0]}") from None
    finally:
        context.close()
    if found["rows_shown"] != rows:
        raise BenchError(f"batch: {found['rows_shown']} rows shown of {rows}")
    return found


def engine_compute_figures():
    """bench/engine_compute.py's measure() → {"mean_ms", "cases_ms"} or {"error"}."""
    try:
        timings = engine_compute.measure(200)
    except Exception as error:  # a tool: report the failure, keep the browser figures
        return {"error": f"{type(error).__name__}: {error}"}
    cases = {name: seconds * 1e3 for name, seconds in timings.items()}
    return {"mean_ms": statistics.fmean(cases.values()), "cases_ms": cases}


def versions(browser, site, timeout, requests):
    """Pyodide and Python versions, as the bare page's runtime reports them."""
    context = new_context(browser, requests)
    try:
        page, _ = open_page(context, site, timeout)
        found = page.evaluate("window.benchVersions")
    finally:
        context.close()
    package = ROOT / "node_modules" / "@pyscript" / "core" / "package.json"
    if package.is_file():
        found["pyscript (node_modules)"] = json.loads(package.read_text())["version"]
    return found


def cpu_busy(seconds=1.0):
    """Fraction of all CPUs' time that was busy over the next seconds (/proc/stat)."""
    def sample():
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, all
    idle0, all0 = sample()
    time.sleep(seconds)
    idle1, all1 = sample()
    return round(1 - (idle1 - idle0) / max(1, all1 - all0), 3)


def wait_quiet(limit, threshold=QUIET):
    """Wait up to limit seconds for the machine to be quiet → the last busy fraction."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        print(f"  waiting for a quiet machine: CPUs {busy:.0%} busy…", flush=True)
        time.sleep(5)
        busy = cpu_busy()
    return busy


# ---- figures -----------------------------------------------------------------------------

def short(url):
    """A URL as its path without query: the row name of a file."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    return "/" + path.split("?", 1)[0].split("#", 1)[0]


def spread(values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"min": values[0], "median": statistics.median(values), "p95": p95,
            "max": values[-1], "n": len(values), "runs": values}


def timeline(visits):
    """Median start/end (ms) of the key files over visits → {path: [start, end]}."""
    rows = {}
    for visit_ in visits:
        for entry in visit_["resources"]:
            path = short(entry["url"])
            if entry["url"].startswith("(mark)"):
                path = entry["url"]
            if any(key in path.rsplit("/", 1)[-1] for key in TIMELINE_KEYS) or path.startswith("(mark)"):
                rows.setdefault(path, []).append((entry["start"], entry["end"]))
    return {path: [statistics.median(s for s, _ in pairs), statistics.median(e for _, e in pairs)]
            for path, pairs in sorted(rows.items(), key=lambda item: item[1][0][0])}


def summarize_loads(loads):
    ours = loads["ours"]
    cold = {label: spread([v["ms"] for v in loads[label]["cold"]]) for label in loads}
    warm = {label: spread([v["ms"] for v in loads[label]["warm"]]) for label in loads}
    return {
        "cold_ms": {**cold, "ratio_of_medians": cold["ours"]["median"] / cold["bare"]["median"]},
        "warm_ms": {**warm, "ratio_of_medians": warm["ours"]["median"] / warm["bare"]["median"],
                    "server_requests_per_warm_visit": {
                        label: statistics.median(len(v["server"]) for v in loads[label]["warm"])
                        for label in loads},
                    "warm_statuses_ours": sorted({s for v in ours["warm"] for _, s, _ in v["server"]}),
                    "warm_served_by_service_worker": {
                        label: sum(bool(v["controlled"]) for v in loads[label]["warm"])
                        for label in loads},
                    "python_start_ours": {
                        kind: [(v["python"] or {}).get("start") for v in ours[kind]]
                        for kind in ("cold", "warm")}},
        # ours: when Python had computed the first result (data-testid="ready"), and how many
        # first results were the answer kept from the last visit
        "ready_ms": {kind: {**spread([v["ready"] for v in ours[kind]]),
                            "ratio_to_bare": statistics.median(v["ready"] for v in ours[kind])
                            / statistics.median(v["ms"] for v in loads["bare"][kind]),
                            "first_result_kept": sum(v["kept"] for v in ours[kind])}
                     for kind in ("cold", "warm")},
        "cpu_busy_before_runs": {label: loads[label]["busy"] for label in loads},
        "form_ms": {label: {key: statistics.median(v["form"][key] for v in loads[label]["cold"]
                                                   if v["form"][key] is not None)
                            for key in ("fcp", "rest", "dcl", "cls")
                            if any(v["form"][key] is not None for v in loads[label]["cold"])}
                    for label in loads},
        "timeline_ms": {"ours": timeline(ours["cold"]), "bare": timeline(loads["bare"]["cold"]),
                        "ours warm": timeline(ours["warm"])},
    }


def summarize_bytes(found):
    """found: {profile: {label: transfer()}} → per profile the figures, ours vs bare."""
    out = {}
    for kind, by_site in found.items():
        ours, bare = by_site["ours"], by_site["bare"]
        out[kind] = {"ours": ours["total"], "bare": bare["total"],
                     "ours_requests": ours["requests"], "bare_requests": bare["requests"],
                     "ours_largest": ours["files"][:10], "ours_all": ours["files"],
                     "server_ours": ours["server"], "server_bare": bare["server"],
                     "server_files_ours": ours["server_files"],
                     "server_files_bare": bare["server_files"],
                     "ratio_server": ours["server"] / max(1, bare["server"]),
                     "sent_twice_ours": ours["twice"], "sent_twice_bare": bare["twice"],
                     "preload_warnings_ours": ours["warnings"]}
    return out


def summarize_recalc(samples):
    return {key: spread([s[key] for s in samples if s[key] is not None])
            for key in ("dom", "frame", "calculate") if any(s[key] is not None for s in samples)}


def summarize_network(found):
    out = {}
    for network, by_label in found.items():
        figures = {label: spread(values) for label, values in by_label.items()}
        out[network] = {**figures,
                        "ratio_of_medians": figures["ours"]["median"] / figures["bare"]["median"]}
    return out


def table(results):
    """The readable summary printed at the end (of the parts that were measured)."""
    mib = lambda n: f"{n / 2**20:6.2f} MiB"  # noqa: E731
    lines = [
        f"Chromium {results['chromium']}, Pyodide {results['versions'].get('pyodide')} "
        f"(Python {results['versions'].get('python')}), PyScript "
        f"{results['versions'].get('pyscript (node_modules)', '?')}, {results['date']}",
        f"CPUs busy before/after: {results['cpu_busy_before']:.0%} / {results['cpu_busy_after']:.0%}"
        f" ({results['cores']} cores); server Cache-Control: {results['cache_control']}",
    ]
    if "cold_ms" in results:
        c, w = results["cold_ms"], results["warm_ms"]
        lines += [f"runs started on a busy machine (> {QUIET:.0%}): "
                  f"{sum(b > QUIET for bs in results['cpu_busy_before_runs'].values() for b in bs)}",
                  "", f"{'time to first result (ms)':<34}{'min':>8}{'median':>8}{'max':>8}"]
        for kind, figures in (("cold", c), ("warm", w)):
            for label in ("ours", "bare"):
                f = figures[label]
                lines.append(f"  {kind} {label:<28}{f['min']:8.0f}{f['median']:8.0f}{f['max']:8.0f}")
            lines.append(f"  {kind} ratio ours/bare (medians){figures['ratio_of_medians']:>11.2f}")
        for kind, f in results["ready_ms"].items():
            lines.append(f"  {kind} ours, Python ready{'':<13}{f['min']:8.0f}{f['median']:8.0f}{f['max']:8.0f}"
                         f"  ({f['ratio_to_bare']:.2f} × bare's first result; first result the kept "
                         f"answer in {f['first_result_kept']}/{f['n']})")
        lines.append(f"  warm: requests still reaching the server per visit: "
                     f"ours {w['server_requests_per_warm_visit']['ours']:.0f}, "
                     f"bare {w['server_requests_per_warm_visit']['bare']:.0f} "
                     f"(ours' statuses {w['warm_statuses_ours']}); served by a service worker: "
                     f"ours {w['warm_served_by_service_worker']['ours']}/{w['ours']['n']}, "
                     f"bare {w['warm_served_by_service_worker']['bare']}/{w['bare']['n']}")
        starts = w.get("python_start_ours", {}).get("warm", [])
        lines.append(f"  warm, ours: Python started from a memory snapshot in "
                     f"{starts.count('snapshot')}/{len(starts)} visits")
        f = results.get("form_ms", {}).get("ours", {})
        if f and "paint_ms" in results:  # the paint part's 30 visits tell the paint, not these 5
            lines.append(f"  cold, ours: layout shift until the first result is drawn {f.get('cls', 0):.3f}")
        elif f:
            lines.append(f"  cold, ours: first contentful paint {f.get('fcp', 0):.0f} ms (the first "
                         f"screen), the rest drawn {f.get('rest', 0):.0f} ms, DOMContentLoaded "
                         f"{f.get('dcl', 0):.0f} ms (the form, usable before Python); layout "
                         f"shift until the first result is drawn {f.get('cls', 0):.3f}")
        lines += ["", "cold timeline, median ms after navigation start (start → end of download)"]
        for label in results["timeline_ms"]:
            for path, (start, end) in results["timeline_ms"][label].items():
                lines.append(f"  {label:<10}{path:<39}{start:7.0f} → {end:6.0f}")
            first = (w if label.endswith("warm") else c)[label.split()[0]]["median"]
            lines.append(f"  {label:<10}{'first result':<39}{first:>17.0f}")
    if "paint_ms" in results:
        lines += ["", f"{'cold, until the first screen is painted (ms)':<46}{'q1':>8}{'median':>8}{'q3':>8}"]
        for label, figures in results["paint_ms"].items():
            for key, name in (("fcp", "first contentful paint"), ("rest", "the rest drawn"),
                              ("dcl", "DOMContentLoaded")):
                if key in figures:
                    q1, _, q3 = figures[key]["quartiles"]
                    lines.append(f"  {label} {name:<39}{q1:8.0f}{figures[key]['median']:8.0f}{q3:8.0f}"
                                 f"  (n = {figures[key]['n']})")
    for network, figures in results.get("network_ms", {}).items():
        lines += ["", f"cold over an emulated {network} (ms)      min  median     max"]
        for label in ("ours", "bare"):
            f = figures[label]
            lines.append(f"  {label:<32}{f['min']:8.0f}{f['median']:8.0f}{f['max']:8.0f}")
        lines.append(f"  ratio ours/bare (medians){figures['ratio_of_medians']:>17.2f}")
    if "recalc_ms" in results:
        r = results["recalc_ms"]
        lines += ["", f"{'recalculation after an edit (ms)':<34}{'median':>8}{'p95':>8}{'max':>8}"]
        for key, name in (("dom", "until total changed"), ("frame", "until next frame"),
                          ("calculate", "Python calculate() alone")):
            if key in r:
                lines.append(f"  {name:<32}{r[key]['median']:8.1f}{r[key]['p95']:8.1f}{r[key]['max']:8.1f}")
    for kind, b in results.get("bytes", {}).items():
        lines += ["", f"bytes, first visit in a {kind} profile, until the first result and the "
                      f"network quiet (service worker and snapshot work included):",
                  f"  the server sent (bodies): ours {mib(b['server_ours'])}, "
                  f"bare {mib(b['server_bare'])}, ratio {b['ratio_server']:.2f}",
                  f"  the page received (CDP, headers + bodies): ours {mib(b['ours'])} in "
                  f"{b['ours_requests']} requests, bare {mib(b['bare'])} in {b['bare_requests']}",
                  f"  sent twice: ours {b['sent_twice_ours'] or 'none'}, bare "
                  f"{b['sent_twice_bare'] or 'none'}; preload warnings: "
                  f"{len(b['preload_warnings_ours'])}",
                  "  largest the server sent for ours:"]
        lines += [f"    {size / 1024:9,.0f} KiB  {path}" for path, size in b["server_files_ours"][:8]]
    e = results.get("engine_compute")
    if e:
        lines.append("")
        lines.append(f"engine compute in CPython: {e['mean_ms']:.3f} ms mean over {len(e['cases_ms'])} "
                     f"golden cases" if "mean_ms" in e else f"engine compute: {e['error']}")
    page, cpython = results.get("batch_page_ms"), results.get("batch_cpython_ms")
    if page:
        lines += ["", f"batch of {page['rows_shown']} organizations on batch.html (ms): file read "
                      f"{page['read_ms']:.0f}, Python {page['compute_ms']:.0f}, table shown "
                      f"{page['shown_ms']:.0f}; upload → table {page['total_ms']:.0f}"]
    if cpython:
        lines.append(f"batch of {cpython['rows']} organizations in CPython (ms): read {cpython['read_ms']:.0f}, "
                     f"computed {cpython['compute_ms']:.0f}, CSV {cpython['write_ms']:.0f}; "
                     f"{cpython['per_row_ms']:.2f} per row")
    foreign = results["foreign_requests"]
    lines.append(f"requests to another host: {foreign['count']}"
                 + (f" {foreign['urls'][:5]}" if foreign["count"] else ""))
    return "\n".join(lines)


# ---- main --------------------------------------------------------------------------------

PARTS = ("loads", "paint", "network", "bytes", "recalc", "compute", "batch")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="built site (dist/)")
    parser.add_argument("--runs", type=int, default=7, help="cold and warm visits per page")
    parser.add_argument("--network-runs", type=int, default=3,
                        help="cold visits per page and emulated network")
    parser.add_argument("--paint-runs", type=int, default=30,
                        help="cold visits per page until the first screen is painted")
    parser.add_argument("--edits", type=int, default=50, help="timed recalculations")
    parser.add_argument("--batch-rows", type=int, default=batch_table.ROWS,
                        help="organizations in the batch part's table")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per page load")
    parser.add_argument("--out", type=Path, default=RESULTS, help="JSON results file")
    parser.add_argument("--cache-control", default="max-age=600",
                        help="Cache-Control header the server sends (default: GitHub Pages' "
                             "max-age=600; '' sends none, like build.py serve)")
    parser.add_argument("--wait-quiet", type=float, default=120, metavar="SECONDS",
                        help="first wait up to this long for the CPUs to be idle")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to measure, of {','.join(PARTS)} "
                             f"(loads: cold, warm, form, timeline on localhost)")
    args = parser.parse_args(argv)
    args.only = [part for part in args.only.split(",") if part]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown {sorted(unknown)}; choose from {PARTS}")
    return args


def measure_all(playwright, browser, sites, args, requests):
    ours, bare = sites
    print("versions…", flush=True)
    found = {"versions": versions(browser, bare, args.timeout, requests)}
    if "loads" in args.only:
        print(f"cold and warm visits ({args.runs} each)…", flush=True)
        found.update(summarize_loads(cold_and_warm(browser, sites, args, requests)))
    if "paint" in args.only:
        print(f"first paint, cold ({args.paint_runs} visits each)…", flush=True)
        found["paint_ms"] = summarize_paints(paints(browser, sites, args, requests))
    if "network" in args.only:
        print(f"cold over emulated networks ({args.network_runs} each)…", flush=True)
        found["network_ms"] = summarize_network({
            network: cold_emulated(browser, sites, network, args.network_runs, args.timeout,
                                   requests, args.wait_quiet) for network in NETWORKS})
    if "bytes" in args.only:
        print("bytes (normal and private profile)…", flush=True)
        found["bytes"] = summarize_bytes({
            kind: {site.label: transfer(playwright, browser, site, args.timeout, requests, kind)
                   for site in sites} for kind in ("normal", "private")})
    if "recalc" in args.only:
        print(f"recalculation ({args.edits} edits)…", flush=True)
        found["recalc_ms"] = summarize_recalc(recalc(browser, ours, args.edits, args.timeout,
                                                     requests))
    if "batch" in args.only:
        print(f"batch page ({args.batch_rows} rows)…", flush=True)
        found["batch_page_ms"] = batch_page(browser, ours, args.batch_rows, args.timeout, requests)
    return found


def run(args):
    requests = []
    busy_before = wait_quiet(args.wait_quiet)
    with tempfile.TemporaryDirectory(prefix="kea-bench-") as folder, \
            contextlib.ExitStack() as stack:
        ours_dir, bare_dir = prepare_sites(args.dist.resolve(), Path(folder))
        servers = []
        for directory in (ours_dir, bare_dir):
            server, origin = start_server(directory, args.cache_control)
            stack.callback(stop_server, server)
            servers.append((server, origin))
        (our_server, our_origin), (bare_server, bare_origin) = servers
        sites = (Site("ours", our_server, f"{our_origin}#{example_fragment()}", EXAMPLE_TOTAL),
                 Site("bare", bare_server, bare_origin, BARE_TOTAL))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        stack.callback(browser.close)
        results = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                   "chromium": browser.version, "dist": str(args.dist.resolve()),
                   "example": str(EXAMPLE.relative_to(ROOT)), "cores": os.cpu_count(),
                   "cache_control": args.cache_control or None, "cpu_busy_before": busy_before}
        results.update(measure_all(playwright, browser, sites, args, requests))
        foreign = [url for url in requests
                   if not url.startswith((our_origin, bare_origin, *LOCAL_SCHEMES))]
    if "compute" in args.only:
        print("engine compute in CPython…", flush=True)
        results["engine_compute"] = engine_compute_figures()
    if "batch" in args.only:
        print(f"batch of {args.batch_rows} rows in CPython…", flush=True)
        results["batch_cpython_ms"] = batch_table.measure(args.batch_rows)
    results["cpu_busy_after"] = cpu_busy()
    results["foreign_requests"] = {"count": len(foreign), "urls": sorted(set(foreign)),
                                   "requests_checked": len(requests)}
    return results


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} missing (apt-get install -y chromium)", file=sys.stderr)
        return 1
    try:
        results = run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print()
    print(table(results))
    print(f"\nall figures: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
