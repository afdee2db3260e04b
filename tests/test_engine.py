"""Engine structure, table helpers, CLI and validation (unit tests)."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import ScenarioError, compute, load_norm
from engine.compute import round_half_up
from engine.tables import find_row, interpolate
from engine.trace import Log, fmt, render, render_step, texts
from golden_cases import case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = case("city_mid.v1")["scenario"]
EXAMPLE_FILE = ROOT / "docs" / "examples" / "city_mid.json"  # the same scenario, as a file
IDS = ["3.1.%d" % i for i in range(1, 19)] + [
    "3.2", "3.3.drivers", "3.3.repair", "3.3.specialist", "3.4", "3.5.guards", "3.5.leaders",
    "3.6", "3.6a"]


def test_functions_in_document_order_with_norm_titles_and_groups():
    result = compute({})
    norm = {f["id"]: f for f in load_norm()["functions"]}
    assert [f["id"] for f in result["functions"]] == IDS
    for f in result["functions"]:
        assert f["title"] == norm[f["id"]]["title"] and f["group"] == norm[f["id"]]["group"]
        assert isinstance(f["value"], float) and f["trace"]
    assert list(result) == ["total", "total_exact", "production_base", "groups", "functions",
                            "warnings", "rulings_edition", "readings", "alternatives", "thresholds"]
    assert list(compute({"version": 1})) == list(result) + ["current"]


def test_every_trace_line_names_its_function():
    result = compute(EXAMPLE)
    for f in result["functions"]:
        assert all(line.startswith(f["id"] + ": ") for line in f["trace"]), f["id"]


def test_find_row_is_keyed_by_upper_bound():
    rows = [{"upto": 50}, {"upto": 150}, {"upto": None}]
    assert [find_row(rows, x)[0] for x in (0, 50, 50.0001, 150, 151, 10**9)] == [0, 0, 1, 1, 2, 2]
    assert find_row(rows[:2], 151) == (1, True)


def test_interpolate_clamps_and_explains():
    points = [(25, 3), (50, 7)]
    assert interpolate(points, 10)[0] == 3
    assert interpolate(points, 99)[0] == 7
    value, how = interpolate(points, 40)
    assert value == pytest.approx(5.4)
    assert render(how["key"], how["params"]) == "3 + (7 − 3) × (40 − 25) / (50 − 25) = 5,4"


def test_round_half_up_and_float_noise():
    assert round_half_up(72.5) == 73
    assert round_half_up(0.1 + 0.2 + 72.2) == 73  # 72.50000000000001 or 72.4999…: still 73
    assert round_half_up(72.4999) == 72
    assert round_half_up(0) == 0


def test_fmt_russian_numbers():
    assert fmt(30000) == "30\u202f000"
    assert fmt(0.6111111) == "0,611111"
    assert fmt(2.0) == "2"


def test_log_warn_records_warning_and_trace():
    log = Log("3.1.9")
    log.warn("R10", "3.1.8.beyond", {"contracts": 600, "top": 500})
    message = "договоров 600 тыс. больше последней строки таблицы (500 тыс.) — взята последняя строка"
    assert log.warnings == [{"id": "3.1.9", "ruling": "R10", "message": message,
                             "key": "3.1.8.beyond", "params": {"contracts": 600, "top": 500}}]
    assert [render_step(log.fid, step) for step in log.steps] == [f"3.1.9: внимание: {message} (R10)"]
    assert log.steps == [{"key": "warning", "ruling": "R10", "params": {
        "message": {"key": "3.1.8.beyond", "params": {"contracts": 600, "top": 500}}}}]


@pytest.mark.parametrize("scenario, field, code", [
    ({"version": 3}, "version", "version"),
    ({"version": 1.5}, "version", "version"),
    ({"version": 1, "readings": {}}, "readings", "unknown"),
    ({"readings": {"R12": "both"}}, "readings.R12", "reading"),
    ({"version": "1"}, "version", "version"),
    ({"colour": 1}, "colour", "unknown"),
    ({"it": {"printers": 1}}, "it.printers", "unknown"),
    ({"it": 5}, "it", "type"),
    ({"vehicles": "5"}, "vehicles", "type"),
    ({"vehicles": True}, "vehicles", "type"),
    ({"vehicles": None}, "vehicles", "null"),
    ({"vehicles": -1}, "vehicles", "negative"),
    ({"vehicles": 1.5}, "vehicles", "not_integer"),
    ({"vehicles": 10**400}, "vehicles", "too_large"),
    ({"cleaners": math.nan}, "cleaners", "not_finite"),
    ({"cleaners": math.inf}, "cleaners", "not_finite"),
    ({"households_city": {"two_tariff_share_pct": 100.5}}, "households_city.two_tariff_share_pct", "over_100"),
    ({"city_only": 1}, "city_only", "type"),
    ({"name": 7}, "name", "type"),
    ({"name": "x" * 201}, "name", "too_long"),
    ({"households_rural": {"households": 5, "district_centre_multi_storey": 6}},
     "households_rural.district_centre_multi_storey", "exceeds"),
])
def test_invalid_input_names_the_field(scenario, field, code):
    with pytest.raises(ScenarioError) as e:
        compute(scenario)
    assert [(p["field"], p["code"]) for p in e.value.problems] == [(field, code)]
    assert all(p["message"] for p in e.value.problems)


def test_all_problems_reported_at_once():
    with pytest.raises(ScenarioError) as e:
        compute({"vehicles": -1, "it": {"servers": 0.5, "x": 1}, "y": 2})
    assert {p["field"] for p in e.value.problems} == {"vehicles", "it.servers", "it.x", "y"}


@pytest.mark.parametrize("bad", [[], "text", 3, None])
def test_non_object_scenario_is_a_problem_not_a_crash(bad):
    with pytest.raises(ScenarioError):
        compute(bad)


def test_whole_floats_accepted_as_counts():
    assert compute({"vehicles": 7.0})["functions"][IDS.index("3.3.repair")]["value"] == 1.0


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "engine", *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")


def test_cli_prints_result_json():
    out = run_cli(str(EXAMPLE_FILE))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == compute(EXAMPLE)


def test_cli_text_report_in_russian():
    out = run_cli(str(EXAMPLE_FILE), "--text")
    assert out.returncode == 0
    assert "Итого нормативная численность: 72,974828 → 73" in out.stdout
    assert "3.1.12" in out.stdout and "(R1)" in out.stdout


def test_cli_reads_stdin_and_reports_problems():
    out = run_cli("-", stdin='{"it": {"servers": -1}}')
    assert out.returncode == 2 and "it.servers" in out.stderr and out.stdout == ""
    out = run_cli("-", stdin="{not json")
    assert out.returncode == 2 and "JSON" in out.stderr


def test_every_trace_line_cites_a_ruling():
    """Each step names the ruling it applied, as «(R2)» or «(п. 1.4, R2)» at the line's end."""
    sys.path.insert(0, str(ROOT / "tests"))
    import golden_cases

    cited = re.compile(r"\((?:[^()]*, )?R\d+\)$")
    for scenario in [case["scenario"] for case in golden_cases.all_cases()] + [{}]:
        for f in compute(scenario)["functions"]:
            assert all(cited.search(line) for line in f["trace"]), f["trace"]


