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
from engine.sweep import sweep

from test_page import ARTIFACTS, CATALOG, LOAD_TIMEOUT, fill, value_of, wait_ready  # the page's helpers

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
TYPED = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))["scenario"]
NEXT_YEAR = {**TYPED, "sales_sites": 25, "vehicles": 40}  # a change that crosses row edges


def fragment(page):
    return urlsplit(page.url).fragment


# --- 5. Compare two calculations --------------------------------------------------------------

def typed_in(new_page, site_url):
    """A page with TYPED typed into its form and its total shown."""
    page = new_page()
    page.goto(site_url, timeout=LOAD_TIMEOUT)
    wait_ready(page)
    fill(page, TYPED)
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    return page


def test_compare_pinned_baseline_with_the_changed_inputs(new_page, site_url):
    page = typed_in(new_page, site_url)
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
    page.reload(timeout=LOAD_TIMEOUT)
    wait_ready(page)
    check_difference(page, before, after)

    page.get_by_role("button", name=CATALOG["compare"]["unpin"]).click()
    expect(page.locator("#compare")).to_be_hidden()
    assert fragment(page) == link.encode(NEXT_YEAR)


# What follows an edit (the link, the comparison, …) runs in a task after its result
# (web/js/later.js); a click that comes before that task still acts on the edit.
AN_EDIT_THEN_A_CLICK_JS = """() => {
  const input = document.querySelector('[name="sales_sites"]');
  input.value = "25";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const hashBefore = location.hash;
  document.getElementById("action-pin").click();
  return { hashBefore, hashAfter: location.hash };
}"""


def test_a_click_right_after_an_edit_acts_on_that_edit(new_page, site_url):
    page = typed_in(new_page, site_url)
    edited = {**TYPED, "sales_sites": 25}
    hashes = page.evaluate(AN_EDIT_THEN_A_CLICK_JS)
    assert hashes["hashBefore"] == f"#{link.encode(TYPED)}"  # the link waited for its task…
    assert hashes["hashAfter"] == f"#{link.encode(edited)}"  # …which the click ran first
    expect(page.locator("#compare")).to_be_visible()
    expect(page.get_by_test_id("diff-total")).to_have_attribute("data-value", "0")  # pinned: the edit
    assert parse_qsl(fragment(page)) == parse_qsl(link.encode(edited, {"baseline": edited}))


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
    page.goto(site_url + "#" + link.encode(NEXT_YEAR, {"baseline": baseline}), timeout=LOAD_TIMEOUT)
    wait_ready(page)
    check_difference(page, engine.compute(baseline), engine.compute(NEXT_YEAR))
    assert fragment(page) == link.encode(NEXT_YEAR, {"baseline": baseline})

    old = link.encode(TYPED)  # a link of before the comparison: the same page as ever
    page.goto(site_url + "#" + old, timeout=LOAD_TIMEOUT)
    page.reload(timeout=LOAD_TIMEOUT)
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
    page.goto(address + link.encode(NEXT_YEAR, {"lang": lang, "baseline": TYPED}), timeout=LOAD_TIMEOUT)
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


# --- 7. Charts ---------------------------------------------------------------------------------

def numbers(locator):
    return [float(value) for value in locator.evaluate_all("els => els.map(e => e.dataset.value)")]


