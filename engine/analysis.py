"""Actual vs normative headcount: the norm exists «для расчета и анализа численности»
(cl. 1.1). The deviation is shown per group (cl. 1.9) and in total."""

import math


def deviation(actual, normative):
    """{actual, normative, difference, percent} — percent of the normative (None when it is 0)."""
    difference = actual - normative
    percent = difference / normative * 100 if normative else None
    return {"actual": actual, "normative": normative, "difference": difference, "percent": percent}


def compare(result, actual):
    """Deviations per group for which an actual headcount is given ({group: number}); the
    total row only when every group is given, against the rounded total (cl. 1.8: the
    normative headcount is a whole number)."""
    rows = {group: deviation(actual[group], value)
            for group, value in result["groups"].items() if group in actual}
    if len(rows) == len(result["groups"]):
        total = math.fsum(actual[group] for group in result["groups"])
        rows["total"] = deviation(total, result["total"])
    return rows


def difference(baseline, result):
    """Two calculations side by side (a baseline pinned by the visitor, e.g. this year, and
    the current one, next year): per function, group, P and total, {baseline, current,
    difference} with difference = current − baseline. Functions in the current result's
    order, those only in the baseline (another edition) after them."""
    def pair(before, after):
        return {"baseline": before, "current": after, "difference": after - before}

    before = {f["id"]: f["value"] for f in baseline["functions"]}
    after = {f["id"]: f["value"] for f in result["functions"]}
    ids = list(after) + [fid for fid in before if fid not in after]
    return {
        "functions": {fid: pair(before.get(fid, 0.0), after.get(fid, 0.0)) for fid in ids},
        "groups": {g: pair(baseline["groups"][g], value) for g, value in result["groups"].items()},
        "production_base": pair(baseline["production_base"], result["production_base"]),
        "total_exact": pair(baseline["total_exact"], result["total_exact"]),
        "total": pair(baseline["total"], result["total"]),
    }
