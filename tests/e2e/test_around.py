"""What users expect around the number: the page in Kazakh and English, the downloads and
the print view, the calculator embedded in another site's iframe, actual vs normative
headcount, the links from trace lines to the methodology, keyboard use and axe-core."""

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

import engine
from engine import analysis, export, link
from engine.trace import texts
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EXAMPLE = case("city_mid.v1")["scenario"]
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
ACTUAL = {"workers": 40, "production_specialists": 22.5, "management": 10}
LOAD_TIMEOUT = 90_000  # ms; a cold Pyodide start takes seconds, more on a busy machine
PAGES = {"ru": "", "kk": "kk.html", "en": "en.html"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # package.json devDependency, not in dist/


def wait_ready(page_or_frame):
    page_or_frame.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)


def fragment(page):
    return urlsplit(page.url).fragment


def open_page(new_page, site_url, lang="ru", scenario=EXAMPLE, page_settings=None, query=""):
    page = new_page()
    page.goto(f"{site_url}{PAGES[lang]}{query}#{link.encode(scenario, page_settings)}")
    wait_ready(page)
    return page


# --- Languages ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, value, big", [
    ("kk", "24,07", "3\u202f000,00"),
    ("en", "24.07", "3,000.00"),
])
def test_page_in_kazakh_and_english(new_page, site_url, lang, value, big):
    catalog = CATALOGS[lang]
    page = open_page(new_page, site_url, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    expect(page.get_by_test_id("total")).to_have_text("73")
    expect(page.get_by_test_id("value-3.1.1")).to_have_text(value)
    expect(page.locator("h1")).to_have_text(catalog["page"]["heading"])
    expect(page.get_by_label(catalog["fields"]["vehicles"]["label"])).to_have_value("6")
    row = page.locator("tr", has=page.get_by_test_id("value-3.1.1"))
    expect(row.locator(".title")).to_have_text(engine.compute(EXAMPLE)["functions"][0]["title"])
    expect(row.locator(".gloss")).to_have_text(catalog["functions"]["3.1.1"])
    expect(page.locator(".language-note")).to_have_text(catalog["results"]["language_note"])
    assert dict(parse_qsl(fragment(page)))["lang"] == lang  # the link keeps the language
    assert fragment(page) == link.encode(EXAMPLE, {"lang": lang})

    page.fill('[name="households_city.multi_storey"]', "5 000 000")  # 3.1.1 = 3000 people
    page.fill('[name="households_city.individual"]', "")
    page.fill('[name="households_city.two_tariff_share_pct"]', "")
    expect(page.get_by_test_id("value-3.1.1")).to_have_text(big)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"page-{lang}.png")


def test_language_switch_carries_the_scenario(new_page, site_url):
    settings = {"actual": ACTUAL}
    page = open_page(new_page, site_url, "ru", page_settings=settings)
    assert fragment(page) == link.encode(EXAMPLE, settings)  # Russian is the default: no lang=
    nav = page.get_by_role("navigation", name=CATALOGS["ru"]["page"]["languages_label"])
    expect(nav.locator('[aria-current="page"]')).to_have_text("Русский")
    nav.get_by_role("link", name="Қазақша").click()
    page.wait_for_url(re.compile(r"/kk\.html#"))
    wait_ready(page)
    expect(page.get_by_test_id("total")).to_have_text("73")
    expect(page.locator('[name="actual.workers"]')).to_have_value("40")
    assert fragment(page) == link.encode(EXAMPLE, {"lang": "kk", **settings})
    page.get_by_role("navigation", name=CATALOGS["kk"]["page"]["languages_label"]) \
        .get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en\.html#"))
    wait_ready(page)
    assert fragment(page) == link.encode(EXAMPLE, {"lang": "en", **settings})


