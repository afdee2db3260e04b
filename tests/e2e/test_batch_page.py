"""The batch page (batch.html, docs/BATCH.md) in Chromium: a file with good and bad rows is
uploaded; the table's numbers are engine.compute's, a bad row names its field in the page's
language and the others still compute; the results downloaded as CSV and XLSX parse back to
the same numbers; the template downloads with its label row; a row's link opens the
calculator with that organization's total; the kk page speaks Kazakh; offline after a first
visit. conftest's new_page fails a test on any request to another origin."""

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import openpyxl
import pytest

import engine
from engine import batch, link

ROOT = Path(__file__).resolve().parents[2]
CASES = [json.loads((ROOT / "tests" / "cases" / f"{name}.json").read_text("utf-8"))["scenario"]
         for name in ("city_mid.v2", "rural.v2", "city_mid.v1")]
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
PAGES = {"ru": "batch.html", "kk": "batch-kk.html", "en": "batch-en.html"}
CALCULATORS = {"ru": "", "kk": "kk.html", "en": "en.html"}
ARTIFACTS = ROOT / "test-artifacts"  # screenshots, gitignored
LOAD_TIMEOUT = 90_000  # ms: a cold Pyodide start on a busy 2-core machine
RUN_TIMEOUT = 120_000  # ms: a table computed, or an XLSX wheel loaded, on a busy machine


def table_file(tmp_path, separator=";"):
    """A CSV of the three golden scenarios (their links' cells) and a bad row between them:
    a negative count and a fraction in a whole-number field."""
    rows = [dict(parse_qsl(link.encode(scenario))) for scenario in CASES]
    rows.insert(1, {"name": "Плохая строка", "households_city.multi_storey": "-5", "vehicles": "1,5"})
    keys = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(keys)
    writer.writerows([row.get(key, "") for key in keys] for row in rows)
    path = tmp_path / "members.csv"
    path.write_text(out.getvalue(), "utf-8")
    return path


