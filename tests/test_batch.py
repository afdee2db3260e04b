"""Batch (engine/batch.py, docs/BATCH.md): every golden case as one row of one table gives its
hand-checked numbers (tests/cases/*.json expected); bad rows name their fields while the
others compute; the output columns; CSV dialects (";" or "," or tab, decimal comma, cp1251,
BOM), the template's label row, XLSX in and out; the CLI's exit codes and messages."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import openpyxl
import pytest

import engine
from engine import batch, link
from golden_cases import FUNCTION_IDS, all_cases

ROOT = Path(__file__).resolve().parent.parent
CASES = all_cases()
CATALOG = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))
LABELS = {"v": "Версия", **{path: text["label"] for path, text in CATALOG["fields"].items()}}


def cells(scenario):
    """A scenario as the cells of a row: exactly its link's pairs (engine.link)."""
    return dict(parse_qsl(link.encode(scenario)))


def table_text(rows, separator=","):
    """CSV text of rows of {key: text}, header = the union of their keys."""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(keys)
    writer.writerows([row.get(key, "") for key in keys] for row in rows)
    return out.getvalue()


def run_text(text, encoding="utf-8"):
    return batch.run(batch.read_table(text.encode(encoding)))


def test_every_golden_case_as_a_row_gives_its_hand_checked_numbers():
    rows = run_text(table_text([cells(case["scenario"]) for case in CASES]))
    assert [row["row"] for row in rows] == list(range(2, len(CASES) + 2))
    for case, row in zip(CASES, rows):
        expected, tolerance = case["expected"], case["tolerance"]
        assert row["errors"] == [], case["id"]
        assert row["total"] == expected["total"], case["id"]
        assert row["total_exact"] == pytest.approx(expected["total_exact"], abs=tolerance)
        assert row["production_base"] == pytest.approx(expected["production_base"], abs=tolerance)
        for group, value in expected["groups"].items():
            assert row[group] == pytest.approx(value, abs=tolerance), (case["id"], group)
        for fid, value in expected["functions"].items():
            assert row[fid] == pytest.approx(value, abs=tolerance), (case["id"], fid)


def test_rows_equal_engine_compute_warnings_included():
    rows = run_text(table_text([cells(case["scenario"]) for case in CASES]))
    for case, row in zip(CASES, rows):
        result = engine.compute(case["scenario"])
        assert row["total_exact"] == result["total_exact"]
        assert [f["id"] for f in result["functions"]] == FUNCTION_IDS
        assert [row[fid] for fid in FUNCTION_IDS] == [f["value"] for f in result["functions"]]
        assert row["warnings"] == result["warnings"], case["id"]


def test_bad_rows_name_their_fields_and_the_others_compute():
    text = ("name;households_city.multi_storey;it.servers;own_delivery;contracts_thousand\n"
            "good;30000;4;1;40,5\n"
            "bad;-5;1.5;2;x\n"
            "also good;100;;0;\n")
    good, bad, other = run_text(text)
    assert good["total"] == engine.compute({"households_city": {"multi_storey": 30000}, "it": {"servers": 4},
                                            "own_delivery": True, "contracts_thousand": 40.5})["total"]
    assert other["total"] == engine.compute({"households_city": {"multi_storey": 100}})["total"]
    assert bad["total"] is None and bad["name"] == "bad"
    assert {p["field"] for p in bad["errors"]} == {"households_city.multi_storey", "it.servers",
                                                   "own_delivery", "contracts_thousand"}
    line = batch.to_csv([bad]).splitlines()[1]
    assert "households_city.multi_storey: " in line and "it.servers: " in line


def test_unknown_column_version_and_cross_field_problems():
    text = ("name,v,vehicls,households_rural.households,households_rural.district_centre_multi_storey\n"
            "a,2,3,,\n"
            "b,7,,,\n"
            "c,1,,10,20\n"
            "d,1,,20,10\n")
    a, b, c, d = run_text(text)
    assert [p["field"] for p in a["errors"]] == ["vehicls"]
    assert [p["field"] for p in b["errors"]] == ["version"]
    assert [p["field"] for p in c["errors"]] == ["households_rural.district_centre_multi_storey"]
    assert d["errors"] == [] and d["total"] == engine.compute(
        {"version": 1, "households_rural": {"households": 20, "district_centre_multi_storey": 10}})["total"]


