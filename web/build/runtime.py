"""The browser runtime, vendored from node_modules (package-lock.json pins it): Pyodide's
files a main-thread page with no packages loads (its standard library trimmed by
stdlib.py; its lock file, emptied of packages, goes into python.mjs), PyScript's bundle,
and the in-memory IndexedDB the page gives PyScript where storage is denied
(web/js/pyscript-workarounds.js), bundled into one minified file: its 42 modules, four
imports deep, would be fetched a level at a time, in the case (a cross-site iframe in a
window that blocks third-party storage) where no service worker can keep them either.
No source maps, no package wheels, no micropip."""

import json

from .files import copy_file, copy_tree, esbuild
from .paths import NODE
from .stdlib import write_stdlib

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")  # + python_stdlib.zip
# (node_modules folder, dist folder)
PYSCRIPT = ("@pyscript/core/dist", "pyscript")
MEMORY_DB = ("fake-indexeddb/build/esm/index.js", "vendor/fake-indexeddb.js")


def copy_runtime(dist):
    for name in PYODIDE_FILES:
        copy_file(NODE / "pyodide" / name, dist / "pyodide" / name)
    write_stdlib(dist)
    copy_tree(NODE / PYSCRIPT[0], dist / PYSCRIPT[1], "*.map", "*.d.ts")
    esbuild(NODE / MEMORY_DB[0], "--bundle", "--format=esm", "--minify", f"--outfile={dist / MEMORY_DB[1]}")


def lock_contents():
    """Pyodide needs a lock file only to install packages, and the page installs none: its
    "info" (checked against the runtime) without the 357 package entries, which python.mjs
    passes as loadPyodide's lockFileContents (one request fewer)."""
    lock = json.loads((NODE / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    return {"info": lock["info"], "packages": {}}
