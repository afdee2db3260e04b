"""The page's Python side, run by PyScript on the main thread: the engine and the link codec
behind two functions that web/js/bridge.js calls with, and gets back, JSON text (plain strings
cross the JS/Python border with no proxies to manage)."""

import json
import re
import traceback

import js
from pyodide.ffi import create_proxy, to_js

import engine
from engine import analysis, export, link, sweep
from engine.scenario import KIND, problem


def calculate(form_json):
    """Form inputs {field path: text} → {problems, result, fragment}; result and fragment
    only when the inputs are valid. Any other exception → {error} (see `answer`)."""
    return answer(_calculate, form_json)


def _calculate(form_json):
    scenario, page, problems = read_form(json.loads(form_json))
    # a baseline's problems are the link notice's (link_problems); its readable part is kept
    problems = [item for item in problems if not item["field"].startswith(link.BASE)]
    if problems:
        return {"problems": problems}
    try:
        result = engine.compute(scenario)
    except engine.ScenarioError as error:
        return {"problems": error.problems}
    return {"problems": [], "result": result, "fragment": link.encode(scenario, page),
            "scenario_fragment": link.encode(scenario),
            "comparison": analysis.compare(result, page.get("actual", {})),
            "baseline": baseline_of(page, result)}


def baseline_of(page, result):
    """The pinned baseline beside the current result (engine.analysis.difference), or None."""
    if "baseline" not in page:
        return None
    baseline = engine.compute(page["baseline"])
    return {"name": page["baseline"].get("name", ""), "rulings_edition": baseline["rulings_edition"],
            "difference": analysis.difference(baseline, result)}


def link_problems(fragment):
    """{problems}: what is wrong with the link the page was opened with."""
    return answer(lambda text: {"problems": link.decode_page(text)[2]}, fragment)


# --- The page's settings (lang, actual.<group>) and the downloads ---------------------------

# On the English page "1,000" would be read as 1.0 (a comma is a decimal sign to the link
# reader): a comma followed by exactly three digits in a fractional field is refused there.
AMBIGUOUS_COMMA = re.compile(r"\d,\d{3}(?!\d)")
FRACTIONAL = {path for path, kind in KIND.items() if kind in ("amount", "percent")} | set(link.ACTUAL)
MIME = {"csv": "text/csv", "json": "application/json"}


def read_form(values):
    """(scenario, page settings, problems) from the form's inputs, with their language."""
    scenario, page, problems = link.from_page_form(values)
    if values.get("lang") == "en":
        problems += [problem(path, "comma_group", "запятая неоднозначна: 1000 или 1.5?")
                     for path, text in values.items()
                     if path in FRACTIONAL and AMBIGUOUS_COMMA.search(str(text))]
    return scenario, page, problems


def export_file(request_json):
    """{values, kind: csv|json, date: YYYY-MM-DD} → {problems, filename, mime, text}: the
    download, made by engine.export from the same inputs as the shown result."""
    return answer(_export_file, request_json)


def _export_file(request_json):
    request = json.loads(request_json)
    scenario, page, problems = read_form(request["values"])
    if problems:
        return {"problems": problems}
    result = engine.compute(scenario)
    actual = page.get("actual", {})
    kind = request["kind"]
    text = (export.to_csv(result, actual) if kind == "csv"
            else export.to_json(scenario, result, actual))
    return {"problems": [], "filename": export.file_name(scenario, request["date"], kind),
            "mime": MIME[kind], "text": text}


def sweep_total(request_json):
    """{values, field, upto: text} → {problems, sweep}: engine.sweep over the form's scenario
    (upto empty: its default range)."""
    return answer(_sweep_total, request_json)


def _sweep_total(request_json):
    request = json.loads(request_json)
    scenario, _, problems = read_form(request["values"])
    if [item for item in problems if not item["field"].startswith(link.BASE)]:
        return {"problems": problems}
    text = request.get("upto", "").strip()
    upto = link.read_amount(text) if text else None
    try:
        if isinstance(upto, str):
            raise ValueError(upto)
        return {"problems": [], "sweep": sweep.sweep(scenario, request["field"], upto)}
    except ValueError as error:
        return {"problems": [problem("sweep.upto", "range", str(error))]}


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
       "exportFile": create_proxy(export_file), "sweep": create_proxy(sweep_total)}
js.window.keaEngine = to_js(api, dict_converter=js.Object.fromEntries)
js.window.dispatchEvent(js.Event.new("kea:engine-ready"))
