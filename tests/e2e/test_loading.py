"""Runtime files that stall, fail, come truncated or as the wrong type (issue 11.5): no
endless progress bar. The page says which file (data-testid="load-error", in its language),
offers "Повторить" (data-testid="retry"), and keeps what was typed; the retry, once the
network behaves, starts Python with the form as it was."""

import functools
import http.server
import json
import re
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

import build
import engine
from engine import link
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CATALOG = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))
EXAMPLE = case("city_mid.v1")["scenario"]
LOAD_TIMEOUT = 90_000
DEADLINE = 4000  # ms without progress before the page says the start stalled (the default is 40 s)

FILES = {  # what the route breaks → (URL pattern, the file's name as the message says it)
    "runtime wasm": ("**/pyodide/pyodide.asm.wasm.gz", "pyodide.asm.wasm.gz"),
    "runtime module": ("**/pyodide/pyodide.asm.mjs.gz", "pyodide.asm.mjs.gz"),
    "standard library": ("**/pyodide/python_stdlib.zip.gz", "python_stdlib.zip.gz"),
    "engine archive": ("**/app/engine-*.whl.gz", "engine-"),
    "PyScript core": ("**/pyscript/core.js", "core.js"),
    "PyScript chunk": ("**/pyscript/core-*.js", "core-"),
    "Pyodide loader": ("**/pyodide/pyodide.mjs", "pyodide.mjs"),
}


def stall(route):
    pass  # never answered: the download hangs, as a dead connection does, also once the network is back


def abort(route):
    route.abort()


def truncate(route):
    response = route.fetch()
    body = response.body()
    route.fulfill(response=response, body=body[: len(body) // 3])


def wrong_type(route):  # a host's "not found" page, served as a success
    route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Not found</title><p>Not found")


FAULTS = {"stalls": stall, "aborts": abort, "is truncated": truncate, "has the wrong type": wrong_type}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("what", list(FILES))
def test_a_broken_runtime_file_is_named_with_a_retry(new_page, site_url, what, fault):
    pattern, name = FILES[what]
    page = new_page()
    page.add_init_script(f"window.keaLoadDeadline = {DEADLINE};")
    broken = [True]
    page.route(pattern, lambda route: FAULTS[fault](route) if broken[0] else route.fallback())
    # (not until the load event: a module that stalls holds it)
    page.goto(site_url + "#" + link.encode(EXAMPLE), wait_until="domcontentloaded", timeout=LOAD_TIMEOUT)
    page.fill('[name="vehicles"]', "13")  # typed while Python loads
    error = page.get_by_test_id("load-error")
    expect(error).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(error).to_contain_text(name)
    expect(page.get_by_test_id("retry")).to_have_text(CATALOG["loading"]["retry"])
    assert page.get_by_test_id("ready").count() == 0
    expect(page.locator('[name="vehicles"]')).to_have_value("13")
    expect(page.locator('[name="households_city.multi_storey"]')).to_have_value("30000")

    if what == "PyScript core" and fault != "stalls":
        # After its preload failed, the page imports the core once more (runtime.js start):
        # that import must have failed too before the network is mended, or the page may
        # start by itself and take the retry button away from under the click.
        expect(page.locator("#engine-error-report")).to_have_value(re.compile(r"core\.js: "), timeout=LOAD_TIMEOUT)
    broken[0] = False  # the network behaves again (page.unroute would also answer a stalled request)
    page.get_by_test_id("retry").click()
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("load-error")).to_be_hidden()
    expect(page.locator('[name="vehicles"]')).to_have_value("13")
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute({**EXAMPLE, "vehicles": 13})["total"]))


def test_the_message_is_in_the_page_language(new_page, site_url):
    catalog = json.loads((ROOT / "web" / "i18n" / "kk.json").read_text("utf-8"))
    page = new_page()
    page.route("**/pyodide/pyodide.asm.wasm.gz", abort)
    page.goto(site_url + "kk.html", timeout=LOAD_TIMEOUT)
    error = page.get_by_test_id("load-error")
    expect(error).to_be_visible(timeout=LOAD_TIMEOUT)
    expected = catalog["loading"]["failed_file"].replace("{file}", "pyodide.asm.wasm.gz")
    expect(page.locator("#load-error-text")).to_have_text(expected)
    expect(page.get_by_test_id("retry")).to_have_text(catalog["loading"]["retry"])


def test_a_slow_start_that_progresses_is_no_error(new_page, site_url):
    """Each file arrives, slowly, but never DEADLINE ms without any: no message."""
    page = new_page()
    page.add_init_script(f"window.keaLoadDeadline = {DEADLINE};")

    def slow(route):
        page.wait_for_timeout(DEADLINE // 2)
        route.continue_()
    page.route(re.compile(r"/pyodide/"), slow)
    page.goto(site_url + "#" + link.encode(EXAMPLE), timeout=LOAD_TIMEOUT)  # a busy machine
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("load-error")).to_be_hidden()


