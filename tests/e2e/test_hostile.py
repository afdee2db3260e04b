"""Hostile links and bad input in Chromium (the "hostile links and bad input" issue, page side).

- No code from data: links with script payloads in every text and number slot, in unknown
  keys and in the version and edition, and links of 100 kB, open no dialog, run no script,
  send no request anywhere, cause no CSP violation, and leave a page that still computes.
- Bad input typed into the form: an inline message from the catalog naming what is
  expected, the last valid result kept and marked stale, every other field untouched.
- Links of another version or edition say so; every kept version-1 link
  (tests/fixtures/links_v1.json) and 50 random valid links of the Python fuzzer's generator
  (tests/test_fuzz.py, fixed seed) give exactly the numbers of engine.compute in CPython.
- Python failing — a bug in a calculation, main.py failing, a runtime file missing or
  unreachable — is a sentence and a report to copy, never a blank page or a raw traceback.
- The Content-Security-Policy is the one of web/render.py, in every page and in README; the
  built pages hold no inline code; the site's JavaScript uses no HTML or code sink.

Most checks share one page (module fixture) and move between links by changing the URL
fragment (the page follows hashchange), which keeps the run short.
"""

import json
import math
import random
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

import engine
from engine import link
from engine.scenario import FIELDS, KIND
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CATALOG = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))
EXAMPLE = case("city_mid.v1")["scenario"]
FIXTURES = json.loads((ROOT / "tests" / "fixtures" / "links_v1.json").read_text("utf-8"))["links"]
LOAD_TIMEOUT = 90_000  # ms: a cold Pyodide start takes seconds, more on a busy machine
WAIT = 20_000  # ms for anything after that (the machine is shared)
LOCAL_SCHEMES = ("data:", "blob:")
FUZZ_SEED = 20261130
FUZZ_LINKS = 50


import test_fuzz as FUZZ  # noqa: E402 — its generators only (tests/ is on pytest's pythonpath)
from web import render as RENDER  # noqa: E402

