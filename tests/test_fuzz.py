"""Hostile input fuzzing of compute and the link codec (the "hostile links" issue).

At least 10 000 scenarios (valid and invalid: wrong types, negatives, NaN/inf, 10**400,
"1e309", unknown keys, null, nested and 50 000-deep garbage, non-object tops) go to compute,
and at least 10 000 URL fragments (random text with lone surrogates, percent-encoded random
bytes incl. invalid UTF-8, truncated and mutated valid links, duplicated keys, v=2 / v=abc,
values beyond the length cap, "&&&===", '#' inside …) go to link.decode. For every input:

- compute returns a result whose every value is finite and >= 0 with total == half-up of
  total_exact, or raises ScenarioError whose problems name a field of the input; nothing
  else escapes. Whether it accepts is checked against an independent reading of SCENARIO.md
  (`contract_valid`), not against the engine's own validator;
- link.decode never raises and returns (dict, list); the scenario is valid for compute; its
  problems name fields; encode→decode is the identity on valid scenarios (normalize-equal)
  and decode(encode(decode(x)[0])) is a fixed point;
- the same scenario always gives the same result.

How inputs are made: hypothesis draws a seed (and, in the per-field test, the hostile value
itself); a generator below expands the seed with `random.Random` into a whole scenario or
link, biased towards the edges (table boundaries, 0, -0.0, 1e12, subnormals, NaN, …), and
checks BATCH = 4 inputs per seed (valid scenarios come from tests/strategies.py, the one
generator the property and link tests use too). Why: a hypothesis draw costs ~60 µs here and an example
~0.8 ms of its own; a scenario built draw by draw needs a hundred draws, and 20 000 inputs
took five minutes. A failing input is shown by hypothesis (`note`) with its seed;
`valid_scenario(random.Random(seed))` etc. rebuild it.

The inputs actually checked (and the hypothesis examples) are counted; the last test checks
the 10 000 figures, prints the counts (pytest -s) and writes them to
test-artifacts/fuzz-counts.json for the README. Bugs the fuzzers found are kept at the end
as regression tests with their minimal reproducers.
"""

import functools
import json
import math
import random
import struct
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from engine import ScenarioError, compute, link
from engine.compute import round_half_up
from engine.readings import VARIANTS
from engine.scenario import FIELDS, GROUPS, KIND, MAX_NUMBER, MAX_TEXT, normalize
from engine.trace import problem_text
from golden_cases import FUNCTION_IDS
from strategies import (BOUNDS, SURROGATES, amount_value, length, nest_paths, seeds, text_of,
                        valid_scenario, valid_value)

ROOT = Path(__file__).resolve().parent.parent
COUNTS_FILE = ROOT / "test-artifacts" / "fuzz-counts.json"
MINIMUM = {"scenarios": 10_000, "fragments": 10_000}

BATCH = 4  # inputs checked per hypothesis example in the seed-driven tests (see the docstring)

EXAMPLES = Counter()  # hypothesis examples actually run, by test name
INPUTS = Counter()  # scenarios / fragments / forms actually checked, by test name
KIND_OF_TEST = {}  # test name → "scenarios" | "fragments" | "forms"
STARTED = time.monotonic()


def counted(kind):
    """Count every example hypothesis runs through the test; `check_each` counts inputs."""
    def wrap(test):
        KIND_OF_TEST[test.__name__] = kind

        @functools.wraps(test)
        def run(*args, **kwargs):
            EXAMPLES[test.__name__] += 1
            return test(*args, **kwargs)
        return run
    return wrap


def check_each(test, seed, generate, check):
    """BATCH inputs from one seed, each generated and checked; a failing one is shown."""
    r = random.Random(seed)
    for _ in range(BATCH):
        x = generate(r)
        INPUTS[test] += 1
        try:
            check(x)
        except BaseException:
            note(f"failing input: {short(x, 2000)}")
            raise


def fuzz(inputs, batch=BATCH):
    """Settings for a test that checks `inputs` inputs, `batch` per hypothesis example."""
    return settings(max_examples=inputs // batch, deadline=None, suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
        HealthCheck.large_base_example])



# --- the contract, read independently of engine/scenario.py (SCENARIO.md) ---------------------