def test_columns_exactly():
    header = batch.to_csv([]).strip().split(",")
    assert header == ["row", "name", "total", "total_exact", "production_base", "workers",
                      "production_specialists", "management", *FUNCTION_IDS, "warnings", "errors"]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_separators(separator):
    case = CASES[0]
    rows = run_text(table_text([cells(case["scenario"])], separator))
    assert rows[0]["total"] == case["expected"]["total"] and rows[0]["errors"] == []


def test_decimal_comma_spaces_bom_cp1251_and_excel_booleans():
    text = "name;contracts_thousand;households_city.multi_storey;own_delivery\nОрганизация;40,5;30 000;ИСТИНА\n"
    expected = engine.compute({"contracts_thousand": 40.5, "households_city": {"multi_storey": 30000},
                               "own_delivery": True})["total_exact"]
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1251")):
        [row] = batch.run(batch.read_table(data))
        assert row["errors"] == [] and row["total_exact"] == expected and row["name"] == "Организация"


def test_the_template_label_row_is_skipped_and_empty_rows_too():
    template = batch.template_csv(LABELS, "ru")
    header, labels = template.splitlines()
    assert header.split(";")[:3] == ["v", "name", "households_city.multi_storey"]
    assert labels.split(";")[0] == "Версия"
    rows = run_text(template + "2;A;30000\n;;\n")
    assert len(rows) == 1 and rows[0]["row"] == 3 and rows[0]["errors"] == []


def test_a_data_row_is_never_taken_for_labels():
    text = "name,households_city.multi_storey,own_delivery\nA,30000,\nB,x,y\n"
    assert [row["row"] for row in run_text(text)] == [2, 3]


def test_xlsx_template_in_and_results_out():
    book = openpyxl.load_workbook(io.BytesIO(batch.template_xlsx(LABELS)))
    sheet = book.worksheets[0]
    case = CASES[0]
    for key, text in cells(case["scenario"]).items():
        if key == "ed":  # the norm edition: not a column of the template (there is one)
            continue
        column = [c.value for c in sheet[1]].index(key) + 1
        sheet.cell(3, column, float(text) if text.replace(".", "").isdigit() else text)
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = batch.run(batch.read_table(buffer.getvalue()))
    assert row["row"] == 3 and row["errors"] == [] and row["total"] == case["expected"]["total"]
    out = openpyxl.load_workbook(io.BytesIO(batch.to_xlsx([row]))).worksheets[0]
    header = [c.value for c in out[1]]
    assert header == list(batch.COLUMNS)
    values = dict(zip(header, [c.value for c in out[2]]))
    assert values["total"] == case["expected"]["total"]
    assert values["total_exact"] == pytest.approx(case["expected"]["total_exact"], abs=1e-6)


def test_a_value_without_a_header_is_a_problem_of_its_row():
    good, bad = run_text("name,vehicles\nA,3\nB,3,7\n")
    assert good["errors"] == [] and bad["total"] is None
    assert [(p["field"], p["code"], p["params"]) for p in bad["errors"]] == [("", "no_header", {"column": 3})]
    assert batch.problem_text(bad["errors"][0]) == "(строка): значение в столбце 3, у которого нет заголовка"
    assert batch.problem_text(bad["errors"][0], "en") == "(row): a value in column 3, which has no header"


def test_warnings_and_problems_in_the_language_asked():
    bad, warned = run_text("name,vehicles,households_city.multi_storey\nbad,-1,\nwarned,,1000000\n")
    assert warned["warnings"], "a million city households give a warning (beyond the tables)"
    english = batch.to_csv([bad, warned], "en")
    russian = batch.to_csv([bad, warned])
    for item in warned["warnings"]:
        assert engine.trace.render(item["key"], item["params"], "en") in english
        assert item["message"] in russian
    assert engine.trace.problem_text(bad["errors"][0], "en") in english
    assert bad["errors"][0]["message"] in russian


