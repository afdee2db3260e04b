"""The standard library the page needs, not all of it: Pyodide's python_stdlib.zip (614
files, 9.6 MB of sources) cut down to the modules that a run of the page imports.

The list, web/build/stdlib-modules.txt, is recorded, not guessed: tests/e2e/test_stdlib_imports.py
opens the page with Pyodide's full zip, uses every Python entry point of the page (each
calculation path, the link reader, both exports, an error with its traceback) and writes
the zip's files whose modules are in sys.modules (KEA_RECORD=1); without
that variable the same test fails on a ModuleNotFoundError or on a module missing from the
list. tests/test_build.py checks that the built zip holds every listed module.

Each module then comes byte-compiled, a .pyc in place of its .py, made by the browser's own
Python (Pyodide in Node: compile_stdlib.mjs, compile_stdlib.py): Python compiles a module
from source on every import from a zip, and in the browser that was most of Pyodide's start.
The compiled zip is cached in .cache/stdlib/, by what it is made of.

The zip keeps Pyodide's name (pyodide/python_stdlib.zip, Pyodide's default stdLibURL) and
is written reproducibly (sorted entries, fixed time stamp; the same Pyodide compiles the
same source to the same bytes), its entries stored: the page downloads it as its gzip copy
(python_stdlib.zip.gz, compress.py)."""

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .archive import MODE, STAMP, UNIX
from .files import short_hash
from .paths import NODE, ROOT, WEB

FULL = NODE / "pyodide" / "python_stdlib.zip"
MODULES = WEB / "build" / "stdlib-modules.txt"
ALWAYS = ("site-packages/README.txt",)  # the folder Pyodide expects (its only entry)
COMPILER = WEB / "build" / "compile_stdlib.mjs"  # with compile_stdlib.py beside it
CACHE = ROOT / ".cache" / "stdlib"


def recorded_files(path=MODULES):
    """The zip's files (e.g. json/__init__.py) the page's modules come from."""
    return [line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def trimmed_stdlib(full=FULL, names=None):
    """→ the bytes of the trimmed zip of sources, stored."""
    with zipfile.ZipFile(full) as source:
        available = set(source.namelist())
        names = names or recorded_files()
        missing = sorted(set(names) - available)
        if missing:
            raise SystemExit(f"{MODULES.name}: not in {FULL.name}: {missing}")
        wanted = sorted({*names, *(entry for entry in ALWAYS if entry in available)})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in wanted:
                entry = zipfile.ZipInfo(name, date_time=STAMP)
                entry.external_attr = MODE
                entry.create_system = UNIX
                target.writestr(entry, source.read(name))
    return buffer.getvalue()


def compiled_stdlib(sources):
    """The zip of sources → the same zip with each module byte-compiled by Pyodide."""
    made_of = [sources, COMPILER.read_bytes(), COMPILER.with_suffix(".py").read_bytes(),
               (NODE / "pyodide" / "package.json").read_bytes()]
    cached = CACHE / f"python_stdlib-{short_hash(b''.join(made_of))}.zip"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as folder:  # the cache gets whole files only
            source, target = Path(folder) / "source.zip", Path(folder) / "target.zip"
            source.write_bytes(sources)
            subprocess.run(["node", COMPILER, NODE / "pyodide", source, target], check=True)
            target.replace(cached)
    return cached.read_bytes()


def write_stdlib(dist):
    (dist / "pyodide" / "python_stdlib.zip").write_bytes(compiled_stdlib(trimmed_stdlib()))
