#!/usr/bin/env python3
"""Build, serve and test the web calculator (standard library only).

    python3 build.py build              # dist/: the self-contained static site
    python3 build.py serve [--port N]   # build, then serve dist/ on http://127.0.0.1:N
    python3 build.py test               # install test needs, build, run every test
    python3 build.py bench [ARGS…]      # install test needs, build, run bench/page.py ARGS
"""

import argparse
import ast
import functools
import hashlib
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
WEB = ROOT / "web"
NODE = ROOT / "node_modules"
VENV = ROOT / ".venv"
CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_LANGUAGE = "ru"  # its page is index.html; any other catalog xx.json gives xx.html
# Only what a main-thread page with no extra packages loads: no package wheels, no maps.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
WEB_FILES = ("style.css", "main.py", "boot.js")
WEB_MODULES = "js"  # web/js/: the page's ES modules, entry js/page.js (docs/ARCHITECTURE-web.md)
# The in-memory IndexedDB the page gives PyScript where storage is denied (web/js/pyscript-workarounds.js)
MEMORY_DB = ("fake-indexeddb/build/esm", "vendor/fake-indexeddb")
PRELOAD_MARK = "<!-- preloads: build.py -->"  # in web/index.html, at the top of <head>
MIME = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".json": "application/json", ".whl": "application/zip", ".py": "text/x-python"}


def run(command, **options):
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run(command, check=True, **options)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apt_install(*packages):
    """Debian packages a fresh machine may lack (run as root, as the README says)."""
    run(["apt-get", "update"])
    run(["apt-get", "install", "-y", *packages])


def venv_python():
    """The project's own virtual environment (.venv), made on first use: Debian's system
    Python refuses pip installs (PEP 668) and may come without pip."""
    python = VENV / "bin" / "python"
    if not python.exists():
        if subprocess.call([sys.executable, "-m", "venv", VENV]) != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            apt_install("python3-venv")
            run([sys.executable, "-m", "venv", VENV])
    return python


def vendor_npm():
    """node_modules as package-lock.json pins it; npm ci only when the lock changed."""
    stamp = NODE / ".installed-lock-sha256"
    wanted = digest(ROOT / "package-lock.json")
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    if shutil.which("npm") is None:
        apt_install("npm")
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    stamp.write_text(wanted)


# The engine archive: what Python needs of the repository, unpacked into its working directory.
ARCHIVE_FILES = ("engine/*.py", "engine/messages/*.json", "norm_json/*.json", "norm_json/*.txt")


def build_archive():
    """engine/ + norm_json/ as a zip (Pyodide unpacks it as a wheel), reproducible: sorted
    entries, fixed time stamps and modes — the same source gives the same bytes, so the same
    content-hashed name and the same service-worker build id."""
    target = ROOT / "build" / "engine.whl"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir()
    paths = sorted({p for pattern in ARCHIVE_FILES for p in ROOT.glob(pattern)})
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            entry = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return target


def copy_file(source, target):
    """Copy a file; JavaScript loses its source-map comment (the maps are not shipped)."""
    source, target = Path(source), Path(target)
    if source.suffix not in (".js", ".mjs"):
        return shutil.copyfile(source, target)
    lines = source.read_text("utf-8").splitlines(keepends=True)
    target.write_text("".join(l for l in lines if not l.startswith("//# sourceMappingURL=")), "utf-8")
    return target


def copy_runtime():
    (DIST / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        copy_file(NODE / "pyodide" / name, DIST / "pyodide" / name)
    trim_lock_file(DIST / "pyodide" / "pyodide-lock.json")
    shutil.copytree(NODE / "@pyscript" / "core" / "dist", DIST / "pyscript",
                    ignore=shutil.ignore_patterns("*.map"), copy_function=copy_file)
    source, target = MEMORY_DB
    shutil.copytree(NODE / source, DIST / target, ignore=shutil.ignore_patterns("*.map", "*.d.ts"),
                    copy_function=copy_file)


def trim_lock_file(path):
    """Pyodide always fetches its lock file, but only to install packages, and the page
    installs none: keep its "info" (checked against the runtime), drop the 357 package
    entries (117 KiB → under 1 KiB)."""
    lock = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({"info": lock["info"], "packages": {}}), "utf-8")


