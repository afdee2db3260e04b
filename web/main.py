"""The page's Python side, run by PyScript on the main thread: the engine and the link codec
behind functions that web/js/bridge.js calls with, and gets back, JSON text (plain strings
cross the JS/Python border with no proxies to manage). Every answer speaks the page's
language (`lang` of the form): each problem has its `text`, a result comes with `texts`,
its trace and warnings rendered from the engine's catalog of that language."""

import json
import re
import traceback

import js
from pyodide.ffi import create_proxy, to_js

import engine
from engine import analysis, export, link
from engine.scenario import KIND, problem
from engine.trace import LANGUAGES, problem_text, texts


def calculate(form_json):
    """Form inputs {field path: text} → {problems, result, texts, fragment, comparison};
    all but problems only when the inputs are valid. Any other exception → {error} (see
    `answer`)."""
    return answer(_calculate, form_json)


def _calculate(form_json):
    values = json.loads(form_json)
    lang = language(values)
    scenario, page, problems = read_form(values)
    if problems:
        return {"problems": spoken(problems, lang)}
    try:
        result = engine.compute(scenario)
    except engine.ScenarioError as error:
        return {"problems": spoken(error.problems, lang)}
    return {"problems": [], "result": result, "texts": texts(result, lang),
            "fragment": link.encode(scenario, page),
            "comparison": analysis.compare(result, page.get("actual", {}))}


def link_problems(request_json):
    """{fragment, lang} → {problems}: what is wrong with the link the page was opened with."""
    def problems(request):
        return {"problems": spoken(link.decode_page(request["fragment"])[2], language(request))}
    return answer(lambda text: problems(json.loads(text)), request_json)


def language(values):
    """The page's language (a form value or request field; Russian when absent or unknown)."""
    return values.get("lang") if values.get("lang") in LANGUAGES else LANGUAGES[0]


def spoken(problems, lang):
    """Problems with their `text` in the page's language beside the Russian `message`."""
    return [{**p, "text": problem_text(p, lang)} for p in problems]


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
        problems += [problem(path, "comma_group")
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
       "exportFile": create_proxy(export_file)}
js.window.keaEngine = to_js(api, dict_converter=js.Object.fromEntries)
js.window.dispatchEvent(js.Event.new("kea:engine-ready"))
