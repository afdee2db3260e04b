"""How long the batch takes for an association's table (issue 14: "2 000 rows in a few
seconds"), in CPython: reading the CSV, computing every row (engine.batch.run) and writing
the results (engine.batch.to_csv).

    python3 bench/batch.py [--rows 2000]

The table: the golden cases' scenarios (tests/cases/*.json, as their links' cells), each
row with its numbers scaled by a seeded random factor, so that rows differ as members do.
bench/page.py measures the same table on the batch page (its "batch" part). A tool, not a
test: it reads the case files itself and imports no test module.
"""

import argparse
import csv
import io
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import batch, link  # noqa: E402
from engine.scenario import KIND  # noqa: E402

CASES = ROOT / "tests" / "cases"
ROWS = 2000


def scaled(key, text, factor):
    """A cell's text with a count or an amount scaled (a count stays whole); flags, shares,
    the name and the version as they are."""
    kind = KIND.get(key)
    if kind == "count":
        return str(round(int(text) * factor))
    return f"{float(text) * factor:.3f}" if kind == "amount" else text


def table_csv(rows=ROWS, seed=1):
    """bytes of a CSV with `rows` organizations (header: the union of the cases' link keys)."""
    cases = [json.loads(path.read_text("utf-8"))["scenario"] for path in sorted(CASES.glob("*.json"))]
    cells = [dict(parse_qsl(link.encode(scenario))) for scenario in cases]
    keys = list(dict.fromkeys(key for row in cells for key in row))
    r = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(keys)
    for n in range(rows):
        row, factor = cells[n % len(cells)], r.uniform(0.5, 2.0)
        writer.writerow(f"Организация {n + 1}" if key == "name" else scaled(key, row[key], factor)
                        if key in row else "" for key in keys)
    return out.getvalue().encode("utf-8")


def measure(rows=ROWS):
    """{rows, bad, read_ms, compute_ms, write_ms, total_ms, per_row_ms} of one run."""
    data = table_csv(rows)
    start = time.perf_counter()
    table = batch.read_table(data)
    read = time.perf_counter()
    results = batch.run(table)
    computed = time.perf_counter()
    batch.to_csv(results)
    written = time.perf_counter()
    ms = lambda a, b: (b - a) * 1e3  # noqa: E731
    return {"rows": len(results), "bad": sum(bool(row["errors"]) for row in results),
            "read_ms": ms(start, read), "compute_ms": ms(read, computed),
            "write_ms": ms(computed, written), "total_ms": ms(start, written),
            "per_row_ms": ms(start, written) / len(results)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    figures = measure(parser.parse_args().rows)
    print(f"{figures['rows']} rows ({figures['bad']} with problems): read {figures['read_ms']:.0f} ms, "
          f"computed {figures['compute_ms']:.0f} ms, CSV written {figures['write_ms']:.0f} ms; "
          f"total {figures['total_ms']:.0f} ms, {figures['per_row_ms']:.2f} ms per row")


if __name__ == "__main__":
    main()
