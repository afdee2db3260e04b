"""dist/python.mjs: Pyodide for the page, started early and from a memory snapshot
(web/python.mjs). Its {{setup}} placeholder gets the engine archive, the modules main.py
imports (the snapshot holds them imported), the wheels loaded on first use, and the snapshot key: a hash of the runtime's
files, the archive, the module and that list, so that a snapshot never outlives what it was
taken of."""

import ast
import hashlib
import json

from .compress import DECOMPRESSED_BY_PAGE
from .files import digest
from .paths import WEB
from .runtime import PYODIDE_FILES, lock_contents
from web.template import fill

MODULE, WASM, STDLIB = DECOMPRESSED_BY_PAGE  # downloaded as their .gz, as are the archive and wheels
BROWSER_MODULES = ("js", "pyodide", "pyscript", "polyscript")  # the browser's, not files


def write_python_module(dist, archive, wheels):
    """→ the URL of dist/python.mjs, content-hashed. wheels: {name: path} of the wheels it
    loads on demand (web/build/wheels.py); not in the snapshot, so not in its key. The page
    downloads the archive and the wheels as their .gz too."""
    source = WEB / "python.mjs"
    imports = main_imports(WEB / "main.py")
    lock = lock_contents()
    parts = [digest(dist / "pyodide" / name) for name in (*PYODIDE_FILES, "python_stdlib.zip")]
    parts += [digest(dist / archive), digest(source), json.dumps(imports), json.dumps(lock)]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    setup = json.dumps({"key": key, "archive": f"./{archive}.gz", "imports": imports,
                        "wheels": {name: f"./{path}.gz" for name, path in wheels.items()},
                        "module": f"./{MODULE}.gz", "wasm": f"./{WASM}.gz", "stdlib": f"./{STDLIB}.gz",
                        "lock": lock})
    text = fill(source.read_text("utf-8"), {"setup": setup}, "web/python.mjs")
    (dist / "python.mjs").write_text(text, "utf-8")
    return f"./python.mjs?v={digest(dist / 'python.mjs')[:12]}"


def main_imports(path):
    """Modules a Python file imports at its top level, and for `from a import b` also a.b
    (which may be a name, not a module: the snapshot maker skips what fails); not those of
    the browser."""
    found = []
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in dict.fromkeys(found) if name.split(".")[0] not in BROWSER_MODULES]
