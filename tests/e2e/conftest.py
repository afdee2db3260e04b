"""Fixtures of the browser tests: dist/ served on a free local port, Debian's Chromium,
and a fresh browser context per test that records every request."""

import importlib.util
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
    spec = importlib.util.spec_from_file_location("site_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def requests_seen():
    return []


@pytest.fixture
def new_page(browser, site_url, requests_seen):
    """new_page(width, height) → a blank page in a new browser context. After the test,
    every request that any context made must have gone to the local server."""
    contexts = []

    def record(request):
        requests_seen.append(request.url)

    def new(width=1400, height=1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        context.on("request", record)
        contexts.append(context)
        page = context.new_page()
        page.on("request", record)
        return page

    yield new
    for context in contexts:
        context.close()
    foreign = [url for url in requests_seen
               if not url.startswith(site_url) and not url.startswith(LOCAL_SCHEMES)]
    assert not foreign, f"requests left the local server: {foreign}"
