"""The URL codec (engine/link.py): round trips and garbage."""

import json
from pathlib import Path
from urllib.parse import parse_qsl

from hypothesis import given, strategies as st

from engine import link
from engine.scenario import FIELDS, normalize
from strategies import scenarios as current_scenarios

EXAMPLE = json.loads((Path(__file__).parent / "cases" / "city_mid.v1.json").read_text("utf-8"))[
    "scenario"]
scenarios = current_scenarios(version=2)  # tests/strategies.py: the one scenario generator


def test_example_round_trip():
    fragment = link.encode(EXAMPLE)
    scenario, problems = link.decode("#" + fragment)
    assert problems == []
    assert normalize(scenario) == normalize(EXAMPLE)


def test_format_is_readable_and_sparse():
    fragment = link.encode(EXAMPLE)
    assert fragment.startswith("v=1&ed=1-nt-2018&name=City+supplier%2C+mid-size&")
    assert "&households_city.multi_storey=30000&" in fragment
    assert "&city_only=1&" in fragment
    assert "round_the_clock" not in fragment and "own_delivery" not in fragment


def test_empty_scenario_is_header_only():
    assert link.encode({}) == "v=2&ed=1-nt-2018"  # the current version
    assert link.encode({"version": 1}) == "v=1&ed=1-nt-2018"
    assert link.decode("") == ({"version": 2}, [])
    assert link.decode("v=1") == ({"version": 1}, [])


@given(scenarios)
def test_round_trip(scenario):
    decoded, problems = link.decode(link.encode(scenario))
    assert problems == []
    assert normalize(decoded) == normalize(scenario)


@given(scenarios)
def test_form_reads_like_link(scenario):
    fragment = link.encode(scenario)
    values = dict(parse_qsl(fragment))
    del values["v"], values["ed"]  # the form has neither
    assert link.from_form(values) == link.decode(fragment)


def test_people_style_numbers():
    scenario, problems = link.from_form({
        "households_city.multi_storey": "30\u202f000", "cleaners": "1,5",
        "vehicles": " 6 ", "it.servers": "", "city_only": "1", "has_copiers": "",
        "ats_numbers": " ", "households_city.two_tariff_share_pct": "12,5",
    })
    assert problems == []
    assert scenario == {"version": 2,  # a typed form is a current-edition scenario
                        "households_city": {"multi_storey": 30000, "two_tariff_share_pct": 12.5},
                        "cleaners": 1.5, "vehicles": 6, "city_only": True}


def _codes(fragment):
    return {(p["field"], p["code"]) for p in link.decode(fragment)[1]}


def test_bad_values_name_their_field():
    assert _codes("it.servers=1e309&cleaners=NaN&vehicles=1.5&ats_numbers=-2") == {
        ("it.servers", "not_finite"), ("cleaners", "not_finite"),
        ("vehicles", "decimal_in_count"), ("ats_numbers", "negative")}
    assert _codes("households_city.two_tariff_share_pct=101&city_only=yes&sales_sites=abc") == {
        ("households_city.two_tariff_share_pct", "over_100"), ("city_only", "type"),
        ("sales_sites", "type")}
    assert _codes("vehicles=1_000&urban_consumers=2e12") == {
        ("vehicles", "type"), ("urban_consumers", "too_large")}


def test_a_comma_in_a_count_is_no_number():
    """"1,000" may mean a thousand or 1.000: a count refuses it rather than read 1 (R26)."""
    assert _codes("vehicles=1%2C000&it.servers=3%2C0") == {
        ("vehicles", "decimal_in_count"), ("it.servers", "decimal_in_count")}

def test_fields_that_contradict_each_other():
    scenario, problems = link.decode(
        "households_rural.households=10&households_rural.district_centre_multi_storey=11")
    assert scenario == {"version": 2, "households_rural": {"households": 10}}
    assert [(p["field"], p["code"]) for p in problems] == [
        ("households_rural.district_centre_multi_storey", "exceeds")]


def test_header_unknown_and_duplicate():
    assert _codes("v=3&ed=2030&bogus=1&vehicles=1&vehicles=2") == {
        ("version", "version"), ("ed", "edition"), ("bogus", "unknown"),
        ("vehicles", "duplicate")}


def test_what_can_be_read_is_kept():
    scenario, problems = link.decode("v=9&vehicles=3&cleaners=oops&name=%D0%AD%D0%A1%D0%9E")
    assert scenario == {"version": 2, "vehicles": 3, "name": "ЭСО"}
    assert [p["field"] for p in problems] == ["version", "cleaners"]


def test_overlong_link_is_refused():
    scenario, problems = link.decode("name=" + "a" * link.MAX_LINK)
    assert scenario == {"version": 2}
    assert [(p["field"], p["code"]) for p in problems] == [("", "too_long")]


@given(st.text(max_size=300))
def test_garbage_gives_problems_not_exceptions(fragment):
    scenario, problems = link.decode(fragment)
    assert scenario["version"] in (1, 2)
    assert all(set(p) == {"field", "code", "message", "key", "params"} and p["message"]
               for p in problems)
    normalize(scenario)  # whatever was kept is valid


@given(st.dictionaries(st.sampled_from([p for p, _ in FIELDS]), st.text(max_size=30)))
def test_garbage_values_in_known_fields(values):
    scenario, problems = link.from_form(values)
    assert {p["field"] for p in problems} <= set(values)
    kept = normalize(scenario)
    assert all(path in values for path, value in kept.items() if value != normalize({})[path])
