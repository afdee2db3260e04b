"""A readable Russian text report of a result (the CLI's --text)."""

from .compute import total_line
from .norm import load_norm
from .trace import fmt


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
    return "\n".join(lines) + "\n"
