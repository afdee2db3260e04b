"""The spreadsheet downloads in the page (docs/EXPORTS.md): the XLSX clicked, saved and opened
with openpyxl holds the numbers the page shows, its wheel fetched from the page's own origin
only on that click; the CSV of the ru page opens with ";" and decimal commas, of the en page
with "," and points; "Открыть файл" brings a saved JSON or XLSX back (a damaged one is refused
field by field as a link, anything else changes nothing); after a first visit the XLSX is
made offline. conftest's new_page fails a test on any request to another origin."""

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
from playwright.sync_api import expect

import engine
from engine import export, link

ROOT = Path(__file__).resolve().parents[2]
CASE = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))
EXAMPLE = {**CASE["scenario"], "name": "ТОО «Энергосбыт», 2025"}
ACTUAL = {"workers": 40, "production_specialists": 22.5, "management": 10}
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
PAGES = {"ru": "", "kk": "kk.html", "en": "en.html"}
LOAD_TIMEOUT = 90_000  # ms: a cold Pyodide start on a busy 2-core machine
WORKER_ACTIVE = "() => navigator.serviceWorker.ready.then((registration) => registration.scope)"
TODAY = ("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]"
         ".map((n) => String(n).padStart(2, '0')).join('-'); })()")


def wait_ready(page):
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)


def open_page(new_page, site_url, lang="ru", scenario=EXAMPLE, actual=ACTUAL):
    """The page with the scenario; page.requested: the URLs the page itself asked for (not its
    service worker, which precaches every file)."""
    page = new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(f"{site_url}{PAGES[lang]}#{link.encode(scenario, {'lang': lang, 'actual': actual})}",
              wait_until="commit", timeout=LOAD_TIMEOUT)  # the load event waits for the runtime
    wait_ready(page)
    return page


def save(page, click, folder, name=None):
    """click() → the download saved in folder (under its own or the given name) → its path."""
    with page.expect_download(timeout=LOAD_TIMEOUT) as info:
        click()
    path = folder / (name or info.value.suggested_filename)
    info.value.save_as(path)
    return path


def shown_values(page):
    """{function id: exact value} as the page shows them (data-value)."""
    cells = page.locator('[data-testid^="value-"]')
    return {cell.get_attribute("data-testid").removeprefix("value-"): float(cell.get_attribute("data-value"))
            for cell in cells.all()}


def wheel_requests(requests):
    return [urlsplit(url).path.rsplit("/", 1)[-1] for url in requests if "/wheels/" in url]


def test_xlsx_download_holds_what_the_page_shows(new_page, site_url, tmp_path):
    page = open_page(new_page, site_url)
    page.wait_for_timeout(500)
    assert wheel_requests(page.requested) == []  # never at start-up
    path = save(page, page.get_by_test_id("download-xlsx").click, tmp_path)
    date = page.evaluate(TODAY)
    assert path.name == export.file_name(EXAMPLE, date, "xlsx") == f"ТОО-Энергосбыт-2025_{date}.xlsx"
    expect(page.locator("#action-status")).to_contain_text(path.name)
    assert wheel_requests(page.requested) == ["xlsxwriter-3.3.1-py3-none-any.whl.gz"]
    assert all(url.startswith((site_url, "blob:", "data:")) for url in page.requested)

    sheets = CATALOGS["ru"]["sheets"]
    book = openpyxl.load_workbook(path)
    table = [[cell.value for cell in row] for row in book[sheets["functions"]].iter_rows(min_row=2)]
    shown = shown_values(page)
    assert [row[0] for row in table] == list(shown)
    for row in table:
        assert row[3] == pytest.approx(shown[row[0]], rel=1e-15, abs=1e-15)
    totals = {row[0].value: row[1].value for row in book[sheets["totals"]].iter_rows(min_row=2)}
    assert totals[sheets["total"]] == int(page.get_by_test_id("total").text_content()) == 73
    assert totals[sheets["total_exact"]] == pytest.approx(
        float(page.get_by_test_id("total-exact").get_attribute("data-value")), rel=1e-15)
    info = {row[0].value: row[1].value for row in book[sheets["calculation"]].iter_rows()}
    assert info[sheets["organization"]] == EXAMPLE["name"]
    assert info[sheets["link"]] == page.url  # the page's own link, its fragment included
    comparison = {row[0].value: row[3].value for row in book[sheets["comparison"]].iter_rows(min_row=2)}
    assert comparison[CATALOGS["ru"]["results"]["total_row"]] == float(
        page.get_by_test_id("deviation-total").get_attribute("data-value"))

    save(page, page.get_by_test_id("download-xlsx").click, tmp_path, "again.xlsx")
    assert wheel_requests(page.requested) == ["xlsxwriter-3.3.1-py3-none-any.whl.gz"]  # loaded once