# Every payload that would act if it were ever taken as markup or code: set window.__pwned,
# open a dialog, or load something from another origin.
PAYLOADS = [
    '<img src="https://evil.example/i.png" onerror="window.__pwned=1;alert(1)">',
    '"><script>window.__pwned=1;alert(1)</script>',
    "javascript:window.__pwned=1;alert(1)//",
    "'\"`<>&;--\\",
    "\u202eevil\u202c 12",
    '<svg onload="window.__pwned=1;alert(1)"></svg>',
    '</script><script src="https://evil.example/x.js"></script>',
    '<iframe src="javascript:parent.__pwned=1"></iframe>',
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=https://evil.example/y.css>",
    "${window.__pwned=1}{{constructor.constructor('window.__pwned=1')()}}",
    "$& $' $` {field} {problem} {value} {expected} {max}",
    '<a href="javascript:window.__pwned=1" id="evil">x</a>',
    "%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "data:text/html,<script>window.__pwned=1</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    "\u0000<b>nul</b>",
    "1<img src=x onerror=alert(1)>",
]
PAYLOAD_KEYS = ["<img src=x onerror=alert(1)>", "__proto__", "constructor", "toString",
                "hasOwnProperty", "p-vehicles", "f-name", "catalog", "\u202ekey", "a" * 300]

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  {directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample}));
"""

# location.hash = fragment; resolves once the page's own hashchange handler has run (it
# computes synchronously), or at once when the fragment is the one already shown.
NAVIGATE = """(fragment) => new Promise((resolve) => {
  const before = location.href;
  addEventListener("hashchange", () => setTimeout(resolve, 0), { once: true });
  location.hash = fragment;
  if (location.href === before) resolve();
})"""

READ = """() => {
  const value = (id) => document.querySelector(`[data-testid="${id}"]`).dataset.value;
  const cells = document.querySelectorAll('[data-testid^="value-"]');
  return {
    total: value("total"), exact: value("total-exact"), base: value("production-base"),
    functions: Object.fromEntries([...cells].map((c) => [c.dataset.testid.slice(6), c.dataset.value])),
    stale: document.getElementById("results").classList.contains("stale"),
    failed: !document.getElementById("engine-error").hidden,
    banner: document.getElementById("link-problems").hidden ? null
      : [...document.querySelectorAll("#link-problems li")].map((li) => li.textContent),
  };
}"""

# Anything markup or code from data would have left in the document.
INJECTED = """() => {
  const handlers = [...document.querySelectorAll("*")].filter(
    (e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on")));
  return {
    pwned: typeof window.__pwned,
    handlers: handlers.map((e) => e.outerHTML.slice(0, 120)),
    // the charts' own SVG (web/js/charts.js) changes with every result: not counted as foreign
    foreign: [...document.querySelectorAll("img, svg:not(.chart-image > svg), iframe, object, embed, base, a[href^=javascript], #evil, style, meta[http-equiv=refresh]")]
      .map((e) => e.outerHTML.slice(0, 120)),
    inline_scripts: [...document.scripts].filter((s) => !s.src && s.type !== "application/json").length,
  };
}"""


def echo(text, limit=80):
    """The page's echo of a link's own text: at most 80 characters (code points), then …"""
    return text if len(text) <= limit else text[:limit] + "…"


def problem_text(code, kind):
    """The inline message of a problem as the page words it (catalog, by code and kind)."""
    return CATALOG["problems"][code].replace("{expected}", CATALOG["expected"][kind])


def link_item(field, code, kind):
    text = problem_text(code, kind)
    label = CATALOG["fields"][field]["label"] if field in CATALOG["fields"] else field
    return CATALOG["link"]["item"].format(field=label, problem=text[0].lower() + text[1:])


class Session:
    """One page in its own browser context, recording dialogs, requests, CSP violations."""

    def __init__(self, browser, site_url):
        self.site_url = site_url
        self.dialogs, self.requests = [], []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.add_init_script(RECORD)
        self.page.on("dialog", self.dialog)
        self.page.on("request", lambda request: self.requests.append(request.url))

    def dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, fragment=""):
        self.page.goto(self.site_url + ("#" + fragment if fragment else ""))
        self.page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
        self.baseline = self.page.evaluate(INJECTED)  # the page's own elements, before any payload
        assert self.baseline["handlers"] == [] and self.baseline["inline_scripts"] == 0

    def navigate(self, fragment):
        self.page.evaluate(NAVIGATE, fragment)
        return self.page.evaluate(READ)

    def check_clean(self):
        """No dialog, no script run, nothing injected, no request elsewhere, no violation."""
        page = self.page
        assert self.dialogs == [], self.dialogs
        found = page.evaluate(INJECTED)
        assert found["pwned"] == "undefined"
        assert found["handlers"] == [], found["handlers"]
        assert found["foreign"] == self.baseline["foreign"], found["foreign"]
        assert found["inline_scripts"] == 0
        foreign = [url for url in self.requests
                   if not url.startswith(self.site_url) and not url.startswith(LOCAL_SCHEMES)]
        assert foreign == [], foreign
        assert not [url for url in self.requests if "evil" in url or url.endswith("/x")]
        assert page.evaluate("window.__csp") == []

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def session(browser, site_url):
    session = Session(browser, site_url)
    session.open(link.encode(EXAMPLE))
    yield session
    session.close()


@pytest.fixture
def shared(session):
    """The module's page, checked clean after each test that uses it."""
    yield session
    session.check_clean()


def expected_values(scenario):
    result = engine.compute(scenario)
    return result, {fn["id"]: fn["value"] for fn in result["functions"]}


# The engine adds with math.fsum (exactly rounded), so CPython 3.11, which runs this suite,
# and the page's Python 3.14 (whose sum() is compensated) agree to the last bit.
def same_float(shown, expected):
    return float(shown) == expected


def assert_exact(shown, scenario, fragment):
    """The page's numbers are engine.compute's in CPython: the total exactly, every float
    exactly (== after the text round trip)."""
    result, values = expected_values(scenario)
    assert int(shown["total"]) == result["total"]
    assert same_float(shown["exact"], result["total_exact"]), shown["exact"]
    assert same_float(shown["base"], result["production_base"])
    assert shown["functions"].keys() == values.keys()
    for fid, value in values.items():
        assert same_float(shown["functions"][fid], value), (fid, shown["functions"][fid], value)


# --- links with payloads ---------------------------------------------------------------------

def every_slot_links():
    """Links with a payload in every field: link k gives field i payload (i + k) mod n, so every
    field meets every payload; unknown keys carry payloads too. Each within engine.link's
    length limit, so that it is read (and its values reach the form)."""
    links = []
    for k in range(len(PAYLOADS)):
        pairs = [("v", "1"), ("ed", link.EDITION)]
        pairs += [(path, PAYLOADS[(i + k) % len(PAYLOADS)]) for i, (path, _) in enumerate(FIELDS)]
        pairs += [(key, PAYLOADS[(j + k) % len(PAYLOADS)]) for j, key in enumerate(PAYLOAD_KEYS)]
        text = urlencode(pairs, quote_via=quote)
        while len(text) > link.MAX_LINK:  # drop unknown keys until it fits
            pairs.pop()
            text = urlencode(pairs, quote_via=quote)
        links.append(text)
    return links


def test_links_with_payloads_in_every_slot_are_only_text(shared):
    page = shared.page
    links = every_slot_links()
    assert len(links) == len(PAYLOADS)
    for number, fragment in enumerate(links):
        shown = shared.navigate(fragment)
        # every number and flag refused, each named; the name (text) is taken as it is
        assert len(shown["banner"]) >= len(FIELDS) - 1, (fragment, shown["banner"])
        assert shown["stale"] and not shown["failed"]
        expect(page.locator('[name="name"]')).to_have_value(PAYLOADS[number])
        shared.check_clean()
    # and the page still works: a valid edit computes
    page.get_by_role("button", name=CATALOG["page"]["reset"]).click()
    page.fill('[name="vehicles"]', "3")
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute({"vehicles": 3})["total"]),
                                                      timeout=WAIT)
    assert not page.evaluate(READ)["stale"]


