"""compute(scenario) → result: every function of the norm in document order, P, group
subtotals, exact and rounded total, warnings, and — around them — the edition, the readings,
the alternatives (R25), the row edges ahead (R24) and, for edition 1, the current total
(SCENARIO.md)."""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import alternatives, consistency, management, production, support, thresholds
from .management import consumers
from .norm import load_norm
from .readings import in_force
from .scenario import normalize
from .trace import Log, render_step

# R22: edition 1 counted 3.2 among production managers and specialists (norm_json's groups
# are edition 2's, the current one)
EDITION1_GROUPS = {"3.2": "production_specialists"}


@dataclass
class Context:
    s: dict                 # the scenario, flat {path: value}, defaults filled
    tables: dict            # norm_json tables by clause
    edition: int            # 1 or 2: the scenario's version (RULINGS.md "Editions")
    readings: dict          # the R25 variant in force of each reading
    tables_sum: float = 0.0  # exact sum of 3.1.1–3.1.10 (3.6a's base; P in edition 1)
    factors: dict = field(default_factory=dict)  # what 3.1.11–3.1.18 are keyed on (R24)
    traced: bool = True     # False: numbers only, no text (the passes of R25's alternatives)
    warned: bool = True     # the warnings, also untraced (engine.batch: many rows, no trace)

    def reading(self, ruling):
        return self.readings[ruling]


def run(functions, ctx):
    """Evaluate (id, function) pairs; return result entries, each with its warnings."""
    norm = load_norm()
    titles = {f["id"]: f for f in norm["functions"]}
    entries = []
    for fid, function in functions:
        log = Log(fid, ctx.traced, ctx.warned)
        value = float(function(ctx, log))  # table cells may be ints; values are floats
        group = titles[fid]["group"] if ctx.edition >= 2 else EDITION1_GROUPS.get(
            fid, titles[fid]["group"])
        entries.append({"id": fid, "title": titles[fid]["title"], "group": group,
                        "value": value, "steps": log.steps,
                        "warnings": log.warnings})
    return entries


def production_base(ctx, entries):
    """R12 P: the exact sum of every function that is not management apparatus (edition 2,
    `all_but_management`), or of 3.1.1–3.1.10 alone (edition 1; R25 `tables`)."""
    if ctx.reading("R12") == "tables":
        return ctx.tables_sum
    return math.fsum(e["value"] for e in entries)


def round_half_up(x):
    """Cl. 1.8, R21: only the grand total is rounded, half up. Rounding to 9 decimals first
    drops float noise, so that a true 72.5 is not read as 72.4999999."""
    return int(Decimal(repr(round(x, 9))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def evaluate(flat, traced=True, warned=None):
    """The result of a normalized scenario without what is computed around it; and its
    context (the factors of 3.1.11–3.1.18, for R24). Untraced: no trace, and no warnings
    unless `warned`."""
    norm = load_norm()
    edition = flat["version"]
    ctx = Context(s=flat, tables=norm["tables"], edition=edition,
                  readings=in_force(edition, flat["readings"]), traced=traced,
                  warned=traced if warned is None else warned)
    count = consumers(flat)
    ctx.factors = {"sales_sites": flat[ctx.tables["sales_site_columns"]["factors"]["sales_sites"]],
                   "consumers": count, "consumers_thousand": count / ctx.tables["3.1.17"]["per"]}
    first = run(production.FUNCTIONS, ctx)
    # math.fsum: exactly rounded, so CPython 3.11 and the page's Python 3.14 (whose sum()
    # compensates) give the same bits
    ctx.tables_sum = math.fsum(e["value"] for e in first)
    last = run(support.FUNCTIONS, ctx)
    ctx.factors["production_base"] = production_base(ctx, first + last)
    entries = first + run(management.FUNCTIONS, ctx) + last
    warnings = [w for e in entries for w in e.pop("warnings")]
    if edition >= 2 and ctx.warned:
        warnings += consistency.warnings(flat)
    exact = math.fsum(e["value"] for e in entries)
    result = {
        "total": round_half_up(exact),
        "total_exact": exact,
        "production_base": ctx.factors["production_base"],
        "groups": {g: math.fsum(e["value"] for e in entries if e["group"] == g)
                   for g in norm["groups"]},
        "functions": entries,
        "warnings": warnings,
        "rulings_edition": edition,
        "readings": dict(ctx.readings) if edition >= 2 else {},
    }
    return result, ctx


def with_trace(fn):
    """A function's entry with its Russian trace lines (SCENARIO.md `trace`), before `steps`."""
    lines = [render_step(fn["id"], step) for step in fn["steps"]]
    return {key: value for key, value in fn.items() if key != "steps"} | {"trace": lines, "steps": fn["steps"]}


def compute(scenario, rendered=True):
    """The normative headcount of one organization. Raises ScenarioError on invalid input.
    rendered=False leaves out each function's Russian `trace` lines (its `steps` stay): for a
    caller that renders the steps in its own language (the page, engine.trace.texts)."""
    flat = normalize(scenario)
    result, ctx = evaluate(flat)
    if rendered:
        result["functions"] = [with_trace(fn) for fn in result["functions"]]
    result["alternatives"] = alternatives.of(flat, result, evaluate) if ctx.edition >= 2 else []
    result["thresholds"] = thresholds.of(ctx, result)
    if ctx.edition == 1:
        current, _ = evaluate({**flat, "version": 2, "readings": {}}, traced=False)
        result["current"] = {"total": current["total"], "total_exact": current["total_exact"]}
    return result

