"""Tests of norm_json/kea_1nt_2018.json: the transcription of section 3 of KEA norm 1-нт (2018).

Three layers, each with a test showing that it can fail:

1. **Schema** — the data validates against norm_json/schema.json (draft 2020-12); mutated
   copies (a string cell, a missing group, an unknown key, ...) do not.
2. **Structure** — what JSON Schema cannot say: cells per row = columns, range bounds strictly
   increasing with only the last one open ("свыше"), function ids unique and in the fixed
   order, every function backed by a table entry and every table entry used, groups per R22.
3. **Transcription** — the numbers are read *again*, from the document itself
   (norm_json/kea_1nt_2018.ru.txt, the project's byte-exact copy of the norm), by a small
   generic parser, and every number of the JSON is compared with it: row and column labels,
   their bounds, every cell ("-" and blank ↔ null), rates, units, note numbers, clause
   3.3–3.6a numbers, function titles, positions/professions and source quotes.
   No value of the norm is restated here as an expectation: the parser splits the document
   at its "3.1.N Нормативы ..." headings and clause numbers, reads tab-separated table lines
   and numbered notes; the checks only know *where* a kind of number stands in a sentence
   (e.g. a courier note reads "на <consumers> потребителей <add> чел."). A typo in the
   JSON — or a JSON key of a 3.1.x table that no check reads — makes a test fail.

The mutation tests at the end apply one deliberate error to a deep copy of the data (never
to the file) and assert that the corresponding layer reports it.

Not derivable from the document, hence not checked against it: titles of 3.2–3.6a
(paraphrases; their "source" quotes are checked), groups (ruling R22 of RULINGS.md), 3.3
specialist "from": 1 (ruling R16). Labels in 3.1.10 may be shortened: they must begin the
printed item text.
"""

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

NORM_DIR = Path(__file__).resolve().parents[1] / "norm_json"
DATA = json.loads((NORM_DIR / "kea_1nt_2018.json").read_text(encoding="utf-8"))
SCHEMA = json.loads((NORM_DIR / "schema.json").read_text(encoding="utf-8"))
DOC_PATH = NORM_DIR / "kea_1nt_2018.ru.txt"

# The project's copy of the law. Pinned so that an edit of it is a deliberate act.
DOC_SHA256 = "f513e347913c604292819540e9d98c3fe4d9a643910537717ad46ebb30319c9e"

EXPECTED_IDS = [f"3.1.{n}" for n in range(1, 19)] + [
    "3.2", "3.3.drivers", "3.3.repair", "3.3.specialist", "3.4",
    "3.5.guards", "3.5.leaders", "3.6", "3.6a",
]