def test_payloads_in_version_edition_and_unknown_keys_are_echoed_as_text(shared):
    page = shared.page
    for payload in PAYLOADS:
        fragment = urlencode([("v", payload), ("ed", payload), (payload, payload), ("vehicles", "3")],
                             quote_via=quote)
        shown = shared.navigate(fragment)
        assert shown["banner"] == [  # each echo of the link's own text as text, cut at 80
            CATALOG["link"]["version"].format(value=echo(f"v={payload}")),
            CATALOG["link"]["edition"].format(value=echo(f"ed={payload}")),
            CATALOG["link"]["item"].format(field=echo(payload), problem=CATALOG["problems"]["unknown"]),
        ]
        assert shown["total"] == str(engine.compute({"vehicles": 3})["total"])  # the rest is read
        shared.check_clean()
    assert page.locator("#link-problems bdi").count() >= 3  # each echo isolated (bidi)


def test_links_of_100_kb_are_not_read_and_said(shared):
    page = shared.page
    for fragment in ("name=" + quote(PAYLOADS[0]) * 1200,
                     "v=1&ed=1-nt-2018&vehicles=" + "9" * 100_000,
                     "&".join(f"{quote(PAYLOADS[1])}{i}=1" for i in range(2000))):
        assert len(fragment) > 100_000 - 20_000
        shown = shared.navigate(fragment)
        assert shown["banner"] == [CATALOG["link"]["too_long"].format(max=link.MAX_LINK)]
        assert shown["total"] == "0" and not shown["stale"]  # the form opened empty
        expect(page.locator('[name="name"]')).to_have_value("")
        expect(page.locator('[name="vehicles"]')).to_have_value("")
        shared.check_clean()


