"""Render the page: site/index.html with its {{placeholders}} filled from a translation
catalog, and the form generated from engine.scenario.FIELDS and site/layout.json, so that
input names are the engine's field paths and never drift. Standard library only."""

import html
import json
import re
from pathlib import Path

from engine.scenario import FIELDS, KIND, MAX_TEXT

SITE = Path(__file__).parent
INPUT_MODE = {"count": "numeric", "amount": "decimal", "percent": "decimal"}


def load_layout():
    """The sections of site/layout.json, checked to hold every scenario field exactly once."""
    sections = json.loads((SITE / "layout.json").read_text("utf-8"))["sections"]
    placed = [path for section in sections for path, _ in section["fields"]]
    expected = [path for path, _ in FIELDS]
    if sorted(placed) != sorted(expected):
        missing, extra = set(expected) - set(placed), set(placed) - set(expected)
        raise SystemExit(f"site/layout.json: missing {sorted(missing)}, unknown {sorted(extra)}, "
                         "or a field placed twice")
    return sections


def render_page(catalog, assets, pyscript_config):
    """index.html for one catalog. assets maps a site file name to its URL in dist."""
    template = (SITE / "index.html").read_text("utf-8")
    special = {
        "form": render_form(catalog),
        "catalog_json": json.dumps(catalog, ensure_ascii=False).replace("</", "<\\/"),
        "pyscript_config": html.escape(json.dumps(pyscript_config)),
    }

    def fill(match):
        key = match[1]
        if key in special:
            return special[key]
        if key.startswith("asset:"):
            return html.escape(assets[key[len("asset:"):]])
        return html.escape(_lookup(catalog, key))

    return re.sub(r"\{\{([\w.:]+)\}\}", fill, template)


def render_form(catalog):
    return "\n".join(_section(section, catalog) for section in load_layout())


def _lookup(catalog, key):
    value = catalog
    for part in key.split("."):
        value = value[part]  # a missing key fails the build: every string is in the catalog
    return value


def _section(section, catalog):
    title = html.escape(catalog["sections"][section["id"]])
    fields = "\n".join(_field(path, _clause(clause), catalog["fields"][path])
                       for path, clause in section["fields"])
    return (f'<fieldset class="section" id="section-{section["id"]}">\n'
            f'<legend>{_clause(section["clause"])}{title}</legend>\n{fields}\n</fieldset>')


def _clause(text):
    return f'<span class="clause">{html.escape(text)}</span> ' if text else ""


def _field(path, clause, text):
    kind = KIND[path]
    label = f'<label for="f-{path}">{clause}{html.escape(text["label"])}</label>'
    notes = (f'<p class="hint" id="h-{path}">{html.escape(text["hint"])}</p>\n'
             f'<p class="problem" id="p-{path}" hidden></p>')
    common = f'id="f-{path}" name="{path}" aria-describedby="h-{path} p-{path}"'
    if kind == "flag":
        return (f'<div class="field flag"><input type="checkbox" {common} value="1">'
                f"{label}\n{notes}</div>")
    if kind == "text":
        control = (f'<input type="text" {common} maxlength="{MAX_TEXT}" '
                   f'placeholder="{html.escape(text["placeholder"])}">')
    else:
        control = (f'<input type="text" {common} inputmode="{INPUT_MODE[kind]}" '
                   'placeholder="0" spellcheck="false">')
    return f'<div class="field {kind}">{label}\n{control}\n{notes}</div>'
