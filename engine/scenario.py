"""The scenario: one organization's factors for one reporting year (SCENARIO.md, versions 1
and 2; the version is the edition of the rulings it is computed under).

`FIELDS` is the single list of scenario fields; validation, defaults, the web form and the
link codec all read it. Each field has a *kind*:

- ``count``  — a whole number ≥ 0 (3 or 3.0; 1.5 is an error);
- ``amount`` — a finite number ≥ 0 (area, thousands of contracts, manual headcounts);
- ``percent``— a finite number in [0, 100];
- ``flag``   — true / false;
- ``text``   — free text (the scenario label).
"""

import math

from .readings import VARIANTS
from .trace import msg, render

VERSION = 2  # current: the default when `version` is absent
VERSIONS = (1, 2)  # version 1 stays valid forever (RULINGS.md "Editions")
MAX_TEXT = 200  # the label is shown, never computed with; a cap keeps links short
MAX_NUMBER = 1e12  # far above any real organization; keeps every sum finite

# (path, kind) in the order of SCENARIO.md
FIELDS = (
    ("name", "text"),
    ("households_city.multi_storey", "count"),
    ("households_city.individual", "count"),
    ("households_city.two_tariff_share_pct", "percent"),
    ("households_rural.households", "count"),
    ("households_rural.area_km2", "amount"),
    ("households_rural.district_centre_multi_storey", "count"),
    ("non_industrial_city.consumers", "count"),
    ("non_industrial_city.meters", "count"),
    ("non_industrial_rural.consumers", "count"),
    ("non_industrial_rural.meters", "count"),
    ("industrial_over_750.consumers", "count"),
    ("industrial_over_750.meters", "count"),
    ("industrial_upto_750.consumers", "count"),
    ("industrial_upto_750.meters", "count"),
    ("agricultural.consumers", "count"),
    ("agricultural.meters", "count"),
    ("own_delivery", "flag"),
    ("contracts_thousand", "amount"),
    ("rural_network_districts", "count"),
    ("urban_consumers", "count"),
    ("imports_electricity", "flag"),
    ("guaranteed_supplier", "flag"),
    ("ats_numbers", "count"),
    ("it.servers", "count"),
    ("it.network_users", "count"),
    ("it.lan_support_workplaces", "count"),
    ("it.tk_centres", "count"),
    ("it.mail_nodes", "count"),
    ("it.mail_users", "count"),
    ("it.server_apps", "count"),
    ("it.std_sw_workstations", "count"),
    ("it.purchased_sw_tasks", "count"),
    ("it.developed_sw_tasks", "count"),
    ("it.tech_units", "count"),
    ("it.lan_hw_workplaces", "count"),
    ("it.round_the_clock_workplaces", "count"),
    ("sales_sites", "count"),
    ("city_only", "flag"),
    ("vehicles", "count"),
    ("guard_posts.h24", "count"),
    ("guard_posts.h16", "count"),
    ("guard_posts.h12", "count"),
    ("guard_posts.h8", "count"),
    ("has_copiers", "flag"),
    ("cleaners", "amount"),
    ("metering_staff", "amount"),
)
KIND = dict(FIELDS)
NUMBERS = ("count", "amount", "percent")
DEFAULTS = {"count": 0, "amount": 0, "percent": 0, "flag": False, "text": ""}
GROUPS = tuple(dict.fromkeys(p.split(".")[0] for p, _ in FIELDS if "." in p))

class ScenarioError(ValueError):
    """Invalid scenario. `problems` lists dicts {field, code, message, key, params}."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(f"{p['field']}: {p['message']}" for p in problems))


def problem(field, code, key=None, **params):
    """A problem naming its field: the code, its message key (problem.<code> unless given)
    and parameters — the language-neutral record (engine.trace.problem_text) — and the
    Russian `message`."""
    key = key or f"problem.{code}"
    return {"field": field, "code": code, "message": render(key, params), "key": key,
            "params": params}


def expected(kind):
    """What a field of this kind expects, as a message (expected.<kind>)."""
    return msg(f"expected.{kind}", max=MAX_TEXT) if kind == "text" else msg(f"expected.{kind}")


def check_value(path, value, kind=None):
    """The problem with one field's value, or None. Codes: type, not_integer, negative,
    not_finite, too_large, over_100, too_long, not_text. `kind` defaults to the field's."""
    kind = kind or KIND[path]
    code = _value_code(kind, value)
    return code and problem(path, code, expected=expected(kind))


