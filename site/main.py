"""The page's Python side, run by PyScript on the main thread: the engine and the link codec
behind two functions that site/app.js calls with, and gets back, JSON text (plain strings
cross the JS/Python border with no proxies to manage)."""

import json

import js
from pyodide.ffi import create_proxy, to_js

import engine
from engine import link


def calculate(form_json):
    """Form inputs {field path: text} → {problems, result, fragment}; result and fragment
    only when the inputs are valid."""
    scenario, problems = link.from_form(json.loads(form_json))
    if problems:
        return json.dumps({"problems": problems})
    try:
        result = engine.compute(scenario)
    except engine.ScenarioError as error:
        return json.dumps({"problems": error.problems})
    return json.dumps({"problems": [], "result": result, "fragment": link.encode(scenario)})


def link_problems(fragment):
    """What is wrong with the link the page was opened with."""
    return json.dumps(link.decode(fragment)[1])


api = {"calculate": create_proxy(calculate), "linkProblems": create_proxy(link_problems)}
js.window.keaEngine = to_js(api, dict_converter=js.Object.fromEntries)
js.window.dispatchEvent(js.Event.new("kea:engine-ready"))
