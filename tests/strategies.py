"""The one generator of valid scenarios, for the property, fuzz and link tests.

`valid_scenario(r)` expands a `random.Random` into a whole scenario, biased towards the
edges (every number of the norm's tables ± a little, 0, −0.0, subnormals, 10**12, long and
bidi text); `scenarios()` is the same as a hypothesis strategy (hypothesis draws the seed).
Why a seeded generator and not a strategy per field: a hypothesis draw costs ~60 µs here and
a scenario built draw by draw needs a hundred draws — the fuzz tests check 10 000 inputs.
A failing example is rebuilt with `valid_scenario(random.Random(seed))`.
"""

import math
import random

from hypothesis import strategies as st

from engine import load_norm
from engine.readings import VARIANTS
from engine.scenario import FIELDS, MAX_NUMBER, MAX_TEXT

RURAL, CENTRE = "households_rural.households", "households_rural.district_centre_multi_storey"


def _numbers(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _numbers(v)
    elif isinstance(x, list):
        for v in x:
            yield from _numbers(v)
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        yield x


# every number of the norm's tables: band bounds, interpolation points, thresholds
BOUNDS = sorted(set(_numbers(load_norm()["tables"])))
NEAR = (0, 0, 1, -1, 0.5, -0.5, 1e-9, -1e-9, 1e-6, -1e-6)
NAMES = ["", "ТОО «Энергосбыт Астана»", "Қазақстан энергиясы", "\u202eевитан\u202c",
         "\u200fשם\u200f", "a&b=c#d%20+e", "%FF%FE", "&&&===", "#", " \t\n", "\x00",
         "😀" * MAX_TEXT, "Ж" * MAX_TEXT, "\ufeff", "１２", "v=2&ed=x"]

# code point pools: (low, high) inclusive
POOLS = [
    (0x20, 0x7E), (0x20, 0x7E), (0x0, 0x1F), (0x400, 0x4FF), (0x4D8, 0x4E9),  # Cyrillic, Kazakh
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069), (0xFEFF, 0xFEFF),  # bidi, zero-width
    (0xA0, 0xA0), (0x2009, 0x2009), (0x202F, 0x202F), (0x3000, 0x3000),  # spaces
    (0xFF10, 0xFF19), (0x660, 0x669), (0x1F600, 0x1F64F), (0x590, 0x6FF), (0x0, 0x10FFFF)]
SURROGATES = (0xD800, 0xDFFF)


def text_of(r, n, surrogates=False):
    chars = []
    for _ in range(n):
        lo, hi = SURROGATES if surrogates and r.random() < 0.05 else r.choice(POOLS)
        c = r.randint(lo, hi)
        if not surrogates and SURROGATES[0] <= c <= SURROGATES[1]:
            c = 0xFFFD
        chars.append(chr(c))
    return "".join(chars)


def length(r):
    return r.choice((0, 1, 2, 5, 12, 40, MAX_TEXT - 1, MAX_TEXT, MAX_TEXT + 1))


def count_value(r):
    k = r.randrange(7)
    if k == 0:
        return r.randrange(12)
    if k == 1:
        return r.randrange(10 ** r.randint(1, 12) + 1)
    if k == 2:
        return max(0, math.floor(r.choice(BOUNDS)) + r.choice((-1, 0, 0, 1)))
    if k == 3:
        return r.choice((0, 1, 0.0, -0.0, 1.0, 3.0, 10**12, 1e12, 2**31 - 1, 2**32 + 1,
                         999999999999))
    if k == 4:
        return float(r.randrange(10 ** r.randint(1, 12) + 1))
    if k == 5:  # big enough that 3.1.2 density and management rows run off the tables
        return r.randrange(10**6, 10**12 + 1)
    return r.randrange(1000)


def amount_value(r, top=MAX_NUMBER):
    k = r.randrange(6)
    if k == 0:
        return r.uniform(0, 10)
    if k == 1:
        return min(top, 10 ** r.uniform(-320, 12))
    if k == 2:
        return min(top, max(0.0, r.choice(BOUNDS) + r.choice(NEAR)))
    if k == 3:
        return r.choice((0, -0.0, 5e-324, 1e-320, 2.2250738585072014e-308, 1e-7, 0.1, 1.0, top))
    if k == 4:
        return r.randrange(int(top) + 1)
    return round(r.uniform(0, 1000), r.randrange(4))


def valid_value(r, kind, top=MAX_NUMBER):
    """A valid value of a kind; numbers above `top` are drawn again below it."""
    if kind in ("count", "amount"):
        v = count_value(r) if kind == "count" else amount_value(r)
        return v if v <= top else r.randrange(int(top) + 1)
    if kind == "percent":
        v = amount_value(r, 100)
        return v if v <= 100 else 100
    if kind == "flag":
        return r.random() < 0.5
    return r.choice(NAMES) if r.random() < 0.3 else text_of(r, min(length(r), MAX_TEXT))


def nest_paths(flat):
    s = {}
    for path, value in flat.items():
        group, _, key = path.rpartition(".")
        (s.setdefault(group, {}) if group else s)[key] = value
    return s


def readings(r):
    """Any subset of the R25 readings, each set to any of its variants (defaults included)."""
    chosen = r.sample(sorted(VARIANTS), r.randint(0, len(VARIANTS)))
    return {ruling: r.choice(VARIANTS[ruling]) for ruling in chosen}


def valid_scenario(r, version=None, top=MAX_NUMBER):
    """A valid scenario; `version` 1 or 2, or None for any way of writing one (absent = 2,
    1, 1.0, 2), readings included in version 2; numbers up to `top` (a small `top` gives
    organizations whose P and consumers are inside the management tables)."""
    density = r.choice((0, 0.05, 0.2, 0.5, 0.9, 1.0))
    flat = {path: valid_value(r, kind, top) for path, kind in FIELDS if r.random() < density}
    if CENTRE in flat:
        flat[CENTRE] = min(flat[CENTRE], flat.get(RURAL, 0))
    if r.random() < 0.5:
        flat = dict(r.sample(list(flat.items()), len(flat)))  # any key order
    s = nest_paths(flat)
    if version is None:
        written = r.choice((None, None, 1, 1.0, 2, 2.0))
        if written is not None:
            s["version"] = written
        version = 2 if written is None else int(written)
    else:
        s["version"] = version
    if version == 2 and r.random() < 0.5:
        s["readings"] = readings(r)
    if r.random() < 0.2:
        s.setdefault(r.choice([path.partition(".")[0] for path, _ in FIELDS if "." in path]), {})
    return s


seeds = st.integers(0, 2**64 - 1)


def scenarios(version=None, top=MAX_NUMBER):
    """valid_scenario as a hypothesis strategy."""
    return seeds.map(lambda seed: valid_scenario(random.Random(seed), version, top))