def test_a_link_with_lang_opens_that_language(new_page, site_url):
    page = new_page()
    page.goto(f"{site_url}#{link.encode(EXAMPLE, {'lang': 'kk'})}", wait_until="commit")
    page.wait_for_url(re.compile(r"/kk\.html#"))
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "kk"
    expect(page.get_by_test_id("total")).to_have_text("73")
    # lang=ru written out (encode leaves the default out); the query stays
    page.goto(f"{site_url}en.html?embed=1#{link.encode(EXAMPLE)}&lang=ru", wait_until="commit")
    page.wait_for_url(re.compile(r"/\?embed=1#"))
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert "lang=" not in fragment(page)


def test_english_page_refuses_an_ambiguous_comma(new_page, site_url):
    page = open_page(new_page, site_url, "en", scenario={})
    page.fill('[name="households_rural.area_km2"]', "1,000")
    expect(page.locator('[id="p-households_rural.area_km2"]')).to_have_text(
        CATALOGS["en"]["problems"]["comma_group"])
    page.fill('[name="households_rural.area_km2"]', "1.5")
    expect(page.locator('[id="p-households_rural.area_km2"]')).to_be_hidden()


# --- Ruling links ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang, methodology", [("ru", "methodology.html"), ("kk", "methodology-kk.html")])
def test_trace_lines_link_their_rulings_to_the_methodology(new_page, site_url, lang, methodology):
    page = open_page(new_page, site_url, lang)
    row = page.locator("#function-rows tr", has=page.get_by_test_id("value-3.1.1"))
    row.locator("summary").click()
    links = row.locator(".trace a.ruling")
    expect(links).to_have_count(3)  # R5, R1, R5
    expect(links.first).to_have_attribute("href", f"{methodology}#R5")
    expect(links.first).to_have_accessible_name(f"R5: {CATALOGS[lang]['results']['why']}")
    trace = texts(engine.compute(EXAMPLE), lang)["trace"]["3.1.1"]
    expect(row.locator(".trace li")).to_have_text(trace)  # the engine's text, links included
    warned = page.locator("#function-rows tr", has=page.get_by_test_id("value-3.1.12"))
    expect(warned.locator(".warnings a.ruling")).to_have_attribute("href", f"{methodology}#R1")
    links.first.click()
    page.wait_for_url(re.compile(rf"/{re.escape(methodology)}#R5$"))
    expect(page.locator("#R5")).to_contain_text("3.1.1")
    expect(page.locator("#clause-3\\.1\\.1")).to_contain_text(engine.compute({})["functions"][0]["title"])


# --- Actual vs normative --------------------------------------------------------------------

def test_actual_headcount_against_the_norm(new_page, site_url):
    page = open_page(new_page, site_url)
    table = page.locator("#comparison")
    expect(table).to_be_hidden()
    page.fill('[name="actual.workers"]', "40")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)  # no total row until every group is given
    page.fill('[name="actual.production_specialists"]', "22,5")
    page.fill('[name="actual.management"]', "10")
    expected = analysis.compare(engine.compute(EXAMPLE), ACTUAL)
    expect(table.locator("tbody tr")).to_have_count(4)
    for group, row in expected.items():
        cell = page.get_by_test_id(f"deviation-{group}")
        assert float(cell.get_attribute("data-value")) == pytest.approx(row["difference"], abs=1e-9)
    # the sign is written, not only coloured: −2,27 below, +1,79 above, 0 at the norm
    expect(page.get_by_test_id("deviation-workers")).to_have_text(f"−2,27 {CATALOGS['ru']['results']['under']}")
    expect(page.get_by_test_id("deviation-production_specialists")).to_have_text(
        f"+1,79 {CATALOGS['ru']['results']['over']}")
    expect(page.get_by_test_id("deviation-management")).to_have_text(f"0 {CATALOGS['ru']['results']['equal']}")
    expect(page.get_by_test_id("deviation-total")).to_have_text(f"−0,5 {CATALOGS['ru']['results']['under']}")
    expect(page.get_by_test_id("deviation-percent-workers")).to_have_text("−5,4\u00a0%")
    assert fragment(page) == link.encode(EXAMPLE, {"actual": ACTUAL})

    page.fill('[name="actual.management"]', "-1")  # refused inline like any field
    expect(page.locator('[id="p-actual.management"]')).to_be_visible()
    expect(page.locator("#results")).to_have_class(re.compile(r"\bstale\b"))

    page.goto(f"{site_url}#{link.encode(EXAMPLE, {'actual': ACTUAL})}")  # the link brings it back
    page.reload()
    wait_ready(page)
    expect(page.locator('[name="actual.production_specialists"]')).to_have_value("22.5")
    expect(page.get_by_test_id("deviation-total")).to_have_attribute("data-value", "-0.5")


