"""What PyScript lacks, isolated: its bundle publishes no list of the files it loads.

- Of the bundle's files the pages load a few; the rest (the editor's CodeMirror, the
  terminal's xterm, TOML, MicroPython, zip: 0.33 MB gzipped) serve features the page does
  not use. The list of those loaded, web/build/pyscript-files.txt, is recorded, not
  guessed, by tests/e2e/test_stdlib_imports.py (KEA_RECORD=1), which otherwise fails on a
  file loaded but not listed; the service worker precaches only those (service_worker.py).
  The others stay in dist/, so that a page that asks for one online still gets it.

Nothing of the bundle is changed."""

from .paths import WEB

LOADED = WEB / "build" / "pyscript-files.txt"


def loaded_files(path=LOADED):
    """The files of PyScript's folder (e.g. core.js) that the pages load."""
    return [line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def unused_files(dist):
    """dist-relative names of PyScript's files that no page loads (.gz siblings aside)."""
    loaded = set(loaded_files())
    return {f"pyscript/{path.name}" for path in (dist / "pyscript").iterdir()
            if path.suffix != ".gz" and path.name not in loaded}