def copy_site(wheel):
    """The page's own files, each referred to by its content hash so that a host's cache
    never mixes an old engine or script with a new page."""
    assets = {}
    for name in WEB_FILES:
        shutil.copyfile(WEB / name, DIST / name)
        assets[name] = f"./{name}?v={digest(WEB / name)[:12]}"
    shutil.copytree(WEB / WEB_MODULES, DIST / WEB_MODULES)
    shutil.copyfile(WEB / "embed.js", DIST / "embed.js")  # for host pages, by its fixed name
    modules = hashlib.sha256(b"".join(digest(p).encode() for p in sorted((WEB / WEB_MODULES).rglob("*.js"))))
    assets["page.js"] = f"./{WEB_MODULES}/page.js?v={modules.hexdigest()[:12]}"
    (DIST / "app").mkdir()
    archive = f"app/engine-{digest(wheel)[:12]}.whl"
    shutil.copyfile(wheel, DIST / archive)
    return assets, archive


def load_renderer():
    """web/render.py (it reads engine.scenario, importable from the repository root)."""
    from web import render
    return render


def render_pages(assets, archive):
    render_page = load_renderer().render_page
    # The interpreter is the vendored Pyodide (else PyScript fetches one from a CDN), as
    # python.mjs starts it: from a memory snapshot, with the engine wheel unpacked into
    # Python's working directory, which is on sys.path (write_python_module).
    config = {"interpreter": assets["python.mjs"]}
    for path in sorted((WEB / "i18n").glob("*.json")):
        catalog = json.loads(path.read_text("utf-8"))
        page = "index.html" if path.stem == DEFAULT_LANGUAGE else f"{path.stem}.html"
        (DIST / page).write_text(add_preloads(render_page(catalog, assets, config), assets, archive),
                                 "utf-8")
    render_methodology_pages(assets)


def render_methodology_pages(assets):
    """dist/methodology.html (and -kk, -en): docs/rulings/<lang>.md, the readings and the
    clauses of norm_json with their text, rendered by web/methodology.py; the trace links to them."""
    from web import methodology
    for name, text in methodology.render_all(assets).items():
        (DIST / name).write_text(text, "utf-8")


PYTHON_SETUP = "const SETUP = "  # the line of web/python.mjs that write_python_module fills


def write_python_module(archive):
    """dist/python.mjs: Pyodide for the page, started early and from a memory snapshot
    (web/python.mjs). Its SETUP line gets the engine archive, the modules main.py imports
    (the snapshot holds them imported) and the snapshot key: a hash of the runtime's files,
    the archive, the module and that list, so that a snapshot never outlives what it was
    taken of. → its URL, content-hashed."""
    imports = main_imports(WEB / "main.py")
    parts = [digest(DIST / "pyodide" / name) for name in PYODIDE_FILES]
    parts += [digest(DIST / archive), digest(WEB / "python.mjs"), json.dumps(imports)]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    setup = json.dumps({"key": key, "archive": f"./{archive}", "imports": imports})
    lines = (WEB / "python.mjs").read_text("utf-8").splitlines(keepends=True)
    found = [n for n, line in enumerate(lines) if line.startswith(PYTHON_SETUP)]
    if len(found) != 1:
        raise SystemExit(f"web/python.mjs must have exactly one line starting {PYTHON_SETUP!r}")
    lines[found[0]] = f"{PYTHON_SETUP}{setup}; // written by build.py\n"
    (DIST / "python.mjs").write_text("".join(lines), "utf-8")
    return f"./python.mjs?v={digest(DIST / 'python.mjs')[:12]}"


def main_imports(path):
    """Modules a Python file imports at its top level, and for `from a import b` also a.b
    (which may be a name, not a module: the snapshot maker skips what fails); not js,
    pyodide or pyscript, which are the browser's."""
    found = []
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    browser = ("js", "pyodide", "pyscript", "polyscript")
    return [name for name in dict.fromkeys(found) if name.split(".")[0] not in browser]


def static_imports(module):
    """The relative modules a built JavaScript module imports statically (import … from "./x")."""
    text = module.read_text("utf-8")
    return re.findall(r'(?:\bfrom|\bimport)\s*["\'](\./[^"\']+)["\']', text)


