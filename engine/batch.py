"""Batch: many organizations at once — the association's table of its members (issue 14).

A table (CSV or XLSX) has one organization per row; its first row is the header, each cell a
SCENARIO.md field path (`households_city.multi_storey`, `it.servers`, …, `readings.R12`) or
`v` (also `version`: the scenario version, the current one when absent; `ed` too, as in a
link). A second header row of labels, as in our template, is skipped (`is_label_row`).
Each cell is read exactly as the same text in a link or the form (engine.link: decimal
comma, spaces between thousands, flags 1/0), so a row means what its link means.

Each row is validated and computed (engine.compute's numbers, without what is computed
around them: no trace, no alternatives; its warnings kept); a bad row gets its problems,
each naming its field, and the other rows still compute. The answer is one output row per
organization, columns COLUMNS; its warnings and problems are written in a page language
(engine/messages, batch.* and problem.*). Reading CSV and computing need only the standard library;
XLSX goes through openpyxl/XlsxWriter imported on first use (engine/xlsx.py)."""

import csv
import io
import math

from . import link
from .compute import evaluate
from .export import CSV_SIGNS_OTHER, _plain_text, csv_number, csv_signs
from .norm import load_norm
from .scenario import FIELDS, KIND, ScenarioError, normalize, problem
from .trace import LANGUAGE, MessageError, render
from .trace import problem_text as problem_message

FUNCTION_IDS = tuple(f["id"] for f in load_norm()["functions"])
GROUPS = tuple(load_norm()["groups"])
COLUMNS = ("row", "name", "total", "total_exact", "production_base", *GROUPS, *FUNCTION_IDS,
           "warnings", "errors")
HEADER_ALIASES = {"version": "v"}  # the JSON field's name is accepted for the link's key
TEMPLATE_KEYS = ("v", *(path for path, _ in FIELDS))
MAX_ROWS = 10_000  # organizations in one file; the association has a few hundred
MAX_BYTES = 20_000_000  # a 10 000-row XLSX is ~3 MB
ZIP = b"PK\x03\x04"  # an XLSX is a zip
# a flag as Excel writes a boolean (en, ru, kk) or as people write yes and no
FLAG_WORDS = {"true": "1", "false": "0", "истина": "1", "ложь": "0", "ақиқат": "1", "жалған": "0",
              "yes": "1", "no": "0", "да": "1", "нет": "0", "иә": "1", "жоқ": "0"}


class BatchError(MessageError):
    """The file as a whole cannot be read as a table of organizations (a batch.* message)."""


# --- Reading the table -------------------------------------------------------------------

def read_table(data):
    """bytes of a CSV or XLSX file → rows of cells, each cell a str."""
    if len(data) > MAX_BYTES:
        raise BatchError("batch.too_big", max=MAX_BYTES)
    return read_xlsx(data) if data.startswith(ZIP) else read_csv(data)


def read_csv(data):
    """CSV in UTF-8 (with or without BOM) or, as Russian Excel saves it, Windows-1251. The
    separator is the one of ";", "," and tab that the header line has most of: a field path
    holds none of them, so the header tells (csv.Sniffer guesses from the values and takes
    a decimal comma for a separator)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    first = text.split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=first.count) if any(c in first for c in ";,\t") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise BatchError("batch.not_csv", error=str(error)) from None


def read_xlsx(data):
    """The first sheet of an XLSX workbook, each cell as the text a link would have."""
    try:
        import openpyxl  # noqa: PLC0415 — on first use: computing needs no spreadsheet library
    except ImportError:
        raise BatchError("batch.needs_openpyxl") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[cell_text(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    # a damaged or foreign file fails anywhere in the zip and XML readers: all mean the same
    except Exception:  # noqa: BLE001
        raise BatchError("batch.not_xlsx") from None
    return rows


def cell_text(value):
    """A spreadsheet value as text: a whole float without ".0", a flag as 1/0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def organizations(table):
    """[(row number in the sheet, [(key, text)], [column number of a value without a header])]
    of a table: the header's keys, the label row and empty rows skipped, a cell left empty
    left out (the field's default)."""
    rows = [(number, row) for number, row in enumerate(table, 1)]
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise BatchError("batch.empty")
    header = [HEADER_ALIASES.get(key.strip(), key.strip()) for key in rows[0][1]]
    if not any(key in KIND or key == "v" for key in header):
        raise BatchError("batch.no_fields")
    body = rows[1:]
    if body and is_label_row(header, body[0][1]):
        body = body[1:]
    found = []
    for number, row in body:
        if not any(cell.strip() for cell in row):
            continue
        stray = [column for column, text in enumerate(row[len(header):], len(header) + 1) if text.strip()]
        found.append((number, [(key, text) for key, text in zip(header, row) if text.strip()], stray))
        if len(found) > MAX_ROWS:
            raise BatchError("batch.too_many", max=MAX_ROWS)
    return found