# --- Downloads and print --------------------------------------------------------------------

def download(page, button):
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    item = info.value
    return item.suggested_filename, Path(item.path()).read_bytes()


def test_csv_and_json_downloads_match_the_engine(new_page, site_url):
    named = {**EXAMPLE, "name": "ТОО «Энергосбыт», 2025 / тест"}
    page = open_page(new_page, site_url, scenario=named, page_settings={"actual": ACTUAL})
    scenario, settings, problems = link.decode_page(fragment(page))
    assert problems == [] and settings == {"actual": ACTUAL}
    result = engine.compute(scenario)
    date = page.evaluate("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]"
                         ".map((n) => String(n).padStart(2, '0')).join('-'); })()")

    name, content = download(page, CATALOGS["ru"]["page"]["download_csv"])
    assert name == export.file_name(scenario, date, "csv") == f"ТОО-Энергосбыт-2025-тест_{date}.csv"
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for spreadsheets
    calc = export.Calculation(scenario, result, CATALOGS["ru"], ACTUAL, date, site_url)
    assert content.decode("utf-8-sig") == export.to_csv(calc)  # tests/e2e/test_downloads.py: more
    expect(page.locator("#action-status")).to_contain_text(name)

    name, content = download(page, CATALOGS["ru"]["page"]["download_json"])
    assert name == export.file_name(scenario, date, "json")
    document = json.loads(content.decode("utf-8"))
    assert document == json.loads(export.to_json(scenario, result, ACTUAL))
    assert document["result"]["total"] == 73 and document["comparison"]["total"]["actual"] == 72.5

    page.fill('[name="vehicles"]', "x")  # a wrong field: no download of a stale result
    page.get_by_role("button", name=CATALOGS["ru"]["page"]["download_csv"]).click()
    expect(page.locator("#action-status")).to_have_text(CATALOGS["ru"]["page"]["export_stale"])


def test_print_view_fits_a4(new_page, site_url):
    page = open_page(new_page, site_url, page_settings={"actual": ACTUAL})
    page.emulate_media(media="print")
    expect(page.locator(".print-meta")).to_be_visible()
    expect(page.locator(".actions")).to_be_hidden()
    expect(page.locator('[name="households_rural.households"]')).to_be_hidden()  # not entered
    expect(page.locator('[name="households_city.multi_storey"]')).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "print.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert 2 <= len(reader.pages) <= 10
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width == pytest.approx(595.3, abs=1) and height == pytest.approx(841.9, abs=1.5)  # A4, pt
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    catalog = CATALOGS["ru"]
    for needed in (EXAMPLE["name"], catalog["page"]["print_date"], "1-нт", catalog["results"]["total"],
                   "72,97", catalog["results"]["comparison_heading"], "3.1.10", "R26",
                   catalog["fields"]["households_city.multi_storey"]["label"]):
        assert needed in text, needed
    assert re.search(r"Нормативная численность, чел\. ?73\b", text)
    squeezed = re.sub(r"\s+", "", text)  # lines wrap anywhere, also after a hyphen
    for fn in engine.compute(EXAMPLE)["functions"]:  # every trace, though no <details> was opened
        for line in fn["trace"]:
            assert re.sub(r"\s+", "", line) in squeezed, line


# --- Embedded in an iframe ------------------------------------------------------------------

