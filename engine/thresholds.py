"""R24: the row edges ahead. A step table makes one more consumer or one more person of P move
a whole row; for each factor the management apparatus is keyed on, name the next edge above
its value and what would change just past it, all else equal."""

import dataclasses
import math

from . import management
from .tables import settle
from .trace import Log

PAST = 1e-6  # "just past" an edge: above it, far below the next one (rows are ≥ 1 apart)
P_FUNCTIONS = ("3.1.11", "3.1.12", "3.1.13", "3.1.14", "3.1.15", "3.1.16", "3.1.18")


def edges_of_rows(tables, clauses):
    return [row["upto"] for clause in clauses for row in tables[clause]["rows"]]


def edges_of_columns(tables, clauses):
    return [column["upto"] for column in tables["sales_site_columns"]["columns"]]


# factor → the functions keyed on it and where its table edges are, in SCENARIO.md's order
FACTORS = (
    ("production_base", P_FUNCTIONS, edges_of_rows),
    ("sales_sites", P_FUNCTIONS[:6], edges_of_columns),
    ("consumers_thousand", ("3.1.17",), edges_of_rows),
)


def city_only(ctx):
    """R13: selling only in cities, the first sales-site column whatever the count."""
    return ctx.s[ctx.tables["sales_site_columns"]["factors"]["city_only"]]


def of(ctx, result):
    """[{factor, value, next_edge, distance, total_exact, functions}] for every factor that
    has a next edge (nothing for a factor of 0, for sales sites when `city_only`, or past
    every edge)."""
    found = []
    for factor, fids, edges_of in FACTORS:
        value = ctx.factors[factor]
        if value == 0 or (factor == "sales_sites" and city_only(ctx)):
            continue
        edges = [e for e in edges_of(ctx.tables, fids) if e is not None and e >= settle(value)]
        if edges:
            found.append(past_edge(ctx, result, factor, fids, value, min(edges)))
    return found


def past_edge(ctx, result, factor, fids, value, edge):
    """What the functions keyed on `factor` become just past `edge`, and the exact total."""
    past = dataclasses.replace(ctx, factors={**ctx.factors, factor: edge + PAST})
    functions = dict(management.FUNCTIONS)
    values = {f["id"]: f["value"] for f in result["functions"]}
    changed = {}
    for fid in fids:
        new = float(functions[fid](past, Log(fid, traced=False)))
        if new != values[fid]:
            changed[fid] = new
    total = math.fsum({**values, **changed}.values())
    return {"factor": factor, "value": value, "next_edge": edge, "distance": edge - value,
            "total_exact": total, "functions": changed}
