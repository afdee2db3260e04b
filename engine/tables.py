"""Reading the norm's tables, written once and generic over the table data.

- range rows («до 50», «51–150», «свыше 25») are keyed by their upper bound (R1, cl. 1.8);
- point tables are interpolated linearly (cl. 1.4, R2);
- a "-" cell of a range grid takes the nearest defined cell of its row (R3).
"""

import re

from .trace import msg


def settle(x):
    """x at 9 decimals: sums of decimal rates (P, 3.1.10 items) and ratios carry float noise
    (10.000000000000002) that must not push a boundary value to the next row."""
    return round(x, 9)


def find_row(rows, x):
    """Index of the row covering x — (previous upper bound, own upper bound] — and whether
    x lies above the last bounded row (R1). An open last row (upto null) covers the rest."""
    x = settle(x)
    for i, row in enumerate(rows):
        if row["upto"] is None or x <= row["upto"]:
            return i, False
    return len(rows) - 1, True


def pick_row(table, x, log, what, beyond_ruling="R1"):
    """The row of a range table for x, with R1's warnings below its first printed lower
    bound (`from`) and above its last bounded row."""
    rows = table["rows"]
    i, beyond = find_row(rows, x)
    row = rows[i]
    if beyond:
        log.warn(beyond_ruling, "row.beyond_last", {"what": what, "x": x, "row": row["label"]})
    elif below_first(table, x):
        log.warn("R1", "row.below_first", {"what": what, "x": x, "row": row["label"]})
    return i, row


def below_first(table, x):
    """x lies below the first printed lower bound of the table (`from`, e.g. 3.1.12's 100)."""
    return settle(x) < table.get("from", 0)


def printed_from(label):
    """The printed lower bound of a range label («1001-1300» → 1001), None for «до …» and
    «свыше …»: only where the document's bands overlap does it differ from the previous upto."""
    match = re.match(r"\s*(\d+)\s*[-–]", label)
    return int(match[1]) if match else None


def step_value(table, x, log, what, beyond_ruling="R1"):
    """The value of a one-factor range table at x (R1), traced. `what` names the factor
    (a message, see engine.trace.msg)."""
    _, row = pick_row(table, x, log, what, beyond_ruling)
    log.step("row.value", {"what": what, "x": x, "row": row["label"], "value": row["value"]}, "R1")
    return row["value"]


def interpolate(points, x):
    """Linear interpolation over sorted (x, y) points, clamped to their span (cl. 1.4, R2).
    Returns the value and how it was obtained (a message), for the trace."""
    (x0, y0), (xn, yn) = points[0], points[-1]
    if x <= x0:
        return y0, msg("interpolation.point", y=y0, x=x0)
    if x >= xn:
        return yn, msg("interpolation.point", y=yn, x=xn)
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        if x <= xb:
            y = ya + (yb - ya) * (x - xa) / (xb - xa)
            return y, msg("interpolation.formula", ya=ya, yb=yb, x=x, xa=xa, xb=xb, y=y)


def grid_cell(grid, x_row, x_col, log, clause):
    """A range grid (rows × columns, "-" = None) at (x_row, x_col): R1 for both factors,
    R3 for a "-" cell."""
    r, _ = find_row(grid["rows"], x_row)
    c, _ = find_row(grid["columns"], x_col)
    cells = grid["cells"][r]
    row, col = grid["rows"][r]["label"], grid["columns"][c]["label"]
    if cells[c] is None:
        near = min((j for j, v in enumerate(cells) if v is not None), key=lambda j: (abs(j - c), j))
        log.warn("R3", "grid.dash", {"clause": clause, "row": row, "column": col,
                                     "near": grid["columns"][near]["label"], "value": cells[near]})
        c, col = near, grid["columns"][near]["label"]
    log.step("grid.cell", {"clause": clause, "row": row, "column": col, "value": cells[c]}, "R1")
    return cells[c]


def point_grid(grid, x_row, x_col, log, clause):
    """A point table (cl. 1.4, R2) at (x_row, x_col), both already inside the table:
    along the columns within each bracketing row, clamped to that row's own cells
    (silent), then between the two rows."""
    rows = grid["rows"]

    def along(i):
        points = [(x, v) for x, v in zip(grid["columns"], grid["cells"][i]) if v is not None]
        value, how = interpolate(points, x_col)
        log.step("points.along_row", {"clause": clause, "row": rows[i], "meters": x_col, "how": how},
                 "R2")
        return value

    below = max((i for i, r in enumerate(rows) if r <= x_row), default=0)
    if rows[below] >= x_row or below == len(rows) - 1:
        return along(below)
    above = below + 1
    points = [(rows[below], along(below)), (rows[above], along(above))]
    value, how = interpolate(points, x_row)
    log.step("points.between_rows", {"below": rows[below], "above": rows[above],
                                     "consumers": x_row, "how": how}, "R2", clause="1.4")
    return value
