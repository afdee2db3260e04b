"""The spreadsheet downloads (docs/EXPORTS.md) in CPython: the XLSX opened with openpyxl holds
the numbers of engine.compute — and the hand-computed worked example — under headings in
the page's language; the CSV parses with the csv module with ";" and decimal commas (ru, kk)
or "," and points (en), numbers to at most 6 decimals, the organization, date and link in it;
our JSON and XLSX read back to the same calculation, a damaged one is refused field by field
as a link is; the wheels the page loads are the pinned ones."""

import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import engine
from engine import export, link, xlsx
from engine.scenario import FIELDS
from web.build import wheels

ROOT = Path(__file__).resolve().parents[1]
CASE = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))
EXAMPLE = {**CASE["scenario"], "name": "ТОО «Энергосбыт», 2025"}
HAND = CASE["expected"]  # the worked example by hand (docs/examples)
ACTUAL = {"workers": 40, "production_specialists": 22.5, "management": 10}
CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
            for lang in link.LANGUAGES}
ADDRESS = "https://calc.example.kz/kea-1nt/"
DATE = "2026-03-31"
# a workbook number is written with 16 significant digits (Excel itself keeps 15)
EXACT = {"rel": 1e-15, "abs": 1e-15}


def calculation(lang="ru", scenario=EXAMPLE, actual=ACTUAL):
    return export.Calculation(scenario, engine.compute(scenario), CATALOGS[lang], actual, DATE, ADDRESS)


def workbook(calc):
    return openpyxl.load_workbook(io.BytesIO(xlsx.to_xlsx(calc)))


def rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def by_label(sheet):
    """{column A: column B} of a two-column sheet part."""
    return {row[0]: row[1] for row in rows(sheet) if row and row[0] is not None}


# --- XLSX -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", link.LANGUAGES)
def test_xlsx_sheets_are_headed_in_the_page_language(lang):
    sheets = CATALOGS[lang]["sheets"]
    book = workbook(calculation(lang))
    assert book.sheetnames == [sheets[key] for key in ("calculation", "functions", "totals",
                                                       "comparison", "alternatives", "thresholds")]
    results = CATALOGS[lang]["results"]
    assert rows(book[sheets["functions"]])[0] == [
        results["col_clause"], results["col_function"], results["col_group"],
        sheets["col_people"], results["trace"], sheets["col_warnings"]]
    calc_sheet = by_label(book[sheets["calculation"]])
    assert calc_sheet[sheets["organization"]] == "ТОО «Энергосбыт», 2025"
    assert calc_sheet[sheets["date"]] == datetime.datetime(2026, 3, 31)
    expected_link = f"{ADDRESS}#{link.encode(EXAMPLE, {'lang': lang, 'actual': ACTUAL})}"
    assert calc_sheet[sheets["link"]] == expected_link
    assert calc_sheet[sheets["rulings_edition"]] == 2
    assert calc_sheet[f"{sheets['reading']} R12"] == CATALOGS[lang]["readings"]["variants"]["R12"]["all_but_management"]
    assert calc_sheet[sheets["norm_edition"]].startswith("1-nt-2018: ")


def test_xlsx_functions_sheet_holds_the_engine_values_with_two_decimals_shown():
    calc = calculation()
    sheet = workbook(calc)[CATALOGS["ru"]["sheets"]["functions"]]
    table = rows(sheet)[1:]
    assert [row[0] for row in table] == [f["id"] for f in calc.result["functions"]]
    for row, fn, cells in zip(table, calc.result["functions"], list(sheet.iter_rows())[1:]):
        assert isinstance(row[3], (int, float)) and row[3] == pytest.approx(fn["value"], **EXACT)
        assert row[3] == pytest.approx(HAND["functions"][fn["id"]], abs=1e-9)  # the hand computation
        assert cells[3].number_format == "0.00"
        assert row[1] == CATALOGS["ru"]["functions"][fn["id"]] == fn["title"]
        assert row[2] == CATALOGS["ru"]["groups"][fn["group"]]
        assert row[4] == "\n".join(fn["trace"])
    warned = {row[0] for row in table if row[5]}
    assert {"3.1.12", "3.1.18"} <= warned  # R1: P below the tables' first rows