def test_inserted_markup_is_refused_by_the_policy(shared):
    """A control: markup put into the page by script is stopped by the CSP (Trusted Types:
    no string reaches an HTML sink; no inline handler runs)."""
    page = shared.page
    refused = page.evaluate("""() => {
      const out = [];
      for (const attempt of [
        () => document.body.insertAdjacentHTML("beforeend", '<img src="x" onerror="window.__pwned=1">'),
        () => { document.getElementById("results-name").innerHTML = "<b>x</b>"; },
        () => document.body.setAttribute("onclick", "window.__pwned=1"),
      ]) {
        try { attempt(); out.push("allowed"); } catch (error) { out.push(error.name); }
      }
      return out;
    }""")
    assert refused == ["TypeError", "TypeError", "TypeError"], refused
    violations = page.evaluate("window.__csp.splice(0)")  # these were provoked: clear them
    assert {v["directive"] for v in violations} == {"require-trusted-types-for"}, violations
    assert page.evaluate("typeof window.__pwned") == "undefined"


# --- versions, editions, the kept v1 links, the fuzzer's valid links --------------------------

@pytest.mark.parametrize("fragment, code, value, version", [
    ("v=3&ed=1-nt-2018&vehicles=3", "version", "v=3", 2),  # no such version: read as the current
    ("v=1&ed=2030&vehicles=3", "edition", "ed=2030", 1),   # its own version, another edition
    ("v=0&ed=&vehicles=3", "both", None, 2),
])
def test_a_link_of_another_version_or_edition_says_it_cannot_be_migrated(shared, fragment, code, value, version):
    shown = shared.navigate(fragment)
    assert shown["total"] == str(engine.compute({"version": version, "vehicles": 3})["total"])
    expect(shared.page.locator('[name="vehicles"]')).to_have_value("3")
    if code == "both":
        assert shown["banner"] == [CATALOG["link"]["version"].format(value="v=0"),
                                   CATALOG["link"]["edition"].format(
                                       value="ed: " + CATALOG["link"]["missing"])]
    else:
        assert shown["banner"] == [CATALOG["link"][code].format(value=value)]


def test_bad_values_in_a_link_are_named_with_what_is_expected(shared):
    fragment = ("v=1&ed=1-nt-2018&bogus=1&vehicles=abc&households_city.two_tariff_share_pct=101"
                "&city_only=yes&cleaners=2&cleaners=3&it.servers=1.5")
    shown = shared.navigate(fragment)
    assert shown["banner"] == [
        CATALOG["link"]["item"].format(field="bogus", problem=CATALOG["problems"]["unknown"]),
        link_item("vehicles", "type", "count"),
        link_item("households_city.two_tariff_share_pct", "over_100", "percent"),
        link_item("city_only", "type", "flag"),
        CATALOG["link"]["item"].format(field=CATALOG["fields"]["cleaners"]["label"],
                                       problem=CATALOG["problems"]["duplicate"]),
        link_item("it.servers", "decimal_in_count", "count"),  # R26
    ]
    expect(shared.page.locator('[name="cleaners"]')).to_have_value("2")  # the first one wins


