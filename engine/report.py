"""A readable text report of a result (the CLI's --text), in any catalog language. The
document's own words — its title, order and function titles — stay Russian."""

from .norm import load_norm
from .trace import LANGUAGE, fmt, render


def text_report(result, name="", lang=LANGUAGE):
    norm = load_norm()
    say = lambda key, **params: render(key, params, lang)  # noqa: E731
    lines = [norm["edition"]["title"], norm["edition"]["order"]]
    if name:
        lines.append(say("report.name", name=name))
    notes = {}
    for w in result["warnings"]:
        text = render(w["key"], w["params"], lang)
        notes.setdefault(w["id"], []).append(f"    ! {text} ({w['ruling']})")
    lines.append("")
    for f in result["functions"]:
        lines.append(f"{f['id']:<15} {fmt(f['value'], lang):>12}  {f['title']}")
        lines += notes.get(f["id"], [])
    lines.append("")
    for group, value in result["groups"].items():
        lines.append(say("report.group", group=say(f"report.group.{group}"), value=value))
    lines.append(say("report.production_base", value=result["production_base"]))
    lines.append(say("report.total", exact=result["total_exact"], total=str(result["total"])))
    if result["rulings_edition"] >= 2:
        metering = next(f["value"] for f in result["functions"] if f["id"] == "3.2")
        lines.append(say("report.metering_apart", value=metering))  # R15
    lines += other_readings(result, lang) + edges_ahead(result, lang)
    if "current" in result:
        lines.append(render("report.current", result["current"], lang))
    return "\n".join(lines) + "\n"


def other_readings(result, lang):
    """R25: each alternative reading that would change this total."""
    if not result["alternatives"]:
        return []
    return ["", render("report.alternatives", {}, lang)] + [
        render("report.alternative", a, lang) for a in result["alternatives"]]


def edges_ahead(result, lang):
    """R24: the next row edge of each factor and what would change just past it."""
    if not result["thresholds"]:
        return []
    lines = ["", render("report.thresholds", {}, lang)]
    for t in result["thresholds"]:
        changes = ", ".join(f"{fid} → {fmt(value, lang)}" for fid, value in t["functions"].items())
        params = {k: v for k, v in t.items() if k != "functions"}
        lines.append(render("report.threshold", {
            **params, "factor": render(f"report.factor.{t['factor']}", {}, lang),
            "changes": changes or render("report.no_change", {}, lang)}, lang))
    return lines
