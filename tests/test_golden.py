"""Golden cases: black-box tests of `engine.compute`, computed BY HAND.

Every expected value below is written out as the arithmetic a labour economist would do
with the norm document (KEA 1-нт of 16.02.2018, section 3) in one hand and RULINGS.md
(R1-R22) in the other. Nothing here is derived from the engine's code. Each case checks
all 27 function values, the group subtotals (R22), the production base P (R12), the exact
and the rounded total (R21) and exactly which function ids carry warnings.

Cases:
- city_mid          the team's worked example (tests/golden/city_mid*.json)
- rural             (a) rural supplier: 3.1.2 density + district centre, 3.1.4, 3.1.8 network
                    districts, sales sites in every column of 3.1.11-3.1.16
- large             (b) beyond table ranges everywhere (R1, R2, R7, R9, R10, R14, R16)
- tiny              (c) below the first rows (0 < P < 100, point tables below first points)
- courier           (d) own delivery: courier notes of 3.1.3-3.1.7 (R8), 3.1.4 "-" cell (R3)
- regional          (e) middle rows of 3.1.11-3.1.18 (P between 300 and 400)
- empty             {} -> everything 0 (R4)
"""

import json
import math
from pathlib import Path

import pytest

import engine

HERE = Path(__file__).parent / "golden"

# Document order (SCENARIO.md "functions"): 3.1.1-3.1.18, 3.2, 3.3 x3, 3.4, 3.5 x2, 3.6, 3.6a.
IDS = [f"3.1.{i}" for i in range(1, 19)] + [
    "3.2", "3.3.drivers", "3.3.repair", "3.3.specialist", "3.4",
    "3.5.guards", "3.5.leaders", "3.6", "3.6a",
]
PRODUCTION = [f"3.1.{i}" for i in range(1, 11)]  # R12: P = exact sum of 3.1.1-3.1.10

# R22 (cl. 1.9): one group per function.
W, S, M = "workers", "production_specialists", "management"
GROUP = {
    **{f"3.1.{i}": W for i in (1, 2, 3, 4, 5, 6, 7, 9)},
    "3.1.8": S, "3.1.10": S,
    **{f"3.1.{i}": M for i in range(11, 19)},
    "3.2": S,
    "3.3.drivers": W, "3.3.repair": W, "3.3.specialist": S,
    "3.4": W,
    "3.5.guards": W, "3.5.leaders": S,
    "3.6": W, "3.6a": W,
}


def half_up(x):
    """R21: round half up (72.5 -> 73), not Python's banker's rounding."""
    return math.floor(x + 0.5)


def values_of(result):
    return {f["id"]: f["value"] for f in result["functions"]}


def warning_ids(result):
    return {w["id"] for w in result["warnings"]}


def check(scenario, expected, total, warnings_for, tol=1e-9):
    """Compare one computed result with the hand-computed `expected` values."""
    assert set(expected) == set(IDS), "test data must give all 27 functions"
    r = engine.compute(scenario)

    # the list of functions, in document order, zeros included
    assert [f["id"] for f in r["functions"]] == IDS
    got = values_of(r)
    wrong = {
        fid: (got[fid], expected[fid])
        for fid in IDS
        if got[fid] != pytest.approx(expected[fid], abs=tol, rel=tol)
    }
    assert not wrong, f"(engine, hand) differ for: {wrong}"
    for f in r["functions"]:
        assert f["group"] == GROUP[f["id"]], f["id"]
        assert isinstance(f["value"], float) or isinstance(f["value"], int)

    # R12: P is the exact sum of 3.1.1-3.1.10
    P = sum(expected[i] for i in PRODUCTION)
    assert r["production_base"] == pytest.approx(P, abs=tol, rel=tol)

    # R22: subtotals per group (exact) add up to the exact total
    for g in (W, S, M):
        sub = sum(v for fid, v in expected.items() if GROUP[fid] == g)
        assert r["groups"][g] == pytest.approx(sub, abs=tol, rel=tol), g
    exact = sum(expected.values())
    assert r["total_exact"] == pytest.approx(exact, abs=tol, rel=tol)
    assert sum(r["groups"].values()) == pytest.approx(r["total_exact"], abs=1e-9)

    # R21: only the grand total is rounded, half up
    assert half_up(exact) == total, "hand arithmetic: total literal is inconsistent"
    assert r["total"] == total
    assert r["total"] == half_up(r["total_exact"])

    assert warning_ids(r) == set(warnings_for)
    for w in r["warnings"]:
        assert set(w) >= {"id", "ruling", "message"}
        assert w["message"]
    return r


# --------------------------------------------------------------------------------------
# The worked example, city_mid (SCENARIO.md; hand values rounded to 6 decimals)
# --------------------------------------------------------------------------------------

def test_city_mid_worked_example():
    scenario = json.loads((HERE / "city_mid.json").read_text(encoding="utf-8"))
    exp = json.loads((HERE / "city_mid.expected.json").read_text(encoding="utf-8"))
    r = engine.compute(scenario)
    assert [f["id"] for f in r["functions"]] == IDS
    got = values_of(r)
    for fid, v in exp["functions"].items():
        assert got[fid] == pytest.approx(v, abs=1e-6), fid
    assert r["production_base"] == pytest.approx(exp["production_base"], abs=1e-6)
    assert r["total_exact"] == pytest.approx(exp["total_exact"], abs=1e-6)
    assert r["total"] == exp["total"] == 73
    assert warning_ids(r) == set(exp["warnings_for"]) == {"3.1.12", "3.1.18"}
    for w in r["warnings"]:
        assert w["ruling"] == "R1"  # P = 47.03 below the first row "100-..." (R1, R12)


