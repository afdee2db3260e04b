"""Render the page: web/index.html with its {{placeholders}} filled (web/template.py) from
a translation catalog, and the form generated from engine.scenario.FIELDS and
web/layout.json, so that input names are the engine's field paths and never drift."""

import hashlib
import html
import json
from pathlib import Path

from engine.link import ACTUAL_GROUPS, LANGUAGES, MAX_LINK
from engine.norm import clauses_of_field, clauses_of_fields
from engine.readings import VARIANTS
from engine.scenario import FIELDS, KIND, MAX_TEXT, VERSION, VERSIONS
from web.template import fill

SITE = Path(__file__).parent
INPUT_MODE = {"count": "numeric", "amount": "decimal", "percent": "decimal"}

# The page's Content-Security-Policy, the one place it is written: set by a <meta http-equiv>
# in every rendered page; README "Security and robustness" repeats it (a test keeps the two
# equal) with the header a host should add. Measured in Chromium with the vendored Pyodide
# and PyScript: nothing else is needed (tests/e2e/test_hostile.py fails on any violation).
CSP_DIRECTIVES = (
    "default-src 'none'",
    # 'wasm-unsafe-eval': Pyodide compiles pyodide.asm.wasm (WebAssembly.instantiate);
    # blob: Pyodide's JavaScript, downloaded gzipped and imported decompressed (web/python.mjs);
    # no 'unsafe-eval' (web/js/pyscript-workarounds.js stops PyScript's one Function() call) and no 'unsafe-inline'
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "style-src 'self'",
    "connect-src 'self'",  # Pyodide's wasm, stdlib, lock; PyScript's wheel and main.py
    "img-src 'self' data:",  # the empty data: favicon
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    # Trusted Types: no string reaches an HTML or script sink (innerHTML, eval, Function,
    # on* attributes …); the one policy, "default" (web/js/trusted-types.js), passes same-origin script URLs
    # only (a service worker's), which script-src 'self' allows anyway
    "require-trusted-types-for 'script'",
    "trusted-types default",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
# PyScript's error plugin would write raw tracebacks into the page: off by its config
# ("!error"); web/js/failures.js shows a sentence and a report to copy instead. (Turning
# off the other plugins the page does not use saves nothing: PyScript loads them all for
# its MicroPython type, which has no config on this page.)
PYSCRIPT_PLUGINS_OFF = ("!error",)


def load_layout():
    """The sections of web/layout.json, each with its fields: a field goes, in FIELDS order, to
    the section that lists its clause (the norm binding), so adding a field needs no layout."""
    sections = json.loads((SITE / "layout.json").read_text("utf-8"))["sections"]
    home = {clause: section["id"] for section in sections for clause in section["clauses"] or [""]}
    fields = {section["id"]: [] for section in sections}
    for path, _ in FIELDS:
        clause = clauses_of_field().get(path, "").split(",")[0]
        if clause not in home:
            raise SystemExit(f"web/layout.json: no section for {path} (clause {clause or 'none'})")
        fields[home[clause]].append(path)
    return [{**section, "fields": fields[section["id"]]} for section in sections]


def render_page(catalog, assets, pyscript_config, preloads=""):
    """index.html for one catalog. assets maps a site file name to its URL in dist;
    preloads is the <head>'s run of <link>s that start the runtime's downloads early
    (web/build/pages.py; without them the page loads as PyScript discovers its files)."""
    template = (SITE / "index.html").read_text("utf-8")
    values = {
        **python_page(template, catalog, assets, pyscript_config, preloads),
        "form": render_form(catalog),
        "max_link": str(MAX_LINK),
        **page_parts(catalog),
    }

    return fill(template, values, "web/index.html", page_text(catalog, assets))


def render_batch(catalog, assets, pyscript_config, preloads=""):
    """The batch page of one catalog (web/batch.html, docs/BATCH.md): the same runtime, main.py
    and catalog as the calculator, whose page of the same language each row's link opens."""
    template = (SITE / "batch.html").read_text("utf-8")
    values = {
        **python_page(template, catalog, assets, pyscript_config, preloads),
        "language_nav": language_nav(catalog, batch_file),
        "calculator_href": page_href(catalog["lang"]),
        "methodology_href": methodology_file(catalog["lang"]),
    }
    return fill(template, values, "web/batch.html", page_text(catalog, assets))


def python_page(template, catalog, assets, pyscript_config, preloads):
    """The placeholders of a page that runs main.py: its catalog, PyScript config, policy,
    build id and the runtime's preloads."""
    pyscript_config = _hardened_config(pyscript_config)
    return {
        # no "<" at all inside the <script> element: neither "</script" nor "<!--"
        "catalog_json": json.dumps(catalog, ensure_ascii=False).replace("<", "\\u003c"),
        "pyscript_config": html.escape(json.dumps(pyscript_config)),
        "content_security_policy": html.escape(CONTENT_SECURITY_POLICY),
        "build_id": build_id(template, assets, pyscript_config),
        "preloads": preloads,
    }


def page_text(catalog, assets):
    """The lookup of a page's plain placeholders, HTML-escaped: {{asset:name}} is a site
    file's URL, {{part:name}} the block web/parts/name.html that pages share (filled the same
    way), {{lang}} and any other name a.b.c the catalog's text (KeyError if none)."""
    def text(key):
        if key.startswith("asset:"):
            return html.escape(assets[key.removeprefix("asset:")])
        if key.startswith("part:"):
            name = key.removeprefix("part:")
            return fill(part_text(name), {}, f"web/parts/{name}.html", text)
        return html.escape(_lookup(catalog, key))
    return text


def part_text(name):
    """A block of HTML that several pages share (web/parts/); KeyError if there is none."""
    path = SITE / "parts" / f"{name}.html"
    if not path.is_file():
        raise KeyError(name)
    return path.read_text("utf-8").rstrip("\n")


def _hardened_config(config):
    """The PyScript config with the plugins the page must not run switched off."""
    plugins = list(config.get("plugins", []))
    plugins += [name for name in PYSCRIPT_PLUGINS_OFF if name not in plugins]
    return {**config, "plugins": plugins}


def build_id(template, assets, pyscript_config):
    """A short id of what the page is made of (its template and layout, the content hashes
    of its files and of the engine wheel): the error report names it."""
    parts = [template, (SITE / "layout.json").read_text("utf-8"),
             *(path.read_text("utf-8") for path in sorted((SITE / "parts").glob("*.html"))),
             json.dumps([assets, pyscript_config], sort_keys=True)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:12]


def render_form(catalog):
    sections = [_section(section, catalog) for section in load_layout()]
    return "\n".join([_edition_inputs()] + sections + [_actual_section(catalog)])


def _edition_inputs():
    """The scenario's version (the link's v) and its R25 readings, as hidden inputs: part of
    the form, the page's one state, so a link keeps them; set by the page's own controls
    (web/js/readings.js). Empty means the default reading."""
    versions = " ".join(map(str, VERSIONS))
    inputs = [f'<input type="hidden" name="v" value="{VERSION}" data-initial="{VERSION}" '
              f'data-versions="{versions}">']
    inputs += [f'<input type="hidden" name="readings.{ruling}" value="" data-default="{variants[0]}">'
               for ruling, variants in VARIANTS.items()]
    return "\n".join(inputs)


def _lookup(catalog, key):
    value = catalog
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(key)  # an unknown placeholder: the build stops
        value = value[part]
    if not isinstance(value, str):
        raise KeyError(key)
    return value


def _section(section, catalog):
    title = html.escape(catalog["sections"][section["id"]])
    # clause labels from the norm binding (engine.norm), never written twice
    fields = "\n".join(_field(path, _clause(clauses_of_field()[path]), catalog["fields"][path])
                       for path in section["fields"])
    legend = _clause(clauses_of_fields(section["fields"]))
    return (f'<fieldset class="section" id="section-{section["id"]}">\n'
            f'<legend>{legend}{title}</legend>\n{fields}\n</fieldset>')


def _clause(text):
    return f'<span class="clause">{html.escape(text)}</span> ' if text else ""


def _field(path, clause, text):
    kind = KIND[path]
    label = f'<label for="f-{path}">{clause}{html.escape(text["label"])}</label>'
    notes = (f'<p class="hint" id="h-{path}">{html.escape(text["hint"])}</p>\n'
             f'<p class="problem" id="p-{path}" hidden></p>')
    common = (f'id="f-{path}" name="{path}" data-kind="{kind}" '
              f'aria-describedby="h-{path} p-{path}"')
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


# --- Languages, the actual headcount and the methodology link ------------------------------

LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}  # each in itself


