"""The shareable link: a scenario as a readable URL fragment, and back.

Format (application/x-www-form-urlencoded, after the ``#``)::

    v=1&ed=1-nt-2018&households_city.multi_storey=30000&city_only=1&name=...

``v`` is the scenario version, ``ed`` the norm edition, then only the fields that differ
from their default, by their SCENARIO.md path and in its order; flags are written as 1.

The web form sends its inputs (strings) through the same reader, so a value typed into the
page and the same value in a link are read, and rejected, identically. Validation itself is
engine.scenario's: this module only turns text into Python values.
"""

import math
from urllib.parse import parse_qsl, urlencode

from engine.norm import load_norm
from engine.scenario import (
    DEFAULTS, FIELDS, KIND, VERSION, check_value, cross_problems, nest, normalize, problem,
)

EDITION = load_norm()["edition"]["id"]  # "1-nt-2018"
MAX_LINK = 8192  # characters; a full scenario with a 200-character label needs ~3 kB
EXACT_INT = 2**53  # integral floats below this are written and read back as ints
FLAG_TEXT = {"1": True, "0": False}


def encode(scenario):
    """Fragment (without '#') of a valid scenario; raises ScenarioError if it is not valid."""
    flat = normalize(scenario)
    pairs = [("v", VERSION), ("ed", EDITION)]
    pairs += [(path, _text(flat[path])) for path, kind in FIELDS if flat[path] != DEFAULTS[kind]]
    return urlencode(pairs)


def decode(fragment):
    """(scenario, problems) from a fragment, with or without '#'. Never raises: each value
    that can be read is kept, each one that cannot becomes a problem naming its field."""
    text = fragment[1:] if fragment.startswith("#") else fragment
    if len(text) > MAX_LINK:
        return nest({}), [problem("", "too_long", f"ссылка длиннее {MAX_LINK} символов")]
    return read(parse_qsl(text, keep_blank_values=True))


def from_form(values):
    """(scenario, problems) from the page's inputs: {field path: text}; a checked box is
    '1', an empty input is the default."""
    return read(values.items())


def read(pairs):
    """(scenario, problems) from (key, text) pairs: the one reader of links and forms."""
    flat, problems, seen = {}, [], set()
    for key, text in pairs:
        if key in seen:
            problems.append(problem(key, "duplicate", "поле указано больше одного раза"))
            continue
        seen.add(key)
        found = _header_problem(key, text) if key in ("v", "ed") else _read_field(key, text, flat)
        if found:
            problems.append(found)
    problems += _drop_inconsistent(flat)
    return nest(flat), problems


def _drop_inconsistent(flat):
    """Problems between fields (engine.scenario.cross_problems); the fields they name are
    dropped so that what is returned is a valid scenario."""
    found = cross_problems({path: flat.get(path, DEFAULTS[kind]) for path, kind in FIELDS})
    for item in found:
        flat.pop(item["field"], None)
    return found


def _header_problem(key, text):
    if key == "v" and text != str(VERSION):
        return problem("version", "version", f"поддерживается только версия {VERSION}")
    if key == "ed" and text != EDITION:
        return problem("ed", "edition", f"поддерживается только редакция норматива {EDITION}")
    return None


def _read_field(path, text, flat):
    """Store the value of one field into flat, or return its problem."""
    if path not in KIND:
        return problem(path, "unknown", "неизвестное поле")
    kind = KIND[path]
    if text == "" or (kind != "text" and text.isspace()):  # a label may be blank on purpose
        return None
    value = _value(kind, text)
    found = check_value(path, value)
    if not found:
        flat[path] = value
    return found


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


def _text(value):
    if value is True:
        return "1"
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INT:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