def test_charts_with_their_table_alternative(new_page, site_url):
    scenario = {**TYPED, "city_only": False, "sales_sites": 12}
    result = engine.compute(scenario)
    page = new_page()
    page.goto(site_url + "#" + link.encode(scenario), timeout=LOAD_TIMEOUT)
    wait_ready(page)
    groups = page.get_by_test_id("chart-groups")
    bars = numbers(groups.locator("svg rect"))
    assert bars == pytest.approx(list(result["groups"].values()), abs=1e-9)
    assert numbers(groups.locator("tbody td[data-value]")) == bars  # the table says the same
    expect(groups.locator("figcaption")).to_have_text(CATALOG["charts"]["by_group"])
    expect(groups.locator("svg")).to_have_attribute("role", "img")

    largest = sorted((f["value"] for f in result["functions"]), reverse=True)
    functions = page.get_by_test_id("chart-functions")
    shown = numbers(functions.locator("svg rect"))
    assert shown == pytest.approx(largest[:8] + [sum(largest[8:])], abs=1e-9)
    assert numbers(functions.locator("tbody td[data-value]")) == shown

    chart = page.get_by_test_id("chart-sweep")
    expect(chart.locator("svg")).to_have_count(0)  # drawn on demand
    chart.locator("#sweep-field").select_option("sales_sites")  # drawing on the choice
    chart.locator("#sweep-upto").fill("40")
    chart.get_by_role("button", name=CATALOG["charts"]["draw"]).click()
    expected = sweep(scenario, "sales_sites", 40)
    expect(chart.locator("tbody tr")).to_have_count(len(expected["points"]))
    assert numbers(chart.locator("tbody th")) == [p["x"] for p in expected["points"]]
    totals = numbers(chart.locator("tbody td.num:nth-of-type(1)"))
    for x, total in zip(numbers(chart.locator("tbody th")), totals):
        assert total == engine.compute({**scenario, "sales_sites": int(x)})["total_exact"]
    assert expected["edges"]  # the test can fail: there are steps here
    assert numbers(chart.locator("svg line.edge")) == [e["past"] for e in expected["edges"]]
    assert numbers(chart.get_by_test_id("sweep-step")) == [e["past"] for e in expected["edges"]]
    expect(chart.locator("svg circle.current")).to_have_count(1)

    page.fill('[name="sales_sites"]', "30")  # a drawn sweep follows the form
    expect(chart.locator("svg circle.current title")).to_contain_text("30")
    chart.locator("#sweep-upto").fill("-1")
    chart.get_by_role("button", name=CATALOG["charts"]["draw"]).click()
    expect(chart.locator("#sweep-problem")).to_have_text(CATALOG["charts"]["bad_upto"])
    chart.locator("#sweep-upto").fill("40")
    chart.get_by_role("button", name=CATALOG["charts"]["draw"]).click()
    expect(chart.locator("#sweep-problem")).to_be_hidden()
    chart.locator("#sweep-field").select_option("vehicles")  # P crosses rows of 3.1.11–3.1.18
    chart.locator("#sweep-upto").fill("300")
    chart.get_by_role("button", name=CATALOG["charts"]["draw"]).click()
    expect(chart.locator("svg line.edge")).to_have_count(len(sweep(
        {**scenario, "sales_sites": 30}, "vehicles", 300)["edges"]))
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#charts").screenshot(path=ARTIFACTS / "chart.png")  # docs/chart.png is a copy

    page.emulate_media(media="print")  # printed: the charts, not their controls
    expect(chart.locator("svg")).to_be_visible()
    expect(groups.locator("svg")).to_be_visible()
    expect(chart.locator(".sweep-controls")).to_be_hidden()


# --- 6. Saved calculations ----------------------------------------------------------------------

SAVED = CATALOG["saved"]


def saved_names(page):
    return page.locator('[data-testid="saved-item"] .saved-item-name').evaluate_all(
        "inputs => inputs.map(i => i.value)")


def save_as(page, name):
    page.fill("#saved-name", name)
    page.get_by_role("button", name=SAVED["save"]).click()
    expect(page.locator("#saved-status")).to_have_text(SAVED["done_save"].replace("{name}", name))


def item(page, name):
    return page.get_by_test_id("saved-item").filter(has=page.locator(f'input[value="{name}"]'))