def languages():
    """The page languages that have a catalog, in engine.link.LANGUAGES order (ru first)."""
    present = {path.stem for path in (SITE / "i18n").glob("*.json")}
    return [lang for lang in LANGUAGES if lang in present]


def page_file(lang):
    """dist/ file of a language's page: the default language is index.html (linked as ./)."""
    return "index.html" if lang == LANGUAGES[0] else f"{lang}.html"


def page_href(lang):
    return "./" if lang == LANGUAGES[0] else f"{lang}.html"


def batch_file(lang):
    return "batch.html" if lang == LANGUAGES[0] else f"batch-{lang}.html"


def methodology_file(lang):
    return "methodology.html" if lang == LANGUAGES[0] else f"methodology-{lang}.html"


def page_parts(catalog):
    """The {{placeholders}} of the language switch: <link rel=alternate> in the head (read
    by boot.js to follow a link's lang=), the visible switch, the methodology link."""
    alternates = "\n".join(f'<link rel="alternate" hreflang="{lang}" href="{page_href(lang)}">'
                           for lang in languages())
    return {"alternates": alternates, "language_nav": language_nav(catalog, page_href),
            "methodology_href": methodology_file(catalog["lang"]), "batch_href": batch_file(catalog["lang"])}


def language_nav(catalog, href):
    """<nav> of links to the other languages' pages (web/js/report.js adds the fragment)."""
    items = []
    for lang in languages():
        current = ' aria-current="page"' if lang == catalog["lang"] else ""
        items.append(f'<li><a href="{href(lang)}" hreflang="{lang}" lang="{lang}" '
                     f'data-lang="{lang}"{current}>{LANGUAGE_NAMES[lang]}</a></li>')
    label = html.escape(catalog["page"]["languages_label"])
    return f'<nav class="languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'


def _actual_section(catalog):
    """Optional actual headcount per group (cl. 1.9), compared with the norm; its inputs are
    page settings of engine.link (actual.<group>), not scenario fields."""
    text = catalog["actual"]
    fields = []
    for group in ACTUAL_GROUPS:
        path = f"actual.{group}"
        fields.append(
            f'<div class="field amount"><label for="f-{path}">{html.escape(catalog["groups"][group])}'
            f'</label>\n<input type="text" id="f-{path}" name="{path}" data-kind="amount" '
            f'aria-describedby="h-{path} p-{path}" inputmode="decimal" placeholder="—" '
            f'spellcheck="false">\n<p class="hint" id="h-{path}">{html.escape(text["hint"])}</p>\n'
            f'<p class="problem" id="p-{path}" hidden></p></div>')
    return (f'<fieldset class="section actual" id="section-actual">\n'
            f'<legend>{html.escape(text["legend"])}</legend>\n'
            f'<p class="section-intro">{html.escape(text["intro"])}</p>\n' + "\n".join(fields)
            + "\n</fieldset>")