def test_xlsx_totals_comparison_alternatives_and_thresholds():
    calc = calculation("en")
    sheets, results = CATALOGS["en"]["sheets"], CATALOGS["en"]["results"]
    book = workbook(calc)
    totals = by_label(book[sheets["totals"]])
    assert totals[sheets["total"]] == HAND["total"] == 73
    assert book[sheets["totals"]]["B2"].number_format == "0"
    assert totals[sheets["total_exact"]] == pytest.approx(HAND["total_exact"], **EXACT)
    for group, value in HAND["groups"].items():
        assert totals[CATALOGS["en"]["groups"][group]] == pytest.approx(value, **EXACT)
    assert totals[results["production_base"]] == pytest.approx(HAND["production_base"], **EXACT)

    comparison = rows(book[sheets["comparison"]])
    by_group = {row[0]: row[1:] for row in comparison[1:]}
    workers = by_group[CATALOGS["en"]["groups"]["workers"]]
    assert workers[0] == 40 and workers[1] == pytest.approx(HAND["groups"]["workers"], **EXACT)
    assert workers[2] == pytest.approx(40 - HAND["groups"]["workers"], **EXACT)
    assert workers[3] == pytest.approx((40 - HAND["groups"]["workers"]) / HAND["groups"]["workers"], **EXACT)
    assert by_group[results["total_row"]][:3] == [72.5, 73, -0.5]  # against the rounded total

    alternatives = rows(book[sheets["alternatives"]])[1:]
    assert [(row[0], row[2], row[4]) for row in alternatives] == [
        (a["ruling"], a["total"], a["delta"]) for a in calc.result["alternatives"]]
    assert alternatives[0][1] == CATALOGS["en"]["readings"]["variants"]["R1"]["none_below_first_row"]
    thresholds = rows(book[sheets["thresholds"]])[1:]
    assert [row[2] for row in thresholds] == [t["next_edge"] for t in calc.result["thresholds"]]
    assert thresholds[0][0] == CATALOGS["en"]["readings"]["factors"]["production_base"]


def test_xlsx_inputs_carry_every_field_with_its_label():
    sheets = CATALOGS["kk"]["sheets"]
    table = rows(workbook(calculation("kk"))[sheets["calculation"]])
    start = next(i for i, row in enumerate(table) if row[0] == sheets["col_field"])
    inputs = {row[0]: row[1:] for row in table[start + 1:] if row[0]}
    assert set(inputs) == {path for path, _ in FIELDS} | {f"actual.{group}" for group in ACTUAL}
    assert inputs["vehicles"] == [CATALOGS["kk"]["fields"]["vehicles"]["label"], 6]
    assert inputs["city_only"][1] == sheets["yes"] and inputs["guaranteed_supplier"][1] == sheets["no"]
    assert inputs["actual.production_specialists"][1] == 22.5


def test_xlsx_never_makes_a_formula_of_a_name():
    calc = calculation(scenario={**EXAMPLE, "name": "=HYPERLINK(\"http://evil\")"})
    sheet = workbook(calc)[CATALOGS["ru"]["sheets"]["calculation"]]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == CATALOGS["ru"]["sheets"]["organization"])
    assert cell.data_type == "s" and cell.value == calc.scenario["name"]


# --- CSV ------------------------------------------------------------------------------------

NUMBER = {"ru": re.compile(r"^-?\d+(,\d{1,6})?$"), "en": re.compile(r"^-?\d+(\.\d{1,6})?$")}


