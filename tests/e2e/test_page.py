"""The web calculator in Chromium: the page contract (README "The page"), against the
shared worked example and against engine.compute in CPython."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

import engine
from engine import link
from engine.readings import VARIANTS
from engine.scenario import FIELDS, KIND

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # screenshots, gitignored
WORKED = json.loads((ROOT / "tests" / "cases" / "city_mid.v1.json").read_text("utf-8"))
EXAMPLE = WORKED["scenario"]  # the worked example (version 1) and its hand-computed result
# typed into the form it is a current-edition (version 2) scenario: the v2 worked example
TYPED = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))
EXPECTED = {**TYPED["expected"], "warnings_for": sorted(TYPED["expected"]["warnings"])}
CATALOG = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))
LOAD_TIMEOUT = 90_000  # ms; a cold Pyodide start takes seconds, more on a busy machine

# A second scenario touching every kind of field and the clauses the example leaves at 0.
RURAL = {
    "name": "Сельская ЭСО <b>«Юг»</b> & Co",
    "households_city": {"two_tariff_share_pct": 35.5},
    "households_rural": {"households": 52000, "area_km2": 38000.5, "district_centre_multi_storey": 9000},
    "non_industrial_rural": {"consumers": 1300, "meters": 2500},
    "industrial_upto_750": {"consumers": 400, "meters": 1500},
    "agricultural": {"consumers": 300, "meters": 1200},
    "own_delivery": True,
    "contracts_thousand": 130.5,
    "rural_network_districts": 6,
    "imports_electricity": True,
    "guaranteed_supplier": True,
    "ats_numbers": 60,
    "it": {"servers": 2, "network_users": 40, "round_the_clock_workplaces": 1},
    "sales_sites": 14,
    "vehicles": 29,
    "guard_posts": {"h12": 2, "h8": 1},
    "cleaners": 3.5,
    "metering_staff": 4,
}


def problem_text(code, kind):
    """The inline message of a problem, as the page words it: the catalog's text for the
    code, naming what a field of this kind expects."""
    return CATALOG["problems"][code].replace("{expected}", CATALOG["expected"][kind])


def wait_ready(page):
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)


def shown(value):
    """A value below 10 000 as the Russian page shows it: two decimals, decimal comma;
    rounded half up from its shortest decimal form, as Intl.NumberFormat does (3.025 → 3,03)."""
    decimal = Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(decimal).replace(".", ",")


def value_of(page, testid):
    return float(page.get_attribute(f'[data-testid="{testid}"]', "data-value"))


def fill(page, scenario):
    flat = {path: value for path, value in engine.scenario.normalize(scenario).items()
            if path in KIND and value != engine.scenario.DEFAULTS[KIND[path]]}  # typed: not the version
    for path, value in flat.items():
        field = page.locator(f'[name="{path}"]')
        if KIND[path] == "flag":
            field.check()
        else:
            field.fill(str(value))


def fragment(page):
    return urlsplit(page.url).fragment


def check_result(page, expected):
    """Every number of the page against a result of engine.compute."""
    expect(page.get_by_test_id("total")).to_have_text(str(expected["total"]))
    assert value_of(page, "total-exact") == pytest.approx(expected["total_exact"], abs=1e-9)
    for fn in expected["functions"]:
        cell = page.get_by_test_id(f"value-{fn['id']}")
        expect(cell).to_have_text(shown(fn["value"]))
        assert float(cell.get_attribute("data-value")) == pytest.approx(fn["value"], abs=1e-9)
        warned = [w["message"] for w in expected["warnings"] if w["id"] == fn["id"]]
        row_warnings = page.locator("tr", has=cell).locator(".warnings li")
        expect(row_warnings).to_have_count(len(warned))


def test_worked_example_typed_into_the_form(new_page, site_url, requests_seen):
    page = new_page()
    page.goto(site_url)
    wait_ready(page)
    fill(page, TYPED["scenario"])
    expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    assert value_of(page, "total-exact") == pytest.approx(EXPECTED["total_exact"], abs=1e-6)
    assert value_of(page, "production-base") == pytest.approx(EXPECTED["production_base"], abs=1e-6)
    for fid, value in EXPECTED["functions"].items():
        assert value_of(page, f"value-{fid}") == pytest.approx(value, abs=1e-6), fid
        expect(page.get_by_test_id(f"value-{fid}")).to_have_text(shown(value))
    warned = page.locator("tr:has(.warnings li) [data-testid^=value-]")
    assert sorted(c.get_attribute("data-testid")[6:] for c in warned.all()) == EXPECTED["warnings_for"]
    assert fragment(page) == link.encode(TYPED["scenario"])
    page.locator("#function-rows details").first.click()  # a trace, open in the screenshot
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "city_mid.png", full_page=True)
    # this origin only (blob:: Pyodide's module, imported from the bytes of its gzip copy)
    assert requests_seen and all(url.startswith((site_url, "blob:")) for url in requests_seen)


def test_shared_link_gives_the_cpython_result(new_page, site_url):
    page = new_page()
    page.goto(site_url + "#" + link.encode(RURAL))
    wait_ready(page)
    check_result(page, engine.compute(RURAL))
    expect(page.locator('[name="households_rural.area_km2"]')).to_have_value("38000.5")
    expect(page.locator('[name="own_delivery"]')).to_be_checked()
    expect(page.locator('[name="city_only"]')).not_to_be_checked()
    expect(page.locator('[name="name"]')).to_have_value(RURAL["name"])
    expect(page.locator("#results-name")).to_have_text(RURAL["name"])  # as text, not markup
    assert page.locator("#results-name b").count() == 0
    assert fragment(page) == link.encode(RURAL)


def test_edit_recomputes_and_rewrites_the_link(new_page, site_url):
    page = new_page()
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    wait_ready(page)
    edited = {**EXAMPLE, "vehicles": 13}
    page.fill('[name="vehicles"]', "13")
    check_result(page, engine.compute(edited))
    assert fragment(page) == link.encode(edited)

    page.fill('[name="vehicles"]', "1.5")  # invalid: stale result, inline problem,
    problem = page.locator('[id="p-vehicles"]')  # and the link holds what was typed
    expect(problem).to_be_visible()
    expect(problem).to_have_text(problem_text("decimal_in_count", "count"))  # R26
    expect(page.locator("#results")).to_have_class(re.compile(r"\bstale\b"))
    expect(page.get_by_test_id("value-3.3.drivers")).to_have_text(shown(13))
    typed = dict(parse_qsl(fragment(page)))
    assert typed == {**dict(parse_qsl(link.encode(edited))), "vehicles": "1.5"}
    expect(page.locator('[name="vehicles"]')).to_have_value("1.5")

    page.fill('[name="vehicles"]', "7")
    expect(problem).to_be_hidden()
    expect(page.locator("#results")).not_to_have_class(re.compile(r"\bstale\b"))
    check_result(page, engine.compute({**EXAMPLE, "vehicles": 7}))


def test_copy_link_and_reset(new_page, site_url):
    page = new_page()
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    wait_ready(page)
    page.get_by_role("button", name=CATALOG["page"]["copy_link"]).click()
    expect(page.locator("#action-status")).to_have_text(CATALOG["page"]["link_copied"])
    copied = page.evaluate("navigator.clipboard.readText()")
    assert urlsplit(copied).fragment == link.encode(EXAMPLE)

    page.get_by_role("button", name=CATALOG["page"]["reset"]).click()
    expect(page.get_by_test_id("total")).to_have_text("0")
    assert fragment(page) == link.encode({})
    for path, kind in FIELDS:
        field = page.locator(f'[name="{path}"]')
        if kind == "flag":
            expect(field).not_to_be_checked()
        else:
            expect(field).to_have_value("")


def test_inputs_typed_before_python_is_ready_are_kept(new_page, site_url):
    page = new_page()
    held = []
    page.route("**/pyodide.asm.wasm*", lambda route: held.append(route))  # hold Python back
    page.goto(site_url)
    typed = {"households_city": {"multi_storey": 12000}, "vehicles": 3, "has_copiers": True}
    fill(page, typed)
    expect(page.locator("#loading")).to_be_visible()
    for _ in range(600):  # up to 30 s for PyScript to ask for the interpreter
        if held:
            break
        page.wait_for_timeout(50)
    assert held and page.get_by_test_id("ready").count() == 0
    held[0].continue_()
    wait_ready(page)
    expect(page.locator('[name="vehicles"]')).to_have_value("3")
    expect(page.locator("#loading")).to_be_hidden()
    check_result(page, engine.compute(typed))
    assert fragment(page) == link.encode(typed)


# Before any page script: window.calculateCalls counts the calls of Python's calculate
# (window.keaEngine, which web/main.py sets).
COUNT_CALCULATE_JS = """(() => {
  let engine;
  Object.defineProperty(window, "keaEngine", { configurable: true, get: () => engine, set(value) {
    const calculate = value.calculate;
    window.calculateCalls = 0;
    value.calculate = (json) => { window.calculateCalls += 1; return calculate(json); };
    engine = value;
  } });
})()"""
# The count once it has reached `count` (and 0.5 s more for any call too many), or after 5 s.
CALLS_AFTER = """(count) => new Promise((resolve) => {
  const settle = () => setTimeout(() => resolve(window.calculateCalls), 500);
  const deadline = performance.now() + 5000;
  const check = () => (window.calculateCalls >= count || performance.now() > deadline ? settle() : setTimeout(check, 20));
  check();
})"""
WARM_UP_CALLS = 8  # web/js/page.js


def test_python_is_warmed_up_once_ready_and_an_edit_meanwhile_is_shown_as_typed(new_page, site_url):
    page = new_page()
    page.add_init_script(COUNT_CALCULATE_JS)
    page.goto(site_url)
    wait_ready(page)
    typed = {"vehicles": 3}
    fill(page, typed)  # while the warm-up runs
    # the first result, the edit and the warm-up's calls, and no more
    assert page.evaluate(CALLS_AFTER, 2 + WARM_UP_CALLS) == 2 + WARM_UP_CALLS
    check_result(page, engine.compute(typed))
    assert fragment(page) == link.encode(typed)


# Before any page script: each change of <html class="first-frame"> (web/boot.js), timed,
# and the time of the first animation frame (this callback is asked for before boot.js's).
FIRST_FRAME_JS = """window.firstFrame = [];
new MutationObserver(() => window.firstFrame.push(
  [performance.now(), document.documentElement.classList.contains("first-frame")]))
  .observe(document, { subtree: true, attributes: true, attributeFilter: ["class"] });
