"""Edition 2 of the rulings (RULINGS.md "Editions"): one test per new or changed ruling —
R12, R15, R22, R6's overlap warning, R23 (each rule), R24, R25 (each variant), R26 — plus
versions, readings, steps and the worked example. Expected numbers are hand arithmetic from
the norm's tables (cited in comments), not the engine's output."""

import json
from pathlib import Path

import pytest

from engine import ScenarioError, compute, link
from engine.trace import render_step
from golden_cases import case

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"  # copies of the shared examples
HERE = Path(__file__).parent
TOL = dict(abs=1e-6)


def val(r, fid):
    return next(f["value"] for f in r["functions"] if f["id"] == fid)


def keys(r, fid=None):
    return [w["key"] for w in r["warnings"] if fid is None or w["id"] == fid]


def codes(scenario):
    with pytest.raises(ScenarioError) as e:
        compute(scenario)
    return [(p["field"], p["code"]) for p in e.value.problems], e.value.problems


def example():
    return {**case("city_mid.v1")["scenario"], "version": 2}


# 7 vehicles, 2 cleaners: 3.3 drivers 7 + repair 7/7 = 1 + specialist 1 (≤25) + 3.4 2 = 11
SMALL = {"vehicles": 7, "cleaners": 2}
# P = 11 < 100, column «до 10»: 3.1.11 1, 3.1.12 1 (first row, R1), 3.1.13 2, 3.1.14 0.5,
# 3.1.15 1, 3.1.16 0.5, 3.1.17 0 (no consumers), 3.1.18 2 → 8; 3.6a 0.5 % of 0 = 0
SMALL_MANAGEMENT = {"3.1.11": 1, "3.1.12": 1, "3.1.13": 2, "3.1.14": 0.5, "3.1.15": 1,
                    "3.1.16": 0.5, "3.1.17": 0, "3.1.18": 2}


# --- versions and readings -----------------------------------------------------------------

def test_version_2_is_the_default_and_1_stays_valid():
    assert compute({})["rulings_edition"] == 2
    assert compute({"version": 1})["rulings_edition"] == 1
    assert compute({"version": 2})["readings"] == {
        "R12": "all_but_management", "R7": "literal", "R9": "proportional", "R1": "first_row"}
    assert compute({"version": 1})["readings"] == {}
    assert codes({"version": 3})[0] == [("version", "version")]


def test_unknown_reading_names_the_field_and_lists_the_variants():
    found, problems = codes({"readings": {"R12": "both"}})
    assert found == [("readings.R12", "reading")]
    assert "all_but_management" in problems[0]["message"] and "tables" in problems[0]["message"]
    assert codes({"readings": {"R99": "x"}})[0] == [("readings.R99", "reading")]
    assert codes({"readings": "tables"})[0] == [("readings", "type")]
    assert codes({"version": 1, "readings": {"R12": "tables"}})[0] == [("readings", "unknown")]


# --- R12, R15, R22 -------------------------------------------------------------------------

def test_r12_p_is_everything_but_management():
    r = compute(SMALL)
    assert r["production_base"] == pytest.approx(11, **TOL)
    assert {fid: val(r, fid) for fid in SMALL_MANAGEMENT} == SMALL_MANAGEMENT
    assert r["total_exact"] == pytest.approx(19, **TOL) and r["total"] == 19
    one = compute({**SMALL, "version": 1})  # edition 1: P = 3.1.1–3.1.10 = 0 → no management
    assert one["production_base"] == 0 and one["total"] == 11


def test_r12_3_6a_keeps_its_own_base():
    # 3.1.9: 40 numbers → 1.0; 3.6a = 0.5 % of 3.1.1–3.1.10 = 0.005, not of P = 1 + 7 + 1 + 1 + 2
    r = compute({**SMALL, "ats_numbers": 40})
    assert val(r, "3.6a") == pytest.approx(0.005, **TOL)
    assert r["production_base"] == pytest.approx(12.005, **TOL)