def test_cli_text_report_prints_alternatives_and_thresholds(tmp_path):
    """The version-2 worked example: total 73, P 62,974828, R1 → 70, the P edge at 100."""
    scenario = {**EXAMPLE, "version": 2}
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(scenario), "utf-8")
    out = run_cli(str(path), "--text")
    assert out.returncode == 0, out.stderr
    assert "Итого нормативная численность: 72,974828 → 73" in out.stdout
    assert "62,974828" in out.stdout
    assert "R1 none_below_first_row: итог 70" in out.stdout
    assert "P = 62,974828: граница 100" in out.stdout
    result = json.loads(run_cli(str(path)).stdout)
    assert result["rulings_edition"] == 2 and result["alternatives"][0]["total"] == 70


@pytest.mark.parametrize("name", ["city_mid.v1", "city_mid.v2", "rural.v2"])
def test_an_unrendered_result_is_the_same_result_without_its_trace_lines(name):
    """compute(…, rendered=False), the page's call: no Russian `trace`, the same steps and
    numbers; its steps render to exactly the trace lines of the full result."""
    scenario = case(name)["scenario"]
    full, bare = compute(scenario), compute(scenario, rendered=False)
    assert all("trace" not in fn for fn in bare["functions"])
    assert [{k: v for k, v in fn.items() if k != "trace"} for fn in full["functions"]] == bare["functions"]
    assert {k: v for k, v in full.items() if k != "functions"} == {k: v for k, v in bare.items() if k != "functions"}
    assert texts(bare, "ru")["trace"] == {fn["id"]: fn["trace"] for fn in full["functions"]}
    assert list(full["functions"][0]) == ["id", "title", "group", "value", "trace", "steps"]