# RULINGS.md R22, edition 2 (current): the group of each function (clause 1.9 names the
# groups). Edition 1 had 3.2 among production specialists: engine.compute.EDITION1_GROUPS.
R22_GROUPS = {
    "workers": [f"3.1.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9)]
    + ["3.2", "3.3.drivers", "3.3.repair", "3.4", "3.5.guards", "3.6", "3.6a"],
    "production_specialists": ["3.1.8", "3.1.10", "3.3.specialist", "3.5.leaders"],
    "management": [f"3.1.{n}" for n in range(11, 19)],
}

# Functions whose numbers live under a differently named key of their clause's table.
SUBKEYS = {"3.5.guards": "posts", "3.5.leaders": "guards_per_leader"}


# ---------------------------------------------------------------------------------------
# Small helpers: numbers, labels, whitespace
# ---------------------------------------------------------------------------------------

NUMBER = r"\d+(?:,\d+)?"


def ws(text):
    """Collapse whitespace (the document breaks headings over lines, with trailing blanks)."""
    return " ".join(text.split())


def num(text):
    """A document cell as a number: "0,6" → 0.6; "-" or blank → None."""
    text = text.strip()
    if text in ("", "-"):
        return None
    return float(text.replace(",", "."))


def numbers_in(text):
    return [num(n) for n in re.findall(NUMBER, text)]


def upper_bound(label):
    """Upper bound of a printed range (cl. 1.8): "До 50" → 50, "51-150" → 150, "свыше 25" → None."""
    if re.match(r"(?i)свыше", label.strip()):
        return None
    return numbers_in(label)[-1]


def lower_bound(label):
    """Lower bound printed in a two-number range ("100-300" → 100); None for "до"/"свыше"."""
    if re.match(r"(?i)(до|свыше)\b", label.strip()):
        return None
    found = numbers_in(label)
    return found[0] if len(found) == 2 else None


def note_numbers(text):
    """The numbers of a note, in reading order: table references ("3.1.8") skipped,
    "25 тысяч" read as 25000."""
    text = re.sub(r"\d+(?:\.\d+)+", " ", text)
    return [num(n) * (1000 if thousand else 1)
            for n, thousand in re.findall(rf"({NUMBER})(\s+тысяч)?", text)]


def expect(errors, where, got, want):
    """Record a mismatch; for lists, one message per differing element."""
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (g, w) in enumerate(zip(got, want)):
            expect(errors, f"{where}[{i}]", g, w)
    elif got != want or isinstance(got, bool) != isinstance(want, bool):
        errors.append(f"{where}: json {got!r} != document {want!r}")


# ---------------------------------------------------------------------------------------
# The document parser
# ---------------------------------------------------------------------------------------

@dataclass
class DocTable:
    """A block of tab-separated lines: a caption row, maybe a row of column labels
    (it starts with a tab), and data rows (label, raw cells)."""
    caption: list
    columns: list | None
    rows: list

    @property
    def labels(self):
        return [label for label, _ in self.rows]

    def cells(self):
        return [[num(c) for c in cells] for _, cells in self.rows]


@dataclass
class Section:
    """One "3.1.N Нормативы ... по функции «...»" section, up to the next one."""
    number: str
    lines: list
    tables: list = field(default_factory=list)

    @property
    def text(self):
        return ws("\n".join(self.lines))

    @property
    def title(self):
        return re.search(r"«(.*?)»", self.text).group(1).strip()

    @property
    def table_numbers(self):
        """The numbers of its "Таблица N" captions."""
        return [m.group(1) for line in self.lines for m in [re.match(r"Таблица\s+([\d.]+)", line)] if m]

    def listing(self, kind):
        """'Примерный перечень должностей/профессий' as a list ([] when absent)."""
        for line in self.lines:
            m = re.match(rf"\*\*Примерный перечень {kind}:\*\*\s*(.*)$", line.strip())
            if m:
                return [item.strip() for item in m.group(1).split(", ")]
        return []

    @property
    def _after_note_heading(self):
        for i, line in enumerate(self.lines):
            if "Примечание" in line:
                return self.lines[i:]
        return []

    @property
    def notes(self):
        """Numbered notes {n: text}."""
        return {int(m.group(1)): m.group(2).strip()
                for line in self._after_note_heading if "\t" not in line
                for m in [re.match(r"^(\d+)\.\s+(.*)$", line.strip())] if m}

    @property
    def plain_note(self):
        """The text of a one-line, unnumbered note ("**Примечание:** ...")."""
        lines = self._after_note_heading
        if not lines:
            return None
        return ws(re.sub(r"^\*\*Примечание:\*\*", "", lines[0].strip())) or None


def read_blocks(lines):
    """Split lines into tables: runs of tab lines; blank lines do not end a run."""
    blocks, current = [], []
    for line in lines:
        if "\t" in line:
            current.append(line)
        elif line.strip() and current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return [parse_table(block) for block in blocks]


def parse_table(block):
    rows = [[cell.strip() for cell in line.split("\t")] for line in block]
    caption, rest = rows[0], rows[1:]
    columns = None
    if rest and rest[0][0] == "":
        columns, rest = rest[0][1:], rest[1:]
    return DocTable(caption=caption, columns=columns, rows=[(r[0], r[1:]) for r in rest])


@dataclass
class Document:
    text: str
    sections: dict  # "3.1.N" → Section, in document order
    clauses: dict   # "3.1", "3.2", ..., "3.6", "3.6a" → list of lines

    def clause_text(self, clause):
        return ws("\n".join(self.clauses[clause]))


HEADING = re.compile(r"^[#*\s]*(3\.1\.\d+)\s+Нормативы")
CLAUSE = re.compile(r"^(3\.\d+)\.?\s")


def parse_document(text):
    lines = text.split("\n")
    part3 = next(i for i, line in enumerate(lines) if re.match(r"^#+\s*3\.\s+НОРМАТИВНАЯ", line))
    starts = [i for i, line in enumerate(lines) if HEADING.match(line)]

    clauses, current = {}, None
    for line in lines[part3 + 1:starts[0]]:
        m = CLAUSE.match(line)
        if m:
            current = m.group(1)
            while current in clauses:  # the document numbers two clauses "3.6"
                current += "a"
            clauses[current] = []
        if current:
            clauses[current].append(line)

    sections = {}
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        number = HEADING.match(lines[start]).group(1)
        assert number not in sections, f"section {number} twice"
        sections[number] = Section(number, lines[start:end], read_blocks(lines[start:end]))
    return Document(text, sections, clauses)


DOC_TEXT = DOC_PATH.read_text(encoding="utf-8")
DOC = parse_document(DOC_TEXT)


# ---------------------------------------------------------------------------------------
# Transcription checks: json table + document section → list of mismatches
# ---------------------------------------------------------------------------------------

def check_range_rows(errors, where, rows, labels, values=None):
    """Range rows/columns: labels verbatim, upto = the label's upper bound, values."""
    expect(errors, f"{where} labels", [r["label"] for r in rows], labels)
    expect(errors, f"{where} upto", [r["upto"] for r in rows], [upper_bound(l) for l in labels])
    if values is not None:
        expect(errors, f"{where} values", [r["value"] for r in rows], values)


def check_from(errors, where, obj, first_label):
    """"from" exists exactly when the first range prints a lower bound ("100-300")."""
    expect(errors, f"{where} from", obj.get("from"), lower_bound(first_label))


def check_cells(errors, where, cells, doc_cells, row_labels, column_labels):
    if len(cells) != len(doc_cells):
        errors.append(f"{where}: {len(cells)} cell rows, document {len(doc_cells)}")
    for r, (got_row, doc_row) in enumerate(zip(cells, doc_cells)):
        if len(got_row) != len(doc_row):
            errors.append(f"{where} row {row_labels[r]!r}: {len(got_row)} cells, document {len(doc_row)}")
        for c, (got, want) in enumerate(zip(got_row, doc_row)):
            if got != want or isinstance(got, bool):
                errors.append(f"{where} row {row_labels[r]!r} column {column_labels[c]!r}: "
                              f"json {got!r} != document {want!r}")


def doc_per(table):
    """"на (каждые) N потребителей" in the caption or a row label → N; "тыс." in the caption → 1000."""
    text = " ".join(table.caption + table.labels)
    m = re.search(r"на (?:каждые )?(\d+) потребителей", text)
    if m:
        return float(m.group(1))
    return 1000.0 if "тыс" in table.caption[0] else None


NOTE_KINDS = {  # json key: (fields in the order the note's sentence states them, a word of the note)
    "courier": (("consumers", "add"), "курьер"),
    "extrapolation": (("consumers_over", "meters_over", "consumers_step", "meters_step", "add"),
                      "дополнительные"),
    "rural_network_district": (("add",), "районе электрических сетей"),
    "urban_consumers": (("consumers", "add"), "городского типа"),
    "imports": (("add",), "импорт"),
    "guaranteed_supplier": (("coefficient",), "коэффициент"),
}


def check_notes(errors, fid, table, section):
    """Every note object matches its numbered note; every numbered note with numbers is used."""
    used = set()
    for key, (fields, word) in NOTE_KINDS.items():
        if key not in table:
            continue
        obj = table[key]
        text = section.notes.get(obj["note"])
        if text is None:
            errors.append(f"{fid} {key}: no note {obj['note']} in the document")
            continue
        used.add(obj["note"])
        if word not in text:
            errors.append(f"{fid} {key}: note {obj['note']} does not speak of {word!r}: {text}")
        expect(errors, f"{fid} {key} (note {obj['note']})", [obj[f] for f in fields], note_numbers(text))
    for n, text in section.notes.items():
        if n not in used and note_numbers(text):
            errors.append(f"{fid}: note {n} has numbers but no json entry: {text}")


def check_10_items(errors, table, doc_table):
    """Table 3.1.10: rates "N unit → value" (a cell may hold two), and step items whose unit
    cell is a run of ranges ("до 6 7-15 свыше 15" / "1 2 3"); the last one is leadership."""
    range_token = re.compile(r"(?:до|свыше)\s+\d+|\d+-\d+")
    doc_rates, doc_ranges = [], []
    for label, (unit_cell, value_cell) in doc_table.rows:
        if not unit_cell and not value_cell:
            continue  # a group heading such as "1. Программное обеспечение ЛВС ...:"
        item, text = re.match(r"^(\d+(?:\.\d+)?)\.?\s+(.*)$", label).groups()
        values = [num(v) for v in value_cell.split()]
        if re.fullmatch(rf"(?:\s*(?:{range_token.pattern}))+", unit_cell):
            doc_ranges.append((item, text, range_token.findall(unit_cell), values))
        else:
            units = [f"{n} {w}" for n, w in re.findall(r"(\d+)\s+(\D+?)(?=\s+\d|$)", unit_cell)]
            if len(units) != len(values):
                errors.append(f"3.1.10 item {item}: cannot pair units {units} with values {values}")
            doc_rates += [(item, text, unit, value) for unit, value in zip(units, values)]

    rates = table["rates"]
    if len(rates) != len(doc_rates):
        errors.append(f"3.1.10: {len(rates)} rates, document {len(doc_rates)}")
    for rate, (item, text, unit, value) in zip(rates, doc_rates):
        where = f"3.1.10 item {item} ({unit})"
        expect(errors, f"{where} item", rate["item"], item)
        if not text.startswith(rate["label"]):
            errors.append(f"{where}: label {rate['label']!r} does not begin {text!r}")
        expect(errors, f"{where} unit", rate["unit"], unit)
        expect(errors, f"{where} per", rate["per"], numbers_in(unit)[0])
        expect(errors, f"{where} value", rate["value"], value)

    ranged = table["steps"] + [table["leadership"]]
    if len(ranged) != len(doc_ranges):
        errors.append(f"3.1.10: {len(ranged)} step items, document {len(doc_ranges)}")
    for obj, (item, text, labels, values) in zip(ranged, doc_ranges):
        where = f"3.1.10 item {item}"
        expect(errors, f"{where} item", obj["item"], item)
        if not text.startswith(obj["label"]):
            errors.append(f"{where}: label {obj['label']!r} does not begin {text!r}")
        if "unit" in obj and not text.endswith(f", {obj['unit']}"):
            errors.append(f"{where}: unit {obj['unit']!r} is not the end of {text!r}")
        check_range_rows(errors, where, obj["rows"], labels, values)
        check_from(errors, where, obj, labels[0])


def check_function_table(norm, fid):
    """Compare tables[fid] with section fid of the document. Every json key must be read by
    some check; what is left over is reported."""
    table, section = norm["tables"][fid], DOC.sections[fid]
    errors, checked = [], set()
    tables = section.tables
    main = tables[0]

    expect(errors, f"{fid} caption", section.table_numbers, [fid])
    expected_blocks = 2 if "two_tariff" in table else 1
    expect(errors, f"{fid} number of tables", len(tables), expected_blocks)

    if "grid" in table:  # 3.1.3, 3.1.4: range rows × range columns
        grid = table["grid"]
        check_range_rows(errors, f"{fid} rows", grid["rows"], main.labels)
        check_range_rows(errors, f"{fid} columns", grid["columns"], main.columns)
        check_cells(errors, fid, grid["cells"], main.cells(), main.labels, main.columns)
        checked.add("grid")
    elif isinstance(table.get("points"), dict):  # 3.1.5–3.1.7: point rows × point columns
        grid = table["points"]
        expect(errors, f"{fid} row points", grid["rows"], [num(l) for l in main.labels])
        expect(errors, f"{fid} column points", grid["columns"], [num(c) for c in main.columns])
        check_cells(errors, fid, grid["cells"], main.cells(), main.labels, main.columns)
        checked.add("points")
    elif isinstance(table.get("points"), list):  # 3.1.8: factor points (thousands), interpolated
        want = [[upper_bound(label), value[0]] for label, value in zip(main.labels, main.cells())]
        expect(errors, f"{fid} points", [list(p) for p in table["points"]], want)
        checked.add("points")
    elif fid == "3.1.10":
        check_10_items(errors, table, main)
        checked |= {"rates", "steps", "leadership"}
    elif "cells" in table:  # 3.1.11–3.1.16: range rows × the shared sales-site columns
        shared = norm["tables"]["sales_site_columns"]
        check_range_rows(errors, f"{fid} columns (sales_site_columns)", shared["columns"], main.columns)
        expect(errors, f"{fid} note (sales_site_columns)", shared["note"], section.plain_note)
        check_range_rows(errors, f"{fid} rows", table["rows"], main.labels)
        check_from(errors, fid, table, main.labels[0])
        check_cells(errors, fid, table["cells"], main.cells(), main.labels, main.columns)
        checked |= {"rows", "cells", "from"}
    elif isinstance(table.get("rates"), list):  # 3.1.1: kinds of consumers → rate
        expect(errors, f"{fid} rate labels", [r["label"] for r in table["rates"]], main.labels)
        expect(errors, f"{fid} rates", [r["value"] for r in table["rates"]], [c[0] for c in main.cells()])
        checked.add("rates")
    elif isinstance(table.get("rates"), dict):  # 3.1.2: one row of rates under range columns
        expect(errors, f"{fid} rows of rates", len(main.rows), 1)
        check_range_rows(errors, f"{fid} rates", table["rates"]["rows"], main.columns, main.cells()[0])
        checked.add("rates")
    elif "rows" in table:  # 3.1.9, 3.1.17, 3.1.18: range rows → value
        values = [c[0] for c in main.cells()]
        check_range_rows(errors, f"{fid} rows", table["rows"], main.labels, values)
        check_from(errors, fid, table, main.labels[0])
        checked |= {"rows", "from"}

    if "two_tariff" in table:  # 3.1.1 note: the second table of the section
        two = tables[1] if len(tables) > 1 else DocTable([], None, [])
        check_range_rows(errors, f"{fid} two_tariff", table["two_tariff"]["rows"],
                         two.labels, [c[0] for c in two.cells()])
        if "двухтарифных" not in (section.plain_note or ""):
            errors.append(f"{fid}: the note before the two-tariff table is not about two-tariff meters")
        checked.add("two_tariff")

    per = doc_per(main)
    if "per" in table or (per is not None and not isinstance(table.get("points"), list)):
        expect(errors, f"{fid} per", table.get("per"), per)
    checked.add("per")
    per_km2 = re.search(r"тысяч\w*\s+км", " ".join(main.caption))  # "на одной тысячи км²"
    if "density_per_km2" in table or per_km2:
        expect(errors, f"{fid} density_per_km2", table.get("density_per_km2"), 1000.0 if per_km2 else None)
    checked.add("density_per_km2")

    check_notes(errors, fid, table, section)
    checked |= set(NOTE_KINDS)
    checked |= {"factor", "factors"}  # the binding to scenario fields: test_binding_*, not the document

    for key in sorted(set(table) - checked):
        errors.append(f"{fid}: key {key!r} is not checked against the document")
    return errors


def check_sales_site_columns(norm):
    """The shared columns are used by exactly the sections printing them (3.1.11–3.1.16)."""
    shared = norm["tables"]["sales_site_columns"]
    labels = [c["label"] for c in shared["columns"]]
    printing = [n for n, s in DOC.sections.items() if s.tables and s.tables[0].columns == labels]
    using = [k for k, t in norm["tables"].items() if isinstance(t, dict) and "cells" in t]
    errors = []
    expect(errors, "sections printing the sales-site columns", using, printing)
    printed = DOC.sections[printing[0]].tables[0].columns if printing else []
    check_range_rows(errors, "sales_site_columns", shared["columns"], printed)
    return errors


def manual_errors(clause, table):
    """A hand-entered clause: every piece of its "manual" text (split at «») is the document's."""
    text = DOC.clause_text(clause)
    return [f"{clause} manual: {piece!r} not in the clause"
            for piece in re.split(r"[«»]", table["manual"]) if piece.strip() and ws(piece) not in text]


def check_3_3(norm):
    table, lines = norm["tables"]["3.3"], DOC.clauses["3.3"]
    errors = []
    per_vehicle = re.findall(r"(\d+) чел\. на (\d+) ед\.", DOC.clause_text("3.3"))
    got = [[table[k]["add"], table[k]["vehicles"]] for k in ("drivers", "repair")]
    expect(errors, "3.3 drivers, repair [add, vehicles]", got, [[num(a), num(v)] for a, v in per_vehicle])
    step = re.compile(rf"^(.+ед\.)\s+–\s+({NUMBER})\s+чел\.$")  # "от 26 – 32 ед. – 2 чел."
    steps = [m.groups() for line in lines for m in [step.match(line.strip())] if m]
    check_range_rows(errors, "3.3 specialist", table["specialist"]["rows"],
                     [label for label, _ in steps], [num(v) for _, v in steps])
    # "from" (1: no specialist without vehicles) is ruling R16, not a printed number.
    return errors


def check_3_5(norm):
    table, errors = norm["tables"]["3.5"], []
    posts = [m.groups() for line in DOC.clauses["3.5"]
             for m in [re.match(rf"^-\s+(.+?)\s+[-–]\s+({NUMBER})\s+чел", line.strip())] if m]
    expect(errors, "3.5 labels", [p["label"] for p in table["posts"]], [label for label, _ in posts])
    expect(errors, "3.5 values", [p["value"] for p in table["posts"]], [num(v) for _, v in posts])
    expect(errors, "3.5 shifts", [p["shift"] for p in table["posts"]],
           ["h" + re.search(r"(\d+) час", label).group(1) for label, _ in posts])
    per_leader = re.search(r"из (\d+) человек на одного руководителя", DOC.clause_text("3.5"))
    expect(errors, "3.5 guards_per_leader", table["guards_per_leader"], num(per_leader.group(1)))
    return errors


WORD_NUMBERS = {"один": 1, "одна": 1, "два": 2, "две": 2, "три": 3}


def check_3_6(norm):
    word = re.search(r"–\s+(\w+)\s+оператор", DOC.clause_text("3.6")).group(1)
    errors = []
    expect(errors, "3.6 operators", norm["tables"]["3.6"]["operators"], WORD_NUMBERS.get(word))
    return errors


def check_3_6a(norm):
    percent = re.search(rf"({NUMBER})\s*%", DOC.clause_text("3.6a")).group(1)
    errors = []
    got = norm["tables"]["3.6a"]["percent_of_production"]
    expect(errors, "3.6a percent_of_production", got, num(percent))
    return errors


CLAUSE_CHECKS = {
    "3.2": lambda norm: manual_errors("3.2", norm["tables"]["3.2"]),
    "3.3": check_3_3,
    "3.4": lambda norm: manual_errors("3.4", norm["tables"]["3.4"]),
    "3.5": check_3_5,
    "3.6": check_3_6,
    "3.6a": check_3_6a,
    "sales_site_columns": check_sales_site_columns,
}


def transcription_errors(norm, key):
    if key in CLAUSE_CHECKS:
        return CLAUSE_CHECKS[key](norm)
    return check_function_table(norm, key)


def all_transcription_errors(norm):
    return [e for key in norm["tables"] for e in transcription_errors(norm, key)]


def function_errors(norm):
    """Titles, positions/professions of 3.1.x; source quotes of 3.2–3.6a."""
    errors = []
    for f in norm["functions"]:
        fid = f["id"]
        if fid in DOC.sections:
            section = DOC.sections[fid]
            expect(errors, f"{fid} title", f["title"], section.title)
            expect(errors, f"{fid} positions", f["positions"], section.listing("должностей"))
            expect(errors, f"{fid} professions", f["professions"], section.listing("профессий"))
        else:  # clauses 3.2–3.6a print no "Примерный перечень"
            clause = re.match(r"3\.\d+a?", fid).group(0)
            expect(errors, f"{fid} positions, professions", [f["positions"], f["professions"]], [[], []])
            if ws(f.get("source", "")) not in DOC.clause_text(clause) or not f.get("source"):
                errors.append(f"{fid} source {f.get('source')!r} is not a quote of clause {clause}")
    return errors


# ---------------------------------------------------------------------------------------
# Structural checks (what the schema cannot express)
# ---------------------------------------------------------------------------------------

def walk(obj, path=""):
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk(v, f"{path}/{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk(v, f"{path}/{i}")


def increasing_errors(where, bounds):
    errors = []
    if None in bounds[:-1]:
        errors.append(f"{where}: only the last range may be open (upto null): {bounds}")
    closed = [b for b in bounds if b is not None]
    if any(a >= b for a, b in zip(closed, closed[1:])):
        errors.append(f"{where}: bounds not strictly increasing: {bounds}")
    return errors


def structure_errors(norm):
    errors = []
    tables = norm.get("tables", {})
    shared_columns = tables.get("sales_site_columns", {}).get("columns", [])

    for where, obj in walk(tables, "tables"):
        # every list of range rows/columns: increasing bounds, open range only last
        if isinstance(obj, list) and obj and all(isinstance(r, dict) and "upto" in r for r in obj):
            errors += increasing_errors(where, [r["upto"] for r in obj])
        if isinstance(obj, dict) and "from" in obj and obj.get("rows") and isinstance(obj["rows"][0], dict):
            first = obj["rows"][0]["upto"]
            if first is not None and obj["from"] >= first:
                errors.append(f"{where}: from {obj['from']} not below the first bound {first}")
        # every grid: one cell row per row, one cell per column, no row without a value
        if isinstance(obj, dict) and "cells" in obj:
            columns = obj.get("columns", shared_columns)
            if len(obj["cells"]) != len(obj.get("rows", [])):
                errors.append(f"{where}: {len(obj['cells'])} cell rows for {len(obj.get('rows', []))} rows")
            for i, row in enumerate(obj["cells"]):
                if len(row) != len(columns):
                    errors.append(f"{where} row {i}: {len(row)} cells for {len(columns)} columns")
                if all(c is None for c in row):
                    errors.append(f"{where} row {i}: no value at all")
            if obj.get("rows") and not isinstance(obj["rows"][0], dict):  # point grid
                errors += increasing_errors(f"{where}/rows", obj["rows"])
                errors += increasing_errors(f"{where}/columns", obj["columns"])
    points = tables.get("3.1.8", {}).get("points", [])
    errors += increasing_errors("tables/3.1.8/points", [p[0] for p in points])
    shifts = [p["shift"] for p in tables.get("3.5", {}).get("posts", [])]
    if len(set(shifts)) != len(shifts):
        errors.append(f"3.5: repeated shift in {shifts}")

    ids = [f["id"] for f in norm.get("functions", [])]
    if len(set(ids)) != len(ids):
        errors.append(f"function ids repeat: {ids}")
    if ids != EXPECTED_IDS:
        errors.append(f"function ids {ids} are not, in order, {EXPECTED_IDS}")

    used = {"sales_site_columns"}
    for fid in ids:
        if fid in tables:
            used.add(fid)
            continue
        clause, part = fid.rsplit(".", 1)
        if clause in tables and SUBKEYS.get(fid, part) in tables[clause]:
            used.add(clause)
        else:
            errors.append(f"function {fid} has no table entry")
    for key in tables:
        if key not in used:
            errors.append(f"table {key} belongs to no function")
    return errors


def group_errors(norm):
    want = {fid: group for group, fids in R22_GROUPS.items() for fid in fids}
    return [f"{f['id']} group {f['group']!r}, R22 says {want.get(f['id'])!r}"
            for f in norm["functions"] if want.get(f["id"]) != f["group"]]


# ---------------------------------------------------------------------------------------
# Mutations: proof that each layer can fail
# ---------------------------------------------------------------------------------------

def _parent(d, path):
    for key in path[:-1]:
        d = d[key]
    return d


def set_(*path, value):
    return lambda d: _parent(d, path).__setitem__(path[-1], value)


def del_(*path):
    return lambda d: _parent(d, path).__delitem__(path[-1])


def call(*path, method, args=()):
    """Call a list method (pop, append, reverse) on the value at path."""
    def apply(d):
        for key in path:
            d = d[key]
        getattr(d, method)(*args)
    return apply


def mutate(apply):
    norm = copy.deepcopy(DATA)
    apply(norm)
    return norm


def fid_index(fid):
    return EXPECTED_IDS.index(fid)


T = "tables"
SCHEMA_MUTATIONS = [
    pytest.param(set_(T, "3.1.3", "grid", "cells", 0, 0, value="0,1"), id="string cell"),
    pytest.param(del_("groups", "management"), id="missing group"),
    pytest.param(set_("groups", "staff", value="Штат"), id="unknown group"),
    pytest.param(set_("functions", 0, "group", value="staff"), id="function in unknown group"),
    pytest.param(set_(T, "3.1.9", "extra", value=1), id="unknown table key"),
    pytest.param(set_("comment", value="x"), id="unknown top-level key"),
    pytest.param(set_("functions", 0, "id", value="3.1.19"), id="bad function id"),
    pytest.param(set_(T, "3.1.17", "rows", 0, "value", value=-1), id="negative value"),
    pytest.param(set_(T, "3.1.9", "rows", 1, "upto", value=None), id="open range without свыше"),
    pytest.param(set_(T, "3.1.16", "rows", 3, "upto", value=600), id="свыше with a bound"),
    pytest.param(set_(T, "3.1.2", "rates", "rows", 2,
                      value={"label": "Свыше 1100", "upto": None, "value": 1.25}), id="two open ranges"),
    pytest.param(set_("functions", 0, "source", value="x"), id="source on a 3.1 function"),
    pytest.param(del_("functions", fid_index("3.3.drivers"), "source"), id="clause without source"),
    pytest.param(set_(T, "3.1.8", "points", 0, value=[25, 3, 1]), id="point triple"),
    pytest.param(set_(T, "3.6a", "percent_of_production", value=150), id="percent over 100"),
    pytest.param(del_(T, "3.4"), id="missing table"),
    pytest.param(set_(T, "3.5", "posts", 0, "shift", value="h10"), id="unknown shift"),
    pytest.param(set_(T, "3.1.5", "points", "cells", 0, 0, value=True), id="boolean cell"),
]

STRUCTURE_MUTATIONS = [
    pytest.param(call(T, "3.1.4", "grid", "cells", 0, method="pop"), id="short cell row"),
    pytest.param(call(T, "3.1.11", "cells", method="pop"), id="missing cell row"),
    pytest.param(set_(T, "3.1.17", "rows", 5, "upto", value=90), id="bounds not increasing"),
    pytest.param(call(T, "3.1.16", "rows", method="reverse"), id="open range first"),
    pytest.param(set_(T, "3.1.6", "points", "rows", 1, value=10), id="point rows not increasing"),
    pytest.param(set_(T, "3.1.8", "points", 3, 0, value=60), id="3.1.8 points not increasing"),
    pytest.param(set_("functions", 1, "id", value="3.1.1"), id="duplicate id"),
    pytest.param(call("functions", method="reverse"), id="ids out of order"),
    pytest.param(del_("functions", fid_index("3.4")), id="table without function"),
    pytest.param(set_(T, "3.1.5", "points", "cells", 0, value=[None] * 5), id="row of dashes"),
    pytest.param(set_(T, "3.1.18", "from", value=250), id="from above first bound"),
    pytest.param(call(T, "sales_site_columns", "columns", method="pop"), id="shared columns short"),
    pytest.param(set_(T, "3.5", "posts", 1, "shift", value="h24"), id="repeated shift"),
]

TRANSCRIPTION_MUTATIONS = [
    pytest.param(set_(T, "3.1.3", "grid", "cells", 3, 0, value=0.5), id="3.1.3 cell"),
    pytest.param(set_(T, "3.1.3", "grid", "cells", 0, 3, value=0.5), id="3.1.3 dash given a value"),
    pytest.param(set_(T, "3.1.3", "grid", "cells", 8, 2, value=None), id="3.1.3 value made a dash"),
    pytest.param(set_(T, "3.1.5", "points", "cells", 5, 0, value=1.9), id="3.1.5 blank given a value"),
    pytest.param(set_(T, "3.1.6", "points", "rows", 2, value=780), id="3.1.6 row point"),
    pytest.param(set_(T, "3.1.7", "points", "columns", 1, value=600), id="3.1.7 column point"),
    pytest.param(set_(T, "3.1.4", "grid", "rows", 2, "label", value="201-450"), id="3.1.4 row label"),
    pytest.param(set_(T, "3.1.4", "grid", "columns", 3, "upto", value=4500), id="3.1.4 column bound"),
    pytest.param(set_(T, "3.1.2", "rates", "rows", 2, "value", value=1.2), id="3.1.2 rate"),
    pytest.param(set_(T, "3.1.2", "density_per_km2", value=100), id="3.1.2 density unit"),
    pytest.param(set_(T, "3.1.1", "two_tariff", "rows", 4, "value", value=1.06), id="3.1.1 two-tariff"),
    pytest.param(set_(T, "3.1.1", "rates", 1, "value", value=0.6), id="3.1.1 rate"),
    pytest.param(set_(T, "3.1.1", "per", value=100), id="3.1.1 per"),
    pytest.param(set_(T, "3.1.8", "points", 4, value=[150, 21]), id="3.1.8 point"),
    pytest.param(set_(T, "3.1.8", "guaranteed_supplier", "coefficient", value=1.5), id="3.1.8 coefficient"),
    pytest.param(set_(T, "3.1.8", "urban_consumers", "consumers", value=2500), id="3.1.8 urban consumers"),
    pytest.param(set_(T, "3.1.8", "imports", "note", value=2), id="3.1.8 wrong note"),
    pytest.param(del_(T, "3.1.8", "imports"), id="3.1.8 note dropped"),
    pytest.param(call(T, "3.1.9", "rows", method="append",
                      args=({"label": "111-150", "upto": 150, "value": 2.5},)), id="3.1.9 extra row"),
    pytest.param(set_(T, "3.1.10", "rates", 6, "value", value=0.25), id="3.1.10 rate"),
    pytest.param(set_(T, "3.1.10", "rates", 1, "per", value=10), id="3.1.10 per"),
    pytest.param(set_(T, "3.1.10", "rates", 5, "unit", value="100 пользователей"), id="3.1.10 unit"),
    pytest.param(set_(T, "3.1.10", "steps", 0, "rows", 1, "value", value=3), id="3.1.10 step"),
    pytest.param(set_(T, "3.1.10", "leadership", "from", value=3), id="3.1.10 leadership from"),
    pytest.param(set_(T, "3.1.10", "extra", value=1), id="3.1.10 unchecked key"),
    pytest.param(set_(T, "sales_site_columns", "columns", 1, "label", value="11-16"), id="sales columns"),
    pytest.param(set_(T, "sales_site_columns", "note", value="по первой графе"), id="sales note"),
    pytest.param(set_(T, "3.1.13", "cells", 2, 3, value=6), id="3.1.13 cell"),
    pytest.param(set_(T, "3.1.16", "rows", 3, "upto", value=600), id="3.1.16 open row closed"),
    pytest.param(set_(T, "3.1.17", "rows", 16, "value", value=18.0), id="3.1.17 value"),
    pytest.param(set_(T, "3.1.17", "per", value=1), id="3.1.17 per"),
    pytest.param(del_(T, "3.1.18", "from"), id="3.1.18 from dropped"),
    pytest.param(set_(T, "3.1.3", "courier", "consumers", value=80), id="3.1.3 courier"),
    pytest.param(set_(T, "3.1.4", "extrapolation", "consumers_step", value=3000), id="3.1.4 extrapolation"),
    pytest.param(del_(T, "3.1.7", "extrapolation"), id="3.1.7 extrapolation dropped"),
    pytest.param(set_(T, "3.3", "repair", "vehicles", value=5), id="3.3 repair"),
    pytest.param(set_(T, "3.3", "specialist", "rows", 1, "value", value=3), id="3.3 specialist"),
    pytest.param(set_(T, "3.5", "posts", 1, "value", value=3.41), id="3.5 post"),
    pytest.param(set_(T, "3.5", "posts", 1, "shift", value="h12"), id="3.5 shift"),
    pytest.param(set_(T, "3.5", "guards_per_leader", value=25), id="3.5 leader"),
    pytest.param(set_(T, "3.6", "operators", value=2), id="3.6 operators"),
    pytest.param(set_(T, "3.6a", "percent_of_production", value=5), id="3.6a percent"),
    pytest.param(set_(T, "3.2", "manual", value="определяется по таблице 3.1.18"), id="3.2 manual"),
    pytest.param(set_("functions", 4, "title", value="Расчет и сбор платежей"), id="title"),
    pytest.param(set_("functions", 0, "positions", value=["кассир"]), id="positions"),
    pytest.param(set_("functions", fid_index("3.5.guards"), "professions", value=["охранник"]),
                 id="clause with a listing"),
    pytest.param(set_(T, "3.3", "specialist", "rows", 0, "label", value="до 20 ед."), id="3.3 label"),
    pytest.param(set_("functions", 8, "professions", value=["электромонтер связи"]), id="professions"),
    pytest.param(set_("functions", fid_index("3.3.repair"), "source",
                      value="Ремонтный персонал устанавливается 1 чел. на 5 ед. транспорта"), id="source"),
]


# ---------------------------------------------------------------------------------------
# Tests: schema
# ---------------------------------------------------------------------------------------

VALIDATOR = Draft202012Validator(SCHEMA)


def schema_errors(norm):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(norm)]


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_data_validates_against_schema():
    assert schema_errors(DATA) == []


@pytest.mark.parametrize("apply", SCHEMA_MUTATIONS)
def test_schema_rejects_mutation(apply):
    assert schema_errors(mutate(apply)), "the schema accepted a broken copy"


# ---------------------------------------------------------------------------------------
# Tests: structure
# ---------------------------------------------------------------------------------------

def test_structure():
    assert structure_errors(DATA) == []


def test_groups_follow_R22():
    assert group_errors(DATA) == []


def test_group_names_are_those_of_clause_1_9():
    clause = ws(next(line for line in DOC_TEXT.split("\n") if line.startswith("1.9 ")))
    for name in DATA["groups"].values():
        assert name.lower() in clause


@pytest.mark.parametrize("apply", STRUCTURE_MUTATIONS)
def test_structure_rejects_mutation(apply):
    assert structure_errors(mutate(apply)), "the structural checks accepted a broken copy"


# ---------------------------------------------------------------------------------------
# Tests: transcription against the document
# ---------------------------------------------------------------------------------------

def test_document_copy_is_pinned():
    assert hashlib.sha256(DOC_PATH.read_bytes()).hexdigest() == DOC_SHA256


def test_parser_finds_the_document_structure():
    assert list(DOC.sections) == [f"3.1.{n}" for n in range(1, 19)]
    assert list(DOC.clauses) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.6a"]
    for number, section in DOC.sections.items():
        assert section.table_numbers == [number]
        for table in section.tables:
            width = len(table.columns) if table.columns else len(table.caption) - 1
            for label, cells in table.rows:
                assert len(cells) == width, (number, label, cells)


def test_functions_are_the_documents():
    """Every 3.1.N section is a function, every clause 3.2–3.6a holds at least one."""
    ids = [f["id"] for f in DATA["functions"]]
    assert [i for i in ids if i.startswith("3.1.")] == list(DOC.sections)
    clauses = {re.match(r"3\.\d+a?", i).group(0) for i in ids if not i.startswith("3.1.")}
    assert clauses == set(DOC.clauses) - {"3.1"}


def test_edition():
    edition, text = DATA["edition"], ws(DOC_TEXT)
    title = re.search(r"\*\*(Нормативы численности работников.*?)\*\*", DOC_TEXT, re.S).group(1)
    assert edition["title"] == ws(title)
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]
    approved = re.search(r"от «(\d+)» (\w+) (\d{4}) года № ([\w-]+)", text)
    extended = re.search(r"от (\d+) (\w+) (\d{4}) года № (\d+)", text)
    for key, m in (("order", approved), ("extended", extended)):
        day, month, year, number = m.groups()
        assert f"{int(day):02d}.{months.index(month) + 1:02d}.{year} № {number}" in edition[key]
    # the id is the order number transliterated ("1-нт" → "1-nt") and the year
    assert edition["id"] == approved.group(4).replace("нт", "nt") + "-" + approved.group(3)


