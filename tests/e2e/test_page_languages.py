"""The explanations in the reader's language (issue 13): on kk.html every trace line and
warning of the worked example is the engine's Kazakh text, on en.html no trace, warning or
problem has Cyrillic outside «…» (the norm's own words, quoted) — function titles stay the
norm's Russian in their own column."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import engine
from engine import link
from engine.trace import problem_text, texts
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = case("city_mid.v1")["scenario"]
LOAD_TIMEOUT = 90_000  # ms; a cold Pyodide start takes seconds, more on a busy machine
PAGES = {"kk": "kk.html", "en": "en.html"}
CYRILLIC = re.compile("[\u0400-\u04ff]")
QUOTED = re.compile("«[^»]*»")
# the worked example as a version-2 scenario: R23 notes that urban_consumers (50 000) is more
# than all consumers entered (38 582), under each field it names
CONTRADICTION = {**EXAMPLE, "version": 2}


def open_page(new_page, site_url, lang, fragment):
    page = new_page()
    page.goto(f"{site_url}{PAGES[lang]}#{fragment}", wait_until="commit")
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    return page


def texts_of(locator):
    return [text.strip() for text in locator.all_text_contents()]


def unquoted_cyrillic(text):
    return CYRILLIC.findall(QUOTED.sub("", text))


def shown_explanations(page):
    """{hook: [texts]} of every trace, warning list and field note of the page."""
    hooks = page.locator('[data-testid^="trace-"], [data-testid^="warnings-"]')
    shown = {hook.get_attribute("data-testid"): texts_of(hook.locator("li")) for hook in hooks.all()}
    for note in page.locator('[data-testid^="note-"]').all():
        shown[note.get_attribute("data-testid")] = [note.text_content()]
    return shown


def test_kazakh_page_explains_the_worked_example_in_kazakh(new_page, site_url):
    result = engine.compute(EXAMPLE)
    kazakh = texts(result, "kk")
    page = open_page(new_page, site_url, "kk", link.encode(EXAMPLE, {"lang": "kk"}))
    expect(page.get_by_test_id("total")).to_have_text("73")
    for fn in result["functions"]:
        trace = page.get_by_test_id(f"trace-{fn['id']}").locator("li")
        expect(trace).to_have_text(kazakh["trace"][fn["id"]])
    for i, warning in enumerate(result["warnings"]):
        expect(page.get_by_test_id(f"warnings-{warning['id']}").locator("li")).to_have_text(
            f"{warning['ruling']}: {kazakh['warnings'][i]}")
    # hand-read Kazakh of two lines: a table row (3.1.9) and P below the first row (3.1.12)
    expect(page.get_by_test_id("trace-3.1.9").locator("li")).to_have_text(
        ["3.1.9: нөмірлер: 40 → «26-55» жолы → 1 (R1)"])
    expect(page.get_by_test_id("warnings-3.1.12").locator("li")).to_have_text(
        ["R1: P = 47,025889 кестенің бірінші жолынан «100-300» кіші — бірінші жол алынды"])
    quote = page.get_by_test_id("trace-3.1.9").locator('span[lang="ru"]')
    expect(quote).to_have_text("«26-55»")  # the norm's words marked Russian


def test_kazakh_page_notes_a_contradiction_in_kazakh(new_page, site_url):
    result = engine.compute(CONTRADICTION)
    [warning] = [w for w in result["warnings"] if w["ruling"] == "R23"]
    page = open_page(new_page, site_url, "kk", link.encode(CONTRADICTION, {"lang": "kk"}))
    for path in warning["fields"]:
        expect(page.get_by_test_id(f"note-{path}")).to_have_text(
            f"R23: {texts(result, 'kk')['warnings'][result['warnings'].index(warning)]}")
    expect(page.get_by_test_id("note-urban_consumers")).to_contain_text("барлық тұтынушылардың")


def test_english_page_has_no_cyrillic_outside_quotes(new_page, site_url):
    page = open_page(new_page, site_url, "en", link.encode(CONTRADICTION, {"lang": "en"}))
    shown = shown_explanations(page)
    assert len([hook for hook in shown if hook.startswith("trace-")]) == len(
        engine.compute(CONTRADICTION)["functions"])
    assert any(hook.startswith("note-") for hook in shown)
    found = {hook: line for hook, lines in shown.items() for line in lines if unquoted_cyrillic(line)}
    assert found == {}
    assert shown["trace-3.1.9"] == ["3.1.9: ATS numbers 40 → row «26-55» → 1 (R1)"]  # by hand


@pytest.mark.parametrize("field, typed", [
    ("vehicles", "1.5"),               # decimal_in_count (R26)
    ("vehicles", "-1"),                # negative
    ("households_city.two_tariff_share_pct", "101"),  # over_100
    ("households_rural.area_km2", "1,000"),  # comma_group (en only)
    ("vehicles", "\u0661"),            # not_ascii_digits (R26)
])
def test_english_page_problems_have_no_cyrillic(new_page, site_url, field, typed):
    page = open_page(new_page, site_url, "en", link.encode({}, {"lang": "en"}))
    page.fill(f'[name="{field}"]', typed)
    note = page.locator(f'[id="p-{field}"]')
    expect(note).to_be_visible()
    assert note.text_content() and not unquoted_cyrillic(note.text_content())


def test_english_page_link_problems_have_no_cyrillic(new_page, site_url):
    page = open_page(new_page, site_url, "en",
                     "v=2&lang=en&bogus=1&vehicles=abc&readings.R1=nonsense&city_only=yes")
    items = page.locator("#link-problems li")
    expect(items).to_have_count(4)
    assert all(not unquoted_cyrillic(text) for text in texts_of(items)), texts_of(items)


def test_problems_come_with_their_text_in_the_page_language(new_page, site_url):
    """web/main.py's answer: each problem's `text` is the engine's message in `lang`."""
    page = open_page(new_page, site_url, "en", link.encode({}, {"lang": "en"}))
    answer = page.evaluate("""() => JSON.parse(window.keaEngine.linkProblems(
        JSON.stringify({fragment: "#readings.R1=nonsense", lang: "kk"})))""")
    [problem] = answer["problems"]
    assert problem["text"] == problem_text(problem, "kk") == "варианттар: first_row, none_below_first_row"