def add_preloads(page, assets, archive):
    """Fill the page's PRELOAD_MARK with <link>s that start, from the top of the page, every
    download Python needs, instead of one after another as PyScript's chain discovers them
    (core.js → core-*.js → pyodide.mjs → pyodide.asm.mjs → wasm, stdlib, lock file, and the
    engine wheel python.mjs fetches). Each must match how the file is then requested, or the
    browser fetches it twice: modules (static imports and import()) by modulepreload, whose
    default credentials mode is the module scripts' own; fetch() calls (Pyodide's wasm,
    stdlib and lock file, python.mjs's wheel) by as="fetch" with crossorigin (anonymous: CORS
    mode, same-origin credentials, which is fetch()'s default). With them, the async module
    script of python.mjs, which starts Python once the form is parsed. (main.py, which
    PyScript asks for only once Python runs, is not preloaded: Chromium warns of a preload
    unused 3 s after the load event.)"""
    if page.count(PRELOAD_MARK) != 1:
        raise SystemExit(f"web/index.html must hold {PRELOAD_MARK!r} exactly once")
    core = [f"./pyscript/{name[2:]}" for name in static_imports(DIST / "pyscript" / "core.js")]
    modules = [*core, "./pyodide/pyodide.mjs", "./pyodide/pyodide.asm.mjs"]
    fetches = ["./pyodide/pyodide.asm.wasm", "./pyodide/python_stdlib.zip",
               "./pyodide/pyodide-lock.json", f"./{archive}"]
    links = [f'<link rel="modulepreload" href="{html.escape(url)}">' for url in modules]
    if "python.mjs" in assets:  # starts Python once the form is parsed (web/python.mjs)
        links.append(f'<script type="module" async src="{html.escape(assets["python.mjs"])}">'
                     '</script>')
    # data-size: the file's length, so that the page can tell a truncated or wrong download
    # from a slow start (web/js/runtime.js)
    links += [f'<link rel="preload" as="fetch" crossorigin href="{html.escape(url)}" '
              f'data-size="{(DIST / url).stat().st_size}">' for url in fetches]
    return page.replace(PRELOAD_MARK, "\n".join(links))


def precache_list(folder, assets):
    """{URL relative to the folder: sha256 hex digest of its content (the service worker
    checks every file it stores against it)} of every file the page may load:
    the pages, the content-hashed site files by the URLs the pages use, the engine, the
    runtime (all of PyScript's chunks: which of them a page loads is PyScript's business);
    not sw.js itself."""
    urls = {url.split("?")[0].removeprefix("./"): url for url in assets.values()}
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or name == "sw.js":
            continue
        files[urls.get(name, f"./{name}")] = digest(path)
    return files


def write_service_worker(folder, files):
    """folder/sw.js: web/sw.js after `const BUILD = {id, files}`, the precache list and its id
    (a hash of every URL and content hash in it, so any change of any file is a new build)."""
    build_id = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    header = f"const BUILD = {json.dumps({'id': build_id, 'files': files}, indent=0)};\n"
    (folder / "sw.js").write_text(header + (WEB / "sw.js").read_text("utf-8"), "utf-8")
    return build_id


def build():
    vendor_npm()
    wheel = build_archive()
    shutil.rmtree(DIST, ignore_errors=True)
    copy_runtime()
    assets, archive = copy_site(wheel)
    assets["python.mjs"] = write_python_module(archive)
    render_pages(assets, archive)
    write_service_worker(DIST, precache_list(DIST, assets))
    size = sum(f.stat().st_size for f in DIST.rglob("*") if f.is_file())
    print(f"dist/ built: {size / 2**20:.1f} MiB", flush=True)


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

    def log_message(self, *args):
        pass  # quiet: the tests and a person at the console need no access log


def make_server(port):
    """A threaded static server of dist/ on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(Handler, directory=str(DIST))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(port):
    build()
    with make_server(port) as server:
        print(f"Serving the calculator on http://127.0.0.1:{server.server_port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def install_test_needs():
    """What the tests and the page benchmark run on: the pinned pip packages (pytest,
    Playwright's Python client, …) in .venv and Debian's Chromium → .venv's python."""
    python = venv_python()
    run([python, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-test.txt"])
    if not CHROMIUM.exists():
        apt_install("chromium")
    return python


def test():
    python = install_test_needs()
    build()
    env = {**os.environ, "KEA_DIST_BUILT": "1"}  # the e2e fixture then serves dist/ as is
    return subprocess.call([python, "-m", "pytest", "tests"], cwd=ROOT, env=env)


def bench(arguments):
    """Install what the benchmark needs, build dist/, then run bench/page.py on it (its table
    is printed, every figure goes to bench/results.json) → its exit code."""
    python = install_test_needs()
    build()
    return subprocess.call([python, ROOT / "bench" / "page.py", *arguments], cwd=ROOT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build dist/")
    serving = commands.add_parser("serve", help="build, then serve dist/")
    serving.add_argument("--port", type=int, default=8000)
    commands.add_parser("test", help="install test needs, build, run pytest")
    benching = commands.add_parser("bench", help="install test needs, build, run bench/page.py",
                                   description="Arguments after `bench` go to bench/page.py "
                                               "(--runs, --edits, --timeout, …).")
    benching.add_argument("arguments", nargs=argparse.REMAINDER, help="bench/page.py arguments")
    args = parser.parse_args()
    if args.command == "build":
        build()
    elif args.command == "serve":
        serve(args.port)
    elif args.command == "bench":
        sys.exit(bench(args.arguments))
    else:
        sys.exit(test())


if __name__ == "__main__":
    main()
