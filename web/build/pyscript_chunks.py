"""What PyScript lacks, isolated: its bundle publishes no list of the files it loads.

- core.js statically imports a few chunks with hashed names (core-<hash>.js, …) that change
  with every PyScript release. The page watches their downloads while Python starts (a
  stalled or broken one is named: web/js/runtime.js), so the build reads those names from
  core.js's own import statements (pages.py lists them on the python.mjs script).
- Of the bundle's files the pages load a few; the rest (the editor's CodeMirror, the
  terminal's xterm, TOML, MicroPython, zip: 0.33 MB gzipped) serve features the page does
  not use. The list of those loaded, web/build/pyscript-files.txt, is recorded, not
  guessed, by tests/e2e/test_stdlib_imports.py (KEA_RECORD=1), which otherwise fails on a
  file loaded but not listed; the service worker precaches only those (service_worker.py).
  The others stay in dist/, so that a page that asks for one online still gets it.

Nothing of the bundle is changed."""

import re

from .paths import WEB

STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*["\'](\./[^"\']+)["\']')
LOADED = WEB / "build" / "pyscript-files.txt"


def core_modules(dist):
    """URLs (relative to the page) of the chunks core.js imports statically."""
    text = (dist / "pyscript" / "core.js").read_text("utf-8")
    return [f"./pyscript/{name[2:]}" for name in STATIC_IMPORT.findall(text)]


def loaded_files(path=LOADED):
    """The files of PyScript's folder (e.g. core.js) that the pages load."""
    return [line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def unused_files(dist):
    """dist-relative names of PyScript's files that no page loads (.gz siblings aside)."""
    loaded = set(loaded_files())
    return {f"pyscript/{path.name}" for path in (dist / "pyscript").iterdir()
            if path.suffix != ".gz" and path.name not in loaded}
