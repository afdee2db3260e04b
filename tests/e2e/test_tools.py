"""The planning department's tools in Chromium (issue 14, items 5–8): compare with a pinned
baseline, saved calculations, charts with their table alternative, print for a tariff file.
Every number is checked against engine.compute in CPython."""

import io
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

import engine
from engine import link

from test_page import ARTIFACTS, CATALOG, fill, value_of, wait_ready  # the page's helpers

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
TYPED = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))["scenario"]
NEXT_YEAR = {**TYPED, "sales_sites": 25, "vehicles": 40}  # a change that crosses row edges


def fragment(page):
    return urlsplit(page.url).fragment


# --- 5. Compare two calculations --------------------------------------------------------------

def test_compare_pinned_baseline_with_the_changed_inputs(new_page, site_url):
    page = new_page()
    page.goto(site_url)
    wait_ready(page)
    fill(page, TYPED)
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    expect(page.locator("#compare")).to_be_hidden()
    page.get_by_role("button", name=CATALOG["compare"]["pin"]).click()
    expect(page.locator("#compare")).to_be_visible()
    expect(page.get_by_test_id("diff-total")).to_have_attribute("data-value", "0")

    page.fill('[name="sales_sites"]', "25")
    page.fill('[name="vehicles"]', "40")
    before, after = engine.compute(TYPED), engine.compute(NEXT_YEAR)
    assert after["total"] != before["total"]  # the test can fail: the totals differ
    expect(page.get_by_test_id("total")).to_have_text(str(after["total"]))
    check_difference(page, before, after)

    # the link carries both: the current scenario as before, the baseline prefixed base.
    pairs = parse_qsl(fragment(page))
    assert fragment(page) == link.encode(NEXT_YEAR, {"baseline": TYPED})
    assert [(k, v) for k, v in pairs if not k.startswith("base.")] == parse_qsl(link.encode(NEXT_YEAR))
    assert [(k[5:], v) for k, v in pairs if k.startswith("base.")] == parse_qsl(link.encode(TYPED))
    page.reload()
    wait_ready(page)
    check_difference(page, before, after)

    page.get_by_role("button", name=CATALOG["compare"]["unpin"]).click()
    expect(page.locator("#compare")).to_be_hidden()
    assert fragment(page) == link.encode(NEXT_YEAR)


def check_difference(page, before, after):
    expect(page.get_by_test_id("diff-total")).to_have_attribute(
        "data-value", str(after["total"] - before["total"]))
    assert value_of(page, "diff-total-exact") == pytest.approx(
        after["total_exact"] - before["total_exact"], abs=1e-9)
    for group, value in after["groups"].items():
        assert value_of(page, f"diff-group-{group}") == pytest.approx(
            value - before["groups"][group], abs=1e-9)
    old = {fn["id"]: fn["value"] for fn in before["functions"]}
    for fn in after["functions"]:
        assert value_of(page, f"diff-{fn['id']}") == pytest.approx(fn["value"] - old[fn["id"]], abs=1e-9)


def test_a_compare_link_opens_with_its_own_version_and_old_links_stay(new_page, site_url):
    baseline = {**TYPED, "version": 1}  # last year's calculation under edition 1
    page = new_page()
    page.goto(site_url + "#" + link.encode(NEXT_YEAR, {"baseline": baseline}))
    wait_ready(page)
    check_difference(page, engine.compute(baseline), engine.compute(NEXT_YEAR))
    assert fragment(page) == link.encode(NEXT_YEAR, {"baseline": baseline})

    old = link.encode(TYPED)  # a link of before the comparison: the same page as ever
    page.goto(site_url + "#" + old)
    page.reload()
    wait_ready(page)
    expect(page.locator("#compare")).to_be_hidden()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    assert fragment(page) == old


# --- 8. Print for a tariff file ---------------------------------------------------------------

def pdf_pages(page):
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "print-tools.pdf").write_bytes(pdf)
    # NFKC: the PDF's font writes "ff" as one ligature sign
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text()))
            for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("lang, numbering", [("ru", "Страница {n} из {count}"),
                                              ("kk", "Бет {n} / {count}")])
def test_print_has_page_numbers_signatures_and_the_link(new_page, site_url, lang, numbering):
    page = new_page()
    address = f"{site_url}{'' if lang == 'ru' else lang + '.html'}#"
    page.goto(address + link.encode(NEXT_YEAR, {"lang": lang, "baseline": TYPED}))
    wait_ready(page)
    texts = CATALOGS[lang]["print"]
    block = page.get_by_test_id("signatures")
    expect(block).to_be_hidden()  # on screen: not there
    page.emulate_media(media="print")
    expect(block).to_be_visible()
    for key in ("prepared", "checked", "position", "signature", "date"):
        expect(block).to_contain_text(texts[key])
    shown_link = page.get_by_test_id("print-link").text_content()
    assert shown_link.split("#")[0] == page.url.split("#")[0]  # the address, readable
    assert parse_qsl(urlsplit(shown_link).fragment) == parse_qsl(fragment(page))

    pages = pdf_pages(page)
    for n, text in enumerate(pages, 1):
        assert numbering.format(n=n, count=len(pages)) in text, (n, text[-200:])
    whole = " ".join(pages)
    assert texts["prepared"] in pages[-1] and texts["checked"] in pages[-1]
    assert CATALOGS[lang]["compare"]["heading"] in whole  # the comparison prints too
    squeezed = re.sub(r"\s+", "", whole)
    assert re.sub(r"\s+", "", texts["link"] + ":" + shown_link) in squeezed