TOP = {path: kind for path, kind in FIELDS if "." not in path}
IN_GROUP = {g: {p.partition(".")[2]: k for p, k in FIELDS if p.startswith(g + ".")} for g in GROUPS}
RURAL, CENTRE = "households_rural.households", "households_rural.district_centre_multi_storey"


def value_ok(kind, v):
    if kind == "text":  # text is Unicode: a lone surrogate (JSON "\ud800") is not
        return type(v) is str and len(v) <= MAX_TEXT and encodable(v)
    if kind == "flag":
        return type(v) is bool
    if type(v) not in (int, float):
        return False
    if type(v) is float and not math.isfinite(v):
        return False
    if v < 0 or v > MAX_NUMBER:
        return False
    if kind == "count":
        return v == math.floor(v)
    return kind != "percent" or v <= 100


def contract_valid(s):
    """Is s (made of JSON types) a valid scenario (version 1 or 2) by SCENARIO.md?"""
    if type(s) is not dict:
        return False
    version = s.get("version", 2)  # absent: the current version
    if type(version) not in (int, float) or version not in (1, 2):
        return False
    flat = {}
    for key, value in s.items():
        if key == "version":
            continue
        if key == "readings" and version == 2:  # ruling → one of its variants (R25)
            if type(value) is not dict or not all(
                    type(v) is str and v in VARIANTS.get(k, ()) for k, v in value.items()):
                return False
        elif key in IN_GROUP:
            if type(value) is not dict:
                return False
            for k, v in value.items():
                kind = IN_GROUP[key].get(k)
                if kind is None or not value_ok(kind, v):
                    return False
                flat[f"{key}.{k}"] = v
        elif key in TOP:
            if not value_ok(TOP[key], value):
                return False
        else:  # unknown — a group path such as "it.servers" used as a top-level key too
            return False
    return flat.get(CENTRE, 0) <= flat.get(RURAL, 0)


# --- what every answer must look like -----------------------------------------------------------

def short(x, n=300):
    try:
        text = repr(x)
    except (ValueError, RecursionError):  # 10**5000, 50 000-deep lists
        text = f"<{type(x).__name__}>"
    return text if len(text) <= n else text[:n] + "…"


def check_problem(p):
    assert type(p) is dict and set(p) == {"field", "code", "message", "key", "params"}, p
    assert type(p["field"]) is str, p
    assert type(p["code"]) is str and p["code"], p
    assert type(p["message"]) is str and p["message"].strip(), p
    # the language-neutral record renders in every catalog (engine.trace.problem_text)
    assert all(problem_text(p, lang).strip() for lang in ("ru", "kk", "en")), p


def named_in(field, s):
    """A problem's field is "" for a non-object, or a path that is in the input."""
    if not isinstance(s, dict):
        return field == ""
    if field in s:
        return True
    group, _, key = field.partition(".")
    return isinstance(s.get(group), dict) and key in s[group]


RESULT = {"total", "total_exact", "production_base", "groups", "functions", "warnings",
          "rulings_edition", "readings", "alternatives", "thresholds"}


def check_result(r):
    edition = r["rulings_edition"]
    assert set(r) == RESULT | ({"current"} if edition == 1 else set()), set(r)
    values = [r["total_exact"], r["production_base"], *r["groups"].values(),
              *(f["value"] for f in r["functions"])]
    for v in values:
        assert type(v) is float and math.isfinite(v) and v >= 0, v
    assert [f["id"] for f in r["functions"]] == FUNCTION_IDS
    assert type(r["total"]) is int and r["total"] >= 0
    assert r["total"] == round_half_up(r["total_exact"])
    x = r["total_exact"]  # an independent half-up, away from float noise at .5
    if abs(x - math.floor(x) - 0.5) > 1e-6:
        assert r["total"] == math.floor(x + 0.5), x
    for w in r["warnings"]:
        assert set(w) >= {"id", "ruling", "message", "key", "params"}, w
        assert w["id"] in FUNCTION_IDS and w["message"].strip(), w
    if edition == 1:
        assert r["readings"] == {} and r["alternatives"] == []
    else:
        assert set(r["readings"]) == set(VARIANTS)