def test_embedded_in_an_iframe(new_page, site_url):
    page = new_page(width=1000, height=900)
    parent = f"{site_url}association-site.html"  # the host page, made up here, same server
    src = f"./kk.html?embed=1#{link.encode(EXAMPLE, {'lang': 'kk'})}"
    page.route(parent, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=(
        '<!doctype html><html lang="kk"><title>ҚЭА</title><h1>ҚЭА</h1>'
        f'<iframe src="{src}" title="Калькулятор" width="960" height="800"></iframe>')))
    page.goto(parent)
    frame = page.frame_locator("iframe")
    wait_ready(frame)
    expect(frame.get_by_test_id("total")).to_have_text("73")
    expect(frame.locator(".subheading")).to_be_hidden()
    assert frame.locator("h1").bounding_box()["height"] <= 1  # for screen readers only
    expect(frame.locator(".footer")).to_be_hidden()
    expect(frame.locator("#loading")).to_be_hidden()
    frame.locator('[name="vehicles"]').fill("13")
    expected = engine.compute({**EXAMPLE, "vehicles": 13})
    expect(frame.get_by_test_id("total")).to_have_text(str(expected["total"]))
    full = frame.get_by_role("link", name=CATALOGS["kk"]["page"]["open_full"])
    expect(full).to_have_attribute("target", "_blank")
    expect(full).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    href = urlsplit(full.get_attribute("href"))
    assert href.path.endswith("/kk.html") and "embed" not in href.query
    assert href.fragment == link.encode({**EXAMPLE, "vehicles": 13}, {"lang": "kk"})
    with page.context.expect_page() as popup:
        full.click()
    opened = popup.value
    wait_ready(opened)
    expect(opened.locator("h1")).to_be_visible()
    expect(opened.get_by_test_id("total")).to_have_text(str(expected["total"]))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "embed.png")


# --- Keyboard and axe-core ------------------------------------------------------------------

def focused(page):
    return page.evaluate("(() => { const e = document.activeElement;"
                         " return e.name || e.id || e.getAttribute('data-lang') || e.textContent.trim(); })()")


def test_keyboard_only(new_page, site_url):
    page = open_page(new_page, site_url, scenario={})
    page.keyboard.press("Tab")
    assert focused(page) == "skip-link"
    expect(page.locator("#skip-link")).to_be_in_viewport()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    seen = []
    for _ in range(12):  # language links, then the form's first inputs, in reading order
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == "households_city.multi_storey":
            break
    assert seen[:4] == ["ru", "kk", "en", "name"], seen
    assert seen[-1] == "households_city.multi_storey", seen
    page.keyboard.type("30000")
    expect(page.get_by_test_id("value-3.1.1")).to_have_text("18,00")

    for _ in range(len(seen)):  # back to the skip link
        page.keyboard.press("Shift+Tab")
    assert focused(page) == "skip-link"
    page.keyboard.press("Enter")
    assert focused(page) == "results"
    page.keyboard.press("Tab")
    assert focused(page) == "action-copy"
    for _ in range(20):  # past the actions, to the first function's summary
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#function-rows summary')"):
            break
    details = page.locator("#function-rows details").first
    expect(details).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(details.locator(".trace li").first).to_be_visible()


def axe_violations(page, context="document"):
    page.evaluate(AXE.read_text("utf-8"))  # by the DevTools protocol: the page's CSP stays as is
    found = page.evaluate("""async (context) => {
        const results = await axe.run(context === "document" ? document : context,
            { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
        return results.violations.map((v) => ({ id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    }""", context)
    return [v for v in found if v["impact"] in ("serious", "critical")], found


@pytest.mark.parametrize("view", ["main", "kk", "embed", "print", "methodology"])
def test_axe_finds_no_serious_violation(new_page, site_url, view):
    settings = {"actual": ACTUAL}
    if view == "methodology":
        page = new_page()
        page.goto(f"{site_url}methodology.html")
    else:
        page = open_page(new_page, site_url, "kk" if view == "kk" else "ru", page_settings=settings,
                         query="?embed=1" if view == "embed" else "")
        page.locator("#function-rows summary").first.click()  # a trace and its ruling links open
    if view == "print":
        page.emulate_media(media="print")
    serious, everything = axe_violations(page)
    assert serious == [], json.dumps(everything, ensure_ascii=False, indent=1)