def _value_code(kind, value):
    if kind == "text":
        if not isinstance(value, str):
            return "type"
        if len(value) > MAX_TEXT:
            return "too_long"
        # a lone surrogate (JSON "\ud800") is no character: it could not be shown or linked
        return None if value.isascii() or _is_unicode(value) else "not_text"
    if kind == "flag":
        return None if isinstance(value, bool) else "type"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "type"
    if isinstance(value, float) and not math.isfinite(value):
        return "not_finite"
    if value < 0:
        return "negative"
    if value > MAX_NUMBER:
        return "too_large"
    if kind == "count" and value != int(value):
        return "not_integer"
    if kind == "percent" and value > 100:
        return "over_100"
    return None


def _is_unicode(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def problems_of(scenario):
    """Every problem of a scenario, as a list (empty when it is valid)."""
    if not isinstance(scenario, dict):
        return [problem("", "type", "problem.type.scenario")]
    found = []
    version = scenario.get("version", VERSION)
    if not valid_version(version):
        found.append(version_problem())
        version = VERSION
    for key, value in scenario.items():
        if key == "version":
            continue
        if key == "readings" and version >= 2:
            found += readings_problems(value)
        elif key in GROUPS:
            found += _group_problems(key, value)
        elif key in KIND and "." not in key:  # "it.servers" is a path, not a top-level key
            found += _field_problems(key, value)
        else:
            found.append(problem(key, "unknown"))
    return found


def valid_version(version):
    return not isinstance(version, bool) and isinstance(version, (int, float)) and version in VERSIONS


def version_problem():
    return problem("version", "version")


def readings_problems(value):
    """`readings` (version 2): ruling id → one of its variants (RULINGS.md R25)."""
    if not isinstance(value, dict):
        return [problem("readings", "type", "problem.type.readings")]
    return [found for ruling, variant in value.items()
            if (found := reading_problem(ruling, variant))]


def reading_problem(ruling, variant):
    """The problem of one reading, or None: an unknown ruling or variant names the field
    readings.<ruling> and lists what is possible."""
    path = f"readings.{ruling}"
    if ruling not in VARIANTS:
        return problem(path, "reading", "problem.reading.ruling", known=list(VARIANTS))
    if variant not in VARIANTS[ruling]:
        return problem(path, "reading", "problem.reading.variant",
                       variants=list(VARIANTS[ruling]))
    return None


def _group_problems(group, value):
    if not isinstance(value, dict):
        return [problem(group, "type", "problem.type.group")]
    found = []
    for key, item in value.items():
        path = f"{group}.{key}"
        if path in KIND:
            found += _field_problems(path, item)
        else:
            found.append(problem(path, "unknown"))
    return found


def _field_problems(path, value):
    if value is None:
        return [problem(path, "null", expected=expected(KIND[path]))]
    found = check_value(path, value)
    return [found] if found else []


def normalize(scenario):
    """Validate and return a flat dict {path: value} with every field, defaults filled, and
    "version" (1 or 2) and "readings" (the variants chosen: version 2 only, {} else).
    Raises ScenarioError listing every problem."""
    found = problems_of(scenario)
    if found:
        raise ScenarioError(found)
    flat = {"version": int(scenario.get("version", VERSION)), "readings": {}}
    flat.update({path: DEFAULTS[kind] for path, kind in FIELDS})
    for key, value in scenario.items():
        if key == "readings":
            flat["readings"] = {r: v for r, v in value.items() if v != VARIANTS[r][0]}
        elif isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        elif key != "version":
            flat[key] = value
    for path, kind in FIELDS:
        if kind in NUMBERS:
            flat[path] += 0  # -0.0 + 0 is 0.0: no «-0» in results
    found = cross_problems(flat)
    if found:
        raise ScenarioError(found)
    return flat


def cross_problems(flat):
    """Rules that tie two fields together."""
    if flat["households_rural.district_centre_multi_storey"] > flat["households_rural.households"]:
        return [problem("households_rural.district_centre_multi_storey", "exceeds")]
    return []


def nest(flat):
    """Flat {path: value} → scenario dict (version first — the current one unless flat has
    "version" —, groups as objects, then "readings" when any is chosen)."""
    scenario = {"version": flat.get("version", VERSION)}
    for path, value in flat.items():
        if path not in ("version", "readings"):
            group, _, key = path.rpartition(".")
            (scenario.setdefault(group, {}) if group else scenario)[key] = value
    if flat.get("readings"):
        scenario["readings"] = dict(flat["readings"])
    return scenario