def test_city_mid_by_hand_exact():
    """The same example, with the notes' arithmetic written out exactly."""
    scenario = json.loads((HERE / "city_mid.json").read_text(encoding="utf-8"))
    v = {
        # 3.1.1 (R5): (30000*0.6 + 8000*0.7)/1000; share 12 % in (5,20] -> 1.02
        "3.1.1": (30000 * 0.6 + 8000 * 0.7) / 1000 * 1.02,
        "3.1.2": 0,  # R4: no rural households
        # 3.1.3 (R1): 420 consumers -> row 351-600; 800 meters -> column 501-1000
        "3.1.3": 0.5,
        "3.1.4": 0,  # R4
        # 3.1.5 (R2): row 3 -> 0.4 (only cell, silent clamp); row 15 at 200 -> 0.6 + 0.2*20/360
        "3.1.5": 0.4 + ((0.6 + 0.2 * 20 / 360) - 0.4) * (12 - 3) / (15 - 3),
        # 3.1.6 (R2): row 20 clamped to 500 -> 1.1; row 200 at 900 -> 1.2 + 0.3*400/500
        "3.1.6": 1.1 + ((1.2 + 0.3 * 400 / 500) - 1.1) * (150 - 20) / (200 - 20),
        "3.1.7": 0,  # R4
        # 3.1.8 (R9): 40 between 25 -> 3 and 50 -> 7; + 50000 urban consumers / 25000
        "3.1.8": 3 + 4 * 15 / 25 + 50000 / 25000,
        "3.1.9": 1.0,  # R10: 40 numbers in 26-55
        # 3.1.10 (R11): 0.8+1.2+0.6+1.0+(1.0+0.48)+0.25+0.12 + 1 + 1 + 1.5 + 1.2 + 0 = 10.15
        # -> leadership (10,20] -> 2
        "3.1.10": (4 * 0.2 + 120 / 100 * 1.0 + 120 / 10 * 0.05 + 1 * 1.0 + (1 * 1.0 + 120 / 50 * 0.2)
                   + 10 * 0.025 + 120 / 10 * 0.01 + 1 + 1 + 150 / 10 * 0.1 + 120 / 10 * 0.1 + 0)
                  + 2,
        # P = 47.03 <= 100, city_only -> first column (R13)
        "3.1.11": 1,
        "3.1.12": 1,  # P < 100: first row + warning (R1)
        "3.1.13": 2,
        "3.1.14": 0.5,
        "3.1.15": 1,
        "3.1.16": 0.5,
        # 3.1.17 (R14): 30000+8000+420+12+150 = 38582 -> 38.582 thousand in (20,40] -> 2
        "3.1.17": 2,
        "3.1.18": 2,  # P < 100: first row + warning (R1)
        "3.2": 0,  # R15
        "3.3.drivers": 6, "3.3.repair": 6 / 7, "3.3.specialist": 1,  # R16
        "3.4": 2,  # R17
        "3.5.guards": 4.7, "3.5.leaders": 4.7 / 30,  # R18: one 24 h post
        "3.6": 1,  # R19
    }
    v["3.6a"] = 0.005 * sum(v[i] for i in PRODUCTION)  # R19
    check(scenario, v, 73, {"3.1.12", "3.1.18"})


# --------------------------------------------------------------------------------------
# (a) Rural supplier
# --------------------------------------------------------------------------------------

RURAL = {
    "version": 1,
    "name": "Rural supplier",
    "households_city": {"multi_storey": 0, "individual": 2000, "two_tariff_share_pct": 30},
    "households_rural": {"households": 90000, "area_km2": 125000, "district_centre_multi_storey": 3000},
    "non_industrial_city": {"consumers": 300, "meters": 700},
    "non_industrial_rural": {"consumers": 750, "meters": 1500},
    "industrial_over_750": {"consumers": 40, "meters": 700},
    "industrial_upto_750": {"consumers": 500, "meters": 2500},
    "agricultural": {"consumers": 200, "meters": 1200},
    "own_delivery": False,
    "contracts_thousand": 120,
    "rural_network_districts": 4,
    "urban_consumers": 10000,
    "imports_electricity": False,
    "guaranteed_supplier": False,
    "ats_numbers": 60,
    "it": {
        "servers": 2, "network_users": 80, "lan_support_workplaces": 80, "tk_centres": 0,
        "mail_nodes": 1, "mail_users": 80, "server_apps": 4, "std_sw_workstations": 80,
        "purchased_sw_tasks": 8, "developed_sw_tasks": 0, "tech_units": 100,
        "lan_hw_workplaces": 80, "round_the_clock_workplaces": 0,
    },
    "sales_sites": 18,
    "city_only": False,
    "vehicles": 10,
    "guard_posts": {"h24": 1, "h16": 0, "h12": 2, "h8": 0},
    "has_copiers": True,
    "cleaners": 3.5,
    "metering_staff": 2,
}