@pytest.mark.parametrize("key", list(DATA["tables"]))
def test_transcription(key):
    assert transcription_errors(DATA, key) == []


def test_functions_match_document():
    assert function_errors(DATA) == []


@pytest.mark.parametrize("apply", TRANSCRIPTION_MUTATIONS)
def test_transcription_check_catches_mutation(apply):
    norm = mutate(apply)
    assert all_transcription_errors(norm) + function_errors(norm), "a typo passed the transcription check"


# --- the binding of scenario fields to the norm (engine.norm) ---------------------------------

def test_binding_covers_every_field():
    from engine.norm import binding_problems
    assert binding_problems() == []


def test_binding_check_catches_an_unknown_factor_and_an_unread_field(monkeypatch):
    from engine import norm
    real = norm.bindings()
    monkeypatch.setattr(norm, "bindings", lambda: tuple(
        ("it.printers", c, i) if p == "it.servers" else (p, c, i) for p, c, i in real))
    assert norm.binding_problems() == [
        "factor 'it.printers' of 3.1.10 is no scenario field",
        "field 'it.servers' is read by no clause"]


def test_clause_labels_and_consumer_list_come_from_the_binding():
    from engine.norm import clauses_of_field, clauses_of_fields, consumer_fields
    labels = clauses_of_field()
    assert labels["name"] == "" and labels["households_city.multi_storey"] == "3.1.1"
    assert labels["it.servers"] == "3.1.10, 1.1" and labels["it.mail_users"] == "3.1.10, 1.5"
    assert labels["own_delivery"] == "3.1.3–3.1.7" and labels["city_only"] == "3.1.11–3.1.16"
    assert clauses_of_fields(["has_copiers", "cleaners", "metering_staff"]) == "3.2, 3.4, 3.6"
    assert consumer_fields() == (  # R14: rural households once
        "households_city.multi_storey", "households_city.individual",
        "households_rural.households", "non_industrial_city.consumers",
        "non_industrial_rural.consumers", "industrial_over_750.consumers",
        "industrial_upto_750.consumers", "agricultural.consumers")