@pytest.mark.parametrize("lang, delimiter, decimal", [("ru", ";", ","), ("en", ",", ".")])
def test_csv_of_the_page_language(new_page, site_url, tmp_path, lang, delimiter, decimal):
    page = open_page(new_page, site_url, lang)
    path = save(page, page.get_by_role("button", name=CATALOGS[lang]["page"]["download_csv"]).click, tmp_path)
    text = path.read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    sheets, results = CATALOGS[lang]["sheets"], CATALOGS[lang]["results"]
    info = {row[0]: row[1] for row in table if len(row) == 2}
    assert info[sheets["organization"]] == EXAMPLE["name"]
    assert info[sheets["date"]] == page.evaluate(TODAY)
    assert info[sheets["link"]] == page.url
    header = table.index([results["col_clause"], results["col_function"], results["col_group"],
                          sheets["col_people"], results["trace"], sheets["col_warnings"]])
    shown = shown_values(page)
    rows = table[header + 1:header + 1 + len(shown)]
    number = re.compile(rf"^-?\d+(\{decimal}\d{{1,6}})?$")
    for row in rows:
        assert number.match(row[3]), row[3]
        assert float(row[3].replace(decimal, ".")) == pytest.approx(shown[row[0]], abs=5e-7)
        assert row[2] == CATALOGS[lang]["groups"][engine.compute(EXAMPLE)["functions"][list(shown).index(row[0])]["group"]]
    assert info[sheets["total"]] == page.get_by_test_id("total").text_content() == "73"


def open_file(page, path):
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("open-file").click()
    chooser.value.set_files(path)


def test_open_file_brings_back_a_saved_json_and_xlsx(new_page, site_url, tmp_path):
    page = open_page(new_page, site_url)
    saved = {"json": save(page, page.get_by_role("button", name=CATALOGS["ru"]["page"]["download_json"]).click, tmp_path),
             "xlsx": save(page, page.get_by_test_id("download-xlsx").click, tmp_path)}
    expected = urlsplit(page.url).fragment
    for kind, path in saved.items():
        page.get_by_role("button", name=CATALOGS["ru"]["page"]["reset"]).click()
        expect(page.get_by_test_id("total")).to_have_text("0")
        open_file(page, path)
        expect(page.locator("#action-status")).to_have_text(  # openpyxl loaded on first use
            CATALOGS["ru"]["sheets"]["opened"].replace("{file}", path.name), timeout=LOAD_TIMEOUT)
        expect(page.get_by_test_id("total")).to_have_text("73")
        expect(page.locator('[name="vehicles"]')).to_have_value("6")
        expect(page.locator('[name="actual.production_specialists"]')).to_have_value("22.5")
        expect(page.locator('[name="name"]')).to_have_value(EXAMPLE["name"])
        assert urlsplit(page.url).fragment == expected, kind
        expect(page.locator("#link-problems")).to_be_hidden()
    assert sorted(wheel_requests(page.requested)) == [
        "et_xmlfile-2.0.0-py3-none-any.whl.gz", "openpyxl-3.1.5-py2.py3-none-any.whl.gz",
        "xlsxwriter-3.3.1-py3-none-any.whl.gz"]


def test_open_file_refuses_what_is_wrong_as_a_link_does(new_page, site_url, tmp_path):
    page = open_page(new_page, site_url, "en")
    document = json.loads(export.to_json(EXAMPLE, engine.compute(EXAMPLE), ACTUAL))
    document["scenario"].update(vehicles="six", bogus=1)
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(document), "utf-8")
    open_file(page, damaged)
    banner = page.locator("#link-problems")
    expect(banner).to_be_visible()
    expect(banner.locator("li")).to_have_count(2)  # vehicles, bogus: each named
    expect(banner).to_contain_text("bogus")
    expected_kind = CATALOGS["en"]["expected"]["count"]
    expect(page.locator('[id="p-vehicles"]')).to_have_text(
        CATALOGS["en"]["problems"]["type"].replace("{expected}", expected_kind))
    expect(page.locator('[name="cleaners"]')).to_have_value("2")  # the rest is kept
    expect(page.locator('[name="households_city.multi_storey"]')).to_have_value("30000")

    before = page.url
    other = tmp_path / "notes.xlsx"
    other.write_bytes(b"PK\x03\x04 not a workbook")
    for path in (other, tmp_path / "notes.txt"):
        if path.suffix == ".txt":
            path.write_text("hello", "utf-8")
        open_file(page, path)
        expect(page.locator("#action-status")).to_have_text(
            CATALOGS["en"]["sheets"]["unreadable"].replace("{file}", path.name), timeout=LOAD_TIMEOUT)
        assert page.url == before  # nothing changed
    expect(page.locator('[name="cleaners"]')).to_have_value("2")