def values_of(r):
    """The numbers of a result, without the trace text (where -0.0 reads «-0»)."""
    return (r["total"], r["total_exact"], r["production_base"], r["groups"],
            [(f["id"], f["value"]) for f in r["functions"]],
            [(w["id"], w["ruling"]) for w in r["warnings"]])


def check_compute(s):
    """compute(s): a sane result exactly when SCENARIO.md says s is valid, else ScenarioError
    naming fields of s. Any other exception escapes and fails the test."""
    valid = contract_valid(s)
    try:
        r = compute(s)
    except ScenarioError as e:
        assert type(e.problems) is list and e.problems
        for p in e.problems:
            check_problem(p)
            assert named_in(p["field"], s), (p, short(s))
        assert str(e)
        assert not valid, f"valid by SCENARIO.md but rejected: {e.problems} {short(s)}"
        return None
    assert valid, f"invalid by SCENARIO.md but accepted: {short(s)}"
    check_result(r)
    return r


def encodable(text):
    """False for text with a lone surrogate, which no URL or UTF-8 file can carry."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def check_decoded(fragment):
    """link.decode on any text: never raises, (dict, list), the scenario valid, problems name
    fields, and the link written from it reads back the same, as a fixed point."""
    out = link.decode(fragment)
    assert type(out) is tuple and len(out) == 2
    scenario, problems = out
    assert type(scenario) is dict and type(problems) is list
    assert scenario.get("version") in (1, 2)
    text = fragment[1:] if fragment.startswith("#") else fragment
    over = len(text) > link.MAX_LINK
    keys = set() if over else {k for k, _ in parse_qsl(text, keep_blank_values=True)}
    for p in problems:
        check_problem(p)
        if p["code"] in ("unknown", "duplicate"):
            assert p["field"] in keys, p
        elif p["field"] == "":
            assert p["code"] == "too_long" and problems == [p] and over, p
        else:
            reading = p["field"].startswith("readings.") and p["field"] in keys
            assert p["field"] in KIND or p["field"] in ("version", "ed") or reading, p
    assert contract_valid(scenario), short(scenario)
    check_result(compute(scenario))
    assert link.decode(fragment) == out  # the same text, the same answer
    again = link.encode(scenario)
    assert len(again) <= link.MAX_LINK
    s1, p1 = link.decode("#" + again)
    assert p1 == [] and normalize(s1) == normalize(scenario), (again, s1, p1)
    assert link.encode(s1) == again  # a fixed point from the first round on
    return scenario, problems


# --- generators: values (valid ones come from strategies.py) ---------------------------------

BIG = 10 ** 400
HOSTILE = [
    None, True, False, 0, -0.0, 0.0, 1, -1, 0.5, 1.5, 3.0, 99.99999999999999, 100, 100.0,
    100.00000000000001, 101, 1e12, 10**12, 10**12 + 1, 1e12 * (1 + 2**-52), 2**53, 2**53 + 1,
    2**63, 2**64, BIG, -BIG, 10**5000, -10**5000, 5e-324, -5e-324, 1e-320,
    2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
    math.nan, -math.nan, math.inf, -math.inf, "1e309", "12", "\uff11\uff12", "NaN", "", " ",
    "-0", "0", "1", "true", "null", "\u200f12", "a" * (MAX_TEXT + 1), [], {}, [1], {"a": 1},
    [None], {"": None}, [[[]]],
]
HOSTILE_TEXT = ["", " ", "0", "-0", "-0.0", "1", "-1", "1.5", "1,5", "0,5", "12,5", "100",
                "100.0000001", "100,0000001", "101", "NaN", "nan", "-nan", "inf", "-inf",
                "Infinity", "1e309", "-1e309", "1e-400", "-1e-400", "5e-324", "1e12",
                "1000000000001", "1e13", "9" * 400, "1" + "0" * 5000, "\uff11\uff12",
                "\u0661\u0662", "\u200f12", "12\u200f", "\u202e12", "1\u00a0000", "30\u202f000",
                "1 000 000", "1_000", "0x10", "0b1", "1e", "e1", ".", ",", "1.2.3", "1,2,3",
                "true", "false", "yes", "2", "abc", "ЖЖЖ", "&", "=", "#", "%", "a" * MAX_TEXT,
                "a" * (MAX_TEXT + 1), "😀" * MAX_TEXT, "\x00", "\ufeff1", "١٢٫٥", "+1", "1e+3"]
GROUP_NAMES = list(GROUPS)
INNER_KEYS = sorted({k for g in IN_GROUP.values() for k in g})
KEY_NAMES = [*TOP, *GROUP_NAMES, *INNER_KEYS, "version", "readings", "v", "ed", "", " ", "__proto__",
             "constructor", "households_city ", "Households_city", "it.", ".it", "1", "NaN"]
URL_CHARS = "=&#%+.,-_ 0123456789abcdefABCDEFvxnN;"


def float_bits(r):
    """Any double: NaN payloads, infinities, subnormals, negative zero."""
    return struct.unpack("<d", r.randbytes(8))[0]


def hostile_value(r, depth=0):
    k = r.randrange(12 if depth < 3 else 9)
    if k in (0, 1):
        return r.choice(HOSTILE)
    if k == 2:
        return float_bits(r)
    if k == 3:
        return r.choice((-1, 1)) * r.getrandbits(r.choice((8, 40, 53, 54, 64, 128, 1400)))
    if k == 4:
        return r.choice((-1, 1)) * amount_value(r) * r.choice((1, 1, 1e6, 1e300))
    if k == 5:
        return text_of(r, length(r), surrogates=True)
    if k == 6:
        return r.choice(HOSTILE_TEXT)
    if k == 7:
        return valid_value(r, r.choice(("count", "amount", "percent", "flag", "text")))
    if k == 8:
        return deep(r)
    if k in (9, 10):
        return [hostile_value(r, depth + 1) for _ in range(r.randrange(4))]
    return {key_name(r): hostile_value(r, depth + 1) for _ in range(r.randrange(4))}


def key_name(r):
    return r.choice(KEY_NAMES) if r.random() < 0.7 else text_of(r, r.randrange(8), surrogates=True)


def nested(depth, shape, leaf):
    value = leaf
    for i in range(depth):
        value = [value] if shape == "list" else {("it", "servers", "x")[i % 3]: value}
    return value


# Built once (a 50 000-deep value takes milliseconds to build): shared by the examples, which
# never change them — the engine only reads its input.
DEEP = [nested(depth, shape, leaf) for depth in (1, 2, 10, 999, 1000, 1001, 5000, 50_000)
        for shape in ("list", "dict") for leaf in (None, math.nan, {})]


def deep(r):
    """A value nested 1 to 50 000 levels deep (its top copied: edits may add keys there)."""
    value = r.choice(DEEP)
    return list(value) if isinstance(value, list) else dict(value)


# --- generators: scenarios ------------------------------------------------------------------

def set_field(s, path, value):
    group, _, key = path.rpartition(".")
    target = s.setdefault(group, {}) if group else s
    if isinstance(target, dict):
        target[key] = value


def mutated_scenario(r):
    """A valid scenario with 1–4 hostile edits."""
    s = valid_scenario(r)
    for _ in range(r.randint(1, 4)):
        how = r.choice(("field", "field", "field", "group", "unknown", "unknown_in_group",
                        "version", "deep", "exceeds", "delete", "null"))
        path, _ = r.choice(FIELDS)
        if how == "field":
            set_field(s, path, hostile_value(r))
        elif how == "null":
            set_field(s, path, None)
        elif how == "group":
            s[r.choice(GROUP_NAMES)] = hostile_value(r)
        elif how == "unknown":
            key = key_name(r)
            s[key] = hostile_value(r)
        elif how == "unknown_in_group":
            g = s.setdefault(r.choice(GROUP_NAMES), {})
            if isinstance(g, dict):
                g[key_name(r)] = hostile_value(r)
        elif how == "version":
            s["version"] = r.choice((hostile_value(r), 1, 1.0, 2, 0, "1", True))
        elif how == "deep":
            set_field(s, path, deep(r))
        elif how == "exceeds":
            households = r.randrange(1000)
            set_field(s, RURAL, households)
            set_field(s, CENTRE, households + r.choice((0, 1, 2, 0.5)))
        else:
            group, _, key = path.rpartition(".")
            target = s.get(group) if group else s
            if isinstance(target, dict):
                target.pop(key, None)
    return s


def garbage_scenario(r):
    k = r.randrange(6)
    if k == 0:
        return hostile_value(r)
    if k == 1:
        return deep(r)
    if k == 2:
        return r.choice(([valid_scenario(r)], json.dumps(valid_scenario(r)), None, 1, "{}", []))
    s = {}
    for _ in range(r.randrange(9)):
        key = r.choice(GROUP_NAMES) if r.random() < 0.4 else key_name(r)
        if key in IN_GROUP and r.random() < 0.7:
            inner = list(IN_GROUP[key])
            s[key] = {(r.choice(inner) if r.random() < 0.7 else key_name(r)): hostile_value(r)
                      for _ in range(r.randrange(5))}
        else:
            s[key] = hostile_value(r)
    return s


# --- the scenario fuzz tests -------------------------------------------------------------------

def valid_round(s):
    r = check_compute(s)
    assert r is not None
    assert compute(s) == r  # the same scenario, the same result, trace included
    fragment = link.encode(s)
    assert len(fragment) <= link.MAX_LINK
    decoded, problems = link.decode("#" + fragment)
    assert problems == [] and normalize(decoded) == normalize(s)
    assert values_of(compute(decoded)) == values_of(r)
    assert link.encode(decoded) == fragment


@fuzz(2000)
@given(seeds)
@counted("scenarios")
def test_valid_scenarios_compute_repeatably_and_survive_the_link(seed):
    check_each("test_valid_scenarios_compute_repeatably_and_survive_the_link", seed,
               valid_scenario, valid_round)


@fuzz(4000)
@given(seeds)
@counted("scenarios")
def test_mutated_scenarios_give_a_result_or_problems(seed):
    check_each("test_mutated_scenarios_give_a_result_or_problems", seed,
               mutated_scenario, check_compute)


@fuzz(3000)
@given(seeds)
@counted("scenarios")
def test_garbage_scenarios_give_problems_not_exceptions(seed):
    check_each("test_garbage_scenarios_give_problems_not_exceptions", seed,
               garbage_scenario, check_compute)


def hostile(i):
    """HOSTILE[i]: sampled by index, since hypothesis cannot repr 10**5000 in a strategy."""
    return HOSTILE[i]


native_hostile = st.one_of(
    st.integers(0, len(HOSTILE) - 1).map(hostile), st.floats(), st.integers(),
    st.integers(-BIG, BIG), st.text(max_size=8), st.booleans(), st.none())


@fuzz(2000, batch=1)
@given(st.sampled_from(FIELDS), native_hostile, seeds)
@counted("scenarios")
def test_each_field_with_hypothesis_values(field, value, seed):
    """One input an example: the hostile value is hypothesis's own (edges, shrinking)."""
    INPUTS["test_each_field_with_hypothesis_values"] += 1
    s = valid_scenario(random.Random(seed))
    set_field(s, field[0], value)
    check_compute(s)
    if not contract_valid(s):  # the link refuses it the same way
        with pytest.raises(ScenarioError):
            link.encode(s)


