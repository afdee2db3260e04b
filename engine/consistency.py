"""R23 (edition 2): inputs that contradict each other keep their values and raise a warning
that names both fields by their SCENARIO.md paths. One function per rule; each warning is
filed under the first function that reads its first field."""

from .norm import bindings, consumer_fields
from .trace import warning

RURAL = ("households_rural.households", "non_industrial_rural.consumers",
         "agricultural.consumers", "rural_network_districts")
CITY = ("households_city.multi_storey", "households_city.individual",
        "non_industrial_city.consumers")


def contradiction(key, field, others, **params):
    fid = next(clause for path, clause, _ in bindings() if path == field)
    params = {"field": field, "other": list(others), **params}
    return warning(fid, "R23", key, params, fields=[field, *others])


def city_only_but_rural(s):
    """`city_only` with any rural input."""
    if not s["city_only"]:
        return []
    return [contradiction("R23.city_only", "city_only", [path], value=s[path])
            for path in RURAL if s[path]]


def no_urban_consumers(s):
    """`urban_consumers` 0 while city households or city non-industrial consumers are entered."""
    if s["urban_consumers"]:
        return []
    return [contradiction("R23.no_urban", "urban_consumers", [path], value=s[path])
            for path in CITY if s[path]]


def entered_consumers(s):
    """The consumer fields entered (all of them when none is), and their sum (R14)."""
    entered = [path for path in consumer_fields() if s[path]]
    return entered or list(consumer_fields()), sum(s[path] for path in consumer_fields())


def urban_above_all(s):
    """`urban_consumers` above the sum of all consumer counts."""
    fields, total = entered_consumers(s)
    if s["urban_consumers"] <= total:
        return []
    return [contradiction("R23.urban_above_all", "urban_consumers", fields,
                          value=s["urban_consumers"], total=total)]


def no_sales_sites(s):
    """`sales_sites` 0 without `city_only` while rural consumers or districts are entered."""
    if s["sales_sites"] or s["city_only"]:
        return []
    return [contradiction("R23.no_sites", "sales_sites", [path], value=s[path])
            for path in RURAL if s[path]]


def contracts_in_units(s):
    """`contracts_thousand` × 1000 above ten times the sum of all consumer counts."""
    fields, total = entered_consumers(s)
    contracts = s["contracts_thousand"]
    if contracts * 1000 <= 10 * total:
        return []
    return [contradiction("R23.contracts_units", "contracts_thousand", fields,
                          value=contracts, units=contracts * 1000, total=total)]


RULES = (city_only_but_rural, no_urban_consumers, urban_above_all, no_sales_sites,
         contracts_in_units)


def warnings(s):
    """Every R23 warning of a flat scenario, rule by rule."""
    return [found for rule in RULES for found in rule(s)]