def test_xlsx_is_made_offline_after_the_first_visit(new_page, site_url, tmp_path):
    page = open_page(new_page, site_url)
    page.evaluate(WORKER_ACTIVE)  # every file precached, the wheels among them
    assert wheel_requests(page.requested) == []  # the page itself has not asked for them
    page.context.set_offline(True)
    page.reload(wait_until="commit", timeout=LOAD_TIMEOUT)
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    path = save(page, page.get_by_test_id("download-xlsx").click, tmp_path)
    book = openpyxl.load_workbook(path)
    totals = {row[0].value: row[1].value for row in book[CATALOGS["ru"]["sheets"]["totals"]].iter_rows(min_row=2)}
    assert totals[CATALOGS["ru"]["sheets"]["total"]] == 73
    open_file(page, path)  # and read back offline: openpyxl from the cache too
    expect(page.locator("#action-status")).to_have_text(
        CATALOGS["ru"]["sheets"]["opened"].replace("{file}", path.name), timeout=LOAD_TIMEOUT)


# --- Real visitors: storage blocked in another site's iframe, a broken wheel download -------

@pytest.fixture
def allowed_origins(request):
    """The host page of the iframe test is another site; nothing else is."""
    if "host_url" not in request.fixturenames:
        return []
    return [request.getfixturevalue("host_url").rsplit("/", 1)[0] + "/"]


@pytest.mark.parametrize("profile", ["normal", "cookies-blocked"])
def test_xlsx_and_open_file_in_a_cross_site_iframe(new_page, host_url, tmp_path, profile):
    page = new_page(profile=profile)
    page.goto(host_url + "#" + link.encode(EXAMPLE, {"actual": ACTUAL}), wait_until="commit", timeout=LOAD_TIMEOUT)
    frame = page.frame_locator("#kea")
    frame.locator('[data-testid="ready"]').wait_for(state="attached", timeout=2 * LOAD_TIMEOUT)
    path = save(page, frame.get_by_test_id("download-xlsx").click, tmp_path)
    sheets = CATALOGS["ru"]["sheets"]
    totals = {row[0].value: row[1].value for row in openpyxl.load_workbook(path)[sheets["totals"]].iter_rows(min_row=2)}
    assert totals[sheets["total"]] == 73
    frame.get_by_role("button", name=CATALOGS["ru"]["page"]["reset"]).click()
    expect(frame.get_by_test_id("total")).to_have_text("0")
    with page.expect_file_chooser() as chooser:
        frame.get_by_test_id("open-file").click()
    chooser.value.set_files(path)
    expect(frame.get_by_test_id("total")).to_have_text("73", timeout=LOAD_TIMEOUT)


@pytest.mark.parametrize("failure", ["refused", "truncated"])
def test_a_failed_wheel_download_is_said_and_the_next_click_succeeds(browser, site_url, tmp_path, failure):
    # no service worker: it would answer the wheel from its cache, past the test's route
    context = browser.new_context(service_workers="block")
    requests, broken = [], {"on": True}
    context.on("request", lambda request: requests.append(request.url))

    def route(handled):
        if not broken["on"]:
            return handled.continue_()
        if failure == "refused":
            return handled.abort("connectionrefused")
        whole = handled.fetch().body()
        return handled.fulfill(status=200, body=whole[:len(whole) // 2], content_type="application/zip")

    context.route("**/wheels/*.whl.gz", route)
    try:
        page = context.new_page()
        page.goto(f"{site_url}#{link.encode(EXAMPLE)}", wait_until="commit", timeout=LOAD_TIMEOUT)
        wait_ready(page)
        page.get_by_test_id("download-xlsx").click()
        said = CATALOGS["ru"]["sheets"]["wheels_failed"].split("(")[0]
        expect(page.locator("#action-status")).to_contain_text(said, timeout=LOAD_TIMEOUT)
        expect(page.locator('[name="vehicles"]')).to_have_value("6")  # the form is as it was
        expect(page.locator("#engine-error")).to_be_hidden()  # not a bug of the calculator
        broken["on"] = False
        path = save(page, page.get_by_test_id("download-xlsx").click, tmp_path)
        assert openpyxl.load_workbook(path).sheetnames[0] == CATALOGS["ru"]["sheets"]["calculation"]
    finally:
        context.close()
    assert all(url.startswith((site_url, "blob:", "data:")) for url in requests)
