"""Downloads of a calculation: CSV (one row per function) and JSON (the result with the
scenario, the norm edition and the actual-vs-norm comparison) — the same in CPython and
in the page."""

import csv
import io
import json

from .analysis import compare
from .norm import load_norm

CSV_HEADER = ("clause", "title", "group", "value", "trace")


def to_csv(result):
    """CSV text: a header and a row per function; the trace lines joined by « | »."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for f in result["functions"]:
        writer.writerow((f["id"], f["title"], f["group"], repr(f["value"]), " | ".join(f["trace"])))
    writer.writerow(("total_exact", "", "", repr(result["total_exact"]), ""))
    writer.writerow(("total", "", "", result["total"], "п. 1.8, R21"))
    return out.getvalue()


def to_json(scenario, result, actual=None):
    """JSON text: {edition, scenario, result, comparison}."""
    edition = load_norm()["edition"]
    document = {"edition": edition, "scenario": scenario, "result": result,
                "comparison": compare(result, actual or {})}
    return json.dumps(document, ensure_ascii=False, indent=2)