# 3.1.11-3.1.16 rows for 100 < P <= 200 (3.1.11/3.1.14 row "101-250", 3.1.13 row "101-200",
# 3.1.12 row "100-300", 3.1.15 row "до 200", 3.1.16 row "до 200"), columns by R13:
# <=10, 11-15, 16-25, >25.
RURAL_MGMT_BY_COLUMN = [
    # 3.1.11 3.1.12 3.1.13 3.1.14 3.1.15 3.1.16
    (2, 1, 3, 1.0, 1, 0.5),  # column "до 10"
    (2, 1, 3, 1.0, 1, 0.5),  # column "11-15"
    (3, 2, 4, 2.0, 2, 1.0),  # column "16-25"
    (3, 2, 4, 2.0, 2, 1.0),  # column "свыше 25"
]


def rural_expected(column):
    k = 1.03  # R5: city two-tariff share 30 % in (20,40] -> 1.03
    v = {
        # 3.1.1 (R5): 2000 individual * 0.7/1000 * 1.03
        "3.1.1": 2000 * 0.7 / 1000 * k,
        # 3.1.2 (R6): density = 90000 / (125000/1000) = 720 per 1000 km2 -> band (200,1100] -> 1.3;
        # district centre 3000 at the 3.1.1 multi-storey rate 0.6 with k = 1.03;
        # the rest 87000 at 1.3 (no two-tariff coefficient). 720 is far above the band's
        # break-even density (200*1.4/1.3 = 215.4), so no monotonicity warning.
        "3.1.2": 3000 * 0.6 / 1000 * k + (90000 - 3000) * 1.3 / 1000,
        # 3.1.3 (R1): 300 consumers -> row 151-350; 700 meters -> column 501-1000 -> 0.4
        "3.1.3": 0.4,
        # 3.1.4 (R1): 750 consumers -> row 601-900; 1500 meters -> column 1001-2000 -> 0.8
        "3.1.4": 0.8,
        # 3.1.5 (R2): 700 meters; row 30: 540->1.1, 900->1.5; row 60: 540->1.5, 900->1.9;
        # 40 consumers between rows 30 and 60
        "3.1.5": (1.1 + 0.4 * 160 / 360)
                 + ((1.5 + 0.4 * 160 / 360) - (1.1 + 0.4 * 160 / 360)) * (40 - 30) / (60 - 30),
        # 3.1.6 (R2): 2500 meters; row 200: 2100->1.9, 3700->2.2; row 790: 2100->2.2, 3700->2.6;
        # 500 consumers between rows 200 and 790
        "3.1.6": (1.9 + 0.3 * 400 / 1600)
                 + ((2.2 + 0.4 * 400 / 1600) - (1.9 + 0.3 * 400 / 1600)) * (500 - 200) / (790 - 200),
        # 3.1.7 (R2): 1200 meters; row 150: 660->1.6, 1700->2.0; row 250: 660->2.0, 1700->2.3;
        # 200 consumers half way between rows 150 and 250
        "3.1.7": (1.6 + 0.4 * 540 / 1040)
                 + ((2.0 + 0.3 * 540 / 1040) - (1.6 + 0.4 * 540 / 1040)) * (200 - 150) / (250 - 150),
        # 3.1.8 (R9): 120 thousand between 100->15 and 150->20; + 4 rural network districts
        # (note 2) + 10000/25000 urban (note 3); no imports, not guaranteed
        "3.1.8": (15 + 5 * 20 / 50) + 4 * 1 + 10000 / 25000,
        # 3.1.9 (R10): 60 numbers in 56-75 -> 1.5
        "3.1.9": 1.5,
        # 3.1.10 (R11): 1.1 2*0.2; 1.2 80/100*1.0; 1.3 80/10*0.05; 1.4 0; 1.5 1*1.0 + 80/50*0.2;
        # 1.6 4*0.025; 1.7 80/10*0.01; 2: 8 tasks in 7-15 -> 2; 3: 0 tasks -> 0;
        # 4: 100/10*0.1; 5: 80/10*0.1; 6: 0  => sum 6.9 -> leadership [4,10] -> 1
        "3.1.10": (2 * 0.2 + 80 / 100 * 1.0 + 80 / 10 * 0.05 + 0 + (1 * 1.0 + 80 / 50 * 0.2)
                   + 4 * 0.025 + 80 / 10 * 0.01 + 2 + 0 + 100 / 10 * 0.1 + 80 / 10 * 0.1 + 0)
                  + 1,
    }
    P = sum(v.values())
    assert 100 < P <= 200  # P = 153.93: hand check of the row used below
    m = RURAL_MGMT_BY_COLUMN[column]
    v.update({
        "3.1.11": m[0], "3.1.12": m[1], "3.1.13": m[2], "3.1.14": m[3], "3.1.15": m[4],
        "3.1.16": m[5],
        # 3.1.17 (R14): 2000 + 90000 (rural once, district centre included) + 300 + 750 + 40
        # + 500 + 200 = 93790 -> 93.79 thousand in (80,100] -> 5
        "3.1.17": 5,
        # 3.1.18 (R1): P = 153.93 in "100-200" -> 2 (no warning: P >= 100)
        "3.1.18": 2,
        "3.2": 2,  # R15: metering staff as entered
        "3.3.drivers": 10, "3.3.repair": 10 / 7, "3.3.specialist": 1,  # R16: 10 <= 25
        "3.4": 3.5,  # R17
        "3.5.guards": 1 * 4.7 + 2 * 2.35,  # R18: one 24 h post, two 12 h posts
        "3.5.leaders": (1 * 4.7 + 2 * 2.35) / 30,  # R18
        "3.6": 1,  # R19: has copiers
        "3.6a": 0.005 * P,  # R19
    })
    return v