def parsed_csv(lang):
    calc = calculation(lang)
    text = export.to_csv(calc)
    delimiter = {"ru": ";", "kk": ";", "en": ","}[lang]
    return calc, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("lang, decimal", [("ru", ","), ("kk", ","), ("en", ".")])
def test_csv_reads_in_a_spreadsheet_of_the_page_language(lang, decimal):
    calc, table = parsed_csv(lang)
    sheets, results = CATALOGS[lang]["sheets"], CATALOGS[lang]["results"]
    info = {row[0]: row[1] for row in table if len(row) == 2}
    assert info[sheets["organization"]] == EXAMPLE["name"]
    assert info[sheets["date"]] == DATE
    assert info[sheets["link"]] == calc.link
    header = table.index([results["col_clause"], results["col_function"], results["col_group"],
                          sheets["col_people"], results["trace"], sheets["col_warnings"]])
    functions = table[header + 1:header + 1 + len(calc.result["functions"])]
    for row, fn in zip(functions, calc.result["functions"]):
        assert row[0] == fn["id"] and row[2] == CATALOGS[lang]["groups"][fn["group"]]
        assert NUMBER["en" if decimal == "." else "ru"].match(row[3]), row[3]
        assert float(row[3].replace(decimal, ".")) == pytest.approx(fn["value"], abs=5e-7)
        assert float(row[3].replace(decimal, ".")) == pytest.approx(HAND["functions"][fn["id"]], abs=1e-6)
        assert row[4] == " | ".join(fn["trace"])
    assert info[sheets["total"]] == "73"
    assert info[sheets["total_exact"]] == f"72{decimal}974828"  # 72.97482785714286, 6 decimals
    comparison = table.index([results["col_group"], results["col_actual"], results["col_normative"],
                              results["col_difference"], results["col_percent"]])
    assert table[comparison + 1][:2] == [CATALOGS[lang]["groups"]["workers"], "40"]
    assert table[-1][:4] == [results["total_row"], f"72{decimal}5", "73", f"-0{decimal}5"]


def test_csv_numbers_have_at_most_six_decimals_and_no_negative_zero():
    assert export.csv_number(24.072000000000003, ",") == "24,072"
    assert export.csv_number(0.5583333333333333, ",") == "0,558333"
    assert export.csv_number(0.8571428571428571) == "0.857143"
    assert export.csv_number(-1e-9) == "0" and export.csv_number(0.0) == "0"
    assert export.csv_number(73) == "73" and export.csv_number(12.0) == "12"


def test_csv_text_a_spreadsheet_would_run_as_a_formula_is_quoted():
    calc = calculation("en", scenario={**EXAMPLE, "name": "=1+2"})
    info = {row[0]: row[1] for row in csv.reader(io.StringIO(export.to_csv(calc))) if len(row) == 2}
    assert info[CATALOGS["en"]["sheets"]["organization"]] == "'=1+2"


# --- Reading a file back --------------------------------------------------------------------

def reopened(fragment):
    scenario, page, problems = link.decode_page(fragment)
    return scenario, page.get("actual", {}), problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_our_xlsx_reads_back_to_the_same_calculation(lang):
    calc = calculation(lang)
    scenario, actual, problems = reopened(xlsx.fragment_of_xlsx(xlsx.to_xlsx(calc)))
    assert problems == [] and actual == ACTUAL
    assert scenario == link.decode(link.encode(EXAMPLE))[0]
    assert engine.compute(scenario) == calc.result
    assert "lang=" not in xlsx.fragment_of_xlsx(xlsx.to_xlsx(calc))  # opens in the page it is opened in


def test_our_json_reads_back_and_a_version_1_file_keeps_its_numbers():
    for scenario in (EXAMPLE, {**EXAMPLE, "version": 1}):
        result = engine.compute(scenario)
        back, actual, problems = reopened(export.fragment_of_json(export.to_json(scenario, result, ACTUAL)))
        assert problems == [] and actual == ACTUAL
        assert back["version"] == scenario["version"]
        assert engine.compute(back) == result
    # a bare scenario (SCENARIO.md, as the CLI reads it) opens too
    back, _, problems = reopened(export.fragment_of_json(json.dumps(EXAMPLE)))
    assert problems == [] and engine.compute(back) == engine.compute(EXAMPLE)


