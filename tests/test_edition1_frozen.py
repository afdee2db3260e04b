"""Edition 1 of the rulings is frozen: a version-1 scenario gives, forever, exactly the
result it gave before edition 2 existed (RULINGS.md "Editions", issue 10 item 1).

tests/fixtures/edition1_frozen.json was recorded ONCE with the engine of commit e890180
(edition 1 only, before any rule of edition 2 was written), by `record()` below:
- the golden cases (tests/test_golden.py, the worked example) and every fixture of
  tests/fixtures/links_v1.json, with their full values;
- 2 000 version-1 scenarios from a seeded random.Random generator (`random_scenario`),
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
import random
import sys
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


# --- how the fixture was recorded (run once, before edition 2; refuses to overwrite) -------

def random_value(r, kind):
    """A valid value of a field's kind, biased towards the norm's table edges."""
    if kind == "flag":
        return r.random() < 0.5
    if kind == "text":
        return r.choice(("", "ТОО «Энергосбыт»", "Қазақстан", "a&b=c#d", "Ж" * 40))
    edges = (0, 1, 3, 5, 10, 11, 15, 16, 20, 25, 26, 30, 40, 50, 60, 100, 110, 150, 180, 200,
             250, 300, 350, 400, 450, 500, 540, 600, 1000, 1100, 1300, 1500, 3750, 5100,
             10000, 11500, 21000, 25000)
    k = r.randrange(5)
    if k == 0:
        x = r.choice(edges) + r.choice((-1, 0, 0, 1))
    elif k == 1:
        x = r.randrange(10 ** r.randint(1, 7))
    elif k == 2:
        x = r.randrange(1000)
    elif k == 3:
        x = r.randrange(10 ** r.randint(6, 12))
    else:
        x = round(r.uniform(0, 2000), r.randrange(4))
    x = max(x, 0)
    if kind == "count":
        return int(x) if r.random() < 0.9 else float(int(x))
    if kind == "percent":
        return min(x, 100)
    return x


def random_scenario(r):
    from engine.scenario import FIELDS, nest
    density = r.choice((0.05, 0.1, 0.2, 0.3, 0.5, 1.0))
    flat = {path: random_value(r, kind) for path, kind in FIELDS if r.random() < density}
    centre, rural = "households_rural.district_centre_multi_storey", "households_rural.households"
    if centre in flat:
        flat[centre] = min(flat[centre], flat.get(rural, 0))
    return nest(flat)  # version 1


def record():
    if FIXTURE.exists():
        raise SystemExit(f"{FIXTURE} exists: edition 1 is frozen, never re-recorded")
    sys.path.insert(0, str(HERE))
    import test_golden as g
    golden = {"city_mid": json.loads((HERE / "golden" / "city_mid.json").read_text("utf-8")),
              "empty": {}, "rural": g.RURAL, "large": g.LARGE, "tiny": g.TINY,
              "courier": g.COURIER, "courier_no_delivery": {**g.COURIER, "own_delivery": False},
              "regional": g.REGIONAL,
              "rural_city_only": {**g.RURAL, "sales_sites": 30, "city_only": True}}
    golden.update({f"rural_sites_{n}": {**g.RURAL, "sales_sites": n} for n in (0, 10, 11, 16, 26)})
    cases = []

    def add(kind, cid, scenario, **extra):
        result = compute(as_version1(scenario))
        cases.append({"kind": kind, "id": cid, **extra, "scenario": as_version1(scenario),
                      "total": result["total"], "total_exact": result["total_exact"],
                      "production_base": result["production_base"], "groups": result["groups"],
                      "values": [f["value"] for f in result["functions"]],
                      "sha256": digest(result)})

    for cid, scenario in golden.items():
        add("golden", cid, scenario)
    for fixture in json.loads((HERE / "fixtures" / "links_v1.json").read_text("utf-8"))["links"]:
        scenario, problems = link.decode(fixture["fragment"])
        assert problems == []
        add("link", f"link_{fixture['id']}", scenario, fragment=fixture["fragment"])
    r = random.Random(20261203)
    for i in range(2000):
        add("random", f"random_{i}", random_scenario(r))
    assert all(math.isfinite(c["total_exact"]) for c in cases)
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    lines = ",\n".join(json.dumps(case, **compact) for case in cases)
    head = json.dumps(__doc__.strip().splitlines(), **compact)
    FIXTURE.write_text(f'{{"comment":{head},\n"cases":[\n{lines}\n]}}\n', "utf-8")
    print(f"{len(cases)} cases, {FIXTURE.stat().st_size} bytes")


if __name__ == "__main__":
    record()
