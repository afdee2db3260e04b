"""R25: every single switch of an alternative reading that would change this result."""

from .production import FUNCTIONS
from .readings import VARIANTS

PRODUCTION = {fid for fid, _ in FUNCTIONS}  # 3.1.1–3.1.10

CHANGE = 1e-9  # a switch that moves the exact total by no more than this changes nothing


def of(flat, result, ctx, evaluate):
    """[{ruling, variant, total, total_exact, delta}] in R25's order: each variant other
    than the one in force whose switch alone changes `total_exact`. `evaluate` is
    engine.compute.evaluate (passed in: it calls nothing around itself); of 3.1.1–3.1.10 a
    pass takes the result's own entries of the functions that did not ask for the ruling
    (ctx.consulted): same inputs, same code path, same value."""
    tables = [fn for fn in result["functions"] if fn["id"] in PRODUCTION]
    found = []
    for ruling, variants in VARIANTS.items():
        reuse = {fn["id"]: fn for fn in tables if ruling not in ctx.consulted.get(fn["id"], ())}
        for variant in variants:
            if variant == result["readings"][ruling]:
                continue
            other, _ = evaluate({**flat, "readings": {**flat["readings"], ruling: variant}},
                                traced=False, reuse=reuse)
            delta = other["total_exact"] - result["total_exact"]
            if abs(delta) > CHANGE:
                found.append({"ruling": ruling, "variant": variant, "total": other["total"],
                              "total_exact": other["total_exact"], "delta": delta})
    return found
