"""Compare two calculations (issue 14, item 5): the baseline in the link (engine.link
base.<key>) and the difference (engine.analysis.difference)."""

import json
from pathlib import Path

from hypothesis import given

import engine
from engine import analysis, link
from strategies import scenarios

CASES = Path(__file__).parent / "cases"
CITY = json.loads((CASES / "city_mid.v2.json").read_text("utf-8"))["scenario"]
OLD = json.loads((CASES / "city_mid.v1.json").read_text("utf-8"))["scenario"]


@given(scenarios(version=2), scenarios(version=1))
def test_baseline_round_trip_leaves_the_scenario_part_as_it_was(current, baseline):
    fragment = link.encode(current, {"lang": "kk", "baseline": baseline})
    assert fragment.startswith(link.encode(current, {"lang": "kk"}) + "&base.v=1&base.ed=")
    scenario, page, problems = link.decode_page(fragment)
    assert problems == []
    assert scenario == link.decode(link.encode(current))[0]
    assert page["baseline"] == link.decode(link.encode(baseline))[0]
    assert link.encode(scenario, page) == fragment


def test_a_link_without_base_reads_as_before():
    for scenario in (CITY, OLD, {}):
        fragment = link.encode(scenario, {"actual": {"workers": 40}})
        assert "base." not in fragment
        assert "baseline" not in link.decode_page(fragment)[1]


def test_bad_baseline_values_name_their_prefixed_field_and_keep_the_rest():
    scenario, page, problems = link.decode_page(
        "vehicles=3&base.vehicles=1.5&base.sales_sites=4&base.lang=kk&base.base.v=1&base.x=1")
    assert scenario == {"version": 2, "vehicles": 3}
    assert page == {"baseline": {"version": 2, "sales_sites": 4}}
    assert sorted((p["field"], p["code"]) for p in problems) == [
        ("base.base.v", "unknown"), ("base.lang", "unknown"), ("base.vehicles", "decimal_in_count"),
        ("base.x", "unknown")]


def test_difference_is_current_minus_baseline_everywhere():
    before, after = engine.compute(OLD), engine.compute({**CITY, "sales_sites": 25})
    diff = analysis.difference(before, after)
    assert diff["total"] == {"baseline": before["total"], "current": after["total"],
                             "difference": after["total"] - before["total"]}
    assert diff["total_exact"]["difference"] == after["total_exact"] - before["total_exact"]
    for group in after["groups"]:
        assert diff["groups"][group]["difference"] == after["groups"][group] - before["groups"][group]
    old = {f["id"]: f["value"] for f in before["functions"]}
    assert list(diff["functions"]) == [f["id"] for f in after["functions"]]
    for f in after["functions"]:
        assert diff["functions"][f["id"]] == {"baseline": old[f["id"]], "current": f["value"],
                                             "difference": f["value"] - old[f["id"]]}
