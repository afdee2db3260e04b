"""A readable Russian text report of a result (the CLI's --text)."""

from .compute import total_line
from .norm import load_norm
from .trace import fmt, render


def text_report(result, name=""):
    norm = load_norm()
    lines = [norm["edition"]["title"], norm["edition"]["order"]]
    if name:
        lines.append(f"Расчет: {name}")
    notes = {}
    for w in result["warnings"]:
        notes.setdefault(w["id"], []).append(f"    ! {w['message']} ({w['ruling']})")
    lines.append("")
    for f in result["functions"]:
        lines.append(f"{f['id']:<15} {fmt(f['value']):>12}  {f['title']}")
        lines += notes.get(f["id"], [])
    lines.append("")
    for group, value in result["groups"].items():
        lines.append(f"{norm['groups'][group]}: {fmt(value)}")
    lines.append(f"P (производственный персонал без РСС аппарата управления): "
                 f"{fmt(result['production_base'])}")
    lines.append(f"Итого нормативная численность: {total_line(result)}")
    if result["rulings_edition"] >= 2:
        metering = next(f["value"] for f in result["functions"] if f["id"] == "3.2")
        lines.append(render("report.metering_apart", {"value": metering}))  # R15
    lines += other_readings(result) + edges_ahead(result)
    if "current" in result:
        lines.append(render("report.current", result["current"]))
    return "\n".join(lines) + "\n"


def other_readings(result):
    """R25: each alternative reading that would change this total."""
    if not result["alternatives"]:
        return []
    return ["", render("report.alternatives", {})] + [
        render("report.alternative", a) for a in result["alternatives"]]


def edges_ahead(result):
    """R24: the next row edge of each factor and what would change just past it."""
    if not result["thresholds"]:
        return []
    lines = ["", render("report.thresholds", {})]
    for t in result["thresholds"]:
        changes = ", ".join(f"{fid} → {fmt(value)}" for fid, value in t["functions"].items())
        params = {k: v for k, v in t.items() if k != "functions"}
        lines.append(render("report.threshold", {
            **params, "factor": render(f"report.factor.{t['factor']}", {}),
            "changes": changes or render("report.no_change", {})}))
    return lines
