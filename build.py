#!/usr/bin/env python3
"""Build, serve and test the web calculator (standard library only): the command line and
what it installs; the build itself is web/build/ (docs/BUILD.md).

    python3 build.py build              # dist/: the self-contained static site
    python3 build.py serve [--port N]   # build, then serve dist/ on http://127.0.0.1:N
    python3 build.py test               # install test needs, build, run every test
    python3 build.py bench [ARGS…]      # install test needs, build, run bench/page.py ARGS
"""

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from web.build import build_site, wheels
from web.build.paths import DIST, NODE, ROOT
from web.build.serve import Handler, make_server  # noqa: F401 (the e2e tests serve with them)

VENV = ROOT / ".venv"
CHROMIUM = Path("/usr/bin/chromium")


def run(command, **options):
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run(command, check=True, **options)


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
    wanted = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    if shutil.which("npm") is None:
        apt_install("npm")
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    stamp.write_text(wanted)


def vendor_wheels():
    """The page's pure-Python wheels (requirements-web.txt, hash-pinned) in .cache/wheels/;
    pip runs only when one is missing or its bytes do not have the pinned hash."""
    if not wheels.missing():
        return
    python = sys.executable if importlib.util.find_spec("pip") else venv_python()
    wheels.CACHE.mkdir(parents=True, exist_ok=True)
    run(wheels.download_command(python))


def build():
    """dist/, the static site: the pinned runtime in node_modules and the pinned wheels in
    .cache/wheels/, then the pipeline (web/build/, docs/BUILD.md)."""
    vendor_npm()
    vendor_wheels()
    build_site(DIST)
    size = sum(f.stat().st_size for f in DIST.rglob("*") if f.is_file())
    print(f"dist/ built: {size / 2**20:.1f} MiB", flush=True)


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
    # two pytest-xdist workers, a file each at a time (a file's module fixtures, such as a
    # second build of the site, are made once): the suite is sized for 2 cores
    return subprocess.call([python, "-m", "pytest", "tests", "-n", "2", "--dist", "loadfile"],
                           cwd=ROOT, env=env)


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
    commands.add_parser("bench", help="install test needs, build, run bench/page.py with the "
                                      "arguments that follow (bench -h lists them)")
    argv = sys.argv[1:]
    if argv[:1] == ["bench"]:
        # what follows is the harness's, unparsed (argparse's REMAINDER would refuse an
        # argument that begins with "--" right after the command); -h gives bench/page.py's help
        sys.exit(bench(argv[1:]))
    args = parser.parse_args(argv)
    if args.command == "build":
        build()
    elif args.command == "serve":
        serve(args.port)
    else:
        sys.exit(test())


if __name__ == "__main__":
    main()
