"""The standard library the page needs, not all of it: Pyodide's python_stdlib.zip (614
files, 9.6 MB of sources) cut down to the modules that a run of the page imports.

The list, web/build/stdlib-modules.txt, is recorded, not guessed: tests/e2e/test_stdlib_imports.py
opens the page with Pyodide's full zip, uses every Python entry point of the page (each
calculation path, the link reader, both exports, an error with its traceback) and writes
the zip's files whose modules are in sys.modules (KEA_RECORD_STDLIB=1); without
that variable the same test fails on a ModuleNotFoundError or on a module missing from the
list. tests/test_build.py checks that the built zip holds every listed module.

The zip keeps Pyodide's name (pyodide/python_stdlib.zip, Pyodide's default stdLibURL) and
is written reproducibly (sorted entries, fixed time stamp, deflate level 9)."""

import io
import zipfile

from .archive import MODE, STAMP, UNIX
from .paths import NODE, WEB

FULL = NODE / "pyodide" / "python_stdlib.zip"
MODULES = WEB / "build" / "stdlib-modules.txt"
ALWAYS = ("site-packages/README.txt",)  # the folder Pyodide expects (its only entry)


def recorded_files(path=MODULES):
    """The zip's files (e.g. json/__init__.py) the page's modules come from."""
    return [line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def trimmed_stdlib(full=FULL, names=None):
    """→ the bytes of the trimmed zip."""
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
                entry.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(entry, source.read(name), compresslevel=9)
    return buffer.getvalue()


def write_stdlib(dist):
    (dist / "pyodide" / "python_stdlib.zip").write_bytes(trimmed_stdlib())