@pytest.mark.parametrize("case", FIXTURES, ids=[case["id"] for case in FIXTURES])
def test_kept_v1_links_open_with_their_recorded_numbers(shared, case):
    shown = shared.navigate(case["fragment"])
    assert shown["banner"] is None and not shown["stale"] and not shown["failed"]
    assert int(shown["total"]) == case["total"]
    assert math.isclose(float(shown["exact"]), case["total_exact"], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(float(shown["base"]), case["production_base"], rel_tol=1e-12, abs_tol=1e-9)
    for fid, value in case["functions"].items():
        assert math.isclose(float(shown["functions"][fid]), value, rel_tol=1e-12, abs_tol=1e-9), fid


def fuzzer_links():
    """The first FUZZ_LINKS distinct links of the fuzzer's valid scenarios, from a fixed seed."""
    r, links = random.Random(FUZZ_SEED), {}
    while len(links) < FUZZ_LINKS:
        links.setdefault(link.encode(FUZZ.valid_scenario(r)), None)
    return list(links)


def test_random_valid_links_give_exactly_the_cpython_numbers(shared):
    links = fuzzer_links()
    assert len(set(links)) == FUZZ_LINKS
    for fragment in links:
        scenario, problems = link.decode(fragment)
        assert problems == []
        shown = shared.navigate(fragment)
        assert shown["banner"] is None and not shown["stale"] and not shown["failed"], fragment
        assert_exact(shown, scenario, fragment)


# --- bad input typed into the form ------------------------------------------------------------

TYPED = [  # field, text, problem code
    ("vehicles", "abc", "type"),
    ("vehicles", "-5", "negative"),
    ("vehicles", "1.5", "decimal_in_count"),
    ("vehicles", "1e309", "not_finite"),
    ("it.servers", "1,000", "decimal_in_count"),
    ("households_city.two_tariff_share_pct", "101", "over_100"),
    ("households_city.two_tariff_share_pct", "-0,5", "negative"),
    ("cleaners", "1e309", "not_finite"),
    ("cleaners", "двa", "type"),
    ("contracts_thousand", "1e13", "too_large"),
]


def form_values(page):
    return page.eval_on_selector_all(
        "#scenario input[name]", "els => Object.fromEntries(els.map(e => [e.name, e.type === 'checkbox' ? e.checked : e.value]))")


def test_typed_bad_values_get_inline_messages_and_keep_the_last_result(shared):
    page = shared.page
    start = link.encode(EXAMPLE)
    shared.navigate(start)
    total = str(engine.compute(EXAMPLE)["total"])
    expect(page.get_by_test_id("total")).to_have_text(total)
    before = form_values(page)
    for field, text, code in TYPED:
        page.fill(f'[name="{field}"]', text)
        note = page.locator(f'[id="p-{field}"]')
        expect(note).to_have_text(problem_text(code, KIND[field]), timeout=WAIT)
        expect(page.locator(f'[name="{field}"]')).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#results")).to_have_class(re.compile(r"\bstale\b"))
        expect(page.get_by_test_id("total")).to_have_text(total)  # the last valid result stays
        expect(page.locator(".stale-note")).to_be_visible()
        now = form_values(page)
        assert {k: v for k, v in now.items() if k != field} == {k: v for k, v in before.items() if k != field}
        # the link holds what was typed, the bad text included (issue 11.6)
        typed = dict(parse_qsl(urlsplit(page.url).fragment, keep_blank_values=True))
        assert typed == {**dict(parse_qsl(start)), field: text}
        page.fill(f'[name="{field}"]', before[field])
        expect(note).to_be_hidden(timeout=WAIT)
        expect(page.locator("#results")).not_to_have_class(re.compile(r"\bstale\b"))

    # several at once: each says its own, the rest of the form is untouched
    bad = {"vehicles": ("-5", "negative"), "households_city.two_tariff_share_pct": ("101", "over_100"),
           "cleaners": ("1e309", "not_finite"), "it.servers": ("1.5", "decimal_in_count"),
           "households_rural.district_centre_multi_storey": ("5", "exceeds")}
    for field, (text, _) in bad.items():
        page.fill(f'[name="{field}"]', text)
    for field, (_, code) in bad.items():
        expect(page.locator(f'[id="p-{field}"]')).to_have_text(problem_text(code, KIND[field]))
    now = form_values(page)
    assert {k: v for k, v in now.items() if k not in bad} == {k: v for k, v in before.items() if k not in bad}
    expect(page.get_by_test_id("total")).to_have_text(total)
    for field in bad:
        page.fill(f'[name="{field}"]', before[field])
    expect(page.locator("#results")).not_to_have_class(re.compile(r"\bstale\b"), timeout=WAIT)
    # the link settles to the scenario's own (the typed text's link, in the form's order, is
    # written at once; the engine's, in the link's order, a task after the result)
    page.wait_for_function("(expected) => location.hash === expected", arg="#" + start, timeout=WAIT)


# --- Python failing ---------------------------------------------------------------------------

BUG = """

import engine as _engine  # appended by tests/e2e/test_hostile.py: a bug on vehicles == 666
_compute = _engine.compute
def _buggy(scenario, **options):
    if scenario.get("vehicles") == 666:
        raise ZeroDivisionError("injected by the test")
    return _compute(scenario, **options)
_engine.compute = _buggy
"""


def report_text(page):
    return page.locator("#engine-error-report").input_value()


def check_report(page, site_url, *parts):
    report = report_text(page)
    build = page.get_attribute('meta[name="kea-build"]', "content")
    user_agent = page.evaluate("navigator.userAgent")
    for part in (site_url, user_agent, f"Build: {build}", *parts):
        assert part in report, (part, report)
    assert re.fullmatch(r"[0-9a-f]{12}", build)
    # no raw traceback in the layout: only inside the (closed) report
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.locator(".py-error").count() == 0


def test_a_bug_in_a_calculation_is_reported_and_the_form_keeps_working(new_page, site_url):
    page = new_page()

    def buggy(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + BUG)

    page.route("**/main.py*", buggy)
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    total = str(engine.compute(EXAMPLE)["total"])
    expect(page.get_by_test_id("total")).to_have_text(total)
    expect(page.locator("#engine-error")).to_be_hidden()

    page.fill('[name="vehicles"]', "666")
    panel = page.locator("#engine-error")
    expect(panel).to_be_visible(timeout=WAIT)
    expect(page.locator("#engine-error-text")).to_have_text(CATALOG["errors"]["calculate_failed"])
    expect(page.locator("#results")).to_have_class(re.compile(r"\bfailed\b"))
    expect(page.get_by_test_id("total")).to_have_text(total)  # the last result stays
    check_report(page, site_url, "ZeroDivisionError", "injected by the test", "Traceback", "_buggy")
    expect(page.locator('[name="vehicles"]')).to_have_value("666")
    expect(page.locator('[name="households_city.multi_storey"]')).to_have_value("30000")

    panel.locator("summary").click()
    page.locator("#engine-error-copy").click()
    expect(page.locator("#engine-error-status")).to_have_text(CATALOG["errors"]["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == report_text(page)

    page.fill('[name="vehicles"]', "7")  # the form keeps working
    expect(panel).to_be_hidden(timeout=WAIT)
    expect(page.get_by_test_id("total")).to_have_text(
        str(engine.compute({**EXAMPLE, "vehicles": 7})["total"]))

    # an exception on the JavaScript side of the call is caught the same way
    page.evaluate("""() => { window.__calculate = window.keaEngine.calculate;
                     window.keaEngine.calculate = () => { throw new TypeError("boom from the test"); }; }""")
    page.fill('[name="vehicles"]', "8")
    expect(panel).to_be_visible(timeout=WAIT)
    check_report(page, site_url, "TypeError", "boom from the test")
    page.evaluate("() => { window.keaEngine.calculate = window.__calculate; }")
    page.fill('[name="vehicles"]', "9")
    expect(panel).to_be_hidden(timeout=WAIT)


def _fulfill_404(route):
    route.fulfill(status=404, body="not here")


STARTUP_FAILURES = {  # what fails → (URL pattern, route handler, text the report must hold)
    "main.py raises": ("**/main.py*", lambda route: route.fulfill(
        body="raise RuntimeError('broken on purpose')"), "RuntimeError: broken on purpose"),
    "main.py missing": ("**/main.py*", _fulfill_404, "404"),
    "runtime wasm missing": ("**/pyodide.asm.wasm*", _fulfill_404, "HTTP 404"),
    "runtime wasm unreachable": ("**/pyodide.asm.wasm*", lambda route: route.abort(), "pyodide.asm.wasm"),
    "engine wheel missing": ("**/app/*.whl.gz", _fulfill_404, "HTTP 404"),
    "PyScript missing": ("**/pyscript/core.js", _fulfill_404, "core.js"),
}


@pytest.mark.parametrize("what", list(STARTUP_FAILURES))
def test_python_failing_to_start_is_said_with_a_report(new_page, site_url, what):
    pattern, handler, expected = STARTUP_FAILURES[what]
    page = new_page()
    page.add_init_script(RECORD)
    page.route(pattern, handler)
    page.goto(site_url + "#v=1&ed=1-nt-2018&vehicles=3")
    expect(page.locator("#engine-error")).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(page.locator("#engine-error-text")).to_have_text(CATALOG["errors"]["load_failed"])
    expect(page.locator("#loading-text")).to_have_text(CATALOG["page"]["load_failed"])
    check_report(page, site_url, expected, "Python ready: no")
    assert page.get_by_test_id("ready").count() == 0
    # the form keeps its values and takes input
    expect(page.locator('[name="vehicles"]')).to_have_value("3")
    page.fill('[name="cleaners"]', "2")
    expect(page.locator('[name="cleaners"]')).to_have_value("2")
    expect(page.locator('[name="vehicles"]')).to_have_value("3")
    assert page.evaluate("window.__csp") == []


# --- the policy and the code, read without a browser ------------------------------------------

def built_pages():
    pages = sorted(DIST.glob("*.html"))
    assert pages, "dist/ is not built"
    return pages


def test_every_page_carries_the_policy_of_render_py_and_readme(site_url):
    policy = RENDER.CONTENT_SECURITY_POLICY
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy.replace(chr(39), "&#x27;")}">'
    for path in built_pages():
        text = path.read_text("utf-8")
        assert text.count(meta) == 1, path.name
        head = text[:text.index("</head>")]
        first = min(head.index(tag) for tag in ("<script", "<link") if tag in head)
        assert head.index(meta) < first, f"{path.name}: the policy must precede every load"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert policy in readme, "README's Content-Security-Policy differs from web/render.py's"
    for directive in ("'unsafe-inline'", "'unsafe-eval'"):
        assert directive not in policy


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_built_pages_hold_no_inline_code(site_url):
    for path in built_pages():
        text = path.read_text("utf-8")
        assert not INLINE_HANDLER.search(text), path.name
        assert not re.search(r"<[^>]*\sstyle\s*=", text), f"{path.name}: inline style"
        assert "javascript:" not in text.lower(), path.name
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert " src=" in tag or 'type="application/json"' in tag, f"{path.name}: inline {tag}"


SINKS = re.compile(r"\.innerHTML|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\s*\("
                   r"|new Function|setAttribute\(\s*[\"']on|\.srcdoc|createContextualFragment")


def test_site_code_feeds_no_html_or_code_sink():
    paths = sorted([*(ROOT / "web").glob("*.js"), *(ROOT / "web").glob("*.mjs"), *(ROOT / "web" / "js").rglob("*.js")])
    assert any(path.parent.name == "js" for path in paths), "web/js/ holds no module"
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip().startswith("//"):
                continue
            assert not SINKS.search(line), f"{path.name}:{number}: {line.strip()}"


def leaves_replaced(value, payload, skip=("lang", "locale")):
    if isinstance(value, dict):
        return {k: v if k in skip else leaves_replaced(v, payload, ()) for k, v in value.items()}
    return payload + value if isinstance(value, str) else value


def test_the_renderer_escapes_every_catalog_text():
    payload = '<img src=x onerror="alert(1)">"\'&</script><!--'
    catalog = leaves_replaced(CATALOG, payload)
    template = (ROOT / "web" / "index.html").read_text("utf-8")
    assets = {name: f"./{name}" for name in re.findall(r"\{\{asset:([^}]+)\}\}", template)}
    page = RENDER.render_page(catalog, assets, {"interpreter": "./pyodide/pyodide.mjs"})
    assert "<img" not in page and "onerror=\"" not in page
    script = re.search(r'<script type="application/json" id="catalog">(.*?)</script>', page, re.S)[1]
    assert "<" not in script
    assert json.loads(script) == catalog
