"""The calculator in an iframe of another site (issue 11.2): the host page on
http://localhost:A, the calculator on http://127.0.0.1:B — another host name, so a
cross-site frame with partitioned or blocked storage — in a private window, a normal
profile and a profile that blocks cookies. It computes, sizes its iframe through
web/embed.js (one scroll bar), keeps short hints, and its "open the full version" link
carries the scenario. The README's own snippet, read from the README word for word, works
on another site's page too."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import engine
from engine import link
from golden_cases import case

PROFILES = ("private", "normal", "cookies-blocked")  # conftest.new_page(profile=…)

EXAMPLE = case("city_mid.v1")["scenario"]
LOAD_TIMEOUT = 120_000  # ms: a cold start in a busy machine, from the network (no snapshot)


@pytest.fixture
def allowed_origins(host_url):
    return [host_url.rsplit("/", 1)[0] + "/"]


def calculator(page):
    frame = page.frame_locator("#kea")
    frame.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    return frame, next(f for f in page.frames if f.url.startswith("http://127.0.0.1"))


@pytest.mark.parametrize("profile", PROFILES)
def test_a_cross_site_iframe_computes_and_fits_its_content(new_page, host_url, site_url, profile):
    page = new_page(1200, 900, profile=profile, snapshot=True)  # all of a first visit
    errors, vendored = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: "/vendor/" in request.url and vendored.append(request.url))
    page.goto(host_url + "#" + link.encode(EXAMPLE))
    assert urlsplit(page.url).hostname == "localhost" and urlsplit(site_url).hostname == "127.0.0.1"
    frame, inner = calculator(page)
    expect(frame.get_by_test_id("total")).to_have_text(str(engine.compute(EXAMPLE)["total"]))
    if profile == "cookies-blocked":  # the profile really denies storage to the frame
        assert inner.evaluate("(() => { try { localStorage.length; return false } catch { return true } })()")
    # where the frame has no IndexedDB (third-party storage blocked: also Chromium's default
    # now, private or not), the in-memory one is one download (web/build/runtime.py)
    memory = inner.evaluate("indexedDB.constructor.name") != "IDBFactory"
    assert memory or profile != "cookies-blocked"
    assert vendored == ([f"{site_url}vendor/fake-indexeddb.js"] if memory else [])
    expect(frame.get_by_test_id("load-error")).to_be_hidden()
    expect(frame.locator("#engine-error")).to_be_hidden()
    assert errors == []

    # one scroll bar: the iframe is as tall as the calculator, which has nothing to scroll
    def fits():
        inside = inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        outside = page.evaluate("document.getElementById('kea').getBoundingClientRect().height")
        overflow = inner.evaluate("document.documentElement.scrollHeight - innerHeight")
        return inside, outside, overflow
    page.wait_for_function("document.getElementById('kea').style.height !== '600px'", timeout=10_000)
    inside, outside, overflow = fits()
    assert abs(inside - outside) <= 1 and overflow <= 1, (inside, outside, overflow)
    assert outside > 900  # taller than the default the host gave it

    # it follows the content: an edit that adds rows of warnings grows it, removing shrinks it
    frame.locator('[name="vehicles"]').fill("abc")
    expect(frame.locator('[id="p-vehicles"]')).to_be_visible()
    page.wait_for_function(f"document.getElementById('kea').getBoundingClientRect().height > {outside}",
                           timeout=10_000)
    frame.locator('[name="vehicles"]').fill("6")
    page.wait_for_function(f"Math.abs(document.getElementById('kea').getBoundingClientRect().height - {outside}) <= 1",
                           timeout=10_000)


def test_the_compact_mode_keeps_short_hints_and_links_the_full_version(new_page, host_url):
    page = new_page(1200, 900)
    page.goto(host_url + "#" + link.encode(EXAMPLE))
    frame, inner = calculator(page)
    hint = frame.locator('[id="h-vehicles"]')
    expect(hint).to_be_visible()
    assert inner.evaluate("""() => { const hint = document.getElementById("h-vehicles");
        const line = parseFloat(getComputedStyle(hint).lineHeight) || 20;
        return hint.getBoundingClientRect().height <= line * 1.5; }""")  # one line

    frame.locator('[name="vehicles"]').fill("13")
    expect(frame.get_by_test_id("value-3.3.drivers")).to_have_text("13,00")
    full = frame.locator("#open-full")
    expect(full).to_have_attribute("target", "_blank")
    href = full.get_attribute("href")
    assert "embed" not in urlsplit(href).query
    assert urlsplit(href).fragment == link.encode({**EXAMPLE, "vehicles": 13})
    with page.context.expect_page() as opened:
        full.click()
    tab = opened.value
    tab.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(tab.locator('[name="vehicles"]')).to_have_value("13")
    expect(tab.get_by_test_id("total")).to_have_text(str(engine.compute({**EXAMPLE, "vehicles": 13})["total"]))


def test_embed_js_ignores_messages_of_other_windows(new_page, host_url):
    page = new_page(1200, 900)
    page.goto(host_url + "#" + link.encode(EXAMPLE))
    frame, inner = calculator(page)
    # the height once all of the first result is shown (the charts come in a task after the
    # number: web/js/later.js), so that nothing else moves it
    frame.locator("#chart-functions .chart-image svg").wait_for(state="attached")
    inside = inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    page.wait_for_function(f"document.getElementById('kea').style.height === '{inside}px'", timeout=10_000)
    before = page.evaluate("document.getElementById('kea').style.height")
    # the host page itself (not the iframe's window) posting a height changes nothing
    page.evaluate("postMessage({type: 'kea-1nt:height', height: 5}, '*')")
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementById('kea').style.height") == before


def test_the_readme_snippet_as_it_is_works_on_another_site(new_page, host_url, site_url):
    """The snippet of the README copied into another site's page (its Kazakh compact page,
    `async` embed.js): it computes and embed.js sizes the iframe to the calculator."""
    page = new_page(1200, 900)
    page.goto(host_url.replace("/host.html", "/readme.html"))
    frame = page.frame_locator("iframe")
    frame.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    inner = next(f for f in page.frames if f.url.startswith(site_url))
    assert urlsplit(inner.url).path.endswith("/kk.html") and "embed=1" in inner.url
    assert inner.evaluate("document.documentElement.lang") == "kk"
    expect(frame.get_by_test_id("total")).to_have_text("0")  # the snippet's empty form
    frame.locator('[name="vehicles"]').fill("6")
    expect(frame.get_by_test_id("total")).not_to_have_text("0")
    assert float(frame.get_by_test_id("value-3.3.drivers").get_attribute("data-value")) == 6
    # embed.js took the height the calculator posted: not the snippet's 900px any more
    page.wait_for_function("document.querySelector('iframe').style.height !== '900px'", timeout=10_000)
    inside = inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    outside = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert abs(inside - outside) <= 1, (inside, outside)
