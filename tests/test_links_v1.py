"""Version-1 links shared in the past keep reading the same (tests/fixtures/links_v1.json).

The fixtures are kept forever: a change of the link format or of the reader that breaks an
old link fails here. Their numbers are the engine's own, recorded when they were written
(regression values; see the file's comment) — a deliberate change of a rule that moves them
is re-recorded on purpose, never to make this test pass.
"""

import json
import math
from pathlib import Path

import pytest

from engine import compute, link
from engine.scenario import normalize
from golden_cases import case

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "links_v1.json").read_text("utf-8"))
LINKS = FIXTURES["links"]
WORKED = case("city_mid.v1")


def test_the_fixtures_cover_what_they_promise():
    ids = {case["id"] for case in LINKS}
    assert {"city_mid", "rural", "cyrillic_name", "comma_decimal", "every_field"} <= ids
    assert all(case["fragment"].startswith("v=1&") for case in LINKS)
    every = next(case for case in LINKS if case["id"] == "every_field")
    assert all(value not in (0, False, "") for value in normalize(every["scenario"]).values())


@pytest.mark.parametrize("case", LINKS, ids=[case["id"] for case in LINKS])
@pytest.mark.parametrize("prefix", ["#", ""])
def test_old_link_reads_as_recorded(case, prefix):
    scenario, problems = link.decode(prefix + case["fragment"])
    assert problems == []
    assert normalize(scenario) == normalize(case["scenario"])
    result = compute(scenario)
    assert result["total"] == case["total"]
    assert math.isclose(result["total_exact"], case["total_exact"], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(result["production_base"], case["production_base"],
                        rel_tol=1e-12, abs_tol=1e-9)
    values = {f["id"]: f["value"] for f in result["functions"]}
    for fid, expected in case["functions"].items():
        assert math.isclose(values[fid], expected, rel_tol=1e-12, abs_tol=1e-9), fid
    assert sorted({f"{w['id']} {w['ruling']}" for w in result["warnings"]}) == case["warnings"]


def test_worked_example_link_is_the_golden_scenario():
    city = next(case for case in LINKS if case["id"] == "city_mid")
    assert normalize(link.decode(city["fragment"])[0]) == normalize(WORKED["scenario"])
    assert city["total"] == WORKED["expected"]["total"]


def test_hand_typed_link_reads_commas_and_spaces():
    case = next(case for case in LINKS if case["id"] == "comma_decimal")
    scenario, _ = link.decode(case["fragment"])
    flat = normalize(scenario)
    assert flat["cleaners"] == 1.5 and flat["households_rural.area_km2"] == 1250.75
    assert flat["households_city.multi_storey"] == 30000
