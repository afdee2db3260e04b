"""Edition 2 of the readings in the page (issue 10): a typed form is version 2; alternative
readings, each with a switch kept in the link; the nearest row edges; R23 notes at their
fields; a version-1 link keeps its numbers and says what the current edition gives."""

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import expect

import engine
from engine import link
from test_page import fill, fragment, shown, value_of, wait_ready

ROOT = Path(__file__).resolve().parents[2]
TYPED = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))
FIXTURES = {f["id"]: f for f in json.loads((ROOT / "tests" / "fixtures" / "links_v1.json").read_text("utf-8"))["links"]}
CATALOG = json.loads((ROOT / "web" / "i18n" / "ru.json").read_text("utf-8"))


def test_typed_form_is_version_2_with_its_alternative_and_row_edge(new_page, site_url):
    page = new_page()
    page.goto(site_url)
    wait_ready(page)
    fill(page, TYPED["scenario"])
    expect(page.get_by_test_id("total")).to_have_text("73")
    assert dict(parse_qsl(fragment(page)))["v"] == "2"
    expect(page.get_by_test_id("edition-notice")).to_be_hidden()
    (expected,) = TYPED["expected"]["alternatives"]  # R1 → 70, by hand
    alternative = page.get_by_test_id(f"alternative-{expected['ruling']}")
    expect(alternative).to_be_visible()
    assert float(alternative.get_attribute("data-value")) == pytest.approx(expected["total_exact"], abs=1e-6)
    edge = page.get_by_test_id("threshold-production_base")
    expect(edge).to_be_visible()
    past = TYPED["expected"]["thresholds"]["production_base"]
    assert float(edge.get_attribute("data-value")) == pytest.approx(past["total_exact"], abs=1e-6)
    # what the sentence says, in the page's numbers (at most two decimals, no trailing zeros)
    ru = lambda x: shown(x).rstrip("0").rstrip(",")  # noqa: E731
    expect(edge).to_contain_text(
        f"P = {ru(TYPED['expected']['production_base'])} чел.: при P более {ru(past['next_edge'])} "
        f"(+{ru(past['distance'])}) аппарат управления вырастет на "
        f"{ru(past['total_exact'] - TYPED['expected']['total_exact'])} (3.1.11 +")
    # the example's urban_consumers exceed all its consumers: R23, under both fields
    expect(page.get_by_test_id("note-urban_consumers")).to_contain_text("R23")
    expect(page.get_by_test_id("trace-3.1.1").locator("li").first).to_contain_text("3.1.1:")
    expect(page.get_by_test_id("warnings-3.1.8").locator("li")).to_have_count(1)

    alternative.get_by_role("button").click()  # switch the reading on: kept in the link
    expect(page.get_by_test_id("total")).to_have_text("70")
    assert dict(parse_qsl(fragment(page)))["readings.R1"] == "none_below_first_row"
    page.reload()
    wait_ready(page)
    expect(page.get_by_test_id("total")).to_have_text("70")
    back = page.get_by_test_id("alternative-R1")  # the main reading is now the alternative
    assert float(back.get_attribute("data-value")) == pytest.approx(TYPED["expected"]["total_exact"], abs=1e-6)
    back.get_by_role("button").click()
    expect(page.get_by_test_id("total")).to_have_text("73")
    assert "readings.R1" not in dict(parse_qsl(fragment(page)))


def test_a_version_1_link_keeps_its_numbers_and_offers_the_current_edition(new_page, site_url):
    fixture = FIXTURES["city_mid"]
    page = new_page()
    page.goto(f"{site_url}#{fixture['fragment']}")
    wait_ready(page)
    expect(page.get_by_test_id("total")).to_have_text(str(fixture["total"]))
    assert value_of(page, "production-base") == fixture["production_base"]  # edition 1's P, bit for bit
    notice = page.get_by_test_id("edition-notice")
    expect(notice).to_be_visible()
    scenario, _ = link.decode(fixture["fragment"])
    current = engine.compute({**scenario, "version": 2})
    assert float(notice.get_attribute("data-value")) == current["total_exact"]
    expect(notice).to_contain_text(str(current["total"]))
    expect(page.get_by_test_id("alternative-R1")).to_have_count(0)  # edition 1 has no readings to switch
    assert dict(parse_qsl(fragment(page)))["v"] == "1"  # an edit keeps the link's edition
    notice.get_by_role("button").click()
    expect(notice).to_be_hidden()
    assert dict(parse_qsl(fragment(page)))["v"] == "2"
    assert value_of(page, "production-base") == current["production_base"]
    assert fragment(page) == link.encode({**scenario, "version": 2})


def test_3_2_is_named_apart_under_the_total(new_page, site_url):
    page = new_page()
    page.goto(f"{site_url}#{link.encode({'metering_staff': 4.5})}")
    wait_ready(page)
    expect(page.locator("#metering-line")).to_be_visible()
    expect(page.locator("#metering-line")).to_contain_text("4,50")
    expect(page.get_by_test_id("value-3.2")).to_have_text("4,50")
