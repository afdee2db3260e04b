"""The trace: every step of a function's computation as a message key with its parameters
(numbers as numbers), rendered from the catalog of a language, engine/messages/<lang>.json
(Russian, the reference; Kazakh; English — the same keys and placeholders in each).

A step is {key, params, ruling} (and `clause` when it cites a clause of the norm, such as
cl. 1.4): the language-neutral record that any catalog renders. A parameter is a number
(written by `fmt`), a text (a label quoted from the norm: the catalogs put it in «…»), a
list of them, or a nested message {key, params}. Results keep their Russian `trace` and
`message` (SCENARIO.md); `texts` renders a result's steps and warnings in another language.
"""

import functools
import json
from importlib import resources

LANGUAGE = "ru"  # the language of `trace` and `message` in results
LANGUAGES = ("ru", "kk", "en")  # the page languages (engine.link, web); the first is the default


@functools.cache
def catalog(lang=LANGUAGE):
    """Message key → template with {placeholders} (engine/messages/<lang>.json)."""
    text = resources.files("engine").joinpath("messages", f"{lang}.json").read_text("utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=4096)  # a trace writes the same few numbers many times
def fmt(x, lang=LANGUAGE):
    """A number as the page of `lang` writes it: at most six decimals, no trailing zeros, the
    catalog's decimal sign and thousands separator (ru, kk: 30 000 with a narrow no-break
    space, 0,611111; en: 30,000, 0.611111)."""
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    signs = catalog(lang)
    return text.translate({ord(","): signs["number.group"], ord("."): signs["number.decimal"]})


def msg(key, **params):
    """A message as data, e.g. a parameter of another message."""
    return {"key": key, "params": params}


def render(key, params, lang=LANGUAGE):
    """The text of a message: its template with every parameter written out."""
    def text(value):
        kind = type(value)  # exact types: a bool is written as text, not as the number 1
        if kind is float or kind is int:
            return fmt(value, lang)
        if kind is dict:
            return render(value["key"], value["params"], lang)
        if kind is list:
            return ", ".join(text(v) for v in value)
        return str(value)
    return catalog(lang)[key].format_map({name: text(v) for name, v in params.items()})


def render_step(fid, step, lang=LANGUAGE):
    """A trace line: «<function id>: <text> (<clause>, <rulings>)»."""
    cited = [render("cite.clause", {"clause": step["clause"]}, lang)] if "clause" in step else []
    cited += [step["ruling"]] if step["ruling"] else []
    return f"{fid}: {render(step['key'], step['params'], lang)}" + (
        f" ({', '.join(cited)})" if cited else "")


def texts(result, lang):
    """A result's trace and warnings in `lang`: {"trace": {function id: [lines]},
    "warnings": [text of each warning, in the result's order]}."""
    return {"trace": {f["id"]: [render_step(f["id"], s, lang) for s in f["steps"]]
                      for f in result["functions"]},
            "warnings": [render(w["key"], w["params"], lang) for w in result["warnings"]]}


def problem_text(problem, lang):
    """A validation problem (engine.scenario.problem) in `lang`."""
    return render(problem["key"], problem["params"], lang)


class MessageError(Exception):
    """An error said by a message key and its parameters: str() is its Russian text,
    text(lang) the text in another language (the CLI's input.*, a batch file's batch.*)."""

    def __init__(self, message_key, /, **params):  # positional: a parameter may be called key
        super().__init__(render(message_key, params))
        self.key, self.params = message_key, params

    def text(self, lang=LANGUAGE):
        return render(self.key, self.params, lang)


class Log:
    """Steps, trace lines and warnings of one function (id as in SCENARIO.md)."""

    def __init__(self, fid, traced=True, warned=None):
        self.fid = fid
        self.traced = traced  # False: only the numbers are wanted (R25's other readings)
        self.warned = traced if warned is None else warned  # warnings without the trace (batch)
        self.steps = []
        self.warnings = []

    def step(self, key, params=None, *rulings, clause=None):
        if not self.traced:  # numbers only: an untraced pass keeps no steps (none reads them)
            return
        step = {"key": key, "params": params or {}, "ruling": ", ".join(rulings)}
        if clause:
            step["clause"] = clause
        self.steps.append(step)

    def warn(self, ruling, key, params=None):
        params = params or {}
        if self.warned:
            self.warnings.append(warning(self.fid, ruling, key, params))
        self.step("warning", {"message": msg(key, **params)}, ruling)

    def zero(self, why, ruling="R4"):
        """A function whose factor is 0 contributes 0, silently (R4). `why` is a key."""
        self.step("zero", {"why": msg(why)}, ruling)
        return 0.0


def warning(fid, ruling, key, params, **extra):
    """A warning of a result: {id, ruling, message, key, params} (message in Russian)."""
    return {"id": fid, "ruling": ruling, "message": render(key, params), "key": key,
            "params": params, **extra}
