"""Loading fast and offline (README "Performance"): the preloads at the top of the page are
each fetched once and used, the service worker precaches every file a visit loads, a second
visit starts Python from a memory snapshot and works with no network — also from a
sub-path — and a new build replaces the old one."""

import functools
import hashlib
import http.server
import importlib.util
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from engine import link

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
EXAMPLE = json.loads((ROOT / "tests" / "golden" / "city_mid.json").read_text("utf-8"))
EXPECTED = json.loads((ROOT / "tests" / "golden" / "city_mid.expected.json").read_text("utf-8"))
LOAD_TIMEOUT = 90_000  # ms, as in test_page.py: a cold start on a busy 2-core machine
PRELOAD_WARNING = "was preloaded using link preload but not used"

# Resolves once the page's service worker is active (its precache complete) → its scope.
WORKER_ACTIVE = """() => navigator.serviceWorker.ready.then((registration) => registration.scope)"""
# Until 3.5 s after the load event: Chromium warns of a preload still unused 3 s after it.
AFTER_LOAD = """async () => {
  if (document.readyState !== "complete") {
    await new Promise((resolve) => addEventListener("load", resolve, { once: true }));
  }
  await new Promise((resolve) => setTimeout(resolve, 3500));
}"""
# Resolves once the one service-worker cache of the origin is the one named → their names.
ONLY_CACHE = """async (name) => {
  const deadline = Date.now() + 60000;
  let names = [];
  while (Date.now() < deadline) {
    names = (await caches.keys()).filter((key) => key.startsWith("kea-1nt "));
    if (names.length === 1 && names[0] === name) return names;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return names;
}"""


def _build_module():
    spec = importlib.util.spec_from_file_location("site_build_offline", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()


def precache(folder):
    """The service worker's BUILD {id, files} written into folder/sw.js by build.py."""
    text = (folder / "sw.js").read_text("utf-8")
    start = text.index("const BUILD = ") + len("const BUILD = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def wait_ready(page):
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)


@pytest.fixture
def serve(site_url):  # site_url: dist/ is built
    """serve(folder, under="") → URL of folder served at /under/ by build.py's handler; the
    server's log of (path, status) is the URL's .log."""
    servers = []

    def start(folder, under=""):
        log = []

        class Handler(BUILD.Handler):
            def log_request(self, code="-", size="-"):
                log.append((self.path, int(code)))

        root = folder
        if under:
            root = folder.parent / f"{folder.name}-root"
            (root / under).parent.mkdir(parents=True, exist_ok=True)
            (root / under).symlink_to(folder, target_is_directory=True)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_port}/{under + '/' if under else ''}"
        return Served(url, log)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class Served(str):
    def __new__(cls, url, log):
        served = super().__new__(cls, url)
        served.log = log
        return served


def relative(url, base):
    """A same-origin URL as the precache names it: ./path?query (the folder itself: index.html)."""
    parts = urlsplit(url)
    path = parts.path[len(urlsplit(base).path):] or "index.html"
    return f"./{path}" + (f"?{parts.query}" if parts.query else "")


def test_preloads_are_used_once_and_every_file_is_precached(new_page, site_url):
    page = new_page()
    requested, warnings = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: PRELOAD_WARNING in message.text and warnings.append(message.text))
    worker_from = []  # then a worker makes Python's snapshot, fetching the runtime itself
    page.on("worker", lambda worker: worker_from.append((len(requested), worker.url)))
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    wait_ready(page)
    expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    page.evaluate(WORKER_ACTIVE)
    assert page.evaluate("keaPython.stored") is True
    page.evaluate(AFTER_LOAD)
    by_the_page = list(requested)
    if worker_from:  # the worker is reported just after the request of its script
        cut, script = worker_from[0]
        by_the_page = requested[:cut - 1 if cut and requested[cut - 1] == script else cut]

    preloads = page.eval_on_selector_all(
        'link[rel="preload"], link[rel="modulepreload"]', "links => links.map((l) => l.href)")
    names = {urlsplit(url).path.rsplit("/", 1)[-1] for url in preloads}
    assert {"pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs"} <= names
    assert any(name.startswith("engine-") and name.endswith(".whl") for name in names)
    for url in preloads:  # a preload that does not match its use is fetched a second time
        assert by_the_page.count(url) == 1, (url, by_the_page.count(url))
    assert not warnings, warnings

    files = precache(DIST)["files"]
    pages = [url for url in requested if url.startswith(site_url)]
    missing = sorted({relative(url, site_url) for url in pages} - set(files))
    assert not missing, f"loaded by the page but not precached: {missing}"


def own_context(browser, requests):
    """A new context recording every request, as conftest's new_page does."""
    context = browser.new_context()
    context.on("request", lambda request: requests.append(request.url))
    return context


def test_second_visit_works_offline_from_a_sub_path(browser, serve, tmp_path):
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    url = serve(folder, under="tools/kea")
    requests = []
    context = own_context(browser, requests)
    try:
        page = context.new_page()
        page.goto(url + "#" + link.encode(EXAMPLE))
        wait_ready(page)
        assert page.evaluate("keaPython.start") == "fresh"
        assert page.evaluate(WORKER_ACTIVE) == url  # the page's own folder, not the origin
        assert page.evaluate("keaPython.stored") is True  # Python's snapshot, made in a worker

        context.set_offline(True)
        seen = len(url.log)
        page.reload()
        wait_ready(page)
        expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert page.evaluate("keaPython.start") == "snapshot"
        # nothing reached the server but the browser's own update check of sw.js
        assert [path for path, _ in url.log[seen:] if path != "/sw.js"] == []
        page.fill('[name="vehicles"]', "13")  # Python restored from the snapshot computes
        expect(page.get_by_test_id("value-3.3.drivers")).to_have_text("13,00")

        other = context.new_page()  # a new tab, offline, at the folder's index.html
        other.goto(url + "index.html#" + link.encode(EXAMPLE))
        wait_ready(other)
        expect(other.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    finally:
        context.close()
    origin = url.split("/tools/")[0] + "/"
    assert requests and all(request.startswith(origin) for request in requests)


def test_a_new_build_replaces_the_old_one(browser, serve, tmp_path):
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    url = serve(folder)
    old = precache(folder)
    requests = []
    context = own_context(browser, requests)
    try:
        page = context.new_page()
        page.goto(url + "#" + link.encode(EXAMPLE))
        wait_ready(page)
        page.evaluate(WORKER_ACTIVE)
        assert page.evaluate("keaPython.stored") is True
        title = page.title()

        # Deploy a new build: a changed page, hence a new precache list and build id.
        index = folder / "index.html"
        index.write_text(index.read_text("utf-8").replace("<title>", "<title>NEW ", 1), "utf-8")
        files = {path: hashlib.sha256((folder / path.split("?")[0]).read_bytes()).hexdigest()[:16]
                 for path in old["files"]}
        new_id = BUILD.write_service_worker(folder, files)
        assert new_id != old["id"]

        seen = len(url.log)
        page.reload()  # served by the old build; the browser finds the new sw.js
        wait_ready(page)
        assert page.title() == title
        new_cache = f"kea-1nt {url} {new_id}"
        assert page.evaluate(ONLY_CACHE, new_cache) == [new_cache]  # old build's cache deleted
        downloaded = sorted(path for path, status in url.log[seen:] if status == 200)
        assert downloaded == ["/index.html", "/sw.js"]  # the rest came from the old build's cache

        page.reload()  # the next load is the new build
        wait_ready(page)
        assert page.title() == "NEW " + title
        expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    finally:
        context.close()
    assert requests and all(request.startswith(url) for request in requests)