def test_r15_metering_staff_in_the_total_and_in_p_named_apart():
    r = compute({"metering_staff": 3.5})
    assert val(r, "3.2") == 3.5 and r["production_base"] == 3.5
    assert "в т.ч. по п. 3.2" in "\n".join(next(f for f in r["functions"] if f["id"] == "3.2")["trace"])
    # P = 3.5 → management by the first rows: 1 + 1 + 2 + 0.5 + 1 + 0.5 + 0 + 2 = 8
    assert r["total_exact"] == pytest.approx(11.5, **TOL)
    assert compute({"version": 1, "metering_staff": 3.5})["production_base"] == 0


def test_r22_groups_per_edition():
    two = compute({"metering_staff": 2})
    assert next(f for f in two["functions"] if f["id"] == "3.2")["group"] == "workers"
    one = compute({"version": 1, "metering_staff": 2})
    assert next(f for f in one["functions"] if f["id"] == "3.2")["group"] == "production_specialists"
    assert one["groups"]["production_specialists"] == 2 and one["groups"]["workers"] == 0


# --- R6 overlap ------------------------------------------------------------------------------

@pytest.mark.parametrize("households, overlap", [(1000, False), (1001, True), (1050, True),
                                                 (1100, True), (1101, False)])
def test_r6_overlap_of_the_printed_bands(households, overlap):
    # area 1000 km² → density = households; (1000, 1100] is printed in «201-1100» and «1001-1300»
    scenario = {"households_rural": {"households": households, "area_km2": 1000}, "sales_sites": 1}
    r = compute(scenario)
    assert ("3.1.2.overlap" in keys(r, "3.1.2")) == overlap
    rate = 1.3 if households <= 1100 else 1.25
    assert val(r, "3.1.2") == pytest.approx(households * rate / 1000, **TOL)
    assert "3.1.2.overlap" not in keys(compute({**scenario, "version": 1}))


# --- R23 -----------------------------------------------------------------------------------

def r23(scenario):
    r = compute(scenario)
    return [(w["key"], w["fields"][:2]) for w in r["warnings"] if w["ruling"] == "R23"], r


def test_r23_city_only_with_rural_inputs():
    found, r = r23({"city_only": True, "households_rural": {"households": 500},
                    "rural_network_districts": 2})
    assert found == [("R23.city_only", ["city_only", "households_rural.households"]),
                     ("R23.city_only", ["city_only", "rural_network_districts"])]
    assert val(r, "3.1.8") == 2  # values kept: 2 districts × 1


def test_r23_no_urban_consumers_with_city_consumers():
    found, _ = r23({"households_city": {"individual": 100}, "urban_consumers": 0, "sales_sites": 0})
    assert found == [("R23.no_urban", ["urban_consumers", "households_city.individual"])]


def test_r23_urban_consumers_above_all_consumers():
    found, r = r23({"households_city": {"multi_storey": 1000}, "urban_consumers": 1001})
    assert found == [("R23.urban_above_all", ["urban_consumers", "households_city.multi_storey"])]
    assert "urban_consumers" in r["warnings"][-1]["message"]
    assert r23({"households_city": {"multi_storey": 1000}, "urban_consumers": 1000})[0] == []


def test_r23_no_sales_sites_with_rural_consumers():
    found, _ = r23({"agricultural": {"consumers": 10}})
    assert found == [("R23.no_sites", ["sales_sites", "agricultural.consumers"])]
    assert r23({"agricultural": {"consumers": 10}, "sales_sites": 1})[0] == []


def test_r23_contracts_probably_in_units():
    # 20 thousand contracts = 20 000 > 10 × 1 500 consumers
    found, _ = r23({"households_city": {"multi_storey": 1500}, "urban_consumers": 1500,
                    "contracts_thousand": 20})
    assert found == [("R23.contracts_units", ["contracts_thousand", "households_city.multi_storey"])]
    assert r23({"households_city": {"multi_storey": 1500}, "urban_consumers": 1500,
                "contracts_thousand": 15})[0] == []


def test_r23_not_in_edition_1():
    assert r23({"version": 1, "agricultural": {"consumers": 10}})[0] == []


# --- R24 -----------------------------------------------------------------------------------

