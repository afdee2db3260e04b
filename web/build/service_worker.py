"""dist/sw.js: web/sw.js with its {{build}} placeholder filled — `const BUILD = {id, files}`:
the precache list (every file the page may load, by its URL relative to the page's folder,
with the full sha256 of its content, which the worker checks every stored file against) and
its id, a hash of that list, so any change of any file is a new build and an unchanged
source the same build."""

import hashlib
import json

from .files import digest
from .paths import WEB
from web.template import fill


def precache_list(folder, assets):
    """{URL: sha256 hex} of every file in folder but sw.js itself: content-hashed site files
    by the URLs the pages use, the rest (pages, engine, runtime — all of PyScript's chunks:
    which of them a page loads is PyScript's business) by their path."""
    urls = {url.split("?")[0].removeprefix("./"): url for url in assets.values()}
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name != "sw.js":
            files[urls.get(name, f"./{name}")] = digest(path)
    return files


def write_service_worker(folder, files):
    """folder/sw.js for the precache list `files` → the build id."""
    build_id = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    build = json.dumps({"id": build_id, "files": files}, indent=0)
    text = fill((WEB / "sw.js").read_text("utf-8"), {"build": build}, "web/sw.js")
    (folder / "sw.js").write_text(text, "utf-8")
    return build_id