def test_rural_supplier():
    v = rural_expected(column=2)  # 18 sales sites -> column "16-25" (R13)
    check(RURAL, v, half_up(sum(v.values())), set())
    assert half_up(sum(v.values())) == 204  # exact 204.34


@pytest.mark.parametrize("sites,column", [
    (0, 0), (8, 0), (10, 0), (11, 1), (12, 1), (15, 1), (16, 2), (25, 2), (26, 3), (30, 3),
])
def test_rural_supplier_sales_site_columns(sites, column):
    # R13 by R1: <=10, (10,15], (15,25], >25
    v = rural_expected(column)
    check({**RURAL, "sales_sites": sites}, v, half_up(sum(v.values())), set())


def test_rural_supplier_city_only_uses_first_column():
    # R13 / notes to 3.1.11-3.1.16: selling only in cities -> column "до 10" whatever the count
    v = rural_expected(column=0)
    check({**RURAL, "sales_sites": 30, "city_only": True}, v, half_up(sum(v.values())), set())


# --------------------------------------------------------------------------------------
# (b) Large supplier beyond the tables' ranges
# --------------------------------------------------------------------------------------

LARGE = {
    "version": 1,
    "name": "Large supplier, guaranteed, importing",
    "households_city": {"multi_storey": 500000, "individual": 100000, "two_tariff_share_pct": 75},
    "households_rural": {"households": 50000, "area_km2": 20000, "district_centre_multi_storey": 0},
    "non_industrial_city": {"consumers": 14500, "meters": 31000},
    "non_industrial_rural": {"consumers": 6000, "meters": 16000},
    "industrial_over_750": {"consumers": 250, "meters": 2000},
    "industrial_upto_750": {"consumers": 5000, "meters": 9500},
    "agricultural": {"consumers": 6000, "meters": 12000},
    "own_delivery": False,
    "contracts_thousand": 650,
    "rural_network_districts": 12,
    "urban_consumers": 500000,
    "imports_electricity": True,
    "guaranteed_supplier": True,
    "ats_numbers": 150,
    "it": {
        "servers": 20, "network_users": 1500, "lan_support_workplaces": 1500, "tk_centres": 3,
        "mail_nodes": 2, "mail_users": 1500, "server_apps": 40, "std_sw_workstations": 1500,
        "purchased_sw_tasks": 20, "developed_sw_tasks": 6, "tech_units": 2000,
        "lan_hw_workplaces": 1500, "round_the_clock_workplaces": 2,
    },
    "sales_sites": 40,
    "city_only": False,
    "vehicles": 40,
    "guard_posts": {"h24": 3, "h16": 2, "h12": 1, "h8": 4},
    "has_copiers": True,
    "cleaners": 12,
    "metering_staff": 25.5,
}


