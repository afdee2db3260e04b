"""Run by compile_stdlib.mjs in Pyodide (the browser's Python, in Node): /tmp/source.zip,
the trimmed standard library as sources, → /tmp/target.zip, each module as a .pyc in place
of its .py (the zip's other entries as they are), stored: the page downloads the zip
gzipped whole (compress.py), 8 % smaller than a zip deflated entry by entry.

Python compiles a module's source on every import from a zip (it cannot write a cache
there), and in the browser that is most of Pyodide's own start. The .pyc are:
- unchecked hash-based (PEP 552): no time stamp to compare, the source's hash kept in the
  header (tests/test_build.py checks it against Pyodide's source);
- optimize=2, as `python -OO`: no docstrings and no asserts, a smaller download; the page
  reads neither of the standard library;
- named in tracebacks by the path the source would have in the mounted zip."""

import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

MOUNTED = next(path for path in sys.path if path.endswith(".zip"))  # /lib/python3XY.zip


def pyc(name, source):
    code = compile(source, f"{MOUNTED}/{name}", "exec", dont_inherit=True, optimize=2)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


with zipfile.ZipFile("/tmp/source.zip") as source, zipfile.ZipFile("/tmp/target.zip", "w") as target:
    for entry in source.infolist():
        data = source.read(entry)
        if entry.filename.endswith(".py"):
            entry.filename, data = entry.filename + "c", pyc(entry.filename, data)
        target.writestr(entry, data, compress_type=zipfile.ZIP_STORED)  # gzipped whole: compress.py
