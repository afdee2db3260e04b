"""The browser runtime, vendored from node_modules (package-lock.json pins it): Pyodide's
files a main-thread page with no packages loads, PyScript's bundle, and the in-memory
IndexedDB the page gives PyScript where storage is denied (web/js/pyscript-workarounds.js).
No source maps, no package wheels, no micropip."""

import json

from .files import copy_file, copy_tree
from .paths import NODE

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
# (node_modules folder, dist folder)
PYSCRIPT = ("@pyscript/core/dist", "pyscript")
MEMORY_DB = ("fake-indexeddb/build/esm", "vendor/fake-indexeddb")


def copy_runtime(dist):
    for name in PYODIDE_FILES:
        copy_file(NODE / "pyodide" / name, dist / "pyodide" / name)
    trim_lock_file(dist / "pyodide" / "pyodide-lock.json")
    for source, target in (PYSCRIPT, MEMORY_DB):
        copy_tree(NODE / source, dist / target, "*.map", "*.d.ts")


def trim_lock_file(path):
    """Pyodide always fetches its lock file, but only to install packages, and the page
    installs none: keep its "info" (checked against the runtime), drop the 357 package
    entries (117 KiB → under 1 KiB)."""
    lock = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({"info": lock["info"], "packages": {}}), "utf-8")
