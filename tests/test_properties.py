"""Property tests of compute (hypothesis, scenarios from tests/strategies.py): finite
non-negative results that add up; monotonicity in consumers and meters, where the only
excuse is the one warning that explains a drop (3.1.2, R6); independence of field order;
and, for version-2 scenarios, that `alternatives` (R25) and `thresholds` (R24) say what a
compute with that one change gives."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import compute
from engine.compute import round_half_up
from engine.readings import VARIANTS
from golden_cases import FUNCTION_IDS
from strategies import scenarios

SMALL = 500  # numbers up to 500: P, sales sites and consumers inside the management tables
CHANGE = 1e-9  # SCENARIO.md: an alternative is listed when it moves total_exact by more


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_results_are_finite_non_negative_and_add_up(scenario):
    r = compute(scenario)
    values = [f["value"] for f in r["functions"]]
    assert [f["id"] for f in r["functions"]] == FUNCTION_IDS
    assert all(math.isfinite(v) and v >= 0 for v in values)
    assert math.isclose(r["total_exact"], math.fsum(values), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(math.fsum(r["groups"].values()), r["total_exact"], rel_tol=1e-12,
                        abs_tol=1e-9)
    assert r["total"] == round_half_up(r["total_exact"])
    assert all(w["id"] in FUNCTION_IDS and w["message"].strip() for w in r["warnings"])


# (function id, fields whose growth must not lower it)
GROWING = [
    ("3.1.1", ["households_city.multi_storey", "households_city.individual"]),
    ("3.1.2", ["households_rural.households"]),
    ("3.1.3", ["non_industrial_city.consumers", "non_industrial_city.meters"]),
    ("3.1.4", ["non_industrial_rural.consumers", "non_industrial_rural.meters"]),
    ("3.1.5", ["industrial_over_750.consumers", "industrial_over_750.meters"]),
    ("3.1.6", ["industrial_upto_750.consumers", "industrial_upto_750.meters"]),
    ("3.1.7", ["agricultural.consumers", "agricultural.meters"]),
]
CASES = [(fid, path) for fid, paths in GROWING for path in paths]


def value(result, fid):
    return next(f["value"] for f in result["functions"] if f["id"] == fid)


def values(result):
    return {f["id"]: f["value"] for f in result["functions"]}


def explains_drop(result, fid):
    """R6: 3.1.2's rate falls as density rises, so more households can give fewer staff
    just above a band edge — the one drop the document itself makes; the engine says so."""
    return fid == "3.1.2" and any(
        w["id"] == "3.1.2" and w["ruling"] == "R6" and w["key"] == "3.1.2.not_monotone"
        for w in result["warnings"])


def grown(scenario, path, extra):
    group, key = path.split(".")
    out = {**scenario, group: {**scenario.get(group, {})}}
    out[group][key] = out[group].get(key, 0) + extra
    return out


@settings(max_examples=400, deadline=None)
@given(scenarios(top=10**11), st.sampled_from(CASES), st.integers(1, 20_000))  # room to grow
def test_more_consumers_or_meters_never_lower_their_function(scenario, case, extra):
    fid, path = case
    before = compute(scenario)
    after = compute(grown(scenario, path, extra))
    assert value(after, fid) >= value(before, fid) - 1e-9 or explains_drop(after, fid)


def test_document_breaks_monotonicity_in_3_1_2_and_engine_warns():
    rural = {"households_rural": {"area_km2": 1000, "households": 200}}
    more = {"households_rural": {"area_km2": 1000, "households": 201}}
    assert value(compute(more), "3.1.2") < value(compute(rural), "3.1.2")
    assert explains_drop(compute(more), "3.1.2")
    assert not explains_drop(compute(rural), "3.1.2")


def shuffled(scenario, rng):
    items = list(scenario.items())
    rng.shuffle(items)
    return {k: shuffled(v, rng) if isinstance(v, dict) else v for k, v in items}


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_result_is_independent_of_field_order_and_repeatable(scenario, rng):
    assert compute(shuffled(scenario, rng)) == compute(scenario) == compute(scenario)


# --- R25 alternatives ------------------------------------------------------------------------

def switched(scenario, ruling, variant):
    return {**scenario, "readings": {**scenario.get("readings", {}), ruling: variant}}


@settings(max_examples=150, deadline=None)
@given(scenarios(version=2, top=SMALL))
def test_alternatives_are_exactly_the_single_switches_that_change_the_total(scenario):
    r = compute(scenario)
    listed = {(a["ruling"], a["variant"]): a for a in r["alternatives"]}
    for ruling, variants in VARIANTS.items():
        for variant in variants:
            if variant == r["readings"][ruling]:
                assert (ruling, variant) not in listed
                continue
            other = compute(switched(scenario, ruling, variant))
            delta = other["total_exact"] - r["total_exact"]
            if (ruling, variant) in listed:
                a = listed[(ruling, variant)]
                assert (a["total"], a["total_exact"]) == (other["total"], other["total_exact"])
                assert math.isclose(a["delta"], delta, rel_tol=1e-12, abs_tol=1e-12)
                assert abs(delta) > CHANGE
            else:
                assert abs(delta) <= CHANGE, (ruling, variant, delta)
    order = [(ruling, variant) for ruling, variants in VARIANTS.items() for variant in variants]
    assert list(listed) == [k for k in order if k in listed]  # R25's order


# --- R24 thresholds --------------------------------------------------------------------------

def past_sales_sites(scenario, edge):
    """The next whole number of sales sites above the column edge."""
    return {**scenario, "sales_sites": math.floor(edge) + 1}


def past_consumers(scenario, count, edge):
    """Consumers of 3.1.17 just above `edge` thousand: add households (R14 counts them)."""
    return grown(scenario, "households_city.individual", math.floor(edge * 1000) + 1 - count)


def past_p(scenario, p, edge):
    """P just above `edge`: rural network districts add 1 each to 3.1.8 (R9), so P grows by
    1 (R12 tables) or 1.005 (with 3.6a) per district — k districts put it in (edge, edge + 5],
    within the same rows (the P edges of 3.1.11–3.1.18 are at least 50 apart)."""
    k = math.floor(edge - p) + 1
    return {**scenario, "rural_network_districts": scenario.get("rural_network_districts", 0) + k}


def consumer_count(result):
    return round(next(t for t in result["thresholds"] if t["factor"] == "consumers_thousand")
                 ["value"] * 1000)


@settings(max_examples=200, deadline=None)
@given(scenarios(version=2, top=SMALL))
def test_thresholds_say_what_a_compute_just_past_the_edge_gives(scenario):
    r = compute(scenario)
    before = values(r)
    for t in r["thresholds"]:
        assert t["next_edge"] >= t["value"] - 1e-9 and t["distance"] == t["next_edge"] - t["value"]
        # the threshold's own total: this result with its listed functions changed
        moved = math.fsum(v - before[fid] for fid, v in t["functions"].items())
        assert t["total_exact"] == pytest.approx(r["total_exact"] + moved, abs=1e-9, rel=1e-12)
        if t["factor"] == "sales_sites":
            assert t["value"] == scenario.get("sales_sites", 0)
            past = compute(past_sales_sites(scenario, t["next_edge"]))
            # nothing but 3.1.11–3.1.16 reads the count: the whole result must agree
            assert past["total_exact"] == pytest.approx(t["total_exact"], abs=1e-9, rel=1e-12)
            keyed = FUNCTION_IDS[10:16]
        elif t["factor"] == "consumers_thousand":
            past = compute(past_consumers(scenario, consumer_count(r), t["next_edge"]))
            keyed = ["3.1.17"]
        else:
            assert t["value"] == r["production_base"]
            past = compute(past_p(scenario, t["value"], t["next_edge"]))
            assert past["production_base"] > t["next_edge"]
            keyed = FUNCTION_IDS[10:16] + ["3.1.18"]
        after = values(past)
        for fid in keyed:  # the listed ones changed to their value, the others unchanged
            assert after[fid] == t["functions"].get(fid, before[fid]), (t["factor"], fid)
        assert set(t["functions"]) <= set(keyed)


@settings(max_examples=200, deadline=None)
@given(scenarios(version=2, top=SMALL))
def test_a_threshold_exactly_when_a_factor_has_an_edge_ahead(scenario):
    r = compute(scenario)
    factors = {t["factor"] for t in r["thresholds"]}
    p = r["production_base"]
    assert ("production_base" in factors) == (0 < p <= 600 + 1e-9)
    sites = scenario.get("sales_sites", 0)
    assert ("sales_sites" in factors) == (0 < sites <= 25 and not scenario.get("city_only"))
    assert [t["factor"] for t in r["thresholds"]] == [
        f for f in ("production_base", "sales_sites", "consumers_thousand") if f in factors]
