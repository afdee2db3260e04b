"""Downloads of a calculation: CSV (one row per function) and JSON (the result with the
scenario, the norm edition and the actual-vs-norm comparison) — the same in CPython and
in the page."""

import csv
import io
import json
import re

from .analysis import compare
from .norm import load_norm

CSV_HEADER = ("clause", "title", "group", "value", "trace")


def to_csv(result, actual=None):
    """CSV text: a header and a row per function; the trace lines joined by « | ». With the
    actual headcount ({group: number}), after the totals a row «actual» and a row
    «deviation» per compared group (and «total»), the deviation's percent in the last column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for f in result["functions"]:
        writer.writerow((f["id"], f["title"], f["group"], repr(f["value"]), " | ".join(f["trace"])))
    writer.writerow(("total_exact", "", "", repr(result["total_exact"]), ""))
    writer.writerow(("total", "", "", result["total"], "п. 1.8, R21"))
    for group, row in compare(result, actual or {}).items():
        percent = "" if row["percent"] is None else f"{row['percent']!r} %"
        writer.writerow(("actual", "", group, repr(row["actual"]), ""))
        writer.writerow(("deviation", "", group, repr(row["difference"]), percent))
    return out.getvalue()


def file_name(scenario, date, extension):
    """Download name: the calculation's name (letters and digits, runs of anything else as
    one "-", at most 60 characters; "kea-1nt" when empty), the date, the extension."""
    stem = re.sub(r"[\W_]+", "-", scenario.get("name", "")).strip("-")[:60].strip("-")
    return f"{stem or 'kea-1nt'}_{date}.{extension}"


def to_json(scenario, result, actual=None):
    """JSON text: {edition, scenario, result, comparison}."""
    edition = load_norm()["edition"]
    document = {"edition": edition, "scenario": scenario, "result": result,
                "comparison": compare(result, actual or {})}
    return json.dumps(document, ensure_ascii=False, indent=2)