requestAnimationFrame(() => { window.firstAnimationFrame = performance.now(); });"""
# what the second frame draws (the content of elements with content-visibility: hidden)
STAGED = ".scenario > fieldset:nth-of-type(n+4) > legend, .footer > p"
FIRST = ".masthead h1, .scenario > fieldset:nth-of-type(-n+3) > legend, #results-heading"  # and the first


def visible(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map((e) => e.checkVisibility())")


def test_the_first_frame_draws_the_first_screen_and_the_next_the_rest(new_page, site_url):
    page = new_page()
    page.add_init_script(FIRST_FRAME_JS)
    page.goto(site_url)
    wait_ready(page)
    classes = page.evaluate("window.firstFrame")  # every change of the class attribute
    changes = [change for i, change in enumerate(classes) if i == 0 or change[1] != classes[i - 1][1]]
    assert [staged for _, staged in changes] == [True, False]
    assert changes[1][0] > page.evaluate("window.firstAnimationFrame")  # the rest after it
    fieldsets = page.locator(".scenario > fieldset").count()
    assert visible(page, STAGED) == [True] * (fieldsets - 3 + page.locator(".footer > p").count())
    page.locator('[name="vehicles"]').fill("3")  # in the 11th fieldset: usable
    expect(page.get_by_test_id("value-3.3.drivers")).to_have_text("3,00")  # 1 per vehicle (R16)
    # what the first frame leaves out, and what it draws
    page.evaluate("document.documentElement.classList.add('first-frame')")
    assert not any(visible(page, STAGED)) and all(visible(page, FIRST))


LAYOUT_SHIFTS_JS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    const sources = entry.sources.map((source) => source.node?.id || source.node?.className || "?");
    window.layoutShifts.push({ at: Math.round(entry.startTime), value: entry.value, sources });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("width, height", [(1400, 1000), (390, 844)])
def test_loading_and_the_first_result_move_nothing_on_screen(new_page, site_url, width, height):
    # The visitor may be typing while Python loads: the loading note leaves the page's flow,
    # the results keep the summary's place, the staged fieldsets are not boxes yet.
    page = new_page(width=width, height=height)
    page.add_init_script(LAYOUT_SHIFTS_JS)
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    expect(page.locator("#loading")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("—")
    wait_ready(page)
    expect(page.locator("#loading")).to_be_hidden()
    page.wait_for_timeout(500)  # what follows the result (comparison, charts) is drawn too
    shifts = page.evaluate("window.layoutShifts")
    # "good" is < 0.1; the old layout shifted 0.72 and 0.097. Now ≈ 0.005 (the summary, 8 px
    # as the result fills it in), and once, under the full suite's load, the loading note
    # itself 0.017 (not reproduced since; docs/PERFORMANCE.md): hence not < 0.02
    assert sum(shift["value"] for shift in shifts) < 0.05, shifts


def test_bad_link_reports_problems_and_keeps_the_rest(new_page, site_url):
    page = new_page()
    page.goto(site_url + "#v=1&ed=1-nt-2018&bogus=1&vehicles=abc&city_only=yes&cleaners=2")
    wait_ready(page)
    banner = page.locator("#link-problems")
    expect(banner).to_be_visible()
    expect(banner.locator("li")).to_have_count(3)  # bogus, vehicles (also inline), city_only
    expect(banner).to_contain_text("bogus")
    expect(page.locator('[id="p-vehicles"]')).to_have_text(problem_text("type", "count"))
    expect(page.locator('[name="cleaners"]')).to_have_value("2")
    expect(page.locator("#results")).to_have_class(re.compile(r"\bstale\b"))


def test_phone_layout(new_page, site_url):
    page = new_page(width=390, height=844)
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    wait_ready(page)
    expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone.png", full_page=True)


def test_every_field_has_its_input(new_page, site_url):
    page = new_page()
    page.goto(site_url)
    # the scenario's version and readings are hidden inputs set by the page's own controls
    hidden = page.eval_on_selector_all("#scenario input[type=hidden]", "els => els.map(e => e.name)")
    assert hidden == ["v", *(f"readings.{ruling}" for ruling in VARIANTS)]
    names = page.eval_on_selector_all("#scenario input[name]:not([type=hidden])", "els => els.map(e => e.name)")
    # after the scenario's sections, the page settings' actual headcount per group (engine.link)
    assert names[-len(link.ACTUAL):] == list(link.ACTUAL)
    names = names[:-len(link.ACTUAL)]
    # the sections follow the document, and so does SCENARIO.md's field order
    assert names == [path for path, _ in FIELDS]


def test_a_python_failure_is_said_not_hidden(new_page, site_url):
    page = new_page()
    page.route("**/main.py*", lambda route: route.fulfill(body="raise RuntimeError('broken')"))
    page.goto(site_url)
    expect(page.locator("#loading-text")).to_have_text(CATALOG["page"]["load_failed"],
                                                       timeout=LOAD_TIMEOUT)
    assert page.get_by_test_id("ready").count() == 0
