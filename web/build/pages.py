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
    """The page's {{preloads}}: the async module script of python.mjs, which starts Python
    once the form is parsed and its script has run, and <link rel="preload"> for the big
    downloads Python needs (the gzip copies of pyodide.asm.mjs, the wasm and the stdlib, and
    the engine archive, which python.mjs fetches and decompresses), from the top of the page
    instead of once Python's start asks for them. Each matches how python.mjs's fetch() then
    requests it (as="fetch", crossorigin: CORS mode, same-origin credentials), or the browser
    would fetch it twice. JavaScript modules get no modulepreload: one is compiled as soon as
    it arrives, and PyScript's core chunk and pyodide.mjs compiled while the first screen was
    drawn held the first paint ≈ 8 ms and DOMContentLoaded ≈ 15 ms, while importing them
    later cost no measurable time to the first result, on localhost or an emulated network
    (docs/PERFORMANCE.md). The script's data-modules names them, with their lengths, for the
    page to watch as it watches the preloads. (main.py, which PyScript asks for only once
    Python runs, is not preloaded: Chromium warns of a preload unused 3 s after the load event.)"""
    fetches = [f"./{name}.gz" for name in (*DECOMPRESSED_BY_PAGE, archive)]
    # data-size, data-modules: each file's length, so that the page can tell a truncated or
    # wrong download from a slow start (web/js/runtime.js)
    modules = json.dumps({url: (dist / url).stat().st_size for url in ["./pyodide/pyodide.mjs", *core_modules(dist)]})
    links = [f'<script type="module" async src="{html.escape(assets["python.mjs"])}" '
             f'data-modules="{html.escape(modules)}"></script>']
    links += [f'<link rel="preload" as="fetch" crossorigin href="{html.escape(url)}" '
              f'data-size="{(dist / url).stat().st_size}">' for url in fetches]
    return "\n".join(links)