# --- generators: fragments ----------------------------------------------------------------------

TOKENS = [*KIND, "v", "ed", "version", "=", "=", "&", "&", "&&&===", "#", "%", "%FF", "%FE",
          "%FF%FE", "%C3", "%C3%28", "%ED%A0%80", "%F0%9F%98%80", "%E2%80%8F", "%00", "%25",
          "%26", "%3D", "%23", "%2", "+", "1", "0", "-0", "2", "12", "abc", "NaN", "nan", "inf",
          "-inf", "Infinity", "1e309", "-1e309", "1e-400", "1,5", "1.5", "1e12", "1e13", "-1",
          "\uff11\uff12", "\u0661\u0662", "\u200f", "\u202e", "\u00a0", "\u202f", "\u2009",
          "1-nt-2018", "1-NT-2018", "10000000000000", "1_000", "0x10", " ", ".", ",", ";",
          "v=1", "v=2", "v=abc", "v=", "ed=1-nt-2018", "ed=2030", "true", "yes", "\ud800",
          "\udfff"]
PAIR_KEYS = [*KIND, *KIND, "v", "ed", "version", "", "V", "name ", "households_city", "it.", "#v"]
V_TEXTS = ["1", "2", "abc", "", "1.0", "01", "0", "-1", "\uff11", " 1"]
BAD_BYTES = [b"\xff\xfe", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf",
             b"1\x00", b"\xef\xbc\x91\xef\xbc\x92", b"\xe2\x80\x8f12", b"12\xff", b"\xe2\x80"]


