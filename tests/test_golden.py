"""Golden cases: black-box tests of `engine.compute` against results computed BY HAND.

Each file of tests/cases/ holds a scenario, the expected result and the hand arithmetic
(docs/TESTING.md). The values were worked out with the document (KEA 1-нт, section 3) and
RULINGS.md, never taken from the engine. First the file is checked against itself (the
notes' arithmetic gives the expected values, which add up), then against the engine: every
function, P, the group subtotals, the exact and rounded total, which functions warn under
which ruling, and — where the case gives them — the alternatives (R25) and thresholds (R24).
"""

import math

import pytest

from engine import compute
from golden_cases import FUNCTION_IDS, all_cases, half_up, note_values

CASES = all_cases()


def close(got, expected, tol):
    return got == pytest.approx(expected, abs=tol, rel=tol)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_file_agrees_with_its_own_arithmetic(case):
    exp = case["expected"]
    assert set(case) >= {"title", "scenario", "expected", "notes", "tolerance"}
    assert list(exp["functions"]) == FUNCTION_IDS, "all 27 functions, in document order"
    hand = note_values(case["notes"])
    assert set(hand) == set(FUNCTION_IDS), f"no hand arithmetic for {set(FUNCTION_IDS) - set(hand)}"
    for fid, value in hand.items():
        assert math.isclose(exp["functions"][fid], value, rel_tol=1e-12, abs_tol=1e-12), fid
    exact = math.fsum(exp["functions"].values())
    assert math.isclose(exp["total_exact"], exact, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(math.fsum(exp["groups"].values()), exact, rel_tol=1e-12, abs_tol=1e-12)
    assert exp["total"] == half_up(exact)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_engine_gives_the_hand_computed_result(case):
    exp, tol = case["expected"], case["tolerance"]
    r = compute(case["scenario"])

    assert [f["id"] for f in r["functions"]] == FUNCTION_IDS
    wrong = {f["id"]: (f["value"], exp["functions"][f["id"]]) for f in r["functions"]
             if not close(f["value"], exp["functions"][f["id"]], tol)}
    assert not wrong, f"(engine, hand) differ for: {wrong}"
    assert close(r["production_base"], exp["production_base"], tol)
    assert r["groups"].keys() == exp["groups"].keys()
    for group, value in exp["groups"].items():
        assert close(r["groups"][group], value, tol), group
    assert close(r["total_exact"], exp["total_exact"], tol)
    assert r["total"] == exp["total"]

    warned = {}
    for w in r["warnings"]:
        assert w["message"].strip(), w
        warned.setdefault(w["id"], set()).add(w["ruling"])
    assert warned == {fid: set(rulings) for fid, rulings in exp["warnings"].items()}

    if "alternatives" in exp:
        assert [(a["ruling"], a["variant"], a["total"]) for a in r["alternatives"]] == \
            [(a["ruling"], a["variant"], a["total"]) for a in exp["alternatives"]]
        for got, want in zip(r["alternatives"], exp["alternatives"]):
            assert close(got["total_exact"], want["total_exact"], tol), want
            assert close(got["delta"], want["delta"], tol), want
    if "thresholds" in exp:
        got = {t["factor"]: t for t in r["thresholds"]}
        assert list(got) == list(exp["thresholds"])
        for factor, want in exp["thresholds"].items():
            t = got[factor]
            for key in ("value", "next_edge", "distance", "total_exact"):
                assert close(t[key], want[key], tol), (factor, key, t[key], want[key])
            assert t["functions"].keys() == want["functions"].keys(), factor
            for fid, value in want["functions"].items():
                assert close(t["functions"][fid], value, tol), (factor, fid)