def test_saved_list_round_trip(new_page, site_url, tmp_path):
    page = new_page()
    page.goto(site_url + "#" + link.encode(TYPED), timeout=LOAD_TIMEOUT)
    wait_ready(page)
    page.locator("#saved summary").click()
    expect(page.locator("#saved-empty")).to_be_visible()
    save_as(page, "2025")
    page.fill('[name="sales_sites"]', "25")
    page.fill('[name="vehicles"]', "40")
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(NEXT_YEAR)["total"]))
    save_as(page, "2026")
    assert saved_names(page) == ["2025", "2026"]

    first = page.get_by_test_id("saved-item").first
    first.locator(".saved-item-name").fill("2025 год")
    first.get_by_role("button", name=SAVED["rename"]).click()
    page.reload(timeout=LOAD_TIMEOUT)  # kept on the device
    wait_ready(page)
    page.locator("#saved summary").click()
    assert saved_names(page) == ["2025 год", "2026"]
    page.get_by_test_id("saved-item").first.get_by_role("button", name=SAVED["open"]).click()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    expect(page.locator('[name="vehicles"]')).to_have_value(str(TYPED["vehicles"]))
    assert fragment(page) == link.encode(TYPED)

    with page.expect_download() as info:
        page.get_by_role("button", name=SAVED["export"]).click()
    exported = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert info.value.suggested_filename.startswith("kea-1nt-saved_")
    assert exported["format"] == "kea-1nt-saved"
    assert [(i["name"], i["fragment"]) for i in exported["items"]] == [
        ("2025 год", link.encode(TYPED)), ("2026", link.encode(NEXT_YEAR))]

    for _ in range(2):
        page.get_by_test_id("saved-item").first.get_by_role("button", name=SAVED["delete"]).click()
    expect(page.get_by_test_id("saved-item")).to_have_count(0)
    expect(page.locator("#saved-empty")).to_be_visible()

    bad = tmp_path / "not-ours.json"
    bad.write_text(json.dumps({"format": "something else", "items": []}), "utf-8")
    page.set_input_files("#saved-import", bad)
    expect(page.locator("#saved-status")).to_have_text(SAVED["import_failed"])
    page.set_input_files("#saved-import", info.value.path())
    expect(page.locator("#saved-status")).to_have_text(SAVED["done_import"].replace("{count}", "2"))
    assert saved_names(page) == ["2025 год", "2026"]
    page.get_by_test_id("saved-item").nth(1).get_by_role("button", name=SAVED["open"]).click()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(NEXT_YEAR)["total"]))
    page.go_back()  # opening is a history entry
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))


def test_the_draft_survives_closing_the_tab(new_page, site_url):
    page = new_page(profile="normal")
    page.goto(site_url, timeout=LOAD_TIMEOUT)
    wait_ready(page)
    fill(page, {"vehicles": 13, "households_city": {"multi_storey": 12000}})
    expect(page.get_by_test_id("total")).to_have_text(
        str(engine.compute({"vehicles": 13, "households_city": {"multi_storey": 12000}})["total"]))
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(site_url, timeout=LOAD_TIMEOUT)  # no link: the draft fills the form
    wait_ready(again)
    expect(again.locator('[name="vehicles"]')).to_have_value("13")
    expect(again.locator('[name="households_city.multi_storey"]')).to_have_value("12000")
    assert fragment(again) == link.encode({"vehicles": 13, "households_city": {"multi_storey": 12000}})


THROWING_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true, get() { throw new DOMException("denied", "SecurityError"); } });
"""
QUOTA_FULL = """
Storage.prototype.setItem = function () { throw new DOMException("full", "QuotaExceededError"); };
"""


@pytest.mark.parametrize("profile, script", [("cookies-blocked", ""), ("private", THROWING_STORAGE),
                                             ("private", QUOTA_FULL)])
def test_saved_list_where_storage_throws(new_page, site_url, profile, script):
    page = new_page(profile=profile)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    if script:
        page.add_init_script(script)
    page.goto(site_url + "#" + link.encode(TYPED), timeout=LOAD_TIMEOUT)
    wait_ready(page)
    if profile == "cookies-blocked":  # the profile really denies storage
        assert page.evaluate("(() => { try { localStorage.length; return false } catch { return true } })()")
    page.locator("#saved summary").click()
    expect(page.get_by_test_id("saved-unavailable")).to_be_visible()
    expect(page.get_by_test_id("saved-unavailable")).to_have_text(SAVED["unavailable"])
    expect(page.get_by_role("button", name=SAVED["save"])).to_be_hidden()
    page.fill('[name="vehicles"]', "40")  # the calculator works as ever
    expect(page.get_by_test_id("total")).to_have_text(
        str(engine.compute({**TYPED, "vehicles": 40})["total"]))
    assert errors == []
