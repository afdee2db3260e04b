"""The shareable link: a scenario as a readable URL fragment, and back.

Format (application/x-www-form-urlencoded, after the ``#``)::

    v=2&ed=1-nt-2018&households_city.multi_storey=30000&city_only=1&readings.R12=tables

``v`` is the scenario version (the edition of the rulings: a ``v=1`` link is read as the
version-1 scenario it always was; no ``v`` means the current version), ``ed`` the norm
edition, then only the fields that differ from their default, by their SCENARIO.md path and
in its order (flags written as 1), then the alternative readings switched on (version 2,
``readings.<ruling>=<variant>``, R25's order; defaults left out).

After the scenario come the page's own settings, which are not scenario fields: ``lang``
(the page language) and ``actual.<group>`` (the organization's actual headcount per group,
for the actual-vs-norm comparison, engine.analysis) and ``base.<key>`` (the baseline of a
comparison: another scenario's own pairs, each key prefixed, e.g. ``base.v=2&base.ed=1-nt-2018&
base.sales_sites=12``). ``decode`` and ``from_form`` accept and set them aside; ``decode_page``
and ``from_page_form`` return them too (``page["baseline"]``). A link without ``base.`` keys
reads exactly as before they existed.

The web form sends its inputs (strings) through the same reader, so a value typed into the
page and the same value in a link are read, and rejected, identically. Validation itself is
engine.scenario's: this module only turns text into Python values.
"""

import math
import re
from urllib.parse import parse_qsl, urlencode

from engine.norm import load_norm

from engine.readings import VARIANTS
from engine.scenario import (
    DEFAULTS, FIELDS, KIND, VERSION, VERSIONS, check_value, cross_problems, nest, normalize,
    problem, reading_problem, version_problem,
)
from engine.trace import LANGUAGES

EDITION = load_norm()["edition"]["id"]  # "1-nt-2018"
MAX_LINK = 8192  # characters; a full scenario with a 200-character label needs ~3 kB
EXACT_INT = 2**53  # integral floats below this are written and read back as ints
FLAG_TEXT = {"1": True, "0": False}
ACTUAL_GROUPS = tuple(load_norm()["groups"])
ACTUAL = tuple(f"actual.{group}" for group in ACTUAL_GROUPS)  # numbers ≥ 0
BASE = "base."  # the prefix of the baseline scenario's keys


def encode(scenario, page=None):
    """Fragment (without '#') of a valid scenario and the page settings
    ({"lang": "kk", "actual": {"workers": 40}}); raises ScenarioError if the scenario is invalid."""
    return encode_flat(normalize(scenario), page)


def encode_flat(flat, page=None):
    """encode's fragment of a scenario already normalized (engine.batch: one per row)."""
    pairs = [("v", flat["version"]), ("ed", EDITION)]
    pairs += [(path, value_text(flat[path])) for path, kind in FIELDS if flat[path] != DEFAULTS[kind]]
    pairs += [(f"readings.{ruling}", flat["readings"][ruling]) for ruling in VARIANTS
              if ruling in flat["readings"]]
    return with_page(urlencode(pairs), page)


def with_page(fragment, page=None):
    """A scenario's fragment (encode's without page) followed by the page settings."""
    page = page or {}
    pairs = [("lang", page["lang"])] if page.get("lang", LANGUAGES[0]) != LANGUAGES[0] else []
    actual = page.get("actual", {})
    pairs += [(f"actual.{group}", value_text(actual[group])) for group in ACTUAL_GROUPS if group in actual]
    if "baseline" in page:
        pairs += [(BASE + key, text) for key, text in parse_qsl(encode(page["baseline"]))]
    return "&".join(part for part in (fragment, urlencode(pairs)) if part)


def decode(fragment):
    """(scenario, problems) from a fragment, with or without '#'. Never raises: each value
    that can be read is kept, each one that cannot becomes a problem naming its field."""
    scenario, _, problems = decode_page(fragment)
    return scenario, problems


def decode_page(fragment):
    """(scenario, page settings, problems) from a fragment; never raises."""
    text = fragment[1:] if fragment.startswith("#") else fragment
    if len(text) > MAX_LINK:
        return nest({}), {}, [problem("", "too_long", "problem.too_long.link",
                                            max=str(MAX_LINK))]
    return read_page(parse_qsl(text, keep_blank_values=True))


def from_form(values):
    """(scenario, problems) from the page's inputs: {field path: text}; a checked box is
    '1', an empty input is the default."""
    return read(values.items())


def from_page_form(values):
    """(scenario, page settings, problems) from the page's inputs."""
    return read_page(values.items())


def read(pairs):
    """(scenario, problems) from (key, text) pairs."""
    scenario, _, problems = read_page(pairs)
    return scenario, problems