@pytest.mark.parametrize("data,says", [(b"", "пуст"), (b"a,b\n1,2\n", "пути поля"),
                                       (b"PK\x03\x04broken", "XLSX")])
def test_unreadable_files(data, says):
    with pytest.raises(batch.BatchError, match=says):
        batch.run(batch.read_table(data))


# --- The CLI ---------------------------------------------------------------------------------

def cli(*args):
    done = subprocess.run([sys.executable, "-m", "engine", "batch", *map(str, args)], cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


def test_cli_all_good_csv_to_csv(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(table_text([cells(case["scenario"]) for case in CASES[:3]], ";"), "utf-8")
    code, out, err = cli(source, "-o", tmp_path / "out.csv")
    assert (code, out, err) == (0, b"", "")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8"))))
    assert [int(row["total"]) for row in rows] == [case["expected"]["total"] for case in CASES[:3]]
    assert [float(row["total_exact"]) for row in rows] == pytest.approx(
        [case["expected"]["total_exact"] for case in CASES[:3]], abs=1e-6)


def test_cli_bad_rows_exit_1_named_on_stderr_xlsx_out(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name,vehicles\nok,3\nbad,-1\n", "utf-8")
    code, out, err = cli(source, "-o", tmp_path / "out.xlsx")
    assert code == 1 and "строка 3: vehicles:" in err and "Traceback" not in err
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert [c.value for c in sheet["C"]][1:] == [engine.compute({"vehicles": 3})["total"], None]


@pytest.mark.parametrize("make,says", [
    (lambda tmp: (tmp / "missing.csv", tmp / "o.csv"), "файл не найден"),
    (lambda tmp: (tmp, tmp / "o.csv"), "каталог"),
    (lambda tmp: (write(tmp / "e.csv", b""), tmp / "o.csv"), "пуст"),
    (lambda tmp: (write(tmp / "b.xlsx", b"PK\x03\x04x"), tmp / "o.csv"), "XLSX"),
    (lambda tmp: (write(tmp / "a.csv", b"vehicles\n1\n"), tmp / "o.txt"), ".csv или .xlsx"),
    (lambda tmp: (write(tmp / "a.csv", b"vehicles\n1\n"), tmp / "no" / "o.csv"), "не удалось записать"),
])
def test_cli_refusals_exit_2_without_traceback(tmp_path, make, says):
    source, target = make(tmp_path)
    code, out, err = cli(source, "-o", target)
    assert code == 2 and out == b"" and says in err and "Traceback" not in err, err


def test_cli_in_english_and_kazakh(tmp_path):
    source = write(tmp_path / "in.csv", b"name,vehicles\nok,3\nbad,-1\n")
    code, out, err = cli(source, "--lang", "en")
    assert code == 1 and "row 3: vehicles: " in err and "rows with errors: 1 of 2" in err
    assert "Traceback" not in err and not re.search("[\u0400-\u04ff]", err + out.decode())
    code, _, err = cli(write(tmp_path / "e.csv", b""), "--lang", "kk")
    assert code == 2 and engine.trace.render("batch.empty", {}, "kk") in err


def write(path, data):
    path.write_bytes(data)
    return path


def test_cli_stdout_and_the_single_scenario_command_unchanged(tmp_path):
    source = write(tmp_path / "a.csv", b"vehicles\n3\n")
    code, out, _ = cli(source)
    assert code == 0 and out.decode().startswith("row,name,total,")
    scenario = write(tmp_path / "s.json", json.dumps({"vehicles": 3}).encode())
    done = subprocess.run([sys.executable, "-m", "engine", str(scenario)], cwd=ROOT, capture_output=True)
    assert json.loads(done.stdout)["total"] == engine.compute({"vehicles": 3})["total"]
