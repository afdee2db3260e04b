"""dist/sw.js: web/sw.js with its {{build}} placeholder filled — `const BUILD = {id, files}`:
the precache list (every file the page may load, by its URL relative to the page's folder,
with the full sha256 of its content, which the worker checks every stored file against) and
its id, a hash of that list, so any change of any file is a new build and an unchanged
source the same build."""

import hashlib
import json

from .files import digest
from .paths import WEB
from .pyscript_chunks import unused_files
from .runtime import MEMORY_DB
from web.template import fill


def precache_list(folder, assets, packed, by_page):
    """{URL: sha256 hex} of every file in folder the page may load, sw.js aside:
    content-hashed site files by the URLs the pages use, the rest (pages, engine, runtime,
    the PyScript files the pages load: pyscript_chunks.py) by their path. Of a file the page
    downloads compressed (by_page: compress.DECOMPRESSED_BY_PAGE, the archive, the wheels)
    only the .gz; of the others only the plain file, the .gz siblings being the hosts'. Not the in-memory IndexedDB (MEMORY_DB): a page loads it only
    where storage is refused, and there no service worker can store anything either."""
    urls = {url.split("?")[0].removeprefix("./"): url for url in assets.values()}
    page_packed = {f"{name}.gz" for name in by_page}
    skipped = {"sw.js", *by_page, *(f"{name}.gz" for name in packed), *unused_files(folder)} - page_packed
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name not in skipped and not name.startswith(MEMORY_DB[1]):
            files[urls.get(name, f"./{name}")] = digest(path)
    return files


def packed_siblings(assets, packed, files):
    """{URL in the precache list: URL of its .gz sibling} for the worker's downloads (of a
    page, which a host may redirect, the worker asks the address with HEAD: web/sw.js)."""
    urls = {url.split("?")[0].removeprefix("./"): url for url in assets.values()}
    siblings = {urls.get(name, f"./{name}"): f"./{name}.gz" for name in packed}
    return {url: sibling for url, sibling in siblings.items() if url in files}


def write_service_worker(folder, files, packed=None):
    """folder/sw.js for the precache list `files` (and the .gz siblings it may download
    instead, `packed`) → the build id."""
    packed = packed or {}
    build_id = hashlib.sha256(json.dumps([files, packed], sort_keys=True).encode()).hexdigest()[:16]
    build = json.dumps({"id": build_id, "files": files, "packed": packed}, indent=0)
    text = fill((WEB / "sw.js").read_text("utf-8"), {"build": build}, "web/sw.js")
    (folder / "sw.js").write_text(text, "utf-8")
    return build_id
