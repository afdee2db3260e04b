"""The golden cases (tests/cases/*.json) and the one list of function ids.

A case file is {"title", "scenario", "expected", "notes", "tolerance"}; docs/TESTING.md
describes the format. Every line of `notes` of the form «<function id> = <arithmetic> — <why>»
is the hand computation of that function: `note_values` evaluates it (numbers, + − × ÷,
parentheses and T, the sum of 3.1.1–3.1.10), so the notes and the expected numbers cannot
drift apart. Nothing here calls the engine's rules.
"""

import ast
import json
import math
import operator
import re
from pathlib import Path

from engine import load_norm

CASES_DIR = Path(__file__).parent / "cases"
# document order (SCENARIO.md "functions"), from norm_json — not a copy
FUNCTION_IDS = [f["id"] for f in load_norm()["functions"]]
TABLES = FUNCTION_IDS[:10]  # 3.1.1–3.1.10: T, the base of 3.6a (R19)

NOTE = re.compile(r"^(?P<id>3\.[0-9a-z.]+) = (?P<expr>[^—]+?)(?:\s+—\s+(?P<why>.*))?$")
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Div: operator.truediv}


def load(path):
    case = json.loads(Path(path).read_text("utf-8"))
    case["id"] = Path(path).name.removesuffix(".json")
    return case


def case(name):
    """One case by its file name without .json, e.g. case("city_mid.v1") (the worked example)."""
    return load(CASES_DIR / f"{name}.json")


def all_cases():
    return [load(path) for path in sorted(CASES_DIR.glob("*.json"))]


def arithmetic(text, names):
    """The value of a hand-written arithmetic expression: numbers, + − × ÷, parentheses."""
    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.left), value(node.right))
        raise ValueError(f"not hand arithmetic: {text!r}")
    return value(ast.parse(text.strip(), mode="eval").body)


def note_values(notes):
    """{function id: value} of the notes' arithmetic lines, in their order."""
    values = {}
    for line in notes:
        m = NOTE.match(line)
        if not m:
            continue
        assert m["id"] in FUNCTION_IDS and m["id"] not in values, line
        names = {"T": math.fsum(values[i] for i in TABLES)} if set(TABLES) <= set(values) else {}
        values[m["id"]] = arithmetic(m["expr"], names)
    return values


def half_up(x):
    """R21 by hand: 72.5 → 73."""
    return math.floor(x + 0.5)
