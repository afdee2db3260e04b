"""The page's own files, each under a URL that changes with its content, so that a host's
HTTP cache never mixes an old script with a new page:

- web/*.js, web/*.css and web/main.py → dist/<name>, referred to as ./<name>?v=<hash>
  (embed.js is also fetched by host pages under its fixed name); sw.js and python.mjs are
  templates, written by service_worker.py and python_module.py;
- web/js/, the page's ES modules → dist/js-<hash of the whole folder>/, as they are: their
  relative imports (import "./x.js") stay valid, and every module's URL changes whenever
  any module does.

→ assets: {source path relative to web/ ("style.css", "js/page.js"): URL in the pages}."""

import shutil

from .files import copy_file, digest, short_hash
from .paths import WEB

TOP_LEVEL = ("*.js", "*.css", "main.py")
TEMPLATES = ("sw.js",)  # filled, not copied (web/build/service_worker.py)
MODULES = "js"


def copy_assets(dist):
    assets = {}
    for pattern in TOP_LEVEL:
        for path in sorted(WEB.glob(pattern)):
            if path.name not in TEMPLATES:
                copy_file(path, dist / path.name)
                assets[path.name] = f"./{path.name}?v={digest(path)[:12]}"
    return {**assets, **copy_modules(dist)}


def copy_modules(dist):
    """web/js/ → dist/js-<hash>/; the hash covers every file's name and content."""
    source = WEB / MODULES
    files = sorted(path for path in source.rglob("*") if path.is_file())
    names = [path.relative_to(source).as_posix() for path in files]
    listing = "\n".join(f"{name} {digest(path)}" for name, path in zip(names, files))
    folder = f"{MODULES}-{short_hash(listing)}"
    shutil.copytree(source, dist / folder)
    return {f"{MODULES}/{name}": f"./{folder}/{name}" for name in names}
