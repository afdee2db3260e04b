#!/usr/bin/env python3
"""Build, serve and test the web calculator (standard library only).

    python3 build.py build              # dist/: the self-contained static site
    python3 build.py serve [--port N]   # build, then serve dist/ on http://127.0.0.1:N
    python3 build.py test               # install test needs, build, run every test
"""

import argparse
import functools
import hashlib
import http.server
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
SITE = ROOT / "site"
NODE = ROOT / "node_modules"
WHEELS = ROOT / "build" / "wheel"
VENV = ROOT / ".venv"
CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_LANGUAGE = "ru"  # its page is index.html; any other catalog xx.json gives xx.html
# Only what a main-thread page with no extra packages loads: no package wheels, no maps.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
SITE_FILES = ("app.js", "style.css", "main.py")
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


def build_wheel():
    """The engine wheel (engine/ + norm_json/), built from scratch so no stale file slips in."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    run([venv_python(), "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", WHEELS, ROOT])
    (wheel,) = WHEELS.glob("*.whl")
    return wheel


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
    shutil.copytree(NODE / "@pyscript" / "core" / "dist", DIST / "pyscript",
                    ignore=shutil.ignore_patterns("*.map"), copy_function=copy_file)


def copy_site(wheel):
    """The page's own files, each referred to by its content hash so that a host's cache
    never mixes an old engine or script with a new page."""
    assets = {}
    for name in SITE_FILES:
        shutil.copyfile(SITE / name, DIST / name)
        assets[name] = f"./{name}?v={digest(SITE / name)[:12]}"
    (DIST / "app").mkdir()
    archive = f"app/engine-{digest(wheel)[:12]}.whl"
    shutil.copyfile(wheel, DIST / archive)
    return assets, archive


def load_renderer():
    """site/render.py (it reads engine.scenario, importable from the repository root)."""
    spec = importlib.util.spec_from_file_location("render", SITE / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_pages(assets, archive):
    render_page = load_renderer().render_page
    # The interpreter is the vendored Pyodide (else PyScript fetches one from a CDN);
    # the wheel is unpacked into Python's working directory, which is on sys.path.
    config = {"interpreter": "./pyodide/pyodide.mjs", "files": {f"./{archive}": "./*"}}
    for path in sorted((SITE / "i18n").glob("*.json")):
        catalog = json.loads(path.read_text("utf-8"))
        page = "index.html" if path.stem == DEFAULT_LANGUAGE else f"{path.stem}.html"
        (DIST / page).write_text(render_page(catalog, assets, config), "utf-8")


def build():
    vendor_npm()
    wheel = build_wheel()
    shutil.rmtree(DIST, ignore_errors=True)
    copy_runtime()
    render_pages(*copy_site(wheel))
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


def test():
    python = venv_python()
    run([python, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-test.txt"])
    if not CHROMIUM.exists():
        apt_install("chromium")
    build()
    env = {**os.environ, "KEA_DIST_BUILT": "1"}  # the e2e fixture then serves dist/ as is
    return subprocess.call([python, "-m", "pytest", "tests"], cwd=ROOT, env=env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build dist/")
    serving = commands.add_parser("serve", help="build, then serve dist/")
    serving.add_argument("--port", type=int, default=8000)
    commands.add_parser("test", help="install test needs, build, run pytest")
    args = parser.parse_args()
    if args.command == "build":
        build()
    elif args.command == "serve":
        serve(args.port)
    else:
        sys.exit(test())


if __name__ == "__main__":
    main()
