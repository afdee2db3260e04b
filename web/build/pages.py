"""The HTML pages: the calculator and the batch page in each catalog's language (web/render.py
fills web/index.html and web/batch.html) with the preloads of the runtime, and the
methodology pages (web/methodology.py)."""

import html
import json

from web import methodology, render
from web.hints import with_hints

from .compress import DECOMPRESSED_BY_PAGE
from .paths import WEB
from .pyscript_chunks import core_modules


def write_pages(dist, assets, archive):
    # The interpreter is the vendored Pyodide (else PyScript fetches one from a CDN), as
    # python.mjs starts it: from a memory snapshot, with the engine archive unpacked into
    # Python's working directory, which is on sys.path.
    config = {"interpreter": assets["python.mjs"]}
    links = preloads(dist, assets, archive)
    for lang in render.languages():
        catalog = with_hints(json.loads((WEB / "i18n" / f"{lang}.json").read_text("utf-8")))
        (dist / render.page_file(lang)).write_text(
            render.render_page(catalog, assets, config, links), "utf-8")
        (dist / render.batch_file(lang)).write_text(
            render.render_batch(catalog, assets, config, links), "utf-8")
    for name, text in methodology.render_all(assets).items():
        (dist / name).write_text(text, "utf-8")


def preloads(dist, assets, archive):
    """The page's {{preloads}}: <link>s that start, from the top of the page, every download
    Python needs, instead of one after another as PyScript's chain discovers them (core.js →
    core-*.js → pyodide.mjs → pyodide.asm.mjs → wasm, stdlib, and the engine archive, which
    python.mjs downloads for it; all but pyodide.mjs as their gzip copies, which python.mjs
    decompresses). Each must match how the file is then requested, or the
    browser fetches it twice: modules (static imports and import()) by modulepreload, whose
    default credentials mode is the module scripts' own; fetch() calls (Pyodide's
    JavaScript, wasm and stdlib, the archive: python.mjs's fetch()) by as="fetch" with crossorigin (anonymous:
    CORS mode, same-origin credentials, fetch()'s default). With them, the async module
    script of python.mjs, which starts Python once the form is parsed and its script has run. (main.py, which
    PyScript asks for only once Python runs, is not preloaded: Chromium warns of a preload
    unused 3 s after the load event.) The page's own script needs none: it is one file
    (assets.py), which its <script type="module"> in <head> asks for at once."""
    modules = [*core_modules(dist), "./pyodide/pyodide.mjs"]
    fetches = [f"./{name}.gz" for name in (*DECOMPRESSED_BY_PAGE, archive)]
    links = [f'<link rel="modulepreload" href="{html.escape(url)}">' for url in modules]
    links.append(f'<script type="module" async src="{html.escape(assets["python.mjs"])}"></script>')
    # data-size: the file's length, so that the page can tell a truncated or wrong download
    # from a slow start (web/js/runtime.js)
    links += [f'<link rel="preload" as="fetch" crossorigin href="{html.escape(url)}" '
              f'data-size="{(dist / url).stat().st_size}">' for url in fetches]
    return "\n".join(links)
