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
