"""Gzip copies of the site's files, for any host (docs/HOSTING.md, docs/PERFORMANCE.md).

Every compressible file of dist/ gets a sibling <name>.gz (gzip level 9, no file name, time
stamp 0: the same bytes on every build). They serve two ways:

- a host that serves precompressed siblings (nginx gzip_static, Caddy precompressed, …)
  sends them with Content-Encoding: gzip, to any browser;
- on a host that compresses nothing, the page itself downloads the wasm as
  pyodide/pyodide.asm.wasm.gz and decompresses it in the browser (web/python.mjs), and the
  service worker precaches every other file from its sibling (web/sw.js): both check the
  content's sha256, so the stored bytes are the plain file's.

Already compressed files (zip, whl, png) get none, nor does one that gzip does not shrink."""

import gzip

COMPRESSIBLE = (".wasm", ".mjs", ".js", ".html", ".css", ".json", ".py", ".txt", ".svg")
DECOMPRESSED_BY_PAGE = ("pyodide/pyodide.asm.wasm",)  # fetched as .gz by web/python.mjs
MIN_SIZE = 1024


def compress_file(path):
    """path.gz next to path, if gzip makes it smaller → whether it did."""
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) >= len(data):
        return False
    path.with_name(path.name + ".gz").write_bytes(packed)
    return True


def write_siblings(dist):
    """dist/<file>.gz next to each compressible file → sorted names (relative to dist) of
    the files that have one."""
    names = []
    for path in sorted(dist.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_SIZE:
            if path.with_name(path.name + ".gz").exists() or compress_file(path):
                names.append(path.relative_to(dist).as_posix())
    return names
