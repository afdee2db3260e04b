"""The engine archive: what Python needs of the repository — the packages engine/ (the
rules) and norm_json/ (the law as data, with the document's text) — as one zip, its
entries stored (the page downloads it gzipped whole, <name>.gz: compress.py), which
web/python.mjs fetches and unpacks (Pyodide's unpackArchive, format "whl": a plain zip)
into Python's working directory, on sys.path.

Reproducible: entries sorted by path, one fixed time stamp, mode and system, no
__pycache__, no directory entries — the same source gives the same bytes, hence the same content-hashed name app/engine-<hash>.whl and the same service-worker
build id, so a deploy without changes is no update."""

import io
import zipfile

from .files import short_hash
from .paths import ROOT

PACKAGES = ("engine", "norm_json")
STAMP = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
MODE = 0o644 << 16  # rw-r--r--, in the upper half of external_attr (Unix)
UNIX = 3  # create_system: the same on every machine that builds


def archive_files(root=ROOT):
    """{entry name: path} of every file of the packages, sorted; caches left out."""
    paths = [path for package in PACKAGES for path in (root / package).rglob("*")
             if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"]
    return {path.relative_to(root).as_posix(): path for path in sorted(paths)}


def archive_bytes(root=ROOT):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in archive_files(root).items():
            entry = zipfile.ZipInfo(name, date_time=STAMP)
            entry.external_attr = MODE
            entry.create_system = UNIX
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


def write_archive(dist, root=ROOT):
    """dist/app/engine-<content hash>.whl → its path relative to dist."""
    data = archive_bytes(root)
    name = f"app/engine-{short_hash(data)}.whl"
    (dist / "app").mkdir(parents=True, exist_ok=True)
    (dist / name).write_bytes(data)
    return name
