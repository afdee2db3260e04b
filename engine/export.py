"""Downloads of a calculation — CSV, JSON and XLSX (engine/xlsx.py) — and reading one back,
the same in CPython and in the page (web/main.py). docs/EXPORTS.md has the formats.

The headings are the page's: the caller passes its catalog (web/i18n/<lang>.json — its
"sheets" object and the labels the page shows: groups, fields, functions, readings); the
engine holds no presentation text. The rows are built here once, for every format."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from . import link
from .analysis import compare
from .norm import load_norm
from .scenario import FIELDS, normalize

DECIMALS = 6  # a CSV number has at most this many decimals
# A text cell a spreadsheet would take for a formula (OWASP "CSV injection"): written with a
# leading apostrophe, which spreadsheets show as plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ru and kk spreadsheets take ";" between cells and a decimal comma, en ones "," and "."
CSV_SIGNS = {"ru": (";", ","), "kk": (";", ",")}
CSV_SIGNS_OTHER = (",", ".")


def csv_signs(lang):
    """(separator, decimal sign) of a page language's CSV: ";" and "," for ru and kk."""
    return CSV_SIGNS.get(lang, CSV_SIGNS_OTHER)


@dataclass(frozen=True)
class Calculation:
    """A computed calculation as a download shows it."""

    scenario: dict  # valid (the result was computed from it)
    result: dict  # engine.compute(scenario)
    catalog: dict  # the page language's catalog
    actual: dict = field(default_factory=dict)  # {group: people}, for the comparison
    date: str = ""  # YYYY-MM-DD, the day of the export
    address: str = ""  # the page's URL without fragment; "" outside the page

    @property
    def labels(self):
        return self.catalog["sheets"]

    @property
    def link(self):
        """The page's address with this calculation's fragment (the page's language kept)."""
        fragment = link.encode(self.scenario, {"lang": self.catalog["lang"], "actual": self.actual})
        return f"{self.address}#{fragment}"

    @property
    def comparison(self):
        return compare(self.result, self.actual)


# --- The rows, shared by every format: (label, value) pairs and tables -----------------------

def info_rows(calc):
    """(key, label, value): organization (the calculation's name), date, link, norm edition,
    rulings edition and each reading in force (key "reading")."""
    edition = load_norm()["edition"]
    labels, catalog = calc.labels, calc.catalog
    rows = [("organization", labels["organization"], calc.scenario.get("name", "")),
            ("date", labels["date"], calc.date),
            ("link", labels["link"], calc.link),
            ("norm_edition", labels["norm_edition"], f"{edition['id']}: {edition['order']}"),
            ("rulings_edition", labels["rulings_edition"], calc.result["rulings_edition"])]
    variants = catalog["readings"]["variants"]
    rows += [("reading", f"{labels['reading']} {ruling}", variants.get(ruling, {}).get(variant, variant))
             for ruling, variant in calc.result["readings"].items()]
    return rows


def input_rows(calc):
    """(field path, label, value) of every input of the form, defaults included; the actual
    headcount after them."""
    flat = normalize(calc.scenario)
    fields = calc.catalog["fields"]
    rows = [(path, fields.get(path, {}).get("label", path), flat[path]) for path, _ in FIELDS]
    legend = calc.catalog["actual"]["legend"]
    rows += [(f"actual.{group}", f"{legend}: {calc.catalog['groups'][group]}", people)
             for group, people in calc.actual.items()]
    return rows


def function_rows(calc):
    """(id, title, group, value, trace lines, warnings) of each function of the norm."""
    titles, groups = calc.catalog["functions"], calc.catalog["groups"]
    warnings = calc.result["warnings"]
    return [(f["id"], titles.get(f["id"], f["title"]), groups.get(f["group"], f["group"]),
             f["value"], f["trace"],
             [f"{w['ruling']}: {w['message']}" for w in warnings if w["id"] == f["id"]])
            for f in calc.result["functions"]]


def total_rows(calc):
    """(label, value, whole): the rounded total (cl. 1.8), the exact one, each group, P."""
    labels, result = calc.labels, calc.result
    rows = [(labels["total"], result["total"], True), (labels["total_exact"], result["total_exact"], False)]
    rows += [(calc.catalog["groups"][group], value, False) for group, value in result["groups"].items()]
    rows.append((calc.catalog["results"]["production_base"], result["production_base"], False))
    return rows


def comparison_rows(calc):
    """(group, actual, normative, difference, percent or None) per compared group."""
    names = {**calc.catalog["groups"], "total": calc.catalog["results"]["total_row"]}
    return [(names[group], row["actual"], row["normative"], row["difference"], row["percent"])
            for group, row in calc.comparison.items()]


