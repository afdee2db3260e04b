"""Edition 1 of the rulings is frozen: a version-1 scenario gives, forever, exactly the
result it gave before edition 2 existed (RULINGS.md "Editions", issue 10 item 1).

tests/fixtures/edition1_frozen.json was recorded ONCE with the engine of commit e890180
(edition 1 only, before any rule of edition 2 was written), by a `record()` function that
was deleted once it had run (see that commit's version of this file):
- the golden cases (the version-1 files of tests/cases/, the worked example among them) and every fixture of
  tests/fixtures/links_v1.json, with their full values;
- 2 000 version-1 scenarios from a seeded random.Random generator,
  stored explicitly (the generator may change; the stored scenarios never do).
For each: total, total_exact, production_base, groups and the function values (floats in
JSON, which round-trip exactly), and the sha256 of the canonical JSON of the complete
edition-1 result — total, total_exact, production_base, groups, functions (id, title,
group, value, trace) and warnings (id, ruling, message). Result fields added by later
editions (steps, rulings_edition, alternatives …) are not hashed.

Never re-record this file to make a test pass: a failure here means an old link or file
now gives a different number or text.
"""

import hashlib
import json
import math
from pathlib import Path

import pytest

from engine import compute, link

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "edition1_frozen.json"
FROZEN = json.loads(FIXTURE.read_text("utf-8")) if FIXTURE.exists() else {"cases": []}
CASES = FROZEN["cases"]


def edition1(result):
    """The part of a result that edition 1 defined, which the hash covers."""
    return {
        "total": result["total"], "total_exact": result["total_exact"],
        "production_base": result["production_base"], "groups": result["groups"],
        "functions": [{k: f[k] for k in ("id", "title", "group", "value", "trace")}
                      for f in result["functions"]],
        "warnings": [{k: w[k] for k in ("id", "ruling", "message")} for w in result["warnings"]],
    }


def digest(result):
    text = json.dumps(edition1(result), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_version1(scenario):
    return {**scenario, "version": 1}


def test_the_fixture_holds_what_it_promises():
    kinds = [case["kind"] for case in CASES]
    assert kinds.count("random") == 2000
    assert kinds.count("link") == len(json.loads((HERE / "fixtures" / "links_v1.json")
                                                 .read_text("utf-8"))["links"])
    assert kinds.count("golden") >= 7
    assert FIXTURE.stat().st_size < 3_000_000


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_version1_result_is_bit_identical(case):
    result = compute(as_version1(case["scenario"]))
    # the numbers first (a readable failure), then everything through the hash
    assert repr(result["total_exact"]) == repr(case["total_exact"])
    assert result["total"] == case["total"]
    assert repr(result["production_base"]) == repr(case["production_base"])
    assert {g: repr(v) for g, v in result["groups"].items()} == \
        {g: repr(v) for g, v in case["groups"].items()}
    assert [repr(f["value"]) for f in result["functions"]] == [repr(v) for v in case["values"]]
    assert digest(result) == case["sha256"]


def test_version1_links_still_decode_to_their_recorded_scenario():
    for case in (c for c in CASES if c["kind"] == "link"):
        scenario, problems = link.decode(case["fragment"])
        assert problems == []
        assert digest(compute(scenario)) == case["sha256"], case["id"]
