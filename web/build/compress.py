"""Gzip copies of the site's files, for any host (docs/HOSTING.md, docs/PERFORMANCE.md).

Every compressible file of dist/ gets a sibling <name>.gz, written by zopfli (zopfli.mjs,
in Node: the gzip format, 3–6 % smaller than gzip -9; no file name, time stamp 0: the same
bytes on every build; cached in .cache/gzip/ by content). They serve two ways:

- a host that serves precompressed siblings (nginx gzip_static, Caddy precompressed, …)
  sends them with Content-Encoding: gzip, to any browser;
- on a host that compresses nothing, the page itself downloads Pyodide's wasm, its
  JavaScript, the standard library (DECOMPRESSED_BY_PAGE), the engine archive and the
  wheels as their .gz and decompresses them in the browser (web/python.mjs), and the service worker precaches every other file
  from its sibling (web/sw.js): both check the content's sha256, so the stored bytes are
  the plain file's.

Zips the build writes store their entries, for gzip to pack them together (8–20 % smaller
than deflating each entry). Already compressed files (png) get none: gzip does not shrink
them."""

import subprocess
import tempfile
from pathlib import Path

from .files import short_hash
from .paths import NODE, ROOT, WEB

COMPRESSIBLE = (".wasm", ".mjs", ".js", ".html", ".css", ".json", ".py", ".txt", ".svg", ".zip", ".whl")
DECOMPRESSED_BY_PAGE = (  # as .gz: web/python.mjs; preloaded in this order (pages.py)
    "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip")
MIN_SIZE = 1024
ZOPFLI = WEB / "build" / "zopfli.mjs"
ITERATIONS = 5  # zopfli's default is 15: as many again bring < 0.1 % on the wasm, for 3 × the time
CACHE = ROOT / ".cache" / "gzip"


def gzipped(paths):
    """{path: its gzip bytes} — from the cache, the missing ones made in one Node run."""
    tool = (ZOPFLI.read_bytes() + (NODE / "@gfx" / "zopfli" / "package.json").read_bytes()
            + str(ITERATIONS).encode())
    cached = {path: CACHE / f"{short_hash(tool + path.read_bytes())}.gz" for path in paths}
    missing = [path for path in paths if not cached[path].exists()]
    if missing:
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as folder:  # the cache gets whole files only
            made = [Path(folder) / cached[path].name for path in missing]
            pairs = [str(item) for pair in zip(missing, made) for item in pair]
            subprocess.run(["node", ZOPFLI, str(ITERATIONS), *pairs], check=True)
            for path in made:
                path.replace(CACHE / path.name)
    return {path: cache.read_bytes() for path, cache in cached.items()}


def compress_files(paths, required=False):
    """path.gz next to each path that gzip makes smaller → those paths; required: each
    must get one (the page downloads only the .gz)."""
    done = []
    for path, packed in gzipped(list(paths)).items():
        if len(packed) < path.stat().st_size:
            path.with_name(path.name + ".gz").write_bytes(packed)
            done.append(path)
        elif required:
            raise SystemExit(f"{path}: gzip does not shrink it, and the page downloads its .gz")
    return done


def write_siblings(dist):
    """dist/<file>.gz next to each compressible file → sorted names (relative to dist) of
    the files that have one."""
    candidates = [path for path in sorted(dist.rglob("*")) if path.is_file()
                  and path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_SIZE]
    fresh = [path for path in candidates if not path.with_name(path.name + ".gz").exists()]
    compress_files(fresh)
    return sorted(path.relative_to(dist).as_posix() for path in candidates
                  if path.with_name(path.name + ".gz").exists())
