"""Fixtures of the browser tests: dist/ served on a free local port, Debian's Chromium,
and a fresh browser context per test that records every request — a private one, or a
persistent profile (normal, or one that blocks cookies and site data) — and a host page of
another site (another host name) for the iframe tests."""

import http.server
import json
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browser download is not used
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_SCHEMES = ("data:", "blob:")


def _build_module():
    import build  # the repository root is on pytest's pythonpath
    return build


@pytest.fixture(scope="session")
def site_url():
    build = _build_module()
    if os.environ.get("KEA_DIST_BUILT") != "1":  # `build.py test` has just built it
        build.build()
    server = build.make_server(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def requests_seen():
    return []


@pytest.fixture
def allowed_origins():
    """URL prefixes besides the calculator's that a test's pages may load (a host page)."""
    return []


# Chromium's own settings for "Block all cookies" (site data included) and third-party
# cookies, as a profile's Default/Preferences file holds them.
BLOCKING_PREFERENCES = {"profile": {"default_content_setting_values": {"cookies": 2},
                                    "block_third_party_cookies": True}}
PROFILES = ("private", "normal", "cookies-blocked")


@pytest.fixture
def new_page(browser, playwright_driver, site_url, requests_seen, allowed_origins, tmp_path):
    """new_page(width, height, profile, snapshot) → a blank page in a new browser context:
    "private" (a fresh context, as an incognito window), "normal" (a persistent profile on
    disk) or "cookies-blocked" (a persistent profile whose preferences block cookies and site
    data); without `snapshot` the page makes no Python snapshot after its first result
    (test_offline tests it, in contexts of its own).
    After the test, every request that any context made must have gone to the local server
    (or to allowed_origins)."""
    contexts = []

    def record(request):
        requests_seen.append(request.url)

    def new(width=1400, height=1000, profile="private", snapshot=False):
        viewport = {"width": width, "height": height}
        if profile == "private":
            context = browser.new_context(viewport=viewport)
        else:
            folder = tmp_path / f"profile-{len(contexts)}"
            (folder / "Default").mkdir(parents=True)
            preferences = BLOCKING_PREFERENCES if profile == "cookies-blocked" else {}
            (folder / "Default" / "Preferences").write_text(json.dumps(preferences), "utf-8")
            context = playwright_driver.chromium.launch_persistent_context(
                folder, executable_path=CHROMIUM, args=LAUNCH_ARGS, viewport=viewport)
        if not snapshot:  # Python's snapshot is test_offline's; elsewhere it only costs CPU
            context.add_init_script("window.keaSnapshot = false;")
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        context.on("request", record)
        contexts.append(context)
        page = context.new_page()
        page.on("request", record)
        return page

    yield new
    for context in contexts:
        # a route handler still running (one that waits) would raise into the next test
        # once its page is closed: unroute first, ignoring what such a handler then meets
        for page in context.pages:
            page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        context.close()
    foreign = [url for url in requests_seen
               if not url.startswith((site_url, *allowed_origins, *LOCAL_SCHEMES))]
    assert not foreign, f"requests left the local server: {foreign}"


class _HostHandler(http.server.BaseHTTPRequestHandler):
    """Serves one page of "another site": an iframe of the calculator and its embed.js."""

    calculator = ""

    def do_GET(self):  # noqa: N802 (http.server's name)
        pages = {"/host.html": HOST_PAGE.replace("CALCULATOR", self.calculator),
                 "/readme.html": readme_host_page(self.calculator)}
        if self.path.split("?")[0] not in pages:
            self.send_error(404)
            return
        body = pages[self.path.split("?")[0]].encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


README_CALCULATOR = "https://calc.example.kz/kea-1nt/"  # where the README's snippet has it


def readme_snippet():
    """The README's embedding snippet, word for word (its ```html block)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Embedding in another site"):]
    start = section.index("```html\n") + len("```html\n")
    return section[start:section.index("\n```", start)]


def readme_host_page(calculator):
    """A page of another site holding the README's snippet as it is, but for the calculator's
    address."""
    snippet = readme_snippet()
    assert snippet.count(README_CALCULATOR) == 2, "the README's snippet names the calculator twice"
    return ('<!doctype html>\n<html lang="kk"><head><meta charset="utf-8"><title>Host</title></head>'
            f'<body style="margin:0"><h1>Сайт ассоциации</h1>\n{snippet.replace(README_CALCULATOR, calculator)}\n'
            '<p id="after">Подвал сайта</p></body></html>\n')


# The host page: the README's embedding snippet. The test's fragment (location.hash of the
# host page) is handed to the iframe, so each test opens the calculator with its scenario.
HOST_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Ассоциация — калькулятор</title></head>
<body style="margin:0"><h1 style="height:300px;margin:0">Сайт ассоциации</h1>
<iframe id="kea" title="Калькулятор численности ЭСО" style="width:100%;height:600px;border:0"></iframe>
<p id="after">Подвал сайта</p>
<script src="CALCULATORembed.js"></script>
<script>document.getElementById("kea").src = "CALCULATOR?embed=1" + location.hash;</script>
</body></html>
"""


@pytest.fixture(scope="session")
def host_url(site_url):
    """http://localhost:PORT/host.html: a page of another site (the calculator is served on
    127.0.0.1) embedding the calculator in an iframe, as the README says."""
    handler = type("Host", (_HostHandler,), {"calculator": site_url})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/host.html"
    server.shutdown()
    server.server_close()
