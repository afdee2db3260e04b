"""The page's own files, each under a URL that changes with its content, so that a host's
HTTP cache never mixes an old script with a new page:

- web/*.js, web/*.css and web/main.py → dist/<name>, referred to as ./<name>?v=<hash>
  (embed.js is also fetched by host pages under its fixed name); sw.js and python.mjs are
  templates, written by service_worker.py and python_module.py;
- web/js/, the pages' ES modules → dist/js-<hash>/page.js and batch.js, each its page's
  script with every module it imports bundled in (esbuild): one download and one compile
  instead of one per module. (Twenty modulepreloads in <head> held the first paint by
  ≈ 35 ms; without them each level of imports waited for the one above: docs/PERFORMANCE.md.)

→ assets: {source path relative to web/ ("style.css", "js/page.js"): URL in the pages}."""

import json
import tempfile
from pathlib import Path

from .files import copy_file, digest, esbuild, short_hash
from .paths import WEB
from .runtime import MEMORY_DB

TOP_LEVEL = ("*.js", "*.css", "main.py")
TEMPLATES = ("sw.js",)  # filled, not copied (web/build/service_worker.py)
MODULES = "js"
ENTRIES = ("page.js", "batch.js")  # the pages' scripts, which import the other modules


def copy_assets(dist):
    assets = {}
    for pattern in TOP_LEVEL:
        for path in sorted(WEB.glob(pattern)):
            if path.name not in TEMPLATES:
                copy_file(path, dist / path.name)
                assets[path.name] = f"./{path.name}?v={digest(path)[:12]}"
    return {**assets, **copy_modules(dist)}


def copy_modules(dist):
    """web/js/'s ENTRIES, bundled → dist/js-<hash>/; the hash covers the bundles' content.
    (Run from the repository, so that the bundles' comments name each module's source file.)
    KEA_MEMORY_DB in the modules is the in-memory IndexedDB's path in dist (runtime.py)."""
    with tempfile.TemporaryDirectory() as out:
        esbuild(*(f"web/{MODULES}/{name}" for name in ENTRIES), "--bundle", "--format=esm",
                f"--define:KEA_MEMORY_DB={json.dumps(MEMORY_DB[1])}", f"--outdir={out}")
        bundles = [Path(out) / name for name in ENTRIES]
        folder = f"{MODULES}-{short_hash(''.join(digest(path) for path in bundles))}"
        for path in bundles:
            copy_file(path, dist / folder / path.name)
    return {f"{MODULES}/{name}": f"./{folder}/{name}" for name in ENTRIES}
