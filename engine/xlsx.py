"""The XLSX download of a calculation (engine.export's rows, one sheet per table) and reading
one back. The same in CPython and in the page; docs/EXPORTS.md has the sheets and columns.

XlsxWriter writes, openpyxl reads. Both are imported on first use, never at import time: the
engine computes with the standard library only. The page loads their pinned wheels from its
own origin when an export or an import first needs them (`missing`, web/js/bridge.js
callLoading, web/python.mjs loadWheels); CPython has them from requirements-test.txt."""

import datetime
import importlib.util
import io

from .export import (
    UnreadableFile, alternative_rows, comparison_rows, fragment_of_link, function_rows,
    info_rows, input_rows, threshold_rows, total_rows,
)

# {wheel (requirements-web.txt): its module}: what to_xlsx and fragment_of_xlsx import
WRITE_WHEELS = {"xlsxwriter": "xlsxwriter"}
READ_WHEELS = {"openpyxl": "openpyxl", "et-xmlfile": "et_xmlfile"}
LINK_NAME = "kea_link"  # the workbook's defined name of the link cell: what is read back
SHEET_NAME_MAX = 31  # Excel's limit
PEOPLE = "0.00"  # a headcount: exact in the cell, shown with 2 decimals
WHOLE = "0"
SIGNED = "+0.00;-0.00;0.00"
PERCENT = "+0.0%;-0.0%;0.0%"
DATE_FORMAT = {"en": "yyyy-mm-dd"}  # ru, kk: dd.mm.yyyy
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def missing(wheels):
    """The wheels of WRITE_WHEELS or READ_WHEELS whose module cannot be imported yet."""
    return [wheel for wheel, module in wheels.items() if importlib.util.find_spec(module) is None]


def to_xlsx(calc):
    """The workbook's bytes: sheets calculation (organization, date, link, editions, readings,
    inputs with their labels), functions, totals (total, groups, P), comparison with the
    actual headcount, alternatives, thresholds — headings in the page's language."""
    import xlsxwriter  # noqa: PLC0415 — on first use (see the module's docstring)

    buffer = io.BytesIO()
    # no text is ever taken for a number, a formula or a URL: a name stays what was typed
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    if calc.date:  # the file's own dates follow the export's, not the clock
        moment = datetime.datetime.fromisoformat(calc.date)
        book.set_properties({"created": moment, "title": calc.scenario.get("name", "")})
    Writer(book, calc).write()
    book.close()
    return buffer.getvalue()


