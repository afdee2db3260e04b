"""The law as data: the norm's tables, titles and groups, read from norm_json/ (package data),
and the binding of scenario fields to the norm.

The binding: every row, rate or item of norm_json that reads a scenario field names it —
`"factor": "it.servers"`, or `"factors": {"consumers": "agricultural.consumers", …}` where a
table reads several. The engine reads inputs through these names, never by position; the
form's clause labels (`clauses_of_field`) and 3.1.17's consumer list (`consumer_fields`)
come from the same place; `binding_problems` checks that every factor is a field and every
numeric or flag field is read by some clause.
"""

import functools
import json
from importlib import resources

from .scenario import FIELDS

EDITION_FILE = "kea_1nt_2018.json"


@functools.cache
def load_norm():
    """The norm document as data (norm_json/kea_1nt_2018.json), read once."""
    return json.loads(resources.files("norm_json").joinpath(EDITION_FILE).read_text("utf-8"))


def clause_of(fid):
    """The clause of a function id: "3.3.drivers" → "3.3"; "3.1.10", "3.6a" stay."""
    head, _, last = fid.rpartition(".")
    return head if last.isalpha() else fid


@functools.cache
def clause_order():
    """Every clause in document order (3.1.1 … 3.1.18, 3.2 … 3.6a)."""
    return tuple(dict.fromkeys(clause_of(f["id"]) for f in load_norm()["functions"]))


@functools.cache
def bindings():
    """(field path, clause, item or None) for every factor of norm_json, in document order."""
    found = []

    def walk(node, clauses, item):
        if isinstance(node, list):
            for child in node:
                walk(child, clauses, item)
        if not isinstance(node, dict):
            return
        item = node.get("item", item)
        factors = [node["factor"]] if "factor" in node else []
        factors += list(node.get("factors", {}).values())
        found.extend((path, clause, item) for path in factors for clause in clauses)
        for key, child in node.items():
            if key not in ("factor", "factors"):
                walk(child, clauses, item)

    for key, table in load_norm()["tables"].items():
        walk(table, table.get("clauses", [key]), None)
    order = {clause: i for i, clause in enumerate(clause_order())}
    return tuple(sorted(found, key=lambda b: order[b[1]]))


def label(clauses):
    """Clauses as the document cites them: «3.1.3, 3.1.4»; three or more in a row «3.1.3–3.1.7»."""
    order = clause_order()
    ranks = sorted({order.index(c) for c in clauses})
    if len(ranks) >= 3 and ranks[-1] - ranks[0] == len(ranks) - 1:
        return f"{order[ranks[0]]}–{order[ranks[-1]]}"
    return ", ".join(order[r] for r in ranks)


@functools.cache
def clauses_of_field():
    """{field path: the clause that reads it} for the form's labels, e.g. "3.1.1",
    "3.1.10, 1.1" (with the table's item), "3.1.3–3.1.7"; "" for a field no clause reads
    (the scenario's name)."""
    result = {}
    for path, _ in FIELDS:
        read = [(clause, item) for p, clause, item in bindings() if p == path]
        items = {item for _, item in read}
        text = label([clause for clause, _ in read]) if read else ""
        if len({clause for clause, _ in read}) == 1 and len(items) == 1 and None not in items:
            text += f", {items.pop()}"
        result[path] = text
    return result


def clauses_of_fields(paths):
    """The clauses that read any of these fields (a form section), as `label` writes them."""
    return label([clause for p, clause, _ in bindings() if p in set(paths)])


@functools.cache
def consumer_fields():
    """R14: the consumer counts of every group of 3.1.1–3.1.7 — the households of 3.1.1's
    rates, 3.1.2's households (the district-centre ones are among them: counted once) and the
    consumers of 3.1.3–3.1.7 — as bound in norm_json."""
    tables = load_norm()["tables"]
    fields = [rate["factor"] for rate in tables["3.1.1"]["rates"]]
    fields.append(tables["3.1.2"]["factors"]["households"])
    fields += [tables[f"3.1.{n}"]["factors"]["consumers"] for n in range(3, 8)]
    return tuple(fields)


def binding_problems():
    """What is wrong with the binding: a factor that is no scenario field, or a numeric or
    flag field that no clause reads (empty when all is well)."""
    kinds = dict(FIELDS)
    read = {path for path, _, _ in bindings()}
    problems = [f"factor {path!r} of {clause} is no scenario field"
                for path, clause, _ in bindings() if path not in kinds]
    problems += [f"field {path!r} is read by no clause" for path, kind in FIELDS
                 if kind != "text" and path not in read]
    return problems
