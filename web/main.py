"""The page's Python side, run by PyScript on the main thread: the engine and the link codec
behind functions that web/js/bridge.js calls with, and gets back, JSON text (plain strings
cross the JS/Python border with no proxies to manage). Every answer speaks the page's
language (`lang` of the form): each problem has its `text`, a result comes with `texts`,
its trace and warnings rendered from the engine's catalog of that language."""

import base64
import functools
import gc
import json
import re
import traceback

import js
from pyodide.ffi import create_proxy, to_js

import engine
from engine import analysis, batch, export, link, sweep, xlsx
from engine.scenario import KIND, problem
from engine.trace import LANGUAGES, problem_text, render, texts


def calculate(form_json):
    """Form inputs {field path: text} → {problems, result, texts, fragment, comparison};
    all but problems only when the inputs are valid. Any other exception → {error} (see
    `answer`)."""
    return answer(_calculate, form_json)


def _calculate(form_json):
    values = json.loads(form_json)
    lang = language(values)
    scenario, page, problems = read_form(values)
    # a baseline's problems are the link notice's (link_problems); its readable part is kept
    problems = [item for item in problems if not item["field"].startswith(link.BASE)]
    if problems:
        return {"problems": spoken(problems, lang)}
    try:
        result = engine.compute(scenario, rendered=False)  # the steps are rendered in `lang`
    except engine.ScenarioError as error:
        return {"problems": spoken(error.problems, lang)}
    fragment = link.encode(scenario)
    return {"problems": [], "result": page_result(result), "texts": texts(result, lang),
            "fragment": link.with_page(fragment, page), "scenario_fragment": fragment,
            "comparison": analysis.compare(result, page.get("actual", {})),
            "baseline": baseline_of(page, result)}


def page_result(result):
    """The result as the page reads it: each function without its steps and Russian trace
    (the page shows `texts`, in its language) — a third of the JSON each edit carries."""
    return {**result, "functions": [{key: value for key, value in fn.items() if key not in ("steps", "trace")}
                                    for fn in result["functions"]]}


def baseline_of(page, result):
    """The pinned baseline beside the current result (engine.analysis.difference), or None."""
    if "baseline" not in page:
        return None
    baseline = engine.compute(page["baseline"])
    return {"name": page["baseline"].get("name", ""), "rulings_edition": baseline["rulings_edition"],
            "difference": analysis.difference(baseline, result)}


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
MIME = {"csv": "text/csv", "json": "application/json", "xlsx": xlsx.MIME}


def read_form(values):
    """(scenario, page settings, problems) from the form's inputs, with their language."""
    scenario, page, problems = link.from_page_form(values)
    if values.get("lang") == "en":
        problems += [problem(path, "comma_group")
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


# --- The batch page (batch.html, engine.batch, docs/BATCH.md) ------------------------------

def batch_run(request_json):
    """{name, base64: a CSV or XLSX file} → {rows}: per organization its row number, name,
    total, P, groups, warnings and errors as text in the page's language (each problem naming
    its field) and, when it computed, its link's fragment; or {unreadable: reason};
    {wheels} as export_file's for an XLSX."""
    return answer(_batch_run, request_json)


def _batch_run(request_json):
    data = base64.b64decode(json.loads(request_json)["base64"])
    if data.startswith(ZIP) and (missing := xlsx.missing(xlsx.READ_WHEELS)):
        return {"wheels": missing}
    lang = page_catalog()["lang"]
    try:
        rows = batch_rows(data)
    except batch.BatchError as error:
        return {"unreadable": error.text(lang)}
    shown = ("row", "name", "total", "total_exact", "production_base", *batch.GROUPS)
    return {"rows": [{**{key: row.get(key) for key in shown},
                      "warnings": [batch.warning_text(w, lang) for w in row["warnings"]],
                      "errors": [batch_problem_text(p, lang) for p in row["errors"]],
                      "fields": [p["field"] for p in row["errors"]],
                      "fragment": link.encode_flat(row["flat"], {"lang": lang}) if "flat" in row else None}
                     for row in rows]}


@functools.lru_cache(maxsize=1)
def batch_rows(data):
    """engine.batch's rows of a file: the page asks again for its downloads."""
    return batch.run(batch.read_table(data))


def batch_file(request_json):
    """{base64, kind: csv|xlsx, date} → the download of the results ({filename, mime, text |
    base64}); {kind, template: true} → the template in the page's language; {wheels} as
    export_file's; {unreadable} as batch_run's."""
    return answer(_batch_file, request_json)


def _batch_file(request_json):
    request = json.loads(request_json)
    kind, catalog = request["kind"], page_catalog()
    lang = catalog["lang"]
    if kind == "xlsx" and (missing := xlsx.missing(xlsx.WRITE_WHEELS)):
        return {"wheels": missing}
    if request.get("template"):
        labels = {"v": catalog["batch"]["version_label"],
                  **{path: text["label"] for path, text in catalog["fields"].items()}}
        content = (batch.template_xlsx(labels) if kind == "xlsx"
                   else batch.template_csv(labels, lang))
        return file_answer(f"kea-1nt-batch-template-{lang}", kind, content)
    try:
        rows = batch_rows(base64.b64decode(request["base64"]))
    except batch.BatchError as error:
        return {"unreadable": error.text(lang)}
    content = (batch.to_xlsx(rows, lang, problem_text=batch_problem_text) if kind == "xlsx"
               else batch.to_csv(rows, lang, export.csv_signs(lang),
                                 problem_text=batch_problem_text))
    return file_answer(f"kea-1nt-batch_{request['date']}", kind, content)


def file_answer(stem, kind, content):
    """A download for web/js/files.js: text (CSV) or bytes as base64 (XLSX)."""
    name = {"filename": f"{stem}.{kind}", "mime": MIME[kind]}
    if isinstance(content, bytes):
        return {**name, "base64": base64.b64encode(content).decode("ascii")}
    return {**name, "text": content}


def batch_problem_text(item, lang):
    """A row's problem in the page's language (lang): the field path (and its label), then
    what is wrong (the page catalog's text for its code, as the form says it; the engine's
    text in `lang` where the page has none)."""
    catalog, path = page_catalog(), item["field"]
    template = catalog["problems"].get(item["code"])
    expected = catalog["expected"].get(KIND.get(path, ""), "")
    text = template.replace("{expected}", expected) if template else problem_text(item, lang)
    label = catalog["fields"].get(path, {}).get("label")
    return f"{path} ({label}): {text}" if label else f"{path or render('batch.row_field', {}, lang)}: {text}"


@functools.cache
def page_catalog():
    """The page's own catalog (its language's web/i18n/<lang>.json, embedded by the build)."""
    return json.loads(js.document.getElementById("catalog").textContent)


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
    except ValueError:
        return {"problems": [problem("sweep.upto", "range")]}  # the page says it (charts.bad_upto)


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
       "exportFile": create_proxy(export_file), "openFile": create_proxy(open_file),
       "batchRun": create_proxy(batch_run), "batchFile": create_proxy(batch_file),
       "sweep": create_proxy(sweep_total)}
js.window.keaEngine = to_js(api, dict_converter=js.Object.fromEntries)
# The modules and norm data loaded so far live as long as the page: left out of the cyclic
# collector's rounds, a full round during an edit no longer walks them all.
gc.freeze()
js.window.dispatchEvent(js.Event.new("kea:engine-ready"))
