"""compute(scenario) → result: every function of the norm in document order, P, group
subtotals, exact and rounded total, warnings (SCENARIO.md)."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import management, production, support
from .norm import load_norm
from .scenario import normalize
from .trace import Log, fmt


@dataclass
class Context:
    s: dict                 # the scenario, flat {path: value}, defaults filled
    tables: dict            # norm_json tables by clause
    production: float = 0.0  # P: exact sum of 3.1.1–3.1.10 (R12), known after them


def run(functions, ctx, norm):
    """Evaluate (id, function) pairs; return result entries and warnings."""
    titles = {f["id"]: f for f in norm["functions"]}
    entries, warnings = [], []
    for fid, function in functions:
        log = Log(fid)
        value = float(function(ctx, log))  # table cells may be ints; values are floats
        entries.append({"id": fid, "title": titles[fid]["title"], "group": titles[fid]["group"],
                        "value": value, "trace": log.lines})
        warnings += log.warnings
    return entries, warnings


def round_half_up(x):
    """Cl. 1.8, R21: only the grand total is rounded, half up. Rounding to 9 decimals first
    drops float noise, so that a true 72.5 is not read as 72.4999999."""
    return int(Decimal(repr(round(x, 9))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute(scenario):
    """The normative headcount of one organization. Raises ScenarioError on invalid input."""
    norm = load_norm()
    ctx = Context(s=normalize(scenario), tables=norm["tables"])
    entries, warnings = run(production.FUNCTIONS, ctx, norm)
    # math.fsum: exactly rounded, so CPython 3.11 and the page's Python 3.14 (whose sum()
    # compensates) give the same bits
    ctx.production = math.fsum(e["value"] for e in entries)
    more, more_warnings = run(management.FUNCTIONS + support.FUNCTIONS, ctx, norm)
    entries += more
    warnings += more_warnings
    groups = {g: math.fsum(e["value"] for e in entries if e["group"] == g) for g in norm["groups"]}
    exact = math.fsum(e["value"] for e in entries)
    return {
        "total": round_half_up(exact),
        "total_exact": exact,
        "production_base": ctx.production,
        "groups": groups,
        "functions": entries,
        "warnings": warnings,
    }


def total_line(result):
    """The rounding step, for reports: «72,974828 → 73 (п. 1.8, R21)»."""
    return f"{fmt(result['total_exact'])} → {result['total']} (п. 1.8, R21)"