def test_r24_thresholds_for_p_and_sales_sites():
    r = compute({**SMALL, "sales_sites": 12})  # P 11, column «11-15» (same cells as «до 10»)
    p, sites = r["thresholds"]
    assert p["factor"] == "production_base" and p["next_edge"] == 100
    assert p["distance"] == pytest.approx(89, **TOL)
    # past 100: 3.1.11 1 → 2, 3.1.13 2 → 3, 3.1.14 0.5 → 1 (3.1.12, 3.1.18 start at 100)
    assert p["functions"] == {"3.1.11": 2, "3.1.13": 3, "3.1.14": 1}
    assert p["total_exact"] == pytest.approx(19 + 1 + 1 + 0.5, **TOL)
    assert sites["factor"] == "sales_sites" and sites["next_edge"] == 15 and sites["distance"] == 3
    # column «16-25»: 3.1.11 2, 3.1.12 2, 3.1.13 3, 3.1.14 1, 3.1.15 2, 3.1.16 1
    assert sites["functions"] == {"3.1.11": 2, "3.1.12": 2, "3.1.13": 3, "3.1.14": 1,
                                  "3.1.15": 2, "3.1.16": 1}
    assert sites["total_exact"] == pytest.approx(24, **TOL)


def test_r24_consumers_of_3_1_17_and_nothing_for_zero_or_city_only():
    r = compute({"households_city": {"multi_storey": 20000}, "urban_consumers": 20000,
                 "city_only": True})
    # 20 thousand consumers: «до 20» → 1; past 20 → «21-40» → 2
    (p, consumers) = r["thresholds"]
    assert consumers == {"factor": "consumers_thousand", "value": 20, "next_edge": 20,
                         "distance": 0, "total_exact": pytest.approx(r["total_exact"] + 1, **TOL),
                         "functions": {"3.1.17": 2}}
    assert compute({})["thresholds"] == []


# --- R25 -----------------------------------------------------------------------------------

def switched(scenario, ruling, variant):
    return compute({**scenario, "readings": {ruling: variant}})


def check_listed(scenario, ruling, variant):
    """The alternative is listed with exactly the total of the switched compute."""
    r, other = compute(scenario), switched(scenario, ruling, variant)
    (alt,) = [a for a in r["alternatives"] if a["ruling"] == ruling]
    assert alt == {"ruling": ruling, "variant": variant, "total": other["total"],
                   "total_exact": other["total_exact"],
                   "delta": other["total_exact"] - r["total_exact"]}
    return r, other


def test_r25_r12_tables():
    r, other = check_listed(SMALL, "R12", "tables")
    assert other["production_base"] == 0 and other["total"] == 11 and r["total"] == 19


def test_r25_r7_from_table_edge():
    # 3.1.7 at 2 000 consumers, 3 750 meters: the table's last cell 4.9 (rows to 1 500);
    # literal: flat up to 5 100 consumers (a warning); from the edge: + 0.2 × 500 / 900
    scenario = {"agricultural": {"consumers": 2000, "meters": 3750}, "sales_sites": 1}
    r, other = check_listed(scenario, "R7", "from_table_edge")
    assert val(r, "3.1.7") == pytest.approx(4.9, **TOL) and "R7" in {
        w["ruling"] for w in r["warnings"] if w["id"] == "3.1.7"}
    assert val(other, "3.1.7") == pytest.approx(4.9 + 0.2 * 500 / 900, **TOL)
    assert not [w for w in other["warnings"] if w["id"] == "3.1.7"]


def test_r25_r9_per_full_25000():
    scenario = {"urban_consumers": 60000}  # proportional 60 000 / 25 000 = 2.4; full: 2
    r, other = check_listed(scenario, "R9", "per_full_25000")
    assert val(r, "3.1.8") == pytest.approx(2.4, **TOL) and val(other, "3.1.8") == 2


def test_r25_r1_none_below_first_row():
    r, other = check_listed(SMALL, "R1", "none_below_first_row")
    assert val(other, "3.1.12") == 0 and val(other, "3.1.18") == 0
    assert other["total_exact"] == pytest.approx(19 - 1 - 2, **TOL)
    assert not [w for w in other["warnings"] if w["id"] in ("3.1.12", "3.1.18")]


def test_r25_nothing_listed_when_no_switch_changes_the_total():
    assert compute({})["alternatives"] == [] and compute({"version": 1})["alternatives"] == []


# --- the worked example, edition 2 -----------------------------------------------------------