def is_label_row(header, row):
    """Our template's second row: under every field but the label `name` a text that is no
    value of the field (a label, never empty). A data row always has a value or a blank."""
    cells = [(key, text) for key, text in zip(header, row) if key != "name"]
    return bool(cells) and all(text.strip() and link.read([(key, text)])[1] for key, text in cells)


# --- Computing ------------------------------------------------------------------------------

def compute_row(number, pairs, stray):
    """One output row {column: value}: the numbers (None for a bad row), the warnings and
    the problems as lists of the engine's dicts, and the normalized scenario `flat` (valid
    rows: for its link, engine.link.encode_flat)."""
    pairs = [(key, FLAG_WORDS.get(text.strip().lower(), text) if KIND.get(key) == "flag" else text)
             for key, text in pairs]
    scenario, problems = link.read(pairs)
    problems += [problem("", "no_header", column=column) for column in stray]
    row = {"row": number, "name": dict(pairs).get("name", ""), **dict.fromkeys(COLUMNS[2:-2]),
           "warnings": [], "errors": problems}
    if problems:
        return row
    try:
        flat = normalize(scenario)
    except ScenarioError as error:
        return {**row, "errors": error.problems}
    result, _ = evaluate(flat, traced=False, warned=True)
    row.update(total=result["total"], total_exact=result["total_exact"],
               production_base=result["production_base"], **result["groups"],
               **{f["id"]: f["value"] for f in result["functions"]},
               warnings=result["warnings"], flat=flat)
    return row


def run(table):
    """Every organization of a table (read_table's rows) → its output row."""
    return [compute_row(*organization) for organization in organizations(table)]


# --- Writing the results --------------------------------------------------------------------

def problem_text(item, lang=LANGUAGE):
    """A row's problem in `lang`, naming its field (or the row, for a problem of the row)."""
    return f"{item['field'] or render('batch.row_field', {}, lang)}: {problem_message(item, lang)}"


def warning_text(item, lang=LANGUAGE):
    return f"{item['id']} ({item['ruling']}): {render(item['key'], item['params'], lang)}"


def output_cells(row, lang=LANGUAGE, problem_text=problem_text):
    """The values of COLUMNS for one output row (None where a bad row has no number), its
    warnings and problems in `lang` (problem_text(item, lang): the page adds field labels)."""
    texts = {"warnings": " | ".join(warning_text(item, lang) for item in row["warnings"]),
             "errors": " | ".join(problem_text(item, lang) for item in row["errors"])}
    return [texts[column] if column in texts else row.get(column) for column in COLUMNS]


def to_csv(rows, lang=LANGUAGE, signs=CSV_SIGNS_OTHER, **texts):
    """CSV of the results: COLUMNS as the header; signs (separator, decimal sign): "," and "."
    unless given (the ru and kk pages: export.csv_signs); numbers to at most 6 decimals;
    texts in `lang` (output_cells)."""
    separator, decimal = signs
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_csv_cell(value, decimal) for value in output_cells(row, lang, **texts))
    return out.getvalue()


def _csv_cell(value, decimal):
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return csv_number(value, decimal)
    return _plain_text(value)


def to_xlsx(rows, lang=LANGUAGE, **texts):
    """XLSX of the results: one sheet, COLUMNS as the header, numbers as numbers (2 decimals
    shown, exact in the cell; the rounded total whole)."""
    def write(book, sheet):
        people = book.add_format({"num_format": "0.00"})
        for r, row in enumerate(rows, 1):
            for c, (column, value) in enumerate(zip(COLUMNS, output_cells(row, lang, **texts))):
                if isinstance(value, (int, float)):
                    sheet.write_number(r, c, value, None if column in ("row", "total") else people)
                elif value:
                    sheet.write_string(r, c, value)
        sheet.freeze_panes(1, 2)
    return _workbook("results", [list(COLUMNS)], write)


def template_rows(labels):
    """The template: the header (v and every field path) and a row of their labels
    (labels: {key: text in the page's language})."""
    return [list(TEMPLATE_KEYS), [labels.get(key, key) for key in TEMPLATE_KEYS]]


def template_csv(labels, lang="en"):
    out = io.StringIO()
    csv.writer(out, delimiter=csv_signs(lang)[0],
               lineterminator="\r\n").writerows(template_rows(labels))
    return out.getvalue()


def template_xlsx(labels):
    return _workbook("organizations", template_rows(labels), lambda book, sheet: sheet.freeze_panes(2, 0))


def _workbook(name, heading_rows, write):
    """An XLSX with one sheet: the heading rows in bold (as text: a path is never a number
    or a formula), then whatever write(book, sheet) adds."""
    import xlsxwriter  # noqa: PLC0415 — on first use (see the module's docstring)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    for r, cells in enumerate(heading_rows):
        for c, text in enumerate(cells):
            sheet.write_string(r, c, text, bold)
    sheet.set_column(0, len(heading_rows[0]) - 1, 14)
    write(book, sheet)
    book.close()
    return buffer.getvalue()