def test_large_supplier_beyond_tables():
    v = {
        # 3.1.1 (R5): (500000*0.6 + 100000*0.7)/1000 = 370; share 75 % > 60 -> 1.05
        "3.1.1": (500000 * 0.6 + 100000 * 0.7) / 1000 * 1.05,
        # 3.1.2 (R6): density 50000/(20000/1000) = 2500 > 1300 -> 1.2 (open band, no warning;
        # far above the break-even 1300*1.25/1.2 = 1354)
        "3.1.2": 50000 * 1.2 / 1000,
        # 3.1.3 (R7, note 3): cell (11500, 21000) = row 10001-11500, column 15001-21000 = 4.2;
        # + 0.2*(14500-11500)/1500 + 0.2*(31000-21000)/5000; no warning for extrapolation
        "3.1.3": 4.2 + 0.2 * (14500 - 11500) / 1500 + 0.2 * (31000 - 21000) / 5000,
        # 3.1.4 (R7, note 3): cell (5100, 10000) = row 4201-5100, column 7001-10000 = 2.8;
        # + 0.2*(6000-5100)/900 + 0.2*(16000-10000)/3000
        "3.1.4": 2.8 + 0.2 * (6000 - 5100) / 900 + 0.2 * (16000 - 10000) / 3000,
        # 3.1.5 (R2): 250 > 180 consumers and 2000 > 1620 meters: clamp to (180, 1620) = 4.1
        # + warning (no extrapolation rule for 3.1.5)
        "3.1.5": 4.1,
        # 3.1.6 (R2): 5000 > 4330, 9500 > 8700: clamp to (4330, 8700) = 6.0 + warning
        "3.1.6": 6.0,
        # 3.1.7 (R7 literal): table clamped to (1500, 3750) = 4.9 with a warning;
        # + 0.2*(6000-5100)/900 + 0.2*(12000-10000)/3000
        "3.1.7": 4.9 + 0.2 * (6000 - 5100) / 900 + 0.2 * (12000 - 10000) / 3000,
        # 3.1.8 (R9): 650 > 500 -> 48 + warning; guaranteed x1.05 on the table part only;
        # + 12 network districts + 500000/25000 urban + 0.5 imports
        "3.1.8": 48 * 1.05 + 12 + 500000 / 25000 + 0.5,
        # 3.1.9 (R10): 150 > 110 -> 2.0 + warning
        "3.1.9": 2.0,
        # 3.1.10 (R11): 20*0.2 + 1500/100*1.0 + 1500/10*0.05 + 3*1.0 + (2*1.0 + 1500/50*0.2)
        # + 40*0.025 + 1500/10*0.01 + 3 (20 tasks > 15) + 2 (6 tasks > 4) + 2000/10*0.1
        # + 1500/10*0.1 + 2*4.5 = 89.0 -> leadership > 20 -> 3
        "3.1.10": (20 * 0.2 + 1500 / 100 * 1.0 + 1500 / 10 * 0.05 + 3 * 1.0 + (2 * 1.0 + 1500 / 50 * 0.2)
                   + 40 * 0.025 + 1500 / 10 * 0.01 + 3 + 2 + 2000 / 10 * 0.1 + 1500 / 10 * 0.1
                   + 2 * 4.5)
                  + 3,
    }
    P = sum(v.values())
    assert P > 600  # P = 649.13
    v.update({
        # 40 sales sites -> column "свыше 25" (R13)
        "3.1.11": 4,    # P > 500: last row "251-500" + warning (R1)
        "3.1.12": 3,    # P > 500: last row "301-500" + warning (R1)
        "3.1.13": 7,    # P > 500: last row "401-500" + warning (R1)
        "3.1.14": 4.0,  # P > 600: last row "401-600" + warning (R1)
        "3.1.15": 3,    # P > 600: last row "201-600" + warning (R1)
        "3.1.16": 3.0,  # P > 450: open row "свыше 450", no warning (R1)
        # 3.1.17 (R14): 500000+100000+50000+14500+6000+250+5000+6000 = 681750 -> 681.75
        # thousand > 520 -> 17 + warning
        "3.1.17": 17,
        "3.1.18": 4,    # P > 600: last row "401-600" + warning (R1)
        "3.2": 25.5,    # R15
        # R16: 40 vehicles; repair 40/7; specialist > 32 -> 2 + warning
        "3.3.drivers": 40, "3.3.repair": 40 / 7, "3.3.specialist": 2,
        "3.4": 12,      # R17
        # R18: 3*4.7 + 2*3.14 + 1*2.35 + 4*1.57 = 29.01; leaders 29.01/30
        "3.5.guards": 3 * 4.7 + 2 * 3.14 + 1 * 2.35 + 4 * 1.57,
        "3.5.leaders": (3 * 4.7 + 2 * 3.14 + 1 * 2.35 + 4 * 1.57) / 30,
        "3.6": 1,       # R19
        "3.6a": 0.005 * P,  # R19
    })
    r = check(LARGE, v, 814, {  # exact 813.57
        "3.1.5", "3.1.6", "3.1.7", "3.1.8", "3.1.9",
        "3.1.11", "3.1.12", "3.1.13", "3.1.14", "3.1.15", "3.1.17", "3.1.18",
        "3.3.specialist",
    })
    rulings = {w["id"]: w["ruling"] for w in r["warnings"]}
    assert rulings["3.1.5"] == "R2" and rulings["3.1.6"] == "R2"
    assert rulings["3.1.7"] == "R7"
    for fid in ("3.1.11", "3.1.12", "3.1.13", "3.1.14", "3.1.15", "3.1.18"):
        assert rulings[fid] == "R1", fid
    assert rulings["3.3.specialist"] == "R16"


# --------------------------------------------------------------------------------------
# (c) Tiny supplier, below the first rows
# --------------------------------------------------------------------------------------

TINY = {
    "version": 1,
    "name": "Tiny supplier",
    "households_city": {"multi_storey": 0, "individual": 350, "two_tariff_share_pct": 3},
    "households_rural": {"households": 120, "area_km2": 900},
    "non_industrial_city": {"consumers": 5, "meters": 8},
    "non_industrial_rural": {"consumers": 3, "meters": 4},
    "industrial_over_750": {"consumers": 1, "meters": 2},
    "industrial_upto_750": {"consumers": 2, "meters": 10},
    "agricultural": {"consumers": 4, "meters": 5},
    "contracts_thousand": 0.8,
    "ats_numbers": 6,
    "it": {
        "servers": 1, "network_users": 12, "lan_support_workplaces": 12,
        "std_sw_workstations": 12, "purchased_sw_tasks": 2, "tech_units": 15,
        "lan_hw_workplaces": 12,
    },
    "sales_sites": 3,
    "vehicles": 1,
    "guard_posts": {"h8": 1},
    "cleaners": 0.5,
}