def test_worked_example_as_version_2():
    expected = json.loads((EXAMPLES / "city_mid.v2.expected.json").read_text("utf-8"))
    r = compute(example())
    assert r["total"] == expected["total"] == 73
    assert r["production_base"] == pytest.approx(62.974828, **TOL)
    assert r["groups"] == pytest.approx(expected["groups"], **TOL)
    assert {f["id"]: f["value"] for f in r["functions"]} == pytest.approx(expected["functions"], **TOL)
    assert [(a["ruling"], a["variant"], a["total"]) for a in r["alternatives"]] == [
        ("R1", "none_below_first_row", 70)]
    assert r["alternatives"][0]["total_exact"] == pytest.approx(69.974828, **TOL)
    assert r["alternatives"][0]["delta"] == pytest.approx(-3.0, **TOL)
    p = expected["thresholds"]["production_base"]
    assert r["thresholds"][0] == {"factor": "production_base",
                                  "value": pytest.approx(62.974828, **TOL),
                                  "next_edge": p["next_edge"],
                                  "distance": pytest.approx(p["distance"], **TOL),
                                  "total_exact": pytest.approx(p["total_exact"], **TOL),
                                  "functions": p["functions"]}


def test_version_1_result_states_the_current_total():
    r = compute({**example(), "version": 1})
    assert r["current"] == {"total": 73, "total_exact": pytest.approx(72.974828, **TOL)}
    assert r["alternatives"] == []


# --- steps and messages -------------------------------------------------------------------

def test_steps_are_the_trace_as_keys_and_numbers():
    r = compute(example())
    for f in r["functions"]:
        assert [render_step(f["id"], step) for step in f["steps"]] == f["trace"]
        assert all(set(step) <= {"key", "params", "ruling", "clause"} for step in f["steps"])
    step = next(f for f in r["functions"] if f["id"] == "3.1.1")["steps"][0]
    assert step["params"]["multi_storey"] == 30000 and step["ruling"] == "R5"
    for w in r["warnings"]:
        assert w["message"] and w["key"] and isinstance(w["params"], dict)


# --- links and R26 ------------------------------------------------------------------------

def test_link_v2_with_switched_readings():
    scenario = {"vehicles": 3, "readings": {"R12": "tables"}}
    fragment = link.encode(scenario)
    assert fragment == "v=2&ed=1-nt-2018&vehicles=3&readings.R12=tables"
    assert link.decode(fragment) == ({"version": 2, "vehicles": 3, "readings": {"R12": "tables"}}, [])
    assert link.encode({"readings": {"R12": "all_but_management"}}) == "v=2&ed=1-nt-2018"
    _, problems = link.decode("v=1&readings.R12=tables")
    assert [(p["field"], p["code"]) for p in problems] == [("readings.R12", "unknown")]
    _, problems = link.decode("readings.R12=bogus")
    assert [(p["field"], p["code"]) for p in problems] == [("readings.R12", "reading")]


def test_v1_link_reads_as_version_1():
    scenario, problems = link.decode("v=1&ed=1-nt-2018&vehicles=7&cleaners=2")
    assert problems == [] and scenario["version"] == 1
    assert compute(scenario)["total"] == 11 and compute(scenario)["current"]["total"] == 19


@pytest.mark.parametrize("text, code", [
    ("120.000", "decimal_in_count"), ("1,000", "decimal_in_count"), ("3.0", "decimal_in_count"),
    ("\u0661\u0662\u0663", "not_ascii_digits"), ("\uff11\uff12", "not_ascii_digits"),
])
def test_r26_typed_numbers_in_a_count(text, code):
    scenario, problems = link.from_form({"vehicles": text, "cleaners": "2"})
    assert [(p["field"], p["code"]) for p in problems] == [("vehicles", code)]
    assert scenario == {"version": 2, "cleaners": 2}  # the rest keeps its values


def test_r26_fractions_and_json():
    assert link.from_form({"cleaners": "1,5", "vehicles": "1 000"}) == (
        {"version": 2, "vehicles": 1000, "cleaners": 1.5}, [])
    _, problems = link.from_form({"cleaners": "\u0661,5"})
    assert [(p["field"], p["code"]) for p in problems] == [("cleaners", "not_ascii_digits")]
    assert val(compute({"vehicles": 3.0}), "3.3.drivers") == 3  # JSON keeps 3.0 a valid count