def random_text(r):
    n = r.choice((0, 1, 3, 10, 40, 100, 300))
    k = r.randrange(3)
    if k == 0:
        return text_of(r, n, surrogates=True)
    if k == 1:
        return "".join(r.choice(URL_CHARS) for _ in range(n))
    return "".join(r.choice(TOKENS) if r.random() < 0.8 else text_of(r, 2, True)
                   for _ in range(n // 5))


def pair_value(r):
    k = r.randrange(5)
    if k == 0:
        return r.choice(HOSTILE_TEXT)
    if k == 1:
        return text_of(r, length(r), surrogates=True)
    if k == 2:
        return str(r.randint(-10**15, 10**15))
    if k == 3:
        return repr(float_bits(r))
    v = valid_value(r, r.choice(("count", "amount", "percent")))
    text = repr(v) if isinstance(v, float) else str(v)
    return text.replace(".", ",") if r.random() < 0.2 else text


def percent_bytes(r):
    """key=value pairs whose bytes (often invalid UTF-8) are percent-encoded."""
    style = r.choice(("quote", "upper", "lower"))

    def enc(b):
        if style == "quote":
            return quote_from_bytes(b, safe="")
        return "".join(("%%%02x" if style == "lower" else "%%%02X") % x for x in b)
    pairs = []
    for _ in range(r.randrange(9)):
        key = r.choice([*KIND, "v", "ed"]) if r.random() < 0.7 else enc(r.randbytes(r.randrange(8)))
        value = r.choice(BAD_BYTES) if r.random() < 0.4 else r.randbytes(r.randrange(40))
        pairs.append(key + "=" + enc(value))
    return r.choice(("", "#")) + "&".join(pairs)


def hostile_pairs(r):
    """Known and unknown keys with hostile values, duplicates likely; escaped properly, or
    raw (so that '&', '=' and '#' in values split and glue pairs)."""
    pairs = [(r.choice(PAIR_KEYS) if r.random() < 0.8 else text_of(r, r.randrange(8), True),
              pair_value(r)) for _ in range(r.randrange(13))]
    if r.random() < 0.5:
        pairs.insert(0, ("v", r.choice(V_TEXTS)))
    if r.random() < 0.5:
        pairs.append(r.choice(pairs or [("vehicles", "1")]))  # a duplicate
    if r.random() < 0.5 and all(encodable(k + v) for k, v in pairs):
        body = urlencode(pairs)
    else:
        body = "&".join(f"{k}={v}" for k, v in pairs)
    return r.choice(("", "#")) + body


def mutated_link(r):
    """A valid link, then truncated, spliced, duplicated, re-versioned …"""
    text = link.encode(valid_scenario(r))
    for _ in range(r.randint(1, 5)):
        how = r.choice(("truncate", "delete", "insert", "replace", "duplicate", "swap",
                        "version", "edition", "append", "hash", "case", "value"))
        i = r.randint(0, len(text))
        if how == "truncate":
            text = text[:i]
        elif how == "delete":
            text = text[:i] + text[i + r.randint(1, 20):]
        elif how == "insert":
            piece = r.choice(TOKENS) if r.random() < 0.7 else text_of(r, 3, True)
            text = text[:i] + piece + text[i:]
        elif how == "replace" and text:
            i = min(i, len(text) - 1)
            text = text[:i] + r.choice("=&#%+.,-_0123456789aFx\u200f") + text[i + 1:]
        elif how in ("duplicate", "swap", "value"):
            parts = text.split("&")
            j = r.randrange(len(parts))
            if how == "duplicate":
                parts.insert(r.randint(0, len(parts)), parts[j])
            elif how == "swap":
                r.shuffle(parts)
            else:
                parts[j] = parts[j].partition("=")[0] + "=" + quote(pair_value(r), safe="",
                                                                    errors="surrogatepass")
            text = "&".join(parts)
        elif how == "version":
            text = text.replace("v=1", "v=" + r.choice(V_TEXTS), 1)
        elif how == "edition":
            text = text.replace("ed=1-nt-2018", "ed=" + r.choice(("2030", "", "1-nt-2018%20")), 1)
        elif how == "append":
            text += r.choice(("&", "&&&===", "&v=1", "&v=2", "&ed=x", "#", "&name=%FF%FE",
                              "&vehicles=1e309", "&cleaners=NaN", "&=", "&#", "&v=1&v=1"))
        elif how == "hash":
            text = text[:i] + "#" + text[i:]
        elif how == "case":
            text = text.upper() if r.random() < 0.5 else text.lower()
    return r.choice(("", "#")) + text


def long_link(r):
    """At the cap (MAX_LINK characters after an optional '#') and far beyond it."""
    n = r.choice((link.MAX_LINK + r.randint(-3, 3), link.MAX_LINK * 2, 100_000))
    start = r.choice(("name=", "v=1&ed=1-nt-2018&name=", "vehicles=", "zzz=", "",
                      "v=1&vehicles=1&" * 3))
    filler = r.choice(("a", "%FF", "1", "&", "Ж", "&vehicles=1", "%F0%9F%98%80", "&v=1"))
    body = (start + filler * n)[:n]
    return r.choice(("", "#")) + body


# --- the fragment fuzz tests -------------------------------------------------------------------

@fuzz(3000)
@given(seeds)
@counted("fragments")
def test_random_text_fragments(seed):
    check_each("test_random_text_fragments", seed, random_text, check_decoded)


@fuzz(2500)
@given(seeds)
@counted("fragments")
def test_percent_encoded_random_bytes(seed):
    check_each("test_percent_encoded_random_bytes", seed, percent_bytes, check_decoded)


@fuzz(3000)
@given(seeds)
@counted("fragments")
def test_mutated_valid_links(seed):
    check_each("test_mutated_valid_links", seed, mutated_link, check_decoded)


@fuzz(2500)
@given(seeds)
@counted("fragments")
def test_hostile_pairs(seed):
    check_each("test_hostile_pairs", seed, hostile_pairs, check_decoded)


def check_long(fragment):
    scenario, problems = check_decoded(fragment)
    over = len(fragment.removeprefix("#")) > link.MAX_LINK
    assert over == any(p["code"] == "too_long" and p["field"] == "" for p in problems)


@fuzz(300)
@given(seeds)
@counted("fragments")
def test_links_at_and_beyond_the_length_cap(seed):
    check_each("test_links_at_and_beyond_the_length_cap", seed, long_link, check_long)


def form_values(r):
    return {r.choice(list(KIND)): pair_value(r) for _ in range(r.randrange(10))}


def check_form(values):
    scenario, problems = link.from_form(values)
    assert type(scenario) is dict and type(problems) is list
    for p in problems:
        check_problem(p)
        assert p["field"] in values, p
    assert contract_valid(scenario)
    check_result(compute(scenario))
    assert link.from_form(values) == (scenario, problems)


@fuzz(600)
@given(seeds)
@counted("forms")
def test_form_inputs_read_like_link_values(seed):
    check_each("test_form_inputs_read_like_link_values", seed, form_values, check_form)


NAMED = [
    "%FF%FE", "name=%FF%FE", "vehicles=%FF%FE", "v=2", "v=abc", "v=1&v=1", "v=2&vehicles=3",
    "vehicles=NaN", "vehicles=1e309", "cleaners=1e309", "vehicles=-0", "cleaners=-0.0",
    "vehicles=\uff11\uff12", "vehicles=%EF%BC%91%EF%BC%92", "vehicles=\u200f12",
    "vehicles=%E2%80%8F12", "name=%E2%80%AEevil", "&&&===", "===", "&", "=", "#", "##", "#v=1#",
    "v=1#&vehicles=2", "vehicles=1#2", "vehicles=1&vehicles=2&vehicles=", "vehicles=" + "9" * 400,
    "cleaners=" + "1" * 5000, "name=" + "a" * MAX_TEXT, "name=" + "a" * (MAX_TEXT + 1),
    "name=" + "a" * link.MAX_LINK, "#" + "&" * link.MAX_LINK, "%", "%%", "%2", "vehicles=%",
    "households_rural.district_centre_multi_storey=5", "it.servers=1.5&it.servers=2",
    "households_city.two_tariff_share_pct=100.0000001", "urban_consumers=1e12",
    "urban_consumers=1000000000001", "city_only=2", "city_only=true", "city_only=",
    "vehicles=1,000", "cleaners=1,5", "cleaners=1.000,5", "version=1", "ed=", "ed=1-nt-2018",
]


@pytest.mark.parametrize("fragment", NAMED)
def test_named_hostile_fragments(fragment):
    check_decoded(fragment)


def test_the_longest_valid_scenario_has_a_link_that_reads_back():
    """Every field at its longest text: 200 four-byte characters, 13-digit counts, floats
    with 17 digits and an exponent — still within MAX_LINK."""
    longest = {"count": 999999999999, "amount": 2.2250738585072014e-308,
               "percent": 2.2250738585072014e-308, "flag": True, "text": "😀" * MAX_TEXT}
    s = nest_paths({path: longest[kind] for path, kind in FIELDS})
    s["households_rural"]["district_centre_multi_storey"] = 0
    fragment = link.encode(s)
    assert len(fragment) <= link.MAX_LINK
    decoded, problems = link.decode("#" + fragment)
    assert problems == [] and normalize(decoded) == normalize(s)


def test_zz_fuzz_counts():
    """Runs last (file order): the 10 000 figures are inputs actually checked."""
    missing = set(KIND_OF_TEST) - set(EXAMPLES)
    if missing:
        pytest.skip(f"not every fuzz test ran in this process: {sorted(missing)}")
    totals = Counter()
    for name, n in INPUTS.items():
        totals[KIND_OF_TEST[name]] += n
    counts = {
        "scenarios": totals["scenarios"], "fragments": totals["fragments"],
        "forms": totals["forms"], "hypothesis_examples": sum(EXAMPLES.values()),
        "per_test": {name: {"inputs": INPUTS[name], "examples": EXAMPLES[name]}
                     for name in KIND_OF_TEST},
        "seconds": round(time.monotonic() - STARTED, 1),
    }
    print("\nfuzz inputs checked:", json.dumps(counts, indent=2))
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    COUNTS_FILE.write_text(json.dumps(counts, indent=2) + "\n", "utf-8")
    for kind, minimum in MINIMUM.items():
        assert totals[kind] >= minimum, (kind, totals[kind])


# --- regressions: bugs the fuzzers found, fixed in engine/scenario.py ---------------------------

def test_fixed_name_with_lone_surrogate_is_refused_not_crashing():
    s = {"name": "\ud800"}  # json.loads('{"name": "\\ud800"}')
    with pytest.raises(ScenarioError) as e:
        compute(s)
    assert [p["field"] for p in e.value.problems] == ["name"]


def test_fixed_decoded_name_with_lone_surrogate_is_dropped_with_a_problem():
    scenario, problems = link.decode("name=\ud800")
    assert [p["field"] for p in problems] == ["name"]
    assert link.encode(scenario) == link.encode({"version": scenario["version"]})


def test_fixed_cli_text_report_of_name_with_lone_surrogate(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"name": "\\ud800"}', "utf-8")
    run = subprocess.run([sys.executable, "-m", "engine", str(path), "--text"], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", errors="replace")
    assert "Traceback" not in run.stderr and run.returncode == 2, run.stderr
    assert run.stderr.startswith("name: ") and run.stdout == ""  # refused, naming the field


def test_fixed_group_path_as_top_level_key_is_refused():
    with pytest.raises(ScenarioError) as e:
        compute({"households_city.multi_storey": 5})
    assert [p["field"] for p in e.value.problems] == ["households_city.multi_storey"]


def test_fixed_negative_zero_comes_out_as_zero():
    r = compute({"cleaners": -0.0, "metering_staff": -0.0, "vehicles": -0.0})
    assert all(math.copysign(1, f["value"]) == 1 for f in r["functions"])