class Writer:
    """One workbook being written: its formats and one method per sheet."""

    def __init__(self, book, calc):
        self.book, self.calc, self.labels = book, calc, calc.labels
        self.bold = book.add_format({"bold": True})
        self.heading = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.top = book.add_format({"valign": "top"})
        self.formats = {style: book.add_format({"num_format": style, "valign": "top"})
                        for style in (PEOPLE, WHOLE, SIGNED, PERCENT)}
        self.date = book.add_format({"num_format": DATE_FORMAT.get(calc.catalog["lang"], "dd.mm.yyyy"),
                                     "align": "left"})

    def write(self):
        self.calculation()
        self.functions()
        self.totals()
        self.comparison()
        self.alternatives()
        self.thresholds()

    def sheet(self, key, widths):
        sheet = self.book.add_worksheet(self.labels[key][:SHEET_NAME_MAX])
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        return sheet

    def table(self, sheet, row, headings, rows, styles):
        """A header row and the rows below it; styles: a number format (or None) per column.
        → the next free row."""
        for column, text in enumerate(headings):
            sheet.write_string(row, column, text, self.heading)
        for values in rows:
            row += 1
            for column, (value, style) in enumerate(zip(values, styles)):
                self.cell(sheet, row, column, value, style)
        return row + 1

    def cell(self, sheet, row, column, value, style=None):
        if value is None:
            sheet.write_blank(row, column, None, self.top)
        elif isinstance(value, bool):
            sheet.write_string(row, column, self.labels["yes" if value else "no"], self.top)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, column, value, self.formats.get(style, self.top))
        elif isinstance(value, list):
            sheet.write_string(row, column, "\n".join(value), self.wrap)
        else:
            sheet.write_string(row, column, str(value), self.wrap if style == "wrap" else self.top)

    def calculation(self):
        sheet = self.sheet("calculation", (34, 60, 14))
        sheet.write_string(0, 0, self.calc.catalog["page"]["heading"], self.bold)
        row = 2
        for key, label, value in info_rows(self.calc):
            sheet.write_string(row, 0, label, self.bold)
            if key == "date" and value:
                sheet.write_datetime(row, 1, datetime.datetime.fromisoformat(value), self.date)
            else:
                self.cell(sheet, row, 1, value, "wrap")
            if key == "link":
                self.book.define_name(LINK_NAME, f"={quoted(sheet.name)}!$B${row + 1}")
            row += 1
        sheet.write_string(row + 1, 0, self.labels["inputs"], self.bold)
        headings = (self.labels["col_field"], self.labels["col_label"], self.labels["col_value"])
        self.table(sheet, row + 2, headings, input_rows(self.calc), (None, "wrap", None))

    def functions(self):
        sheet = self.sheet("functions", (12, 60, 28, 12, 70, 50))
        results = self.calc.catalog["results"]
        headings = (results["col_clause"], results["col_function"], results["col_group"],
                    self.labels["col_people"], results["trace"], self.labels["col_warnings"])
        rows = function_rows(self.calc)
        self.table(sheet, 0, headings, rows, (None, "wrap", "wrap", PEOPLE, None, None))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(headings) - 1)

    def totals(self):
        sheet = self.sheet("totals", (60, 14))
        self.table(sheet, 0, (self.labels["col_indicator"], self.labels["col_people"]), (), ())
        for row, (label, value, whole) in enumerate(total_rows(self.calc), 1):
            sheet.write_string(row, 0, label, self.wrap)
            # the rounded total (cl. 1.8) is a whole number
            sheet.write_number(row, 1, value, self.formats[WHOLE if whole else PEOPLE])

    def comparison(self):
        sheet = self.sheet("comparison", (40, 12, 12, 16, 16))
        results = self.calc.catalog["results"]
        headings = (results["col_group"], results["col_actual"], results["col_normative"],
                    results["col_difference"], results["col_percent"])
        rows = [(group, actual, normative, difference, None if percent is None else percent / 100)
                for group, actual, normative, difference, percent in comparison_rows(self.calc)]
        end = self.table(sheet, 0, headings, rows, ("wrap", PEOPLE, PEOPLE, SIGNED, PERCENT))
        if not rows:
            sheet.write_string(end, 0, self.labels["no_actual"])

    def alternatives(self):
        sheet = self.sheet("alternatives", (10, 70, 12, 14, 14))
        labels = self.labels
        headings = (labels["col_ruling"], labels["col_reading"], labels["col_total"],
                    labels["col_total_exact"], labels["col_delta"])
        rows = alternative_rows(self.calc)
        end = self.table(sheet, 0, headings, rows, (None, "wrap", WHOLE, PEOPLE, SIGNED))
        if not rows:
            sheet.write_string(end, 0, self.calc.catalog["readings"]["alternatives_none"])

    def thresholds(self):
        sheet = self.sheet("thresholds", (36, 14, 14, 14, 16, 40))
        labels = self.labels
        headings = (labels["col_factor"], labels["col_value"], labels["col_next_edge"],
                    labels["col_distance"], labels["col_total_exact_there"], labels["col_steps"])
        self.table(sheet, 0, headings, threshold_rows(self.calc),
                   ("wrap", PEOPLE, PEOPLE, PEOPLE, PEOPLE, "wrap"))


def quoted(sheet_name):
    """A sheet's name as a formula refers to it: in quotes, a quote doubled."""
    return "'" + sheet_name.replace("'", "''") + "'"


def fragment_of_xlsx(data):
    """The link fragment of our XLSX download: the text of its link cell (the defined name
    LINK_NAME), read with openpyxl. Raises UnreadableFile for any other file."""
    import openpyxl  # noqa: PLC0415 — on first use (see the module's docstring)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    # a damaged or foreign file can fail anywhere in the zip and XML readers: every failure
    # of reading it means the same thing to the visitor
    except Exception:  # noqa: BLE001
        raise UnreadableFile("not an XLSX workbook") from None
    defined = book.defined_names.get(LINK_NAME)
    if defined is None:
        raise UnreadableFile("no link cell")
    for sheet, cell in defined.destinations:
        if sheet in book.sheetnames:
            return fragment_of_link(book[sheet][cell.replace("$", "")].value)
    raise UnreadableFile("no link cell")
