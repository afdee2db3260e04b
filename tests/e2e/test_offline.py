"""Loading fast and offline (docs/OFFLINE.md): the preloads at the top of the page are each
fetched once and used, the service worker precaches every file a visit loads, a second visit
starts Python from a memory snapshot and works with no network — also from a sub-path; what
the worker stores is verified (a truncated download fails the install, the page still works
and a later visit with a good server installs), a host with pretty URLs (redirects) keeps
working offline, and a Cache Storage that does not answer sends the worker to the network.
Updates across deploys: test_updates.py."""

import functools
import http.server
import io
import json
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from engine import link
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
EXAMPLE = case("city_mid.v1")["scenario"]
EXPECTED = case("city_mid.v1")["expected"]
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
    import build  # the repository root is on pytest's pythonpath
    return build


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
    """serve(folder, under="", handler=build.py's) → URL of folder served at /under/ by the
    handler (a subclass of build.py's); the server's log of (path, status) is the URL's .log."""
    servers = []

    def start(folder, under="", handler=BUILD.Handler):
        log = []

        class Handler(handler):
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
    page = new_page(snapshot=True)
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
    assert {"pyodide.asm.wasm.gz", "pyodide.asm.mjs.gz", "python_stdlib.zip.gz"} <= names
    # JavaScript modules are not preloaded but imported (web/build/pages.py: a modulepreload
    # is compiled while the first screen is drawn); core.js's link only names its URL
    assert [name for name in names if name.endswith((".js", ".mjs"))] == ["core.js"]
    # Pyodide's module is imported from its gzip copy, by the page and the worker alike
    assert not [url for url in requested if urlsplit(url).path.endswith("/pyodide.asm.mjs")]
    assert any(name.startswith("engine-") and name.endswith(".whl.gz") for name in names)
    for url in preloads:  # a preload that does not match its use is fetched a second time
        assert by_the_page.count(url) == 1, (url, by_the_page.count(url))
    assert not warnings, warnings
    # the page's own script is one file, its modules bundled in (web/build/assets.py: else
    # each level of imports waits for the one above), and Python starts only once it has run
    entry = urljoin(site_url, page.get_attribute('script[type="module"][src*="/js-"]', "src"))
    assert [url for url in by_the_page if "/js-" in url] == [entry]
    form_ran, python_started = page.evaluate("""() => [
      performance.getEntriesByType("navigation")[0].domContentLoadedEventStart,
      performance.getEntriesByName("python:start")[0].startTime]""")
    assert 0 < form_ran <= python_started

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
        # nothing reached the server but the browser's own update check of sw.js (which
        # Chromium's offline emulation does not hold), the one in the page's folder
        worker = urlsplit(url).path + "sw.js"
        assert [path for path, _ in url.log[seen:] if path != worker] == []
        page.fill('[name="vehicles"]', "13")  # Python restored from the snapshot computes
        expect(page.get_by_test_id("value-3.3.drivers")).to_have_text("13,00")

        other = context.new_page()  # a new tab, offline, at the folder's index.html
        other.goto(url + "index.html#" + link.encode(EXAMPLE))
        wait_ready(other)
        expect(other.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    finally:
        context.close()
    origin = url.split("/tools/")[0] + "/"
    assert requests and all(request.startswith((origin, "blob:")) for request in requests)


def registration_outcome(page, failed=lambda: True):
    """Once the page has registered its service worker: "active" when the install completed,
    "failed" when failed() (e.g. the server broke a download) and the browser has dropped
    the registration (a failed first install)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = page.evaluate("""async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return registration?.active ? "active" : registration ? "installing" : "none";
        }""")
        if state == "active" or (state == "none" and failed()):
            return "failed" if state == "none" else state
        time.sleep(0.05)
    return "timeout"


WORKER_CACHES = """async () => (await caches.keys()).filter((key) => key.startsWith("kea-1nt "))"""


class Truncating(BUILD.Handler):
    """A server that answers the service worker's own download of methodology.html (its
    Referer is sw.js; the worker takes the runtime files the page has just downloaded from
    the page's copies, but downloads every page itself, the body from its .gz sibling) with
    the first half of the file under a Content-Length that matches — a broken proxy or a
    full disk: the browser sees a complete, OK response. `broken` switches it on and off;
    `cut` lists what it broke."""
    broken = True
    cut = []

    def send_head(self):
        path = urlsplit(self.path).path
        if not (self.broken and self.command == "GET" and path.endswith(("/methodology.html", "/methodology.html.gz"))
                and self.headers.get("Referer", "").endswith("/sw.js")):
            return super().send_head()
        body = Path(self.translate_path(path)).read_bytes()
        body = body[:len(body) // 2]
        self.cut.append(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def test_a_truncated_download_fails_the_install_and_a_good_server_installs(browser, serve, tmp_path):
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    handler = type("Server", (Truncating,), {"cut": []})
    url = serve(folder, handler=handler)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "#" + link.encode(EXAMPLE))
        wait_ready(page)  # the page itself works from the network
        expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
        assert registration_outcome(page, failed=lambda: handler.cut) == "failed"
        assert page.evaluate(WORKER_CACHES) == []  # nothing half-stored is left

        page.reload()  # still no worker: again from the network, and it works
        wait_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller") is None
        expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))

        handler.broken = False  # the next visit, with a good server, installs
        page.reload()
        wait_ready(page)
        assert registration_outcome(page, failed=lambda: False) == "active"
        context.set_offline(True)
        page.reload()
        wait_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        page.fill('[name="vehicles"]', "13")  # what was stored works: Python computes
        expect(page.get_by_test_id("value-3.3.drivers")).to_have_text("13,00")
    finally:
        context.close()


class PrettyUrls(BUILD.Handler):
    """A host with pretty URLs: /index.html → / and /kk.html → /kk (301; every page alike),
    and /kk answers kk.html."""

    def send_head(self):
        parts = urlsplit(self.path)
        if parts.path.endswith(".html"):
            self.send_response(301)
            self.send_header("Location", parts.path.removesuffix("index.html").removesuffix(".html"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if "." not in parts.path.rsplit("/", 1)[-1] and Path(self.translate_path(parts.path + ".html")).is_file():
            self.path = parts.path + ".html"
        return super().send_head()


def test_a_host_with_pretty_urls_works_on_every_later_visit_offline_too(browser, serve, tmp_path):
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    url = serve(folder, handler=PrettyUrls)
    fragment = "#" + link.encode(EXAMPLE)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + fragment)
        wait_ready(page)
        page.evaluate(WORKER_ACTIVE)
        assert ("/index.html", 301) in url.log and ("/kk.html", 301) in url.log  # by the precache

        for offline in (False, True):
            context.set_offline(offline)
            for address, lang in (("", "ru"), ("kk", "kk"), ("index.html", "ru"), ("kk.html", "kk"), ("en", "en")):
                page.goto("about:blank")  # a new document each time, not a fragment change
                page.goto(url + address + fragment)
                wait_ready(page)
                assert page.evaluate("navigator.serviceWorker.controller !== null"), address
                assert page.evaluate("document.documentElement.lang") == lang, address
                expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    finally:
        context.close()


def test_a_cache_storage_that_does_not_answer_sends_the_worker_to_the_network(browser, serve, tmp_path):
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    url = serve(folder)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "#" + link.encode(EXAMPLE))
        wait_ready(page)
        page.evaluate(WORKER_ACTIVE)
        page.reload()
        wait_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller !== null")

        # In the worker, Cache Storage stops answering for the pages (as a corrupt storage can).
        (worker,) = context.service_workers
        worker.evaluate("""() => {
          const match = caches.match.bind(caches);
          self.hung = [".html"];
          caches.match = (key, options) => self.hung.some((end) => String(key).endsWith(end))
            ? new Promise(() => {}) : match(key, options);
        }""")
        seen = len(url.log)
        page.reload()
        wait_ready(page)
        expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
        # the page came from the network (revalidated: 304), after the worker's deadline
        assert "/" in [path for path, _ in url.log[seen:]]
        assert page.evaluate("navigator.serviceWorker.controller !== null")

        # From the network, a URL that names its content hash gets only that content: a host
        # that ignores the query never passes another build's file off as this one.
        status = "(address) => fetch(address, { cache: \"no-store\" }).then((response) => response.status)"  # past the HTTP cache
        boot = next(path for path in precache(folder)["files"] if path.startswith("./boot.js?v="))
        assert page.evaluate(status, "./boot.js?v=0123456789ab") == 502
        assert page.evaluate(status, boot.replace("?v=", "?x=1&v=")) == 200  # not cached: the network
        # A file of this build's list, unversioned, changed on the server (a deploy) while the
        # storage hangs: the network's other content is refused too.
        assert page.evaluate(status, "./pyscript/core.js") == 200
        (folder / "pyscript" / "core.js").write_text("/* another build */", "utf-8")
        worker.evaluate("() => self.hung.push('/core.js')")
        assert page.evaluate(status, "./pyscript/core.js") == 502
    finally:
        context.close()
