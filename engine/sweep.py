"""The total as one factor sweeps its range, all else equal: where a planner sees the steps.

One numeric scenario field goes from 0 to `upto`; at each point the exact and rounded totals
(untraced passes of compute.evaluate: the numbers of engine.compute). The steps come from
the row edges of R24 (engine.thresholds.FACTORS: P, the sales sites, 3.1.17's consumers):
between two points where such a factor crosses an edge, the field's value at the crossing is
found by bisection, and an edge is reported when the total steps there."""

from .compute import evaluate
from .norm import load_norm
from .scenario import KIND, MAX_NUMBER, NUMBERS, normalize
from .tables import settle
from .thresholds import FACTORS, city_only

POINTS = 60  # samples over the range, besides the current value and the two sides of each edge
FIELDS = tuple(path for path, kind in KIND.items() if kind in NUMBERS)  # what may be swept


def default_upto(value, kind):
    """The range's end when none is asked: twice the current value (at least 10); a percentage
    runs to 100."""
    return 100 if kind == "percent" else max(2 * value, 10)


def sweep(scenario, field, upto=None, points=POINTS):
    """{field, value, upto, points: [{x, total_exact, total}], edges: [{factor, edge, x, past,
    before, after}]} — `x` the field's last value on the row, `past` its first one beyond
    (a count: x + 1), `before`/`after` the exact totals there. Raises ScenarioError if the
    scenario is invalid, ValueError for a field that is no number or a range outside
    (0, MAX_NUMBER]."""
    flat = normalize(scenario)
    kind = KIND.get(field)
    if kind not in NUMBERS:
        raise ValueError(f"not a numeric field: {field}")
    upto = default_upto(flat[field], kind) if upto is None else upto
    if not 0 < upto <= (100 if kind == "percent" else MAX_NUMBER):
        raise ValueError(f"range end out of bounds: {upto}")
    whole = kind == "count"
    upto = int(upto) if whole else upto
    passes = {}

    def at(x):
        if x not in passes:
            passes[x] = evaluate({**flat, field: x}, traced=False)
        return passes[x]

    xs = sorted({round(upto * i / points) if whole else upto * i / points for i in range(points + 1)}
                | ({flat[field]} if flat[field] <= upto else set()))
    tables = load_norm()["tables"]
    edges = [edge for factor, fids, edges_of in FACTORS
             for edge in crossings(at, xs, factor, edges_of(tables, fids), whole)]
    edges.sort(key=lambda edge: edge["x"])
    xs = sorted(set(xs) | {e["x"] for e in edges} | {e["past"] for e in edges})
    return {"field": field, "value": flat[field], "upto": upto, "edges": edges,
            "points": [{"x": x, "total_exact": at(x)[0]["total_exact"], "total": at(x)[0]["total"]}
                       for x in xs]}


def crossings(at, xs, factor, edges, whole):
    """The edges of one factor crossed between neighbouring points, located and kept where
    the total steps. R13: no sales-site edges for an organization selling only in cities."""
    if factor == "sales_sites" and city_only(at(xs[0])[1]):
        return []
    edges = sorted({e for e in edges if e is not None})
    values = [factor_value(at, x, factor) for x in xs]
    found = []
    for (a, value_a), (b, value_b) in zip(zip(xs, values), zip(xs[1:], values[1:])):
        for edge in edges:
            if (value_a > edge) == (value_b > edge):
                continue
            x, past = bisect(lambda x: (factor_value(at, x, factor) > edge) == (value_b > edge),
                             a, b, whole)
            before, after = at(x)[0]["total_exact"], at(past)[0]["total_exact"]
            if before != after:
                found.append({"factor": factor, "edge": edge, "x": x, "past": past,
                              "before": before, "after": after})
    return found


def factor_value(at, x, factor):
    """The factor at this value of the field, as the tables read it (rows cover (prev, upto])."""
    return settle(at(x)[1].factors[factor])


def bisect(reached, a, b, whole):
    """(last value before, first value at) which `reached` turns true, between a (false) and
    b (true): to one unit for a count, to a millionth of the span otherwise."""
    tolerance = 1 if whole else max((b - a) * 1e-6, 1e-9)
    while b - a > tolerance:
        middle = (a + b) // 2 if whole else (a + b) / 2
        a, b = (a, middle) if reached(middle) else (middle, b)
    return a, b