def open_batch(new_page, site_url, lang="ru"):
    page = new_page()
    page.goto(f"{site_url}{PAGES[lang]}", timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    return page


def upload(page, path):
    page.set_input_files('[data-testid="batch-file"]', str(path))
    rows = page.locator('[data-testid="batch-table"] tbody tr')
    rows.nth(3).wait_for(timeout=RUN_TIMEOUT)
    return rows


def save(page, testid, folder):
    with page.expect_download(timeout=RUN_TIMEOUT) as info:
        page.get_by_test_id(testid).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_upload_good_and_bad_rows_table_equals_engine(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url)
    rows = upload(page, table_file(tmp_path))
    assert rows.count() == 4
    good = [rows.nth(i) for i in (0, 2, 3)]
    for row, scenario in zip(good, CASES):
        result = engine.compute(scenario)
        total = row.get_by_test_id("row-total")
        assert total.inner_text() == str(result["total"])
        assert float(total.get_attribute("data-exact")) == result["total_exact"]
        assert float(row.get_by_test_id("row-production-base").get_attribute("data-value")) == result["production_base"]
        for group, value in result["groups"].items():
            assert float(row.get_by_test_id(f"row-{group}").get_attribute("data-value")) == value
        assert row.get_by_test_id("row-errors").inner_text() == ""
    bad = rows.nth(1)
    assert bad.get_by_test_id("row-total").inner_text() == "—"
    assert bad.get_by_test_id("open-row").count() == 0
    errors = bad.get_by_test_id("row-errors")
    assert set(errors.get_attribute("data-fields").split()) == {"households_city.multi_storey", "vehicles"}
    text = errors.inner_text()
    label = CATALOGS["ru"]["fields"]["households_city.multi_storey"]["label"]
    assert f"households_city.multi_storey ({label})" in text and "отрицательное" in text
    assert "4" in page.get_by_test_id("batch-status").inner_text()


def test_the_table_fits_a_laptop_screen_warnings_folded(new_page, site_url, tmp_path):
    """At 1280 px every column, the errors' included, is on screen without scrolling; a row's
    warnings fold under their count and open on a click."""
    page = new_page(1280, 800)
    page.goto(f"{site_url}{PAGES['ru']}", timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    rows = upload(page, table_file(tmp_path))
    scroll = page.locator(".table-scroll").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll[0] <= scroll[1], f"the table is wider than its box: {scroll}"
    errors_box = rows.nth(1).get_by_test_id("row-errors").bounding_box()
    assert errors_box["x"] + errors_box["width"] <= 1280
    warned = [i for i in range(4) if rows.nth(i).locator('[data-testid="row-warnings"] li').count()]
    assert warned, "the worked example has R1 warnings"
    cell = rows.nth(warned[0]).get_by_test_id("row-warnings")
    first = cell.locator("li").first
    assert not first.is_visible()
    cell.locator("summary").click()
    assert first.is_visible()
    cell.locator("summary").click()  # folded again for the screenshot (docs/batch.png is a copy)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "batch.png", full_page=True)


def test_results_download_as_csv_and_xlsx_and_parse_back(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url)
    upload(page, table_file(tmp_path))
    expected = [engine.compute(scenario) for scenario in CASES]
    text = save(page, "download-batch-csv", tmp_path).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # the ru page: ";" and decimal comma
    assert list(rows[0]) == list(batch.COLUMNS)
    assert [row["row"] for row in rows] == ["2", "3", "4", "5"]
    good = [rows[0], rows[2], rows[3]]
    assert [int(row["total"]) for row in good] == [result["total"] for result in expected]
    assert [float(row["total_exact"].replace(",", ".")) for row in good] == pytest.approx(
        [result["total_exact"] for result in expected], abs=1e-6)
    assert rows[1]["total"] == "" and "vehicles" in rows[1]["errors"]
    sheet = openpyxl.load_workbook(save(page, "download-batch-xlsx", tmp_path)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == list(batch.COLUMNS)
    values = [dict(zip(header, [cell.value for cell in row])) for row in sheet.iter_rows(min_row=2)]
    # a cell holds 15 significant digits (XlsxWriter, as Excel)
    assert [values[i]["total_exact"] for i in (0, 2, 3)] == pytest.approx(
        [result["total_exact"] for result in expected], rel=1e-14)
    assert values[1]["total"] is None and "households_city.multi_storey" in values[1]["errors"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_template_downloads_in_the_page_language(new_page, site_url, tmp_path, lang):
    page = open_batch(new_page, site_url, lang)
    header, labels = save(page, "template-csv", tmp_path).read_text("utf-8-sig").splitlines()
    assert header.split(";") == list(batch.TEMPLATE_KEYS)
    assert labels.split(";")[2] == CATALOGS[lang]["fields"]["households_city.multi_storey"]["label"]
    sheet = openpyxl.load_workbook(save(page, "template-xlsx", tmp_path)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(batch.TEMPLATE_KEYS)
    assert sheet.cell(2, 1).value == CATALOGS[lang]["batch"]["version_label"]
    # the template filled in and uploaded: its label row is skipped
    sheet.cell(3, 2, "Новая")
    sheet.cell(3, 3, 30000)
    filled = tmp_path / "filled.xlsx"
    sheet.parent.save(filled)
    page.set_input_files('[data-testid="batch-file"]', str(filled))
    row = page.locator('[data-testid="batch-table"] tbody tr').first
    row.wait_for(timeout=RUN_TIMEOUT)
    assert row.get_attribute("data-row") == "3"
    expected = engine.compute({"name": "Новая", "households_city": {"multi_storey": 30000}})["total"]
    assert row.get_by_test_id("row-total").inner_text() == str(expected)


def test_row_link_opens_the_calculator_with_that_total(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url, "kk")
    rows = upload(page, table_file(tmp_path, ","))
    href = rows.nth(2).get_by_test_id("open-row").get_attribute("href")
    assert href.startswith(f"{CALCULATORS['kk']}#")
    rows.nth(2).get_by_test_id("open-row").click()
    page.wait_for_url(f"{site_url}kk.html#*", timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    assert page.get_by_test_id("total").inner_text() == str(engine.compute(CASES[1])["total"])


def test_kk_page_is_in_kazakh(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url, "kk")
    texts = CATALOGS["kk"]["batch"]
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text() == texts["heading"]
    assert page.get_by_test_id("template-xlsx").inner_text() == texts["template_xlsx"]
    headings = page.locator('[data-testid="batch-table"] thead th').all_inner_texts()
    assert headings[:3] == [texts["col_row"], texts["col_name"], texts["col_total"]]
    rows = upload(page, table_file(tmp_path))
    errors = rows.nth(1).get_by_test_id("row-errors").inner_text()
    assert CATALOGS["kk"]["fields"]["vehicles"]["label"] in errors
    assert CATALOGS["kk"]["expected"]["count"] in errors


def test_unreadable_file_is_said_and_the_page_keeps_working(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url, "en")
    junk = tmp_path / "junk.csv"
    junk.write_text("hello,world\n1,2\n", "utf-8")
    page.set_input_files('[data-testid="batch-file"]', str(junk))
    status = page.get_by_test_id("batch-status")
    # "Computing junk.csv…" comes first: wait for the outcome, then check it names the file
    status.filter(has_text="cannot be read").wait_for(timeout=RUN_TIMEOUT)
    text = status.inner_text()
    assert "junk.csv" in text and "no scenario field path" in text  # the reason in English too
    upload(page, table_file(tmp_path))
    warnings = page.locator('[data-testid="batch-table"] [data-testid="row-warnings"] li').all_text_contents()
    assert warnings and not [w for w in warnings if re.search("[\u0400-\u04ff]", re.sub("«[^»]*»", "", w))]


def test_batch_page_works_offline_after_a_visit(new_page, site_url, tmp_path):
    page = open_batch(new_page, site_url)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed: this build is stored
    page.context.set_offline(True)
    page.reload()
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    rows = upload(page, table_file(tmp_path))
    assert rows.nth(0).get_by_test_id("row-total").inner_text() == str(engine.compute(CASES[0])["total"])
