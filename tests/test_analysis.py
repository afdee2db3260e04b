"""Actual vs normative (engine.analysis) and the page settings of the link (engine.link)."""

import pytest

from engine import compute, link
from engine.analysis import compare


def test_deviation_per_group_and_total():
    result = compute({"version": 1, "vehicles": 7, "cleaners": 2})  # workers 7 + 1 + 2 = 10, specialist 1
    rows = compare(result, {"workers": 12, "production_specialists": 1, "management": 0})
    assert rows["workers"] == {"actual": 12, "normative": 10.0, "difference": 2.0,
                               "percent": pytest.approx(20.0)}
    assert rows["management"]["percent"] is None  # normative 0: no percentage
    assert rows["total"]["normative"] == result["total"] == 11
    assert rows["total"]["difference"] == 2


def test_no_total_row_until_every_group_is_given():
    rows = compare(compute({"version": 1, "vehicles": 7}), {"workers": 5})
    assert set(rows) == {"workers"} and rows["workers"]["difference"] == 5 - 8


def test_page_settings_round_trip_and_problems():
    page = {"lang": "kk", "actual": {"workers": 40.5, "management": 10}}
    fragment = link.encode({"vehicles": 3}, page)
    assert fragment.endswith("&lang=kk&actual.workers=40.5&actual.management=10")
    assert link.decode_page(fragment) == ({"version": 2, "vehicles": 3}, page, [])
    assert link.decode(fragment) == ({"version": 2, "vehicles": 3}, [])
    assert link.encode({}, {"lang": "ru"}) == "v=2&ed=1-nt-2018"  # the default is not written
    _, page, problems = link.decode_page("lang=xx&actual.workers=-1&actual.foo=1")
    assert page == {}
    assert [(p["field"], p["code"]) for p in problems] == [
        ("lang", "language"), ("actual.workers", "negative"), ("actual.foo", "unknown")]


def test_page_form_reads_actual_headcount_like_other_numbers():
    scenario, page, problems = link.from_page_form(
        {"vehicles": "2", "actual.workers": "12,5", "actual.management": " ", "lang": "en"})
    assert problems == [] and page == {"lang": "en", "actual": {"workers": 12.5}}


def test_json_export_carries_scenario_edition_result_and_comparison():
    import json

    from engine.export import to_json
    scenario = {"version": 1, "vehicles": 7}
    result = compute(scenario)
    document = json.loads(to_json(scenario, result, {"workers": 9}))
    assert document["edition"]["id"] == link.EDITION
    assert document["scenario"] == scenario and document["result"] == result
    assert document["comparison"]["workers"]["difference"] == 9 - 8
