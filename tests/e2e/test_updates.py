"""Deploys while the calculator is in use (docs/OFFLINE.md): two builds in one served folder
whose engines compute differently (the second doubles the 3.3 driver rate). A tab left open
across the deploy, and a new visit served by the old build's worker, say that a new version
exists and switch on a click, keeping the form's fragment; until then a page keeps
computing with its own build's engine, never another's; the old build's cache is deleted,
and a file of it that got damaged is not carried into the new build. A deploy caught half
way (a file of the new build cut short) installs nothing: no notice, the old build keeps
serving, offline too, until the deploy is whole. The same source built
twice is the same build (no update for a deploy without changes)."""

import json
import re
import shutil
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from engine import link
from test_offline import (BUILD, DIST, EXAMPLE, EXPECTED, ONLY_CACHE, ROOT, WORKER_ACTIVE,
                          precache, serve, wait_ready)

__all__ = ["serve"]  # a fixture of test_offline.py, used here
NOTICE_TIMEOUT = 60_000  # ms: the new build's install, next to a running page
FRAGMENT = "#" + link.encode(EXAMPLE)
DRIVERS_OLD = '"drivers": {"vehicles": 1, "add": 1}'
DRIVERS_NEW = '"drivers": {"vehicles": 1, "add": 2}'

# By hand: the example has 6 vehicles, so the new rate gives 12 drivers instead of 6, and the
# total grows by 6 before rounding (cl. 1.8, half up).
NEW_TOTAL = int((Decimal(str(EXPECTED["total_exact"])) + EXAMPLE["vehicles"]).quantize(0, ROUND_HALF_UP))
OLD_DRIVERS, NEW_DRIVERS = "6,00", "12,00"


def build_copy(root, change=None):
    """The build pipeline run on a copy of the repository's tracked files at `root`, after
    change(root) → its dist/ (node_modules, .venv and .cache/gzip are the repository's own)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, root / name)
    for shared in ("node_modules", ".venv"):
        (root / shared).symlink_to(ROOT / shared, target_is_directory=True)
    # the gzip copies too (zopfli: a minute for the runtime, the same bytes by design);
    # the standard library is compiled afresh, so the build is shown reproducible
    (ROOT / ".cache" / "gzip").mkdir(parents=True, exist_ok=True)
    (root / ".cache").mkdir()
    (root / ".cache" / "gzip").symlink_to(ROOT / ".cache" / "gzip", target_is_directory=True)
    if change:
        change(root)
    subprocess.run([sys.executable, "build.py", "build"], cwd=root, check=True, capture_output=True)
    return root / "dist"


def double_the_driver_rate(root):
    norm = root / "norm_json" / "kea_1nt_2018.json"
    text = norm.read_text("utf-8")
    assert text.count(DRIVERS_OLD) == 1
    norm.write_text(text.replace(DRIVERS_OLD, DRIVERS_NEW), "utf-8")


@pytest.fixture(scope="module")
def new_build(site_url, tmp_path_factory):  # site_url: dist/, the old build, is built
    return build_copy(tmp_path_factory.mktemp("new-build"), double_the_driver_rate)


@pytest.fixture
def old_site(browser, serve, tmp_path, request):
    """The old build (dist/) served from a folder of its own, where a test deploys, and a
    browser context → (folder, url, context). The server's handler: build.py's, or the
    test's indirect parameter."""
    folder = tmp_path / "site"
    shutil.copytree(DIST, folder)
    context = browser.new_context()
    yield folder, serve(folder, handler=getattr(request, "param", BUILD.Handler)), context
    context.close()


def build_of(page_file):
    """The build a page names in <meta name="kea-build">."""
    return re.search(r'<meta name="kea-build" content="([^"]+)">', page_file.read_text("utf-8"))[1]


def deploy(build, folder):
    """What a host's deploy does: the folder's content replaced by the build's."""
    shutil.rmtree(folder)
    shutil.copytree(build, folder)


def page_build(page):
    return page.evaluate("""document.querySelector('meta[name="kea-build"]').content""")


def open_controlled(context, url):
    """A tab on the calculator, served by its service worker (the second load of a visit)."""
    page = context.new_page()
    page.goto(url + FRAGMENT)
    wait_ready(page)
    page.evaluate(WORKER_ACTIVE)
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    return page


def expect_old_build(page):
    assert page_build(page) == build_of(DIST / "index.html")
    expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    expect(page.get_by_test_id("value-3.3.drivers")).to_have_text(OLD_DRIVERS)


def expect_new_build(page, new_build):
    assert page_build(page) == build_of(new_build / "index.html")
    expect(page.get_by_test_id("total")).to_have_text(str(NEW_TOTAL))
    expect(page.get_by_test_id("value-3.3.drivers")).to_have_text(NEW_DRIVERS)


def switch(page):
    """Click the notice's button; the page reloads onto the new build — once the old worker
    is idle (Chromium: one not running when asked to stop early keeps its usual 30 s idle
    timer, so allow more than that)."""
    with page.expect_event("load", timeout=NOTICE_TIMEOUT):
        page.get_by_test_id("update-switch").click()
    wait_ready(page)


