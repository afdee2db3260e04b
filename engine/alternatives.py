"""R25: every single switch of an alternative reading that would change this result."""

from .readings import VARIANTS

CHANGE = 1e-9  # a switch that moves the exact total by no more than this changes nothing


def of(flat, result, evaluate):
    """[{ruling, variant, total, total_exact, delta}] in R25's order: each variant other
    than the one in force whose switch alone changes `total_exact`. `evaluate` is
    engine.compute.evaluate (passed in: it calls nothing around itself)."""
    found = []
    for ruling, variants in VARIANTS.items():
        for variant in variants:
            if variant == result["readings"][ruling]:
                continue
            other, _ = evaluate({**flat, "readings": {**flat["readings"], ruling: variant}},
                                traced=False)
            delta = other["total_exact"] - result["total_exact"]
            if abs(delta) > CHANGE:
                found.append({"ruling": ruling, "variant": variant, "total": other["total"],
                              "total_exact": other["total_exact"], "delta": delta})
    return found
