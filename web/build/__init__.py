"""The build pipeline: the repository → dist/, the self-contained static site. Standard
library only, and Node to run Pyodide for compile_stdlib.mjs, esbuild for the page's modules
and zopfli for zopfli.mjs; `python3 build.py build` is
its command line (docs/BUILD.md).

    runtime.py         Pyodide, PyScript and the in-memory IndexedDB from node_modules
    stdlib.py          the standard library trimmed to what the page imports, byte-compiled
                       by Pyodide in Node (compile_stdlib.mjs, compile_stdlib.py)
    archive.py         engine/ + norm_json/ → app/engine-<hash>.whl, reproducibly
    wheels.py          the pinned wheels loaded on first use (XLSX) → wheels/
    assets.py          the page's own files, its modules bundled, under content-hashed URLs
    python_module.py   web/python.mjs → python.mjs (engine archive, snapshot key)
    pages.py           the calculator's pages (web/render.py) and the methodology
    compress.py        gzip siblings (zopfli.mjs): for hosts, the page's runtime, the worker's precache
    service_worker.py  web/sw.js → sw.js (precache list and build id)
    pyscript_chunks.py what PyScript lacks: its core chunks, the list of the files it loads
    serve.py           the static server
web/template.py (fill) is the one templating way: {{name}} placeholders, strictly filled."""

import shutil

from .archive import write_archive
from .assets import copy_assets
from .compress import DECOMPRESSED_BY_PAGE, compress_files, write_siblings
from .pages import write_pages
from .paths import DIST
from .python_module import write_python_module
from .runtime import copy_runtime
from .service_worker import packed_siblings, precache_list, write_service_worker
from .wheels import copy_wheels


def build_site(dist=DIST):
    """dist/ from scratch → the service worker's build id. node_modules and .cache/wheels/
    must be in place (build.py fills them)."""
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    copy_runtime(dist)
    archive = write_archive(dist)
    wheels = copy_wheels(dist)
    by_page = [*DECOMPRESSED_BY_PAGE, archive, *wheels.values()]  # downloaded as their .gz
    compress_files([dist / name for name in by_page], required=True)  # the pages' preloads name them
    assets = copy_assets(dist)
    assets["python.mjs"] = write_python_module(dist, archive, wheels)
    write_pages(dist, assets, archive)
    packed = write_siblings(dist)
    files = precache_list(dist, assets, packed, by_page)
    return write_service_worker(dist, files, packed_siblings(assets, packed, files))