def read_page(pairs):
    """(scenario, page settings, problems) from (key, text) pairs: the one reader of links
    and forms."""
    flat, page, problems, seen, readings, baseline = {}, {}, [], set(), [], []
    for key, text in pairs:
        if key in seen:
            problems.append(problem(key, "duplicate"))
            continue
        seen.add(key)
        if key.startswith(BASE):
            baseline.append((key.removeprefix(BASE), text))
            continue
        if key in ("v", "ed"):
            found = _read_header(key, text, flat)
        elif key == "lang" or key in ACTUAL:
            found = _read_setting(key, text, page)
        elif key.startswith("readings."):
            readings.append((key, text))  # once the version is known
            continue
        else:
            found = _read_field(key, text, flat)
        if found:
            problems.append(found)
    problems += _read_readings(readings, flat)
    problems += _drop_inconsistent(flat)
    if baseline:
        page["baseline"], found = _read_baseline(baseline)
        problems += found
    return nest(flat), page, problems


def _read_baseline(pairs):
    """The baseline scenario of a comparison from its unprefixed pairs: a scenario only (no
    page settings, no baseline of its own); its problems name the prefixed key."""
    settings = [key for key, _ in pairs if key == "lang" or key in ACTUAL or key.startswith(BASE)]
    scenario, _, problems = read_page([pair for pair in pairs if pair[0] not in settings])
    problems += [problem(key, "unknown") for key in settings]
    return scenario, [{**item, "field": BASE + item["field"]} for item in problems]


def _read_readings(pairs, flat):
    """readings.<ruling>=<variant> (version 2 only; in version 1 an unknown field)."""
    problems, chosen = [], {}
    for key, variant in pairs:
        ruling = key.partition(".")[2]
        if flat.get("version", VERSION) == 1:
            problems.append(problem(key, "unknown", "problem.unknown.v1_reading"))
        elif found := reading_problem(ruling, variant):
            problems.append(found)
        elif variant != VARIANTS[ruling][0]:
            chosen[ruling] = variant
    if chosen:
        flat["readings"] = {ruling: chosen[ruling] for ruling in VARIANTS if ruling in chosen}
    return problems


def _read_setting(key, text, page):
    """A page setting: the language, or an actual headcount (a number ≥ 0)."""
    if key == "lang":
        if text in LANGUAGES:
            page["lang"] = text
            return None
        return problem("lang", "language", languages=list(LANGUAGES))
    if text.strip() == "":
        return None
    value = _value("amount", text)
    found = typed_problem(key, "amount", text) or check_value(key, value, kind="amount")
    if not found:
        page.setdefault("actual", {})[key.partition(".")[2]] = value
    return found


def _drop_inconsistent(flat):
    """Problems between fields (engine.scenario.cross_problems); the fields they name are
    dropped so that what is returned is a valid scenario."""
    found = cross_problems({path: flat.get(path, DEFAULTS[kind]) for path, kind in FIELDS})
    for item in found:
        flat.pop(item["field"], None)
    return found


def _read_header(key, text, flat):
    """v (the scenario version, 1 or 2) into flat; ed must be the norm edition."""
    if key == "v":
        if text not in {str(v) for v in VERSIONS}:
            return version_problem()
        flat["version"] = int(text)
    elif text != EDITION:
        return problem("ed", "edition", edition=EDITION)
    return None


def _read_field(path, text, flat):
    """Store the value of one field into flat, or return its problem."""
    if path not in KIND:
        return problem(path, "unknown")
    kind = KIND[path]
    if text == "" or (kind != "text" and text.isspace()):  # a label may be blank on purpose
        return None
    value = _value(kind, text)
    found = typed_problem(path, kind, text) or check_value(path, value)
    if not found:
        flat[path] = value
    return found


DECIMAL_PART = re.compile(r"[.,]\d")


def typed_problem(path, kind, text):
    """R26, typed numbers: only the ASCII digits 0–9 are digits; in a whole-number field a
    decimal sign with digits after it ("120.000", "1,000", "3.0") is an error, never read as
    a smaller number. (JSON input keeps its own rule: 3.0 is a valid count.)"""
    if kind in ("flag", "text"):
        return None
    if any(c.isnumeric() and not c.isascii() for c in text):
        return problem(path, "not_ascii_digits")
    if kind == "count" and DECIMAL_PART.search(text):
        return problem(path, "decimal_in_count")
    return None


def _value(kind, text):
    """Text → Python value; text that is no value of this kind stays a str, so that
    check_value reports it as a type problem."""
    if kind == "text":
        return text
    if kind == "flag":
        return FLAG_TEXT.get(text, text)
    return _number(text, decimal_comma=kind != "count")


def _number(text, decimal_comma):
    """A number as people type it: spaces (also thin and no-break) group thousands; where
    fractions are allowed a comma may be the decimal sign. In a count a comma makes it no
    number, lest "1,000" be read as 1. Returns the str itself when it is no number."""
    cleaned = "".join(text.split())
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    if "_" in cleaned:  # float() would accept 1_000; nobody writes that
        return text
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if math.isfinite(value) and value.is_integer() and abs(value) < EXACT_INT else value


def read_amount(text):
    """A number typed where fractions are allowed (as an `amount` field reads it); the text
    itself when it is no number."""
    return _number(text, decimal_comma=True)


def value_text(value):
    """A valid value as the link writes it: flags as 1, numbers in their shortest exact form."""
    if value is True:
        return "1"
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INT:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