class FaultyHost(build.Handler):
    """dist/ as a host would serve it, but the files named in `faults` go through their fault."""

    faults = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        fault = self.faults.get(path.rsplit("/", 1)[-1])
        if fault is None:
            return super().do_GET()
        return fault(self, (DIST / path.lstrip("/")).read_bytes())

    def send(self, body, content_type, **headers):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()


@pytest.fixture
def faulty_host(site_url, allowed_origins):  # site_url: dist/ is built
    """faulty_host({file name: fault(handler, body)}) → the URL of dist/ served with them."""
    servers = []

    def start(faults):
        handler = type("Host", (FaultyHost,), {"faults": faults})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(DIST)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_port}/"
        allowed_origins.append(url)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_large_file_that_trickles_in_is_no_stall(new_page, faulty_host):
    """The wasm arrives in five parts, DEADLINE / 2 apart: 2.5 deadlines of download, as on a
    slow line, with never DEADLINE ms without a byte. Progress is counted in bytes: no message."""
    def trickle(handler, body):
        handler.send(body, "application/gzip")
        step = len(body) // 5 + 1
        for start in range(0, len(body), step):
            handler.wfile.write(body[start:start + step])
            handler.wfile.flush()
            time.sleep(DEADLINE / 2000)

    url = faulty_host({"pyodide.asm.wasm.gz": trickle})
    page = new_page()
    page.add_init_script(f"window.keaLoadDeadline = {DEADLINE};")
    page.goto(url + "#" + link.encode(EXAMPLE), timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("load-error")).to_be_hidden()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(EXAMPLE)["total"]))


def test_pyodide_frames_in_a_stack_trace_are_named_as_its_file(new_page, site_url):
    """Pyodide's module is imported from a blob: URL (its gzip copy, decompressed); the stack
    trace of a bug report still names pyodide.asm.mjs, as when Pyodide imports it itself."""
    page = new_page()
    page.goto(site_url, timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    stack = page.evaluate("""() => {
      try { window.keaEngine.calculate(); } catch (error) { return error.stack; }  // no argument: a Python TypeError
      return "";
    }""")
    assert f"{site_url}pyodide/pyodide.asm.mjs:" in stack, stack
    assert "blob:" not in stack, stack


def test_a_host_policy_without_blob_urls_still_starts_python(new_page, faulty_host):
    """A host that sends its own, stricter Content-Security-Policy (no blob: scripts): the
    page cannot import Pyodide's module from its gzip copy and lets Pyodide import the plain
    pyodide.asm.mjs instead: slower, and no error."""
    def strict_policy(handler, body):
        handler.send(body, "text/html; charset=utf-8",
                     Content_Security_Policy="script-src 'self' 'wasm-unsafe-eval'")
        handler.wfile.write(body)

    url = faulty_host({"index.html": strict_policy})
    page = new_page()
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: "pyodide.asm.mjs" in message.text and refused.append(message.text))
    page.goto(url + "index.html#" + link.encode(EXAMPLE), timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("load-error")).to_be_hidden()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(EXAMPLE)["total"]))
    assert url + "pyodide/pyodide.asm.mjs" in requested
    assert refused, "the page says why it imports the plain file"


def test_the_retry_gets_past_a_broken_copy_in_the_browser_cache(new_page, faulty_host):
    """A host (or a proxy) once cut the PyScript core short, with a matching length and a
    cache lifetime: the browser keeps that copy. "Повторить" downloads the file again past
    the cache, and Python starts."""
    served = []

    def truncate_once(handler, body):
        served.append(handler.path)
        if len(served) == 1:
            body = body[: len(body) // 3]
        handler.send(body, "text/javascript", Cache_Control="max-age=3600")
        handler.wfile.write(body)

    url = faulty_host({"core.js": truncate_once})
    page = new_page()
    page.add_init_script(f"window.keaLoadDeadline = {DEADLINE};")
    page.goto(url + "#" + link.encode(EXAMPLE), timeout=LOAD_TIMEOUT)
    error = page.get_by_test_id("load-error")
    expect(error).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(error).to_contain_text("core.js")
    page.get_by_test_id("retry").click()
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(EXAMPLE)["total"]))
    assert len(served) == 2  # the broken copy, and the one the retry fetched (then cached)


def test_the_compact_embedded_page_shows_the_message_too(new_page, site_url):
    """?embed=1 hides most of the masthead, but not a load error and its retry."""
    page = new_page(width=700)
    page.route("**/pyodide/pyodide.asm.wasm*", abort)
    page.goto(site_url + "?embed=1", timeout=LOAD_TIMEOUT)
    expect(page.locator("html")).to_have_class(re.compile(r"\bembed\b"))
    error = page.get_by_test_id("load-error")
    expect(error).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(error).to_contain_text("pyodide.asm.wasm")
    expect(page.get_by_test_id("retry")).to_be_visible()