def test_a_tab_open_across_a_deploy_offers_the_new_build_and_switches(old_site, new_build):
    folder, url, context = old_site
    page = open_controlled(context, url)
    expect_old_build(page)
    # A file of the old build damaged in its cache (as the worker before verification
    # could store one), the same in the new build: it must not be carried over.
    page.evaluate("""async () => {
      const name = (await caches.keys()).find((key) => key.startsWith("kea-1nt "));
      await (await caches.open(name)).put("./pyodide/python_stdlib.zip.gz", new Response("PK"));
    }""")

    deploy(new_build, folder)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back to the tab
    expect(page.get_by_test_id("update-notice")).to_be_visible(timeout=NOTICE_TIMEOUT)
    expect_old_build(page)  # still the old page with its own engine, until the switch
    page.fill('[name="vehicles"]', "7")
    expect(page.get_by_test_id("value-3.3.drivers")).to_have_text("7,00")
    page.fill('[name="vehicles"]', str(EXAMPLE["vehicles"]))
    page.wait_for_function("(text) => location.hash.includes(text)", arg=f"&vehicles={EXAMPLE['vehicles']}&")
    address = page.url

    switch(page)
    assert page.url == address  # the form's fragment is kept
    expect_new_build(page, new_build)
    expect(page.get_by_test_id("update-notice")).to_have_count(0)
    new_cache = f"kea-1nt {url} {precache(new_build)['id']}"
    assert page.evaluate(ONLY_CACHE, new_cache) == [new_cache]  # the old build's deleted

    context.set_offline(True)  # the new cache is whole: its stdlib is not the damaged one
    page.reload()
    wait_ready(page)
    expect_new_build(page, new_build)


def test_a_visit_served_by_the_old_worker_says_so_and_each_page_keeps_its_engine(old_site, new_build):
    folder, url, context = old_site
    first = open_controlled(context, url)
    deploy(new_build, folder)

    second = context.new_page()  # a new visit: the old worker serves the old build
    second.goto(url + FRAGMENT)
    wait_ready(second)
    expect_old_build(second)
    for page in (second, first):  # the visit's update check found the new build
        expect(page.get_by_test_id("update-notice")).to_be_visible(timeout=NOTICE_TIMEOUT)

    switch(second)
    expect_new_build(second, new_build)

    # The first tab, switched under by the second, still computes with its own engine
    # (the old rate: one driver per vehicle) and still offers the new version.
    expect(first.get_by_test_id("update-notice")).to_be_visible()
    first.fill('[name="vehicles"]', "7")
    expect(first.get_by_test_id("value-3.3.drivers")).to_have_text("7,00")
    assert page_build(first) == build_of(DIST / "index.html")
    first.fill('[name="vehicles"]', str(EXAMPLE["vehicles"]))
    switch(first)
    expect_new_build(first, new_build)


SLOW = 10  # s the server takes to answer /slow
UPDATES = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))["updates"]


class SlowHandler(BUILD.Handler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(SLOW)
        super().do_GET()


@pytest.mark.parametrize("old_site", [SlowHandler], indirect=True)
def test_a_switch_held_up_by_the_old_worker_says_why_and_then_happens(old_site, new_build):
    folder, url, context = old_site
    page = open_controlled(context, url)
    deploy(new_build, folder)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.get_by_test_id("update-notice")).to_be_visible(timeout=NOTICE_TIMEOUT)
    # a download the old worker answers (a ?v= address: it checks the content), still going
    page.evaluate("() => { fetch('./slow?v=0123456789ab').catch(() => {}); }")
    time.sleep(0.5)

    clicked = time.monotonic()
    with page.expect_event("load", timeout=NOTICE_TIMEOUT):
        page.get_by_test_id("update-switch").click()
        expect(page.get_by_test_id("update-notice")).to_contain_text(UPDATES["waiting"])
    assert time.monotonic() - clicked > SLOW - 1  # it waited for the old worker's download
    wait_ready(page)
    expect_new_build(page, new_build)


# The outcome of the worker an update check finds: "installed" (waiting), "redundant" (its
# install failed), "none" (no new worker) or "timeout" — never a hang of the test.
INSTALL_OUTCOME = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update().catch(() => {});
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return "none";
  const settled = new Promise((resolve) => {
    const check = () => worker.state !== "installing" && resolve(worker.state);
    worker.addEventListener("statechange", check);
    check();
  });
  const late = new Promise((resolve) => setTimeout(() => resolve("timeout"), 60000));
  return Promise.race([settled, late]);
}"""


def test_a_deploy_caught_half_way_installs_nothing_and_the_old_build_keeps_serving(old_site, new_build):
    folder, url, context = old_site
    page = open_controlled(context, url)
    deploy(new_build, folder)  # the new build's files, but its engine archive cut short
    (archive,) = (folder / "app").glob("engine-*.whl")
    assert archive.name not in {path.name for path in (DIST / "app").iterdir()}  # a new file
    for cut in (archive, *folder.glob(f"app/{archive.name}.*")):
        cut.write_bytes(cut.read_bytes()[:1000])
    assert page.evaluate(INSTALL_OUTCOME) == "redundant"
    expect(page.get_by_test_id("update-notice")).to_have_count(0)
    expect_old_build(page)
    context.set_offline(True)  # the old worker still holds the old build, whole
    page.reload()
    wait_ready(page)
    expect_old_build(page)
    context.set_offline(False)

    deploy(new_build, folder)  # the rest of the deploy: now it installs and is offered
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.get_by_test_id("update-notice")).to_be_visible(timeout=NOTICE_TIMEOUT)
    switch(page)
    expect_new_build(page, new_build)

def test_the_same_source_built_twice_is_the_same_build(tmp_path, site_url):
    again = build_copy(tmp_path / "again")
    assert precache(again) == precache(DIST)  # the same build id: a deploy causes no update