def test_tiny_supplier_below_first_rows():
    v = {
        # 3.1.1 (R5): 350*0.7/1000; share 3 % <= 5 -> 1.01
        "3.1.1": 350 * 0.7 / 1000 * 1.01,
        # 3.1.2 (R6): density 120/(900/1000) = 133.3 <= 200 -> 1.4 (highest band, no warning)
        "3.1.2": 120 * 1.4 / 1000,
        "3.1.3": 0.1,  # R1: 5 consumers in "до 50", 8 meters in "до 500"
        "3.1.4": 0.1,  # R1: 3 consumers in "до 100", 4 meters in "до 500"
        # 3.1.5 (R2): 1 consumer below row 3 -> row 3 (silent); 2 meters below 180 -> 0.4
        "3.1.5": 0.4,
        # 3.1.6 (R2): 2 consumers below row 20 -> row 20; 10 meters below 30 -> 0.7
        "3.1.6": 0.7,
        # 3.1.7 (R2): 4 consumers below row 10 -> row 10; 5 meters below 140 -> 0.3
        "3.1.7": 0.3,
        # 3.1.8 (R9): 0.8 thousand contracts in (0,25] -> 3; no additions
        "3.1.8": 3,
        # 3.1.9 (R10): 6 numbers in "до 25" -> 0.5
        "3.1.9": 0.5,
        # 3.1.10 (R11): 1*0.2 + 12/100*1.0 + 12/10*0.05 + 12/10*0.01 + 1 (2 tasks <= 6)
        # + 15/10*0.1 + 12/10*0.1 = 1.662 < 4 -> no leadership
        "3.1.10": 1 * 0.2 + 12 / 100 * 1.0 + 12 / 10 * 0.05 + 12 / 10 * 0.01 + 1
                  + 15 / 10 * 0.1 + 12 / 10 * 0.1 + 0,
    }
    P = sum(v.values())
    assert 0 < P < 100  # P = 7.18
    v.update({
        # 3 sales sites, not city-only -> column "до 10" (R13); P <= 100 -> first rows
        "3.1.11": 1, "3.1.12": 1,  # 3.1.12: P < 100 -> first row + warning (R1)
        "3.1.13": 2, "3.1.14": 0.5, "3.1.15": 1, "3.1.16": 0.5,
        # 3.1.17 (R14): 350+120+5+3+1+2+4 = 485 -> 0.485 thousand in "до 20" -> 1
        "3.1.17": 1,
        "3.1.18": 2,  # P < 100 -> first row + warning (R1)
        "3.2": 0,
        "3.3.drivers": 1, "3.3.repair": 1 / 7, "3.3.specialist": 1,  # R16
        "3.4": 0.5,
        "3.5.guards": 1.57, "3.5.leaders": 1.57 / 30,  # R18: one 8 h post
        "3.6": 0,  # R19: no copiers
        "3.6a": 0.005 * P,
    })
    r = check(TINY, v, 20, {"3.1.12", "3.1.18"})  # exact 20.48
    assert {w["ruling"] for w in r["warnings"]} == {"R1"}


# --------------------------------------------------------------------------------------
# (d) Own delivery: courier notes (R8), 3.1.4 "-" cell (R3), 3.1.7 interpolation
# --------------------------------------------------------------------------------------

COURIER = {
    "version": 1,
    "name": "Own delivery of payment documents",
    "households_city": {"multi_storey": 20000, "individual": 5000, "two_tariff_share_pct": 0},
    "households_rural": {"households": 5000, "area_km2": 2000, "district_centre_multi_storey": 1000},
    "non_industrial_city": {"consumers": 700, "meters": 2500},
    "non_industrial_rural": {"consumers": 1000, "meters": 800},
    "industrial_over_750": {"consumers": 75, "meters": 1000},
    "industrial_upto_750": {"consumers": 1000, "meters": 6000},
    "agricultural": {"consumers": 400, "meters": 2000},
    "own_delivery": True,
    "contracts_thousand": 60,
    "rural_network_districts": 2,
    "urban_consumers": 30000,
    "guaranteed_supplier": True,
    "ats_numbers": 25,
    "it": {
        "servers": 3, "network_users": 50, "lan_support_workplaces": 50, "server_apps": 4,
        "std_sw_workstations": 50, "purchased_sw_tasks": 6, "developed_sw_tasks": 5,
        "tech_units": 60, "lan_hw_workplaces": 50,
    },
    "sales_sites": 12,
    "vehicles": 26,
    "has_copiers": True,
    "metering_staff": 1.5,
}


