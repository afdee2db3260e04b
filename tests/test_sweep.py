"""engine.sweep: the total as one factor sweeps its range (issue 14, item 7). Every point is
engine.compute's number; the edges are where the total steps, found here by brute force."""

import json
from pathlib import Path

import pytest

import engine
from engine.management import consumers
from engine.scenario import nest, normalize
from engine.sweep import sweep

CITY = json.loads((Path(__file__).parent / "cases" / "city_mid.v2.json").read_text("utf-8"))[
    "scenario"]
SITES = {**CITY, "city_only": False}  # R13: otherwise the sales sites change nothing


def total_at(scenario, field, x):
    flat = {**normalize(scenario), field: x}
    return engine.compute(nest(flat))


@pytest.mark.parametrize("field, upto", [("vehicles", 300), ("contracts_thousand", 1000),
                                         ("households_city.two_tariff_share_pct", None),
                                         ("sales_sites", 40)])
def test_every_point_is_engine_compute(field, upto):
    found = sweep(SITES, field, upto)
    xs = [point["x"] for point in found["points"]]
    assert xs == sorted(set(xs)) and xs[0] == 0 and xs[-1] == found["upto"]
    assert found["value"] in xs
    for point in found["points"]:
        result = total_at(SITES, field, point["x"])
        assert point["total_exact"] == result["total_exact"], point
        assert point["total"] == result["total"], point


def test_sales_sites_steps_exactly_at_the_column_edges():
    """Sales sites move only the column of 3.1.11–3.1.16: the total is flat between the
    column edges and steps where the two columns' cells differ — every integer checked."""
    found = sweep(SITES, "sales_sites", 60)
    totals = [total_at(SITES, "sales_sites", x)["total_exact"] for x in range(61)]
    steps = [(x, x + 1) for x in range(60) if totals[x] != totals[x + 1]]
    assert steps  # the test can fail: there are steps in this range
    assert [(edge["x"], edge["past"]) for edge in found["edges"]] == steps
    columns = engine.load_norm()["tables"]["sales_site_columns"]["columns"]
    assert {edge["edge"] for edge in found["edges"]} <= {c["upto"] for c in columns}
    for edge in found["edges"]:
        assert edge["factor"] == "sales_sites" and edge["x"] == edge["edge"]
        assert (edge["before"], edge["after"]) == (totals[edge["x"]], totals[edge["past"]])


def test_selling_only_in_cities_has_no_sales_site_edges():
    assert sweep(CITY, "sales_sites", 60)["edges"] == []  # R13: always the first column


def test_consumer_edges_where_all_consumers_reach_a_row_of_3_1_17():
    """3.1.17 is read by all consumers in thousands (R14): sweeping one consumer count, the
    row edge 20 (thousand) is crossed where that count plus all other consumers is 20 000."""
    field = "households_city.multi_storey"
    others = consumers(normalize(CITY)) - normalize(CITY)[field]
    found = sweep(CITY, field, 60000)
    legal = [edge for edge in found["edges"] if edge["factor"] == "consumers_thousand"]
    assert [edge["x"] for edge in legal] == [1000 * e - others for e in (20, 40, 60)]
    for edge in legal:
        before, after = (total_at(CITY, field, x) for x in (edge["x"], edge["past"]))
        assert edge["past"] == edge["x"] + 1
        assert (edge["before"], edge["after"]) == (before["total_exact"], after["total_exact"])
        legal_before, legal_after = ({f["id"]: f["value"] for f in r["functions"]}["3.1.17"]
                                     for r in (before, after))
        assert legal_after > legal_before


def test_an_amount_edge_is_located_within_a_millionth_of_the_span():
    found = sweep(CITY, "contracts_thousand", 1000)
    [edge] = found["edges"]
    assert edge["factor"] == "production_base" and edge["edge"] == 100
    assert 0 < edge["past"] - edge["x"] <= 1000 / 60 * 1e-6
    below, above = (total_at(CITY, "contracts_thousand", x) for x in (edge["x"], edge["past"]))
    assert round(below["production_base"], 9) <= 100 < round(above["production_base"], 9)
    assert above["total_exact"] - below["total_exact"] > 1  # a step, not the slope


@pytest.mark.parametrize("field, upto", [("name", None), ("city_only", None), ("vehicles", 0),
                                         ("households_city.two_tariff_share_pct", 101)])
def test_no_sweep_of_a_non_number_or_outside_its_range(field, upto):
    with pytest.raises(ValueError):
        sweep(CITY, field, upto)