def alternative_rows(calc):
    """(ruling, reading, total, total exact, difference) of each other reading (R25)."""
    variants = calc.catalog["readings"]["variants"]
    return [(a["ruling"], variants.get(a["ruling"], {}).get(a["variant"], a["variant"]),
             a["total"], a["total_exact"], a["delta"]) for a in calc.result["alternatives"]]


def threshold_rows(calc):
    """(factor, value, next edge, distance, total exact there, functions that step) (R24)."""
    factors = calc.catalog["readings"]["factors"]
    return [(factors.get(t["factor"], t["factor"]), t["value"], t["next_edge"], t["distance"],
             t["total_exact"], "; ".join(f"{fid}: {people}" for fid, people in t["functions"].items()))
            for t in calc.result["thresholds"]]


# --- CSV ----------------------------------------------------------------------------------

def to_csv(calc):
    """CSV text a spreadsheet of the page's language opens as it is: on ru and kk pages ";"
    between cells and a decimal comma, on en "," and "."; headings in that language; numbers
    to at most 6 decimals. The organization, date and link first; then a row per function
    (its trace lines joined by « | »); then the totals, groups and P; then, with an actual
    headcount, the comparison. Blocks are separated by an empty row."""
    separator, decimal = csv_signs(calc.catalog["lang"])
    labels, results = calc.labels, calc.catalog["results"]

    def cell(value):
        if isinstance(value, (int, float)):
            return csv_number(value, decimal)
        return _plain_text("" if value is None else value)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    rows = [*((label, value) for _, label, value in info_rows(calc)), (),
            (results["col_clause"], results["col_function"], results["col_group"],
             labels["col_people"], results["trace"], labels["col_warnings"])]
    rows += [(fid, title, group, value, " | ".join(trace), " | ".join(warned))
             for fid, title, group, value, trace, warned in function_rows(calc)]
    rows += [(), *((label, value) for label, value, _ in total_rows(calc))]
    if calc.comparison:
        rows += [(), (results["col_group"], results["col_actual"], results["col_normative"],
                      results["col_difference"], results["col_percent"]), *comparison_rows(calc)]
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_number(value, decimal="."):
    """A number rounded to DECIMALS places, without trailing zeros, with the decimal sign."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text).replace(".", decimal)


def _plain_text(text):
    return f"'{text}" if text.startswith(FORMULA_START) else text


# --- JSON and the file name ----------------------------------------------------------------

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


# --- Reading a file back: the link it stands for -------------------------------------------

class UnreadableFile(ValueError):
    """Not a calculation this calculator saved (the page says so; the form is left as is)."""


def fragment_of_json(text):
    """The link fragment of our JSON download ({edition, scenario, comparison, …}) or of a
    bare scenario (SCENARIO.md, as the CLI reads): its values written as a link's text, so
    that the page reads them — and refuses what is wrong, naming the field — exactly as a
    link. Raises UnreadableFile when it is no JSON object."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile("not JSON") from None
    if not isinstance(document, dict):
        raise UnreadableFile("not a JSON object")
    scenario = document.get("scenario", document)
    if not isinstance(scenario, dict):
        raise UnreadableFile("no scenario")
    pairs = []
    edition = document.get("edition")
    if isinstance(edition, dict) and "id" in edition:
        pairs.append(("ed", _link_text(edition["id"])))
    pairs += _scenario_pairs(scenario)
    comparison = document.get("comparison")
    if isinstance(comparison, dict):
        pairs += [(f"actual.{group}", _link_text(row.get("actual")))
                  for group, row in comparison.items() if group != "total" and isinstance(row, dict)]
    return urlencode(pairs)


def fragment_of_link(address):
    """The fragment of a link read from a file (our XLSX's link cell): what follows "#",
    without the page language (the file opens in the page it is opened in)."""
    if not isinstance(address, str) or "#" not in address:
        raise UnreadableFile("no link")
    pairs = parse_qsl(address.partition("#")[2], keep_blank_values=True)
    return urlencode([(key, value) for key, value in pairs if key != "lang"])


def _scenario_pairs(scenario, prefix=""):
    """(link key, text) of a scenario object, nested groups as dotted paths; nothing checked
    (engine.link reads and checks them)."""
    pairs = []
    for key, value in scenario.items():
        path = f"{prefix}{key}"
        if path == "version":
            pairs.append(("v", _link_text(value)))
        elif path == "readings" and isinstance(value, dict):
            pairs += [(f"readings.{ruling}", _link_text(variant)) for ruling, variant in value.items()]
        elif isinstance(value, dict):
            pairs += _scenario_pairs(value, f"{path}.")
        else:
            pairs.append((path, _link_text(value)))
    return pairs


def _link_text(value):
    """A JSON value as a link's text: true/false as 1/0, numbers exactly; anything else as
    its JSON, which the link reader then refuses with the field's own problem."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return link.value_text(value)
    return json.dumps(value, ensure_ascii=False)