def test_own_delivery_couriers():
    v = {
        # 3.1.1 (R5): 20000*0.6/1000 + 5000*0.7/1000; share 0 -> no coefficient; no courier note
        "3.1.1": 20000 * 0.6 / 1000 + 5000 * 0.7 / 1000,
        # 3.1.2 (R6): density 5000/(2000/1000) = 2500 > 1300 -> 1.2; district centre 1000 at
        # 0.6/1000 with no two-tariff coefficient (share 0); rest 4000 at 1.2/1000
        "3.1.2": 1000 * 0.6 / 1000 + (5000 - 1000) * 1.2 / 1000,
        # 3.1.3 (R1): 700 -> row 601-1000; 2500 -> column 1001-3000 -> 1.2;
        # + courier (R8, note 2) 0.1 per 100 consumers
        "3.1.3": 1.2 + 0.1 * 700 / 100,
        # 3.1.4: 1000 -> row 901-1200; 800 -> column 501-1000 is "-" -> nearest defined cell in
        # the row, column 1001-2000 = 1.0 + warning (R3); courier 0.1 per 80 consumers (R8)
        "3.1.4": 1.0 + 0.1 * 1000 / 80,
        # 3.1.5 (R2): 1000 meters; row 60: 900->1.9, 1260->2.2; row 90: 900->2.2, 1260->2.6;
        # 75 consumers half way; + courier 0.1 per 100 (R8)
        "3.1.5": (1.9 + 0.3 * 100 / 360)
                 + ((2.2 + 0.4 * 100 / 360) - (1.9 + 0.3 * 100 / 360)) * (75 - 60) / (90 - 60)
                 + 0.1 * 75 / 100,
        # 3.1.6 (R2): 6000 meters; row 790: 5400->3.0, 7200->3.3; row 1380: 5400->3.3, 7200->3.7;
        # 1000 consumers between 790 and 1380; + courier 0.1 per 100 (R8)
        "3.1.6": (3.0 + 0.3 * 600 / 1800)
                 + ((3.3 + 0.4 * 600 / 1800) - (3.0 + 0.3 * 600 / 1800)) * (1000 - 790) / (1380 - 790)
                 + 0.1 * 1000 / 100,
        # 3.1.7 (R2): 2000 meters; row 350: 1700->2.6, 2740->3.0; row 500: 1700->3.0, 2740->3.3;
        # 400 consumers between 350 and 500; + courier 0.1 per 80 (R8)
        "3.1.7": (2.6 + 0.4 * 300 / 1040)
                 + ((3.0 + 0.3 * 300 / 1040) - (2.6 + 0.4 * 300 / 1040)) * (400 - 350) / (500 - 350)
                 + 0.1 * 400 / 80,
        # 3.1.8 (R9): 60 between 50->7 and 75->11 = 8.6; guaranteed x1.05 on the table part;
        # + 2 network districts + 30000/25000 urban
        "3.1.8": (7 + 4 * 10 / 25) * 1.05 + 2 + 30000 / 25000,
        # 3.1.9 (R10, cl. 1.8 "до" inclusive): 25 numbers -> 0.5
        "3.1.9": 0.5,
        # 3.1.10 (R11): 3*0.2 + 50/100 + 50/10*0.05 + 4*0.025 + 50/10*0.01 + 1 (6 tasks <= 6)
        # + 2 (5 developed > 4) + 60/10*0.1 + 50/10*0.1 = 5.6 -> leadership [4,10] -> 1
        "3.1.10": (3 * 0.2 + 50 / 100 * 1.0 + 50 / 10 * 0.05 + 4 * 0.025 + 50 / 10 * 0.01 + 1 + 2
                   + 60 / 10 * 0.1 + 50 / 10 * 0.1)
                  + 1,
    }
    P = sum(v.values())
    assert 0 < P < 100  # P = 54.16
    v.update({
        # 12 sales sites -> column "11-15" (R13), same as "до 10" in every table
        "3.1.11": 1, "3.1.12": 1,  # 3.1.12: P < 100 -> first row + warning (R1)
        "3.1.13": 2, "3.1.14": 0.5, "3.1.15": 1, "3.1.16": 0.5,
        # 3.1.17 (R14): 20000+5000+5000+700+1000+75+1000+400 = 33175 -> 33.175 in (20,40] -> 2
        "3.1.17": 2,
        "3.1.18": 2,  # P < 100 -> first row + warning (R1)
        "3.2": 1.5,
        # R16: 26 vehicles; specialist 26-32 -> 2 (no warning)
        "3.3.drivers": 26, "3.3.repair": 26 / 7, "3.3.specialist": 2,
        "3.4": 0,
        "3.5.guards": 0, "3.5.leaders": 0,
        "3.6": 1,
        "3.6a": 0.005 * P,
    })
    r = check(COURIER, v, 99, {"3.1.4", "3.1.12", "3.1.18"})  # exact 98.65
    assert [w["ruling"] for w in r["warnings"] if w["id"] == "3.1.4"] == ["R3"]


def test_own_delivery_off_removes_exactly_the_couriers():
    # R8: the courier addition is the only difference own_delivery makes
    on = values_of(engine.compute(COURIER))
    off = values_of(engine.compute({**COURIER, "own_delivery": False}))
    courier = {"3.1.3": 0.1 * 700 / 100, "3.1.4": 0.1 * 1000 / 80, "3.1.5": 0.1 * 75 / 100,
               "3.1.6": 0.1 * 1000 / 100, "3.1.7": 0.1 * 400 / 80}
    for fid in courier:
        assert on[fid] - off[fid] == pytest.approx(courier[fid], abs=1e-9), fid
    for fid in ("3.1.1", "3.1.2", "3.1.8", "3.1.9", "3.1.10"):
        assert on[fid] == pytest.approx(off[fid], abs=1e-12), fid
    assert on["3.6a"] - off["3.6a"] == pytest.approx(0.005 * sum(courier.values()), abs=1e-9)


# --------------------------------------------------------------------------------------
# (e) Regional supplier: middle rows of the management tables
# --------------------------------------------------------------------------------------

REGIONAL = {
    "version": 1,
    "name": "Regional supplier",
    "households_city": {"multi_storey": 250000, "individual": 60000, "two_tariff_share_pct": 50},
    "households_rural": {"households": 30000, "area_km2": 100000, "district_centre_multi_storey": 2000},
    "non_industrial_city": {"consumers": 3000, "meters": 5000},
    "non_industrial_rural": {"consumers": 1800, "meters": 3000},
    "industrial_over_750": {"consumers": 100, "meters": 1400},
    "industrial_upto_750": {"consumers": 2000, "meters": 4000},
    "agricultural": {"consumers": 1000, "meters": 3000},
    "contracts_thousand": 320,
    "rural_network_districts": 6,
    "urban_consumers": 310000,
    "imports_electricity": True,
    "ats_numbers": 75,
    "it": {
        "servers": 10, "network_users": 400, "lan_support_workplaces": 400, "tk_centres": 2,
        "mail_nodes": 1, "mail_users": 400, "server_apps": 20, "std_sw_workstations": 400,
        "purchased_sw_tasks": 15, "developed_sw_tasks": 4, "tech_units": 500,
        "lan_hw_workplaces": 400,
    },
    "sales_sites": 11,
    "vehicles": 32,
    "guard_posts": {"h24": 2, "h16": 1},
    "cleaners": 6,
    "metering_staff": 10,
}


