"""One focused black-box test (or a few) per ruling R1-R22 of RULINGS.md, plus validation.

Expected values are hand arithmetic from the norm document (KEA 1-нт, section 3) and the
rulings, never read from the engine. Warnings are dicts {id, ruling, message}; traces are
lists of strings per function and must name the clause and the ruling applied.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine

IDS = [f"3.1.{i}" for i in range(1, 19)] + [
    "3.2", "3.3.drivers", "3.3.repair", "3.3.specialist", "3.4",
    "3.5.guards", "3.5.leaders", "3.6", "3.6a",
]
MGMT = [f"3.1.{i}" for i in range(11, 19)]
P_BASED = [f"3.1.{i}" for i in (11, 12, 13, 14, 15, 16, 18)]
TOL = 1e-9


# ---------------------------------------------------------------------------- helpers

def run(scenario):
    """Edition 1 (R1-R22 as first published): these tests pin version 1; edition 2's
    changes are tested in test_edition2.py."""
    return engine.compute({"version": 1, **scenario})


def val(r, fid):
    (f,) = [f for f in r["functions"] if f["id"] == fid]
    return f["value"]


def warns(r, fid):
    return [w for w in r["warnings"] if w["id"] == fid]


def rulings_of(r, fid):
    return {w["ruling"] for w in warns(r, fid)}


def trace(r, fid):
    (f,) = [f for f in r["functions"] if f["id"] == fid]
    assert isinstance(f["trace"], list) and all(isinstance(t, str) for t in f["trace"])
    return "\n".join(f["trace"])


def assert_trace(r, fid, clause, ruling):
    t = trace(r, fid)
    assert clause in t, f"trace of {fid} does not name clause {clause}: {t!r}"
    assert ruling in t, f"trace of {fid} does not name ruling {ruling}: {t!r}"


def approx(x):
    return pytest.approx(x, abs=TOL, rel=TOL)


def with_p(p):
    """A scenario whose production base P is exactly `p` (a multiple of 1/25000, p >= 3):
    3.1.8 table part 3 (contracts in (0,25], R9) + 1 per rural network district + urban
    consumers / 25000 (R9). No consumer groups, so 3.1.17 = 0 (R4)."""
    whole = math.floor(p)
    urban = round((p - whole) * 25000)
    assert whole >= 3
    return {"contracts_thousand": 25, "rural_network_districts": whole - 3, "urban_consumers": urban}


def problems(scenario):
    with pytest.raises(engine.ScenarioError) as e:
        engine.compute({"version": 1, **scenario} if isinstance(scenario, dict) else scenario)
    probs = e.value.problems
    assert probs, "ScenarioError must list its problems"
    for p in probs:
        assert set(p) >= {"field", "code", "message"}
        assert p["code"] and p["message"]
    return probs


def fields(scenario):
    return {p["field"] for p in problems(scenario)}


# ---------------------------------------------------------------------------- R1

@pytest.mark.parametrize("c,m,expected", [
    (50, 500, 0.1),     # "До 50" x "До 500": both bounds inclusive (cl. 1.8)
    (51, 500, 0.2),     # row 51-150
    (50, 501, 0.2),     # column 501-1000
    (51, 501, 0.3),
    (1, 1, 0.1),
    (600, 1000, 0.5),   # row 351-600, column 501-1000
    (601, 1001, 1.2),   # row 601-1000, column 1001-3000
    (3500, 21000, 3.0),
    (8500, 10000, 3.6),  # last row before the printed gap
])
def test_r1_range_rows_keyed_by_upper_bound(c, m, expected):
    r = run({"non_industrial_city": {"consumers": c, "meters": m}})
    assert val(r, "3.1.3") == approx(expected)
    assert warns(r, "3.1.3") == []


@pytest.mark.parametrize("c,m,expected", [
    (8501, 10001, 4.0),   # gap 8501-10000 belongs to row "10001-11500": (8500, 11500]
    (9000, 12000, 4.0),
    (10000, 21000, 4.2),
    (11500, 15001, 4.2),
])
def test_r1_gap_in_3_1_3_is_covered_silently(c, m, expected):
    r = run({"non_industrial_city": {"consumers": c, "meters": m}})
    assert val(r, "3.1.3") == approx(expected)
    assert warns(r, "3.1.3") == []


@pytest.mark.parametrize("households,rate", [
    (1, 1.4), (200, 1.4),         # density <= 200
    (201, 1.3), (1050, 1.3), (1100, 1.3),  # (200, 1100]: "1001-1300" overlap goes to 1.3
    (1101, 1.25), (1300, 1.25),   # (1100, 1300]
    (1301, 1.2), (5000, 1.2),     # "свыше 1300"
])
def test_r1_3_1_2_density_bands(households, rate):
    # area 1000 km2 -> density = households (R6)
    r = run({"households_rural": {"households": households, "area_km2": 1000}})
    assert val(r, "3.1.2") == approx(households * rate / 1000)


def test_r1_below_first_row_takes_first_row_with_warning():
    r = run(with_p(99))
    assert r["production_base"] == approx(99)
    assert val(r, "3.1.12") == 1 and val(r, "3.1.18") == 2
    assert rulings_of(r, "3.1.12") == {"R1"}
    assert rulings_of(r, "3.1.18") == {"R1"}
    for fid in ("3.1.11", "3.1.13", "3.1.14", "3.1.15", "3.1.16", "3.1.17"):
        assert warns(r, fid) == [], fid
    # P = 100 is inside "100-300" / "100-200": no warning
    r = run(with_p(100))
    assert val(r, "3.1.12") == 1 and val(r, "3.1.18") == 2
    assert [w for w in r["warnings"] if w["id"] in MGMT] == []


def test_r1_above_last_bounded_row_warns_unless_open():
    # P = 500: inside every table's rows -> no warning
    r = run(with_p(500))
    assert [w for w in r["warnings"] if w["id"] in MGMT] == []
    # P = 501: 3.1.11, 3.1.12, 3.1.13 end at 500 -> last row + warning
    r = run(with_p(501))
    assert [val(r, f) for f in P_BASED] == approx([3, 2, 6, 3.0, 2, 2.5, 4])
    for fid in ("3.1.11", "3.1.12", "3.1.13"):
        assert rulings_of(r, fid) == {"R1"}, fid
    for fid in ("3.1.14", "3.1.15", "3.1.16", "3.1.18"):
        assert warns(r, fid) == [], fid
    # P = 601: 3.1.14, 3.1.15, 3.1.18 end at 600 -> warning; 3.1.16 "свыше 450" is open
    r = run(with_p(601))
    assert [val(r, f) for f in P_BASED] == approx([3, 2, 6, 3.0, 2, 2.5, 4])
    for fid in ("3.1.11", "3.1.12", "3.1.13", "3.1.14", "3.1.15", "3.1.18"):
        assert rulings_of(r, fid) == {"R1"}, fid
    assert warns(r, "3.1.16") == []


# P -> (3.1.11, 3.1.12, 3.1.13, 3.1.14, 3.1.15, 3.1.16, 3.1.18), first column (R1, R13)
P_ROWS = [
    (100, (1, 1, 2, 0.5, 1, 0.5, 2)),
    (100.4, (2, 1, 3, 1.0, 1, 0.5, 2)),   # P is not rounded before the lookup (R12)
    (101, (2, 1, 3, 1.0, 1, 0.5, 2)),
    (200, (2, 1, 3, 1.0, 1, 0.5, 2)),
    (201, (2, 1, 4, 1.0, 2, 1.0, 3)),
    (250, (2, 1, 4, 1.0, 2, 1.0, 3)),
    (251, (3, 1, 4, 2.0, 2, 1.0, 3)),
    (300, (3, 1, 4, 2.0, 2, 1.0, 3)),
    (301, (3, 2, 5, 2.0, 2, 2.0, 3)),
    (400, (3, 2, 5, 2.0, 2, 2.0, 3)),
    (401, (3, 2, 6, 3.0, 2, 2.0, 4)),
    (450, (3, 2, 6, 3.0, 2, 2.0, 4)),
    (451, (3, 2, 6, 3.0, 2, 2.5, 4)),
    (500, (3, 2, 6, 3.0, 2, 2.5, 4)),
    (600, (3, 2, 6, 3.0, 2, 2.5, 4)),
]


@pytest.mark.parametrize("p,expected", P_ROWS)
def test_r1_management_rows_by_p(p, expected):
    r = run(with_p(p))
    assert r["production_base"] == approx(p)
    assert [val(r, f) for f in P_BASED] == approx(list(expected))


@pytest.mark.parametrize("households,area", [(57, 285), (1154, 5770), (1658, 8290)])
def test_r1_density_exactly_200_is_in_first_band(households, area):
    # density = households / (area / 1000) = 200 exactly (area = 5 x households): "До 200" is
    # inclusive (cl. 1.8, R1) -> 1.4. Floating-point noise in area/1000 must not push the
    # density to 200.00000000000003 and the rate to 1.3.
    r = run({"households_rural": {"households": households, "area_km2": area}})
    assert val(r, "3.1.2") == approx(households * 1.4 / 1000)
    assert warns(r, "3.1.2") == []  # the first band never triggers the monotonicity warning


# ---------------------------------------------------------------------------- R2

@pytest.mark.parametrize("c,m,expected", [
    (60, 900, 1.9),                                       # a table point
    (45, 540, 1.1 + (1.5 - 1.1) * 15 / 30),               # between rows 30 and 60
    (60, 720, 1.5 + (1.9 - 1.5) * 180 / 360),             # along meters in row 60
    (3, 1000, 0.4),                                       # row 3 has one cell: silent clamp
    (15, 1620, 0.8),                                      # row 15 ends at 540: silent clamp
    (2, 100, 0.4),                                        # below first point: first value
    (45, 100, 0.8 + (1.1 - 0.8) * 15 / 30),               # below the first column: 180
    (180, 1620, 4.1),                                     # the last point itself
])
def test_r2_point_table_3_1_5_silent(c, m, expected):
    r = run({"industrial_over_750": {"consumers": c, "meters": m}})
    assert val(r, "3.1.5") == approx(expected)
    assert warns(r, "3.1.5") == []


def test_r2_row_then_column_interpolation_city_mid_3_1_5():
    # 12 consumers, 200 meters: row 3 -> 0.4 (clamped, silent); row 15 at 200 -> 0.6 + 0.2*20/360
    r = run({"industrial_over_750": {"consumers": 12, "meters": 200}})
    assert val(r, "3.1.5") == approx(0.4 + (0.6 + 0.2 * 20 / 360 - 0.4) * 9 / 12)
    assert warns(r, "3.1.5") == []
    assert_trace(r, "3.1.5", "3.1.5", "R2")


@pytest.mark.parametrize("c,m,expected", [
    (200, 900, 3.3),     # beyond the last consumer row 180: row 180 at 900
    (90, 2000, 3.0),     # beyond the last meter column 1620: row 90 at 1620
    (400, 5000, 4.1),    # both
])
def test_r2_point_table_3_1_5_beyond_edges_warns(c, m, expected):
    r = run({"industrial_over_750": {"consumers": c, "meters": m}})
    assert val(r, "3.1.5") == approx(expected)
    assert rulings_of(r, "3.1.5") == {"R2"}


def test_r2_point_table_3_1_6():
    # 150 consumers, 900 meters (city_mid): row 20 clamped to 500 -> 1.1; row 200 at 900 -> 1.44
    r = run({"industrial_upto_750": {"consumers": 150, "meters": 900}})
    assert val(r, "3.1.6") == approx(1.1 + (1.2 + 0.3 * 400 / 500 - 1.1) * 130 / 180)
    assert warns(r, "3.1.6") == []
    # below the first point: 5 consumers -> row 20; 1000 meters clamped to 500 -> 1.1, silent
    r = run({"industrial_upto_750": {"consumers": 5, "meters": 1000}})
    assert val(r, "3.1.6") == approx(1.1)
    assert warns(r, "3.1.6") == []
    # beyond the last column 8700: row 20 -> 1.1, row 200 -> 2.2 (clamped to the rows' spans)
    r = run({"industrial_upto_750": {"consumers": 100, "meters": 9000}})
    assert val(r, "3.1.6") == approx(1.1 + (2.2 - 1.1) * 80 / 180)
    assert rulings_of(r, "3.1.6") == {"R2"}
    # beyond the last row 4330 -> row 4330 at 6300: 5.2 + 0.3*900/1800
    r = run({"industrial_upto_750": {"consumers": 5000, "meters": 6300}})
    assert val(r, "3.1.6") == approx(5.2 + 0.3 * 900 / 1800)
    assert rulings_of(r, "3.1.6") == {"R2"}


def test_r2_point_table_3_1_7_inside():
    # 400 consumers, 2000 meters: row 350 -> 2.6 + 0.4*300/1040; row 500 -> 3.0 + 0.3*300/1040
    r = run({"agricultural": {"consumers": 400, "meters": 2000}})
    a, b = 2.6 + 0.4 * 300 / 1040, 3.0 + 0.3 * 300 / 1040
    assert val(r, "3.1.7") == approx(a + (b - a) * 50 / 150)
    assert warns(r, "3.1.7") == []
    # 5 consumers (below row 10), 1000 meters -> row 10 has one cell -> 0.3
    r = run({"agricultural": {"consumers": 5, "meters": 1000}})
    assert val(r, "3.1.7") == approx(0.3)
    assert warns(r, "3.1.7") == []


# ---------------------------------------------------------------------------- R3

@pytest.mark.parametrize("group,fid,c,m,expected", [
    # 3.1.3 row 601-1000 starts at column 1001-3000: 300 meters -> 1.2
    ("non_industrial_city", "3.1.3", 800, 300, 1.2),
    # 3.1.3 row 51-150 ends at column 3001-6000: 20000 meters -> 0.8
    ("non_industrial_city", "3.1.3", 100, 20000, 0.8),
    # 3.1.3 row "до 50" ends at 1001-3000: 4000 meters -> 0.4
    ("non_industrial_city", "3.1.3", 10, 4000, 0.4),
    # 3.1.4 row 401-600 ends at column 4001-7000: 9000 meters -> 1.0
    ("non_industrial_rural", "3.1.4", 500, 9000, 1.0),
    # 3.1.4 row 4201-5100 starts at column 4001-7000: 300 meters -> 2.6
    ("non_industrial_rural", "3.1.4", 5000, 300, 2.6),
    # 3.1.4 row 901-1200, 800 meters -> column 1001-2000 = 1.0
    ("non_industrial_rural", "3.1.4", 1000, 800, 1.0),
])
def test_r3_dash_cell_takes_nearest_defined_with_warning(group, fid, c, m, expected):
    r = run({group: {"consumers": c, "meters": m}})
    assert val(r, fid) == approx(expected)
    assert rulings_of(r, fid) == {"R3"}
    assert_trace(r, fid, fid, "R3")


def test_r3_warning_names_table_and_cell_used():
    r = run({"non_industrial_city": {"consumers": 800, "meters": 300},
             "non_industrial_rural": {"consumers": 1000, "meters": 800}})
    (w3,) = warns(r, "3.1.3")
    (w4,) = warns(r, "3.1.4")
    assert "3.1.3" in w3["message"] and "1001" in w3["message"]  # column 1001-3000 used
    assert "3.1.4" in w4["message"] and "1001" in w4["message"]  # column 1001-2000 used


def test_r3_defined_cell_has_no_warning():
    r = run({"non_industrial_city": {"consumers": 800, "meters": 2000},
             "non_industrial_rural": {"consumers": 500, "meters": 5000}})
    assert val(r, "3.1.3") == approx(1.2) and val(r, "3.1.4") == approx(1.0)
    assert warns(r, "3.1.3") == [] and warns(r, "3.1.4") == []


def test_r3_with_extrapolation():
    # 12000 consumers, 400 meters: row "10001-11500" (clamped, R7) column "до 500" is "-" ->
    # nearest defined 10001-15000 = 4.0 (R3 warning) + 0.2*(12000-11500)/1500 (R7, silent)
    r = run({"non_industrial_city": {"consumers": 12000, "meters": 400}})
    assert val(r, "3.1.3") == approx(4.0 + 0.2 * 500 / 1500)
    assert rulings_of(r, "3.1.3") == {"R3"}


# ---------------------------------------------------------------------------- R4

def test_r4_zero_consumers_give_zero_even_with_meters():
    r = run({g: {"consumers": 0, "meters": 500} for g in (
        "non_industrial_city", "non_industrial_rural", "industrial_over_750",
        "industrial_upto_750", "agricultural")} | {"own_delivery": True})
    for fid in ("3.1.3", "3.1.4", "3.1.5", "3.1.6", "3.1.7"):
        assert val(r, fid) == 0, fid
    assert r["warnings"] == []
    assert r["total"] == 0


def test_r4_zero_contracts_keeps_additions():
    # 0 contracts: table part 0 (even guaranteed); + 2 districts + 25000/25000 + 0.5 imports
    r = run({"contracts_thousand": 0, "rural_network_districts": 2, "urban_consumers": 25000,
             "imports_electricity": True, "guaranteed_supplier": True})
    assert val(r, "3.1.8") == approx(2 + 1 + 0.5)
    assert warns(r, "3.1.8") == []


def test_r4_zero_numbers_and_zero_consumers():
    r = run({"ats_numbers": 0, "vehicles": 0, "sales_sites": 30})
    assert val(r, "3.1.9") == 0 and val(r, "3.1.17") == 0
    assert [val(r, f) for f in ("3.3.drivers", "3.3.repair", "3.3.specialist")] == [0, 0, 0]


def test_r4_p_zero_gives_zero_management():
    r = run({"sales_sites": 30, "vehicles": 5, "cleaners": 3, "metering_staff": 2,
             "guard_posts": {"h24": 1}, "has_copiers": True})
    assert r["production_base"] == 0
    for fid in MGMT:
        assert val(r, fid) == 0, fid
    assert r["warnings"] == []
    assert val(r, "3.6a") == 0
    assert r["total_exact"] == approx(5 + 5 / 7 + 1 + 3 + 2 + 4.7 + 4.7 / 30 + 1)


def test_r4_empty_form_traces_cite_r4():
    r = run({})
    for fid in [f"3.1.{i}" for i in range(1, 19)]:
        assert_trace(r, fid, fid, "R4")


def test_r4_empty_form():
    r = run({})
    assert all(f["value"] == 0 for f in r["functions"])
    assert r["total"] == 0 and r["total_exact"] == 0 and r["production_base"] == 0
    assert r["warnings"] == []


# ---------------------------------------------------------------------------- R5

def test_r5_rates_per_1000_proportional():
    r = run({"households_city": {"multi_storey": 30000}})
    assert val(r, "3.1.1") == approx(18.0)
    r = run({"households_city": {"individual": 1500}})
    assert val(r, "3.1.1") == approx(1.05)
    r = run({"households_city": {"multi_storey": 1, "individual": 1}})
    assert val(r, "3.1.1") == approx(0.0013)
    assert_trace(r, "3.1.1", "3.1.1", "R5")


@pytest.mark.parametrize("share,coef", [
    (0, 1.0), (0.5, 1.01), (5, 1.01), (5.5, 1.02), (20, 1.02), (20.01, 1.03), (40, 1.03),
    (41, 1.04), (60, 1.04), (60.5, 1.05), (100, 1.05),
])
def test_r5_two_tariff_coefficient_bands(share, coef):
    r = run({"households_city": {"multi_storey": 30000, "two_tariff_share_pct": share}})
    assert val(r, "3.1.1") == approx(18.0 * coef)
    assert warns(r, "3.1.1") == []


# ---------------------------------------------------------------------------- R6

def test_r6_density_uses_all_rural_households():
    # 1100 households on 1000 km2 -> density 1100 -> 1.3 (not 200 -> 1.4 from the 200 non-centre)
    # centre 900 at 0.6/1000 (no share -> no coefficient); rest 200 at 1.3/1000
    r = run({"households_rural": {"households": 1100, "area_km2": 1000,
                                  "district_centre_multi_storey": 900}})
    assert val(r, "3.1.2") == approx(900 * 0.6 / 1000 + 200 * 1.3 / 1000)
    assert_trace(r, "3.1.2", "3.1.2", "R6")


def test_r6_district_centre_with_two_tariff_coefficient():
    # density 1000/(10000/1000) = 100 -> 1.4; centre 400 at 0.6 * 1.03 (city share 30 %, R5)
    r = run({"households_city": {"two_tariff_share_pct": 30},
             "households_rural": {"households": 1000, "area_km2": 10000,
                                  "district_centre_multi_storey": 400}})
    assert val(r, "3.1.2") == approx(400 * 0.6 / 1000 * 1.03 + 600 * 1.4 / 1000)
    assert val(r, "3.1.1") == 0
    assert warns(r, "3.1.2") == []


def test_r6_density_area_fractional():
    # 500 households on 2500.5 km2 -> density 199.96 -> 1.4
    r = run({"households_rural": {"households": 500, "area_km2": 2500.5}})
    assert val(r, "3.1.2") == approx(500 * 1.4 / 1000)
    # on 2499.5 km2 -> density 200.04 -> 1.3 (non-monotonic region: a warning may appear)
    r = run({"households_rural": {"households": 500, "area_km2": 2499.5}})
    assert val(r, "3.1.2") == approx(500 * 1.3 / 1000)


def test_r6_area_zero_takes_densest_rate_with_warning():
    r = run({"households_rural": {"households": 1000, "area_km2": 0}})
    assert val(r, "3.1.2") == approx(1000 * 1.2 / 1000)
    assert "R6" in rulings_of(r, "3.1.2")
    # no households, no area: 0, silent (R4)
    r = run({"households_rural": {"households": 0, "area_km2": 500}})
    assert val(r, "3.1.2") == 0 and r["warnings"] == []


def test_r6_district_centre_above_households_is_an_input_error():
    probs = problems({"households_rural": {"households": 100, "area_km2": 50,
                                           "district_centre_multi_storey": 101}})
    assert {p["field"] for p in probs} & {
        "households_rural.district_centre_multi_storey", "households_rural.households"}
    # equal is fine: every rural household is in the district centre
    r = run({"households_rural": {"households": 100, "area_km2": 50,
                                  "district_centre_multi_storey": 100}})
    assert val(r, "3.1.2") == approx(100 * 0.6 / 1000)


def test_r6_non_monotonic_density_band_warns():
    # area 1000: 200 households -> 200*1.4/1000 = 0.28; 201 -> 201*1.3/1000 = 0.2613 < 0.28
    r200 = run({"households_rural": {"households": 200, "area_km2": 1000}})
    r201 = run({"households_rural": {"households": 201, "area_km2": 1000}})
    assert val(r200, "3.1.2") == approx(0.28)
    assert val(r201, "3.1.2") == approx(0.2613)
    assert warns(r200, "3.1.2") == []
    assert warns(r201, "3.1.2") != []
    # far inside the band (density 720 > 200*1.4/1.3): no warning
    r = run({"households_rural": {"households": 720, "area_km2": 1000}})
    assert val(r, "3.1.2") == approx(720 * 1.3 / 1000)
    assert warns(r, "3.1.2") == []


@pytest.mark.parametrize("households,rate,warned", [
    (1101, 1.25, True),    # 1101*1.25 = 1.37625 < 1100*1.3 = 1.43
    (1200, 1.25, False),   # 1.5 > 1.43: no smaller count gives more
    (1301, 1.2, True),     # 1301*1.2 = 1.5612 < 1300*1.25 = 1.625
    (1400, 1.2, False),    # 1.68 > 1.625
])
def test_r6_non_monotonic_upper_bands(households, rate, warned):
    r = run({"households_rural": {"households": households, "area_km2": 1000}})
    assert val(r, "3.1.2") == approx(households * rate / 1000)
    assert bool(warns(r, "3.1.2")) is warned


# ---------------------------------------------------------------------------- R7

@pytest.mark.parametrize("c,m,expected", [
    (13000, 20000, 4.2 + 0.2 * 1500 / 1500),             # consumers only
    (12250, 21000, 4.2 + 0.2 * 750 / 1500),              # proportional
    (3000, 26000, 3.0 + 0.2 * 5000 / 5000),              # meters only (row 2801-3500)
    (14500, 31000, 4.2 + 0.2 * 3000 / 1500 + 0.2 * 10000 / 5000),  # both add
])
def test_r7_extrapolation_3_1_3(c, m, expected):
    r = run({"non_industrial_city": {"consumers": c, "meters": m}})
    assert val(r, "3.1.3") == approx(expected)
    assert warns(r, "3.1.3") == []
    assert_trace(r, "3.1.3", "3.1.3", "R7")


@pytest.mark.parametrize("c,m,expected", [
    (5550, 10000, 2.8 + 0.2 * 450 / 900),
    (5100, 11500, 2.8 + 0.2 * 1500 / 3000),
    (3000, 13000, 2.4 + 0.2 * 3000 / 3000),              # row 2701-3400
    (6000, 16000, 2.8 + 0.2 * 900 / 900 + 0.2 * 6000 / 3000),
])
def test_r7_extrapolation_3_1_4(c, m, expected):
    r = run({"non_industrial_rural": {"consumers": c, "meters": m}})
    assert val(r, "3.1.4") == approx(expected)
    assert warns(r, "3.1.4") == []
    assert_trace(r, "3.1.4", "3.1.4", "R7")


def test_r7_3_1_7_literal_clamp_then_extrapolate():
    row1500_3000 = 4.6 + 0.3 * 260 / 1010  # row 1500: 2740 -> 4.6, 3750 -> 4.9
    # table edge reached: no warning
    r = run({"agricultural": {"consumers": 1500, "meters": 3750}})
    assert val(r, "3.1.7") == approx(4.9) and warns(r, "3.1.7") == []
    # 2000 consumers (1500 < c <= 5100): clamped to row 1500 + warning
    r = run({"agricultural": {"consumers": 2000, "meters": 3000}})
    assert val(r, "3.1.7") == approx(row1500_3000)
    assert rulings_of(r, "3.1.7") == {"R7"}
    # 5000 meters (3750 < m <= 10000): clamped to 3750; rows 940 -> 4.3, 1250 -> 4.6
    r = run({"agricultural": {"consumers": 1000, "meters": 5000}})
    assert val(r, "3.1.7") == approx(4.3 + 0.3 * 60 / 310)
    assert rulings_of(r, "3.1.7") == {"R7"}
    # 6000 consumers: clamped + 0.2*(6000-5100)/900, still warned
    r = run({"agricultural": {"consumers": 6000, "meters": 3000}})
    assert val(r, "3.1.7") == approx(row1500_3000 + 0.2 * 900 / 900)
    assert rulings_of(r, "3.1.7") == {"R7"}
    # 12000 meters: clamped to 3750 + 0.2*(12000-10000)/3000
    r = run({"agricultural": {"consumers": 1000, "meters": 12000}})
    assert val(r, "3.1.7") == approx(4.3 + 0.3 * 60 / 310 + 0.2 * 2000 / 3000)
    assert rulings_of(r, "3.1.7") == {"R7"}
    assert_trace(r, "3.1.7", "3.1.7", "R7")


# ---------------------------------------------------------------------------- R8

def test_r8_courier_additions_per_table():
    s = {
        "households_city": {"multi_storey": 1000},
        "households_rural": {"households": 1000, "area_km2": 10000},
        "non_industrial_city": {"consumers": 120, "meters": 600},   # 0.3
        "non_industrial_rural": {"consumers": 120, "meters": 600},  # 0.3
        "industrial_over_750": {"consumers": 15, "meters": 180},    # 0.6
        "industrial_upto_750": {"consumers": 20, "meters": 30},     # 0.7
        "agricultural": {"consumers": 10, "meters": 140},           # 0.3
    }
    off = run(s)
    on = run({**s, "own_delivery": True})
    base = {"3.1.3": 0.3, "3.1.4": 0.3, "3.1.5": 0.6, "3.1.6": 0.7, "3.1.7": 0.3}
    courier = {
        "3.1.3": 0.1 * 120 / 100,  # note 2: 0.1 per 100 consumers
        "3.1.4": 0.1 * 120 / 80,   # note 2: 0.1 per 80 consumers
        "3.1.5": 0.1 * 15 / 100,
        "3.1.6": 0.1 * 20 / 100,
        "3.1.7": 0.1 * 10 / 80,
    }
    for fid in base:
        assert val(off, fid) == approx(base[fid]), fid
        assert val(on, fid) == approx(base[fid] + courier[fid]), fid
        assert_trace(on, fid, fid, "R8")
    # 3.1.1 and 3.1.2 have no courier note
    assert val(on, "3.1.1") == approx(0.6) == approx(val(off, "3.1.1"))
    assert val(on, "3.1.2") == approx(1.4) == approx(val(off, "3.1.2"))


def test_r8_courier_on_extrapolated_and_zero_groups():
    r = run({"own_delivery": True, "non_industrial_city": {"consumers": 13000, "meters": 21000}})
    assert val(r, "3.1.3") == approx(4.2 + 0.2 * 1500 / 1500 + 0.1 * 13000 / 100)
    assert val(r, "3.1.4") == 0  # R4: no consumers, no courier
    r = run({"own_delivery": True, "agricultural": {"consumers": 2000, "meters": 3000}})
    assert val(r, "3.1.7") == approx(4.6 + 0.3 * 260 / 1010 + 0.1 * 2000 / 80)


# ---------------------------------------------------------------------------- R9

@pytest.mark.parametrize("contracts,expected", [
    (0, 0), (0.001, 3), (10, 3), (25, 3), (37.5, 5), (50, 7), (60, 8.6), (125, 17.5),
    (175, 22), (475, 46), (500, 48),
])
def test_r9_contracts_table(contracts, expected):
    r = run({"contracts_thousand": contracts})
    assert val(r, "3.1.8") == approx(expected)
    assert warns(r, "3.1.8") == []


def test_r9_additions_and_guaranteed_coefficient():
    # table 3 * 1.05 (guaranteed: table only) + 3 districts + 12500/25000 + 0.5 imports
    r = run({"contracts_thousand": 25, "guaranteed_supplier": True, "rural_network_districts": 3,
             "urban_consumers": 12500, "imports_electricity": True})
    assert val(r, "3.1.8") == approx(3 * 1.05 + 3 + 0.5 + 0.5)
    assert_trace(r, "3.1.8", "3.1.8", "R9")
    r = run({"contracts_thousand": 60, "guaranteed_supplier": True})
    assert val(r, "3.1.8") == approx((7 + 4 * 10 / 25) * 1.05)


def test_r9_above_500_clamps_with_warning():
    r = run({"contracts_thousand": 520, "guaranteed_supplier": True, "urban_consumers": 50000})
    assert val(r, "3.1.8") == approx(48 * 1.05 + 2)
    assert warns(r, "3.1.8") != []
    # the ruling says R9 (R2 also lists 3.1.8 among the point tables)
    assert rulings_of(r, "3.1.8") <= {"R9", "R2"}


# ---------------------------------------------------------------------------- R10

@pytest.mark.parametrize("n,expected", [
    (0, 0), (1, 0.5), (25, 0.5), (26, 1.0), (55, 1.0), (56, 1.5), (75, 1.5), (76, 2.0),
    (110, 2.0),
])
def test_r10_ats_numbers(n, expected):
    r = run({"ats_numbers": n})
    assert val(r, "3.1.9") == approx(expected)
    assert warns(r, "3.1.9") == []


def test_r10_above_110_warns():
    r = run({"ats_numbers": 111})
    assert val(r, "3.1.9") == approx(2.0)
    assert warns(r, "3.1.9") != []
    assert rulings_of(r, "3.1.9") <= {"R10", "R1"}
    assert_trace(r, "3.1.9", "3.1.9", "R10")


# ---------------------------------------------------------------------------- R11

@pytest.mark.parametrize("it,items", [
    ({"servers": 1}, 0.2),                      # 1.1
    ({"network_users": 150}, 1.5),              # 1.2 per 100 users, proportional
    ({"lan_support_workplaces": 10}, 0.05),     # 1.3
    ({"mail_nodes": 1}, 1.0),                   # 1.5 node
    ({"mail_users": 50}, 0.2),                  # 1.5 per 50 users
    ({"server_apps": 1}, 0.025),                # 1.6
    ({"std_sw_workstations": 10}, 0.01),        # 1.7
    ({"purchased_sw_tasks": 1}, 1), ({"purchased_sw_tasks": 6}, 1),      # 2: до 6
    ({"purchased_sw_tasks": 7}, 2), ({"purchased_sw_tasks": 15}, 2),     # 2: 7-15
    ({"purchased_sw_tasks": 16}, 3),                                     # 2: свыше 15
    ({"developed_sw_tasks": 1}, 1), ({"developed_sw_tasks": 4}, 1),      # 3: до 4
    ({"developed_sw_tasks": 5}, 2),                                      # 3: свыше 4
    ({"tech_units": 15}, 0.15),                 # 4
    ({"lan_hw_workplaces": 10}, 0.1),           # 5
])
def test_r11_items_below_leadership(it, items):
    r = run({"it": it})
    assert val(r, "3.1.10") == approx(items)  # sum < 4 -> no leadership (item 7)


@pytest.mark.parametrize("it,items,lead", [
    ({"tk_centres": 3, "server_apps": 39}, 3 + 0.975, 0),           # 3.975 < 4
    ({"purchased_sw_tasks": 16, "developed_sw_tasks": 1}, 4, 1),   # exactly 4 -> "4-10"
    ({"round_the_clock_workplaces": 1}, 4.5, 1),                    # item 6: 4.5 per place
    ({"round_the_clock_workplaces": 2, "developed_sw_tasks": 1}, 10, 1),   # exactly 10
    ({"round_the_clock_workplaces": 2, "developed_sw_tasks": 1, "server_apps": 6}, 10.15, 2),
    ({"round_the_clock_workplaces": 4, "purchased_sw_tasks": 7}, 20, 2),   # exactly 20
    ({"round_the_clock_workplaces": 4, "purchased_sw_tasks": 7, "servers": 1}, 20.2, 3),
])
def test_r11_leadership_on_sum_of_items(it, items, lead):
    r = run({"it": it})
    assert val(r, "3.1.10") == approx(items + lead)
    assert_trace(r, "3.1.10", "3.1.10", "R11")


def test_r11_leadership_boundary_is_exact():
    # items: 1.4 17 centres * 1.0 = 17; 1.1 13 servers * 0.2 = 2.6; 4: 19/10 * 0.1 = 0.19;
    # 5: 21/10 * 0.1 = 0.21; sum = 20 exactly -> leadership "11-20" -> 2 (R1, R11), not 3
    # (a float sum of 20.000000000000004 must not count as "свыше 20")
    r = run({"it": {"tk_centres": 17, "servers": 13, "tech_units": 19, "lan_hw_workplaces": 21}})
    assert val(r, "3.1.10") == approx(17 + 13 * 0.2 + 19 / 10 * 0.1 + 21 / 10 * 0.1 + 2)


def test_r11_purchased_and_developed_zero_tasks():
    r = run({"it": {"purchased_sw_tasks": 0, "developed_sw_tasks": 0, "servers": 2}})
    assert val(r, "3.1.10") == approx(0.4)


# ---------------------------------------------------------------------------- R12

def test_r12_p_is_exact_sum_including_additions():
    s = {"contracts_thousand": 25, "rural_network_districts": 95,   # 3.1.8 = 98
         "non_industrial_city": {"consumers": 1000, "meters": 1500}}  # 3.1.3 = 1.2
    r = run(s)
    assert r["production_base"] == approx(99.2)
    assert val(r, "3.1.11") == 1 and rulings_of(r, "3.1.12") == {"R1"}
    # the courier addition (+1.0) is part of P: 100.2 crosses into the second rows
    r = run({**s, "own_delivery": True})
    assert r["production_base"] == approx(100.2)
    assert r["production_base"] == approx(sum(val(r, f"3.1.{i}") for i in range(1, 11)))
    assert val(r, "3.1.11") == 2 and val(r, "3.1.13") == 3 and val(r, "3.1.14") == 1.0
    assert warns(r, "3.1.12") == [] and warns(r, "3.1.18") == []
    assert val(r, "3.6a") == approx(0.005 * 100.2)


# scenarios whose P is exactly a row bound: 3.1.1 = multi * 0.6/1000, 3.1.8 = 3 (contracts
# in (0,25]) + districts + urban/25000 (R9). P must be the exact sum (R12); floating-point
# noise (P = 100.00000000000001 or 99.99999999999999) must not move P across a row bound.
P_EXACT = [
    # multi, districts, urban -> P; 3.1.11 3.1.12 3.1.13 3.1.14 3.1.15 3.1.16 3.1.18
    # 119683*0.6/1000 = 71.8098; 4755/25000 = 0.1902; 71.8098 + 0.1902 + 3 + 25 = 100
    (119683, 25, 4755, 100, (1, 1, 2, 0.5, 1, 0.5, 2)),
    (153343, 4, 24855, 100, (1, 1, 2, 0.5, 1, 0.5, 2)),
    # 149214*0.6/1000 = 89.5284; 186790/25000 = 7.4716; + 3 = 100 (no "below 100" warning)
    (149214, 0, 186790, 100, (1, 1, 2, 0.5, 1, 0.5, 2)),
    # 71679*0.6/1000 = 43.0074; 24815/25000 = 0.9926; + 3 + 253 = 300
    (71679, 253, 24815, 300, (3, 1, 4, 2.0, 2, 1.0, 3)),
]


@pytest.mark.parametrize("multi,districts,urban,p,expected", P_EXACT)
def test_r12_p_on_a_row_bound_is_exact(multi, districts, urban, p, expected):
    r = run({"households_city": {"multi_storey": multi}, "contracts_thousand": 25,
             "rural_network_districts": districts, "urban_consumers": urban})
    assert r["production_base"] == approx(p)
    assert [val(r, f) for f in P_BASED] == approx(list(expected))
    assert [w for w in r["warnings"] if w["id"] in P_BASED] == []


def test_r12_p_excludes_clauses_3_2_to_3_6():
    r = run({**with_p(100), "metering_staff": 50, "cleaners": 10, "vehicles": 30,
             "guard_posts": {"h24": 5}, "has_copiers": True})
    assert r["production_base"] == approx(100)
    assert val(r, "3.1.11") == 1  # P still "до 100"


# ---------------------------------------------------------------------------- R13

# 3.1.11..3.1.16 at P = 150 per column
COLS_150 = [(2, 1, 3, 1.0, 1, 0.5), (2, 1, 3, 1.0, 1, 0.5), (3, 2, 4, 2.0, 2, 1.0),
            (3, 2, 4, 2.0, 2, 1.0)]


@pytest.mark.parametrize("sites,city_only,col", [
    (0, False, 0), (10, False, 0), (11, False, 1), (15, False, 1), (16, False, 2),
    (25, False, 2), (26, False, 3), (100, False, 3),
    (16, True, 0), (100, True, 0),
])
def test_r13_sales_site_columns(sites, city_only, col):
    r = run({**with_p(150), "sales_sites": sites, "city_only": city_only})
    got = [val(r, f"3.1.{i}") for i in range(11, 17)]
    assert got == approx(list(COLS_150[col]))
    assert [w for w in r["warnings"] if w["id"] in MGMT] == []


# ---------------------------------------------------------------------------- R14

@pytest.mark.parametrize("scenario,expected", [
    ({}, 0),
    ({"households_city": {"multi_storey": 1}}, 1),
    ({"households_city": {"multi_storey": 20000}}, 1),             # 20 thousand: "до 20"
    ({"households_city": {"multi_storey": 20001}}, 2),             # 20.001 -> "21-40"
    ({"households_city": {"multi_storey": 10000, "individual": 5000},
      "non_industrial_city": {"consumers": 3000, "meters": 3000},
      "non_industrial_rural": {"consumers": 1000, "meters": 1000},
      "industrial_over_750": {"consumers": 500, "meters": 900},
      "industrial_upto_750": {"consumers": 500, "meters": 900},
      "agricultural": {"consumers": 1000, "meters": 1700}}, 2),    # 21000 consumers
    ({"households_city": {"multi_storey": 150000}}, 8),            # 150 -> "141-170"
    ({"households_city": {"multi_storey": 520000}}, 17),
    # meters are not consumers; urban_consumers is not a consumer group
    ({"non_industrial_city": {"consumers": 100, "meters": 30000}, "urban_consumers": 10 ** 6}, 1),
])
def test_r14_legal_staff_on_all_consumers(scenario, expected):
    r = run(scenario)
    assert val(r, "3.1.17") == approx(expected)
    assert warns(r, "3.1.17") == []


def test_r14_rural_households_counted_once():
    # 20000 rural households of which 5000 in district centres: 20 thousand -> 1 (not 25 -> 2)
    r = run({"households_rural": {"households": 20000, "area_km2": 10000,
                                  "district_centre_multi_storey": 5000}})
    assert val(r, "3.1.17") == approx(1)
    assert_trace(r, "3.1.17", "3.1.17", "R14")


def test_r14_above_520_thousand_warns():
    r = run({"households_city": {"multi_storey": 520001}})
    assert val(r, "3.1.17") == approx(17)
    assert warns(r, "3.1.17") != []
    assert rulings_of(r, "3.1.17") <= {"R14", "R1"}


# ---------------------------------------------------------------------------- R15

def test_r15_metering_staff_manual():
    r = run({"metering_staff": 3.5})
    assert val(r, "3.2") == approx(3.5)
    assert r["groups"]["production_specialists"] == approx(3.5)
    assert r["production_base"] == 0 and val(r, "3.6a") == 0
    assert r["total_exact"] == approx(3.5) and r["total"] == 4
    assert_trace(r, "3.2", "3.2", "R15")
    assert val(run({}), "3.2") == 0


# ---------------------------------------------------------------------------- R16

@pytest.mark.parametrize("n,specialist", [
    (0, 0), (1, 1), (7, 1), (25, 1), (26, 2), (32, 2),
])
def test_r16_transport(n, specialist):
    r = run({"vehicles": n})
    assert val(r, "3.3.drivers") == approx(n)
    assert val(r, "3.3.repair") == approx(n / 7)
    assert val(r, "3.3.specialist") == approx(specialist)
    assert r["warnings"] == []


def test_r16_above_32_vehicles_warns():
    r = run({"vehicles": 33})
    assert val(r, "3.3.drivers") == approx(33)
    assert val(r, "3.3.repair") == approx(33 / 7)
    assert val(r, "3.3.specialist") == approx(2)
    assert rulings_of(r, "3.3.specialist") == {"R16"}
    assert warns(r, "3.3.drivers") == [] and warns(r, "3.3.repair") == []
    assert_trace(r, "3.3.repair", "3.3", "R16")
    assert_trace(r, "3.3.specialist", "3.3", "R16")


# ---------------------------------------------------------------------------- R17

def test_r17_cleaners_manual():
    r = run({"cleaners": 2.25})
    assert val(r, "3.4") == approx(2.25)
    assert r["groups"]["workers"] == approx(2.25)
    assert_trace(r, "3.4", "3.4", "R17")
    assert val(run({}), "3.4") == 0


# ---------------------------------------------------------------------------- R18

@pytest.mark.parametrize("posts,guards", [
    ({"h24": 1}, 4.7), ({"h16": 1}, 3.14), ({"h12": 1}, 2.35), ({"h8": 1}, 1.57),
    ({"h24": 2, "h16": 3, "h12": 1, "h8": 5}, 2 * 4.7 + 3 * 3.14 + 2.35 + 5 * 1.57),
    ({"h8": 30}, 30 * 1.57),
])
def test_r18_guards_and_leaders(posts, guards):
    r = run({"guard_posts": posts})
    assert val(r, "3.5.guards") == approx(guards)
    assert val(r, "3.5.leaders") == approx(guards / 30)  # proportional, not rounded
    assert_trace(r, "3.5.guards", "3.5", "R18")
    assert_trace(r, "3.5.leaders", "3.5", "R18")


# ---------------------------------------------------------------------------- R19

def test_r19_copier_operator_and_materials_supply():
    r = run({"has_copiers": True})
    assert val(r, "3.6") == 1 and val(r, "3.6a") == 0
    assert_trace(r, "3.6", "3.6", "R19")
    r = run({**with_p(100), "has_copiers": False})
    assert val(r, "3.6") == 0
    assert val(r, "3.6a") == approx(0.005 * 100)
    r = run(with_p(123.5))
    assert val(r, "3.6a") == approx(0.005 * 123.5)
    assert_trace(r, "3.6a", "3.6", "R19")


# ---------------------------------------------------------------------------- R20

def test_r20_no_clause_3_7():
    r = run({**with_p(150), "vehicles": 3, "has_copiers": True, "cleaners": 1})
    assert [f["id"] for f in r["functions"]] == IDS
    assert not any(f["id"].startswith("3.7") for f in r["functions"])
    assert r["total_exact"] == approx(sum(f["value"] for f in r["functions"]))


# ---------------------------------------------------------------------------- R21

@pytest.mark.parametrize("cleaners,total", [
    (0.5, 1), (1.5, 2), (2.5, 3), (72.5, 73), (2.4999, 2), (0.49, 0), (3.0, 3),
])
def test_r21_round_half_up_only_the_total(cleaners, total):
    r = run({"cleaners": cleaners})
    assert r["total_exact"] == approx(cleaners)
    assert r["total"] == total
    assert isinstance(r["total"], int)


def test_r21_functions_keep_exact_values():
    r = run({"vehicles": 1, "guard_posts": {"h8": 1}})  # 1 + 1/7 + 1 + 1.57 + 1.57/30
    exact = 1 + 1 / 7 + 1 + 1.57 + 1.57 / 30
    assert val(r, "3.3.repair") == approx(1 / 7)
    assert r["total_exact"] == approx(exact)
    assert r["total"] == 4


# ---------------------------------------------------------------------------- R22

GROUP = {
    **{f"3.1.{i}": "workers" for i in (1, 2, 3, 4, 5, 6, 7, 9)},
    "3.1.8": "production_specialists", "3.1.10": "production_specialists",
    **{f"3.1.{i}": "management" for i in range(11, 19)},
    "3.2": "production_specialists",
    "3.3.drivers": "workers", "3.3.repair": "workers", "3.3.specialist": "production_specialists",
    "3.4": "workers", "3.5.guards": "workers", "3.5.leaders": "production_specialists",
    "3.6": "workers", "3.6a": "workers",
}


def test_r22_group_tags_and_subtotals():
    r = run({"households_city": {"multi_storey": 10000}, "contracts_thousand": 30,
             "ats_numbers": 30, "it": {"servers": 5}, "sales_sites": 12, "vehicles": 8,
             "guard_posts": {"h12": 2}, "has_copiers": True, "cleaners": 1, "metering_staff": 2})
    assert {f["id"]: f["group"] for f in r["functions"]} == GROUP
    assert set(r["groups"]) == {"workers", "production_specialists", "management"}
    P = 6 + (3 + 4 * 5 / 25) + 1.0 + 1.0  # 3.1.1 + 3.1.8 + 3.1.9 + 3.1.10
    workers = 6 + 1.0 + 8 + 8 / 7 + 1 + 2 * 2.35 + 1 + 0.005 * P
    specialists = (3 + 4 * 5 / 25) + 1.0 + 1 + 2 * 2.35 / 30 + 2
    # P = 11.8, 12 sites -> column "11-15" = first rows; 3.1.17: 10 thousand -> 1
    management = 1 + 1 + 2 + 0.5 + 1 + 0.5 + 1 + 2
    assert r["groups"]["workers"] == approx(workers)
    assert r["groups"]["production_specialists"] == approx(specialists)
    assert r["groups"]["management"] == approx(management)
    assert r["total_exact"] == approx(workers + specialists + management)


CLAUSE = {fid: fid for fid in IDS}  # the clause a function's trace must name
CLAUSE.update({"3.3.drivers": "3.3", "3.3.repair": "3.3", "3.3.specialist": "3.3",
               "3.5.guards": "3.5", "3.5.leaders": "3.5", "3.6a": "3.6"})


def test_trace_every_function_names_its_clause_and_a_ruling():
    import re
    r = run({"households_city": {"multi_storey": 30000, "individual": 8000, "two_tariff_share_pct": 12},
             "households_rural": {"households": 1000, "area_km2": 2000, "district_centre_multi_storey": 100},
             "non_industrial_city": {"consumers": 420, "meters": 800},
             "non_industrial_rural": {"consumers": 300, "meters": 700},
             "industrial_over_750": {"consumers": 12, "meters": 200},
             "industrial_upto_750": {"consumers": 150, "meters": 900},
             "agricultural": {"consumers": 40, "meters": 300}, "own_delivery": True,
             "contracts_thousand": 40, "urban_consumers": 50000, "ats_numbers": 40,
             "it": {"servers": 4, "network_users": 120}, "sales_sites": 12, "vehicles": 6,
             "guard_posts": {"h24": 1}, "has_copiers": True, "cleaners": 2, "metering_staff": 1})
    for f in r["functions"]:
        t = "\n".join(f["trace"])
        assert f["trace"], f["id"]
        assert CLAUSE[f["id"]] in t, f["id"]
        assert re.search(r"\bR(?:[1-9]|1[0-9]|2[0-2])\b", t), f["id"]
    assert_trace(r, "3.1.11", "3.1.11", "R13")  # the sales-site column
    assert_trace(r, "3.1.11", "3.1.11", "R12")  # P


# ---------------------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=3000)
amounts = st.floats(min_value=0, max_value=700, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw):
    hh = draw(counts)
    return {
        "households_city": {"multi_storey": draw(counts) * 100, "individual": draw(counts),
                            "two_tariff_share_pct": draw(st.floats(0, 100))},
        "households_rural": {"households": hh, "area_km2": draw(amounts) * 10,
                             "district_centre_multi_storey": draw(st.integers(0, hh))},
        "non_industrial_city": {"consumers": draw(counts) * 5, "meters": draw(counts) * 10},
        "non_industrial_rural": {"consumers": draw(counts) * 2, "meters": draw(counts) * 5},
        "industrial_over_750": {"consumers": draw(st.integers(0, 250)), "meters": draw(counts)},
        "industrial_upto_750": {"consumers": draw(counts) * 2, "meters": draw(counts) * 4},
        "agricultural": {"consumers": draw(counts) * 3, "meters": draw(counts) * 5},
        "own_delivery": draw(st.booleans()),
        "contracts_thousand": draw(amounts),
        "rural_network_districts": draw(st.integers(0, 30)),
        "urban_consumers": draw(counts) * 100,
        "imports_electricity": draw(st.booleans()),
        "guaranteed_supplier": draw(st.booleans()),
        "ats_numbers": draw(st.integers(0, 200)),
        "it": {"servers": draw(st.integers(0, 50)), "round_the_clock_workplaces": draw(st.integers(0, 5)),
               "purchased_sw_tasks": draw(st.integers(0, 30)), "tech_units": draw(counts)},
        "sales_sites": draw(st.integers(0, 60)),
        "city_only": draw(st.booleans()),
        "vehicles": draw(st.integers(0, 60)),
        "guard_posts": {"h24": draw(st.integers(0, 5)), "h8": draw(st.integers(0, 5))},
        "has_copiers": draw(st.booleans()),
        "cleaners": draw(st.floats(0, 50)),
        "metering_staff": draw(st.floats(0, 50)),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_r12_r21_r22_invariants(s):
    r = run(s)
    v = {f["id"]: f["value"] for f in r["functions"]}
    assert list(v) == IDS
    assert all(x >= 0 and math.isfinite(x) for x in v.values())
    P = sum(v[f"3.1.{i}"] for i in range(1, 11))
    assert r["production_base"] == pytest.approx(P, rel=1e-12, abs=1e-9)         # R12
    assert v["3.6a"] == pytest.approx(0.005 * P, rel=1e-12, abs=1e-12)            # R19
    assert r["total_exact"] == pytest.approx(sum(v.values()), rel=1e-12, abs=1e-9)
    assert sum(r["groups"].values()) == pytest.approx(r["total_exact"], rel=1e-12, abs=1e-9)  # R22
    assert r["total"] == math.floor(r["total_exact"] + 0.5)                       # R21
    for w in r["warnings"]:
        assert w["id"] in IDS and w["ruling"].startswith("R") and w["message"]


# ---------------------------------------------------------------------------- validation

@pytest.mark.parametrize("scenario,field", [
    ({"foo": 1}, "foo"),                                                     # unknown field
    ({"it": {"printers": 3}}, "it.printers"),                                # unknown nested
    ({"households_city": {"multi_storey": "100"}}, "households_city.multi_storey"),  # type
    ({"own_delivery": "yes"}, "own_delivery"),                               # flag type
    ({"own_delivery": 1}, "own_delivery"),
    ({"vehicles": True}, "vehicles"),                                        # bool is not a count
    ({"it": 5}, "it"),                                                       # group not an object
    ({"agricultural": {"meters": -1}}, "agricultural.meters"),               # negative
    ({"cleaners": -0.5}, "cleaners"),
    ({"contracts_thousand": float("nan")}, "contracts_thousand"),            # NaN
    ({"households_rural": {"area_km2": float("inf")}}, "households_rural.area_km2"),  # inf
    ({"metering_staff": float("-inf")}, "metering_staff"),
    ({"vehicles": 1.5}, "vehicles"),                                         # 1.5 for a count
    ({"guard_posts": {"h24": 0.5}}, "guard_posts.h24"),
    ({"households_city": {"two_tariff_share_pct": 100.5}}, "households_city.two_tariff_share_pct"),
    ({"version": 3}, "version"),
    ({"version": "1"}, "version"),
    ({"ats_numbers": None}, "ats_numbers"),                                  # null
    ({"guard_posts": {"h12": None}}, "guard_posts.h12"),
    ({"households_rural": None}, "households_rural"),
    ({"name": 5}, "name"),
])
def test_validation_names_the_field(scenario, field):
    assert field in fields(scenario)


def test_validation_district_centre_above_households():
    f = fields({"households_rural": {"households": 10, "district_centre_multi_storey": 11}})
    assert f & {"households_rural.district_centre_multi_storey", "households_rural.households"}
    # also when households is left at its default 0
    f = fields({"households_rural": {"district_centre_multi_storey": 1}})
    assert f & {"households_rural.district_centre_multi_storey", "households_rural.households"}


def test_validation_reports_every_problem():
    f = fields({"vehicles": -1, "it": {"servers": 1.5}, "bogus": 0})
    assert {"vehicles", "it.servers", "bogus"} <= f


def test_validation_not_an_object():
    with pytest.raises(engine.ScenarioError):
        engine.compute([1, 2])


def test_validation_accepts_allowed_forms():
    r = run({"version": 1, "name": "ok", "vehicles": 3.0,
             "households_city": {"two_tariff_share_pct": 100, "multi_storey": 1000.0},
             "households_rural": {"households": 10, "area_km2": 12.5},
             "contracts_thousand": 40.5, "cleaners": 1.5, "metering_staff": 0.25})
    assert val(r, "3.3.drivers") == approx(3)
    assert val(r, "3.1.1") == approx(0.6 * 1.05)
    assert val(r, "3.1.8") == approx(3 + 4 * 15.5 / 25)  # 40.5 between 25 -> 3 and 50 -> 7
    assert val(r, "3.4") == approx(1.5) and val(r, "3.2") == approx(0.25)
