"""The page's Python side, run by PyScript on the main thread: the engine and the link codec
behind two functions that web/js/bridge.js calls with, and gets back, JSON text (plain strings
cross the JS/Python border with no proxies to manage)."""

import base64
import functools
import json
import re
import traceback

import js
from pyodide.ffi import create_proxy, to_js

import engine
from engine import analysis, export, link, xlsx
from engine.scenario import KIND, problem


def calculate(form_json):
    """Form inputs {field path: text} → {problems, result, fragment}; result and fragment
    only when the inputs are valid. Any other exception → {error} (see `answer`)."""
    return answer(_calculate, form_json)


def _calculate(form_json):
    scenario, page, problems = read_form(json.loads(form_json))
    if problems:
        return {"problems": problems}
    try:
        result = engine.compute(scenario)
    except engine.ScenarioError as error:
        return {"problems": error.problems}
    return {"problems": [], "result": result, "fragment": link.encode(scenario, page),
            "comparison": analysis.compare(result, page.get("actual", {}))}


def link_problems(fragment):
    """{problems}: what is wrong with the link the page was opened with."""
    return answer(lambda text: {"problems": link.decode_page(text)[2]}, fragment)


# --- The page's settings (lang, actual.<group>) and the downloads ---------------------------

# On the English page "1,000" would be read as 1.0 (a comma is a decimal sign to the link
# reader): a comma followed by exactly three digits in a fractional field is refused there.
AMBIGUOUS_COMMA = re.compile(r"\d,\d{3}(?!\d)")
FRACTIONAL = {path for path, kind in KIND.items() if kind in ("amount", "percent")} | set(link.ACTUAL)
MIME = {"csv": "text/csv", "json": "application/json", "xlsx": xlsx.MIME}


def read_form(values):
    """(scenario, page settings, problems) from the form's inputs, with their language."""
    scenario, page, problems = link.from_page_form(values)
    if values.get("lang") == "en":
        problems += [problem(path, "comma_group", "запятая неоднозначна: 1000 или 1.5?")
                     for path, text in values.items()
                     if path in FRACTIONAL and AMBIGUOUS_COMMA.search(str(text))]
    return scenario, page, problems


def export_file(request_json):
    """{values, kind: csv|json|xlsx, date: YYYY-MM-DD, address: the page's URL without its
    fragment} → {problems, filename, mime, text | base64}: the download, made by
    engine.export / engine.xlsx from the same inputs as the shown result, headed in the
    page's language. For xlsx, until its wheels are in Python: {wheels: [names]} (web/js/bridge.js
    callLoading loads them and asks again)."""
    return answer(_export_file, request_json)


def _export_file(request_json):
    request = json.loads(request_json)
    scenario, page, problems = read_form(request["values"])
    if problems:
        return {"problems": problems}
    result = engine.compute(scenario)
    kind = request["kind"]
    if kind == "xlsx" and (missing := xlsx.missing(xlsx.WRITE_WHEELS)):
        return {"wheels": missing}
    download = {"problems": [], "filename": export.file_name(scenario, request["date"], kind),
                "mime": MIME[kind]}
    if kind == "json":
        return {**download, "text": export.to_json(scenario, result, page.get("actual", {}))}
    calc = export.Calculation(scenario, result, page_catalog(), page.get("actual", {}),
                              request["date"], request["address"])
    if kind == "csv":
        return {**download, "text": export.to_csv(calc)}
    return {**download, "base64": base64.b64encode(xlsx.to_xlsx(calc)).decode("ascii")}


def open_file(request_json):
    """{name, base64: the file's bytes} → {fragment} of the calculation our JSON or XLSX
    download holds (the page then opens it as a link, with a link's checks), or
    {unreadable: true} for any other file; {wheels} as export_file's for an XLSX."""
    return answer(_open_file, request_json)


def _open_file(request_json):
    data = base64.b64decode(json.loads(request_json)["base64"])
    workbook = data.startswith(ZIP)
    if workbook and (missing := xlsx.missing(xlsx.READ_WHEELS)):
        return {"wheels": missing}
    try:
        fragment = (xlsx.fragment_of_xlsx(data) if workbook
                    else export.fragment_of_json(data.decode("utf-8-sig")))
    except (export.UnreadableFile, UnicodeDecodeError):
        return {"unreadable": True}
    return {"fragment": fragment}


ZIP = b"PK\x03\x04"  # an XLSX is a zip; anything else is read as JSON


@functools.cache
def page_catalog():
    """The page's own catalog (its language's web/i18n/<lang>.json, embedded by the build)."""
    return json.loads(js.document.getElementById("catalog").textContent)


def answer(function, argument):
    """function(argument) as JSON text. An exception is a bug, never bad input (that comes
    back as problems): it is returned as {error: {type, message, traceback}}, which the page
    shows as a report to copy, and the page keeps working."""
    try:
        return json.dumps(function(argument), allow_nan=False)
    except Exception as error:  # noqa: BLE001 — every bug is reported, none escapes to JS
        return json.dumps({"error": {"type": type(error).__name__, "message": str(error),
                                     "traceback": traceback.format_exc()}})


api = {"calculate": create_proxy(calculate), "linkProblems": create_proxy(link_problems),
       "exportFile": create_proxy(export_file), "openFile": create_proxy(open_file)}
js.window.keaEngine = to_js(api, dict_converter=js.Object.fromEntries)
js.window.dispatchEvent(js.Event.new("kea:engine-ready"))
