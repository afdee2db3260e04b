"""The planning department's tools in Chromium (issue 14, items 5–8): compare with a pinned
baseline, saved calculations, charts with their table alternative, print for a tariff file.
Every number is checked against engine.compute in CPython."""

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

import engine
from engine import link

from test_page import CATALOG, fill, value_of, wait_ready  # noqa: E402 (the page's helpers)

ROOT = Path(__file__).resolve().parents[2]
TYPED = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))["scenario"]
NEXT_YEAR = {**TYPED, "sales_sites": 25, "vehicles": 40}  # a change that crosses row edges


def fragment(page):
    return urlsplit(page.url).fragment


# --- 5. Compare two calculations --------------------------------------------------------------

def test_compare_pinned_baseline_with_the_changed_inputs(new_page, site_url):
    page = new_page()
    page.goto(site_url)
    wait_ready(page)
    fill(page, TYPED)
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    expect(page.locator("#compare")).to_be_hidden()
    page.get_by_role("button", name=CATALOG["compare"]["pin"]).click()
    expect(page.locator("#compare")).to_be_visible()
    expect(page.get_by_test_id("diff-total")).to_have_attribute("data-value", "0")

    page.fill('[name="sales_sites"]', "25")
    page.fill('[name="vehicles"]', "40")
    before, after = engine.compute(TYPED), engine.compute(NEXT_YEAR)
    assert after["total"] != before["total"]  # the test can fail: the totals differ
    expect(page.get_by_test_id("total")).to_have_text(str(after["total"]))
    check_difference(page, before, after)

    # the link carries both: the current scenario as before, the baseline prefixed base.
    pairs = parse_qsl(fragment(page))
    assert fragment(page) == link.encode(NEXT_YEAR, {"baseline": TYPED})
    assert [(k, v) for k, v in pairs if not k.startswith("base.")] == parse_qsl(link.encode(NEXT_YEAR))
    assert [(k[5:], v) for k, v in pairs if k.startswith("base.")] == parse_qsl(link.encode(TYPED))
    page.reload()
    wait_ready(page)
    check_difference(page, before, after)

    page.get_by_role("button", name=CATALOG["compare"]["unpin"]).click()
    expect(page.locator("#compare")).to_be_hidden()
    assert fragment(page) == link.encode(NEXT_YEAR)


def check_difference(page, before, after):
    expect(page.get_by_test_id("diff-total")).to_have_attribute(
        "data-value", str(after["total"] - before["total"]))
    assert value_of(page, "diff-total-exact") == pytest.approx(
        after["total_exact"] - before["total_exact"], abs=1e-9)
    for group, value in after["groups"].items():
        assert value_of(page, f"diff-group-{group}") == pytest.approx(
            value - before["groups"][group], abs=1e-9)
    old = {fn["id"]: fn["value"] for fn in before["functions"]}
    for fn in after["functions"]:
        assert value_of(page, f"diff-{fn['id']}") == pytest.approx(fn["value"] - old[fn["id"]], abs=1e-9)


def test_a_compare_link_opens_with_its_own_version_and_old_links_stay(new_page, site_url):
    baseline = {**TYPED, "version": 1}  # last year's calculation under edition 1
    page = new_page()
    page.goto(site_url + "#" + link.encode(NEXT_YEAR, {"baseline": baseline}))
    wait_ready(page)
    check_difference(page, engine.compute(baseline), engine.compute(NEXT_YEAR))
    assert fragment(page) == link.encode(NEXT_YEAR, {"baseline": baseline})

    old = link.encode(TYPED)  # a link of before the comparison: the same page as ever
    page.goto(site_url + "#" + old)
    page.reload()
    wait_ready(page)
    expect(page.locator("#compare")).to_be_hidden()
    expect(page.get_by_test_id("total")).to_have_text(str(engine.compute(TYPED)["total"]))
    assert fragment(page) == old