def test_a_damaged_json_is_refused_field_by_field_and_keeps_the_rest():
    document = json.loads(export.to_json(EXAMPLE, engine.compute(EXAMPLE)))
    document["scenario"].update(vehicles="six", bogus=1, cleaners=-2)
    document["scenario"]["it"]["servers"] = [4]
    document["edition"]["id"] = "2-nt-2030"
    scenario, _, problems = reopened(export.fragment_of_json(json.dumps(document)))
    assert sorted((p["field"], p["code"]) for p in problems) == [
        ("bogus", "unknown"), ("cleaners", "negative"), ("ed", "edition"), ("it.servers", "type"),
        ("vehicles", "type")]
    assert scenario["households_city"] == EXAMPLE["households_city"]  # the rest is kept
    assert scenario["guard_posts"] == EXAMPLE["guard_posts"]


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_file_that_is_no_json_object_is_unreadable(content):
    with pytest.raises((export.UnreadableFile, UnicodeDecodeError)):
        export.fragment_of_json(content.decode("utf-8"))


def foreign_workbook():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_string(0, 0, "#v=2&vehicles=6")  # a link, but not in our cell
    book.close()
    return buffer.getvalue()


def damaged_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not xml")
    return buffer.getvalue()


# ids: the workbooks carry their creation time, and test ids must be the same in every run
@pytest.mark.parametrize("content", [foreign_workbook(), damaged_zip(), b"PK\x03\x04garbage"],
                         ids=["foreign-workbook", "damaged-zip", "zip-header-only"])
def test_another_xlsx_or_a_damaged_one_is_unreadable(content):
    with pytest.raises(export.UnreadableFile):
        xlsx.fragment_of_xlsx(content)


# --- The wheels the page loads --------------------------------------------------------------

def test_the_page_wheels_are_the_pinned_ones_the_tests_use():
    pinned = {name.lower(): version for name, version, _ in wheels.pins()}
    assert pinned == {"xlsxwriter": "3.3.1", "openpyxl": "3.1.5", "et-xmlfile": "2.0.0"}
    tests = dict(line.split("==") for line in (ROOT / "requirements-test.txt").read_text("utf-8").splitlines()
                 if "==" in line and not line.startswith("#"))
    assert {name.lower(): version for name, version in tests.items() if name.lower() in pinned} == pinned
    assert set(xlsx.WRITE_WHEELS) | set(xlsx.READ_WHEELS) == set(pinned)
    assert xlsx.missing(xlsx.WRITE_WHEELS) == [] and xlsx.missing(xlsx.READ_WHEELS) == []


def test_a_cached_wheel_without_the_pinned_hash_is_not_copied(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "xlsxwriter-3.3.1-py3-none-any.whl").write_bytes(b"another build of it")
    assert ("XlsxWriter", "3.3.1", wheels.pins()[0][2]) in wheels.missing(cache)
    with pytest.raises(SystemExit, match="XlsxWriter==3.3.1"):
        wheels.copy_wheels(tmp_path / "dist", cache)
    assert not (tmp_path / "dist" / "wheels" / "xlsxwriter-3.3.1-py3-none-any.whl").exists()


def test_importing_the_engine_imports_no_spreadsheet_library():
    """The engine computes with the standard library; the page's start-up (and its memory
    snapshot, which imports what main.py imports) never loads a wheel."""
    import subprocess
    import sys
    code = ("import sys, engine, engine.export, engine.xlsx; "
            "print(sorted(m for m in ('xlsxwriter', 'openpyxl', 'et_xmlfile') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