def test_regional_supplier_middle_rows():
    k = 1.04  # R5: share 50 % in (40,60] -> 1.04
    v = {
        # 3.1.1 (R5): (250000*0.6 + 60000*0.7)/1000 * 1.04
        "3.1.1": (250000 * 0.6 + 60000 * 0.7) / 1000 * k,
        # 3.1.2 (R6): density 30000/(100000/1000) = 300 in (200,1100] -> 1.3 (above the
        # break-even 215.4); district centre 2000 at 0.6/1000 * 1.04; rest 28000 at 1.3/1000
        "3.1.2": 2000 * 0.6 / 1000 * k + (30000 - 2000) * 1.3 / 1000,
        # 3.1.3 (R1): 3000 -> row 2801-3500; 5000 -> column 3001-6000 -> 2.4
        "3.1.3": 2.4,
        # 3.1.4 (R1): 1800 -> row 1601-2100; 3000 -> column 2001-4000 -> 1.6
        "3.1.4": 1.6,
        # 3.1.5 (R2): 1400 meters; row 90: 1260->2.6, 1620->3.0; row 120: 1260->3.0, 1620->3.3
        "3.1.5": (2.6 + 0.4 * 140 / 360)
                 + ((3.0 + 0.3 * 140 / 360) - (2.6 + 0.4 * 140 / 360)) * (100 - 90) / (120 - 90),
        # 3.1.6 (R2): 4000 meters; row 1970: 3700->3.3, 5400->3.7; row 2560: 3700->3.7, 5400->4.2
        "3.1.6": (3.3 + 0.4 * 300 / 1700)
                 + ((3.7 + 0.5 * 300 / 1700) - (3.3 + 0.4 * 300 / 1700)) * (2000 - 1970) / (2560 - 1970),
        # 3.1.7 (R2): 3000 meters; row 940: 2740->4.0, 3750->4.3; row 1250: 2740->4.3, 3750->4.6
        "3.1.7": (4.0 + 0.3 * 260 / 1010)
                 + ((4.3 + 0.3 * 260 / 1010) - (4.0 + 0.3 * 260 / 1010)) * (1000 - 940) / (1250 - 940),
        # 3.1.8 (R9): 320 between 300->32 and 350->36; + 6 districts + 310000/25000 + 0.5 imports
        "3.1.8": (32 + 4 * 20 / 50) + 6 + 310000 / 25000 + 0.5,
        # 3.1.9 (R10): 75 numbers in "56-75" (upper bound inclusive) -> 1.5
        "3.1.9": 1.5,
        # 3.1.10 (R11): 10*0.2 + 400/100 + 400/10*0.05 + 2*1.0 + (1.0 + 400/50*0.2) + 20*0.025
        # + 400/10*0.01 + 2 (15 tasks in 7-15) + 1 (4 tasks <= 4) + 500/10*0.1 + 400/10*0.1
        # = 25.5 -> leadership > 20 -> 3
        "3.1.10": (10 * 0.2 + 400 / 100 * 1.0 + 400 / 10 * 0.05 + 2 * 1.0 + (1 * 1.0 + 400 / 50 * 0.2)
                   + 20 * 0.025 + 400 / 10 * 0.01 + 2 + 1 + 500 / 10 * 0.1 + 400 / 10 * 0.1)
                  + 3,
    }
    P = sum(v.values())
    assert 300 < P <= 400  # P = 334.23
    v.update({
        # 11 sales sites -> column "11-15" (R13)
        "3.1.11": 3,    # row "251-500"
        "3.1.12": 2,    # row "301-500"
        "3.1.13": 5,    # row "301-400"
        "3.1.14": 2.0,  # row "251-400"
        "3.1.15": 2,    # row "201-600"
        "3.1.16": 2.0,  # row "301-450"
        # 3.1.17 (R14): 250000+60000+30000+3000+1800+100+2000+1000 = 347900 -> 347.9 thousand
        # in "321-360" -> 13
        "3.1.17": 13,
        "3.1.18": 3,    # row "201-400"
        "3.2": 10,
        # R16: 32 vehicles -> specialist 2 (upper bound inclusive, no warning)
        "3.3.drivers": 32, "3.3.repair": 32 / 7, "3.3.specialist": 2,
        "3.4": 6,
        "3.5.guards": 2 * 4.7 + 1 * 3.14, "3.5.leaders": (2 * 4.7 + 1 * 3.14) / 30,  # R18
        "3.6": 0,
        "3.6a": 0.005 * P,
    })
    check(REGIONAL, v, 435, set())  # exact 435.43


# --------------------------------------------------------------------------------------
# Empty scenario (R4)
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [{}, {"version": 1}, {"version": 1, "name": "empty"}])
def test_empty_scenario_is_all_zero(scenario):
    r = check(scenario, {fid: 0 for fid in IDS}, 0, set())
    assert r["total_exact"] == 0
    assert r["production_base"] == 0
    assert r["warnings"] == []
    assert r["groups"] == {W: 0, S: 0, M: 0}
