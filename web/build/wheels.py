"""The pure-Python wheels the page loads on first use (XLSX: XlsxWriter; reading an XLSX:
openpyxl, et-xmlfile), pinned with their sha256 in requirements-web.txt. `build.py`
downloads them with pip into .cache/wheels/ (`download_command`); this step only checks
each cached wheel against its pinned hash and copies it, under its own file name (Pyodide's
loadPackage reads the package's name and version from it), to dist/wheels/. The service
worker precaches them like every file of dist/, so an export works offline too; the page
loads them into Python only when an export or an import needs them (web/python.mjs
loadWheels). → {distribution name (lower case, "-"): URL relative to the page}."""

import re

from .files import copy_file, digest
from .paths import ROOT

REQUIREMENTS = ROOT / "requirements-web.txt"
CACHE = ROOT / ".cache" / "wheels"
FOLDER = "wheels"  # in dist/
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})\s*$")


def pins(path=REQUIREMENTS):
    """[(name, version, sha256)] of requirements-web.txt; a line that is not such a pin stops
    the build (pip would take it, and the page would ship an unpinned wheel)."""
    found = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        if not match:
            raise SystemExit(f"{path.name}:{number}: expected NAME==VERSION --hash=sha256:HEX")
        found.append(match.groups())
    return found


def download_command(python, cache=CACHE, path=REQUIREMENTS):
    """The pip command that fills the cache: the exact wheels, no dependency resolution (each
    is pinned), never a source build, every file checked against its hash."""
    return [python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--require-hashes", "-r", path, "-d", cache]


def cached(name, version, sha256, cache=CACHE):
    """The cached wheel of a pin whose bytes have its hash, or None."""
    stem = re.sub(r"[-_.]+", "_", name).lower()
    for wheel in sorted(cache.glob("*.whl")):
        if wheel.name.lower().startswith(f"{stem}-{version}-") and digest(wheel) == sha256:
            return wheel
    return None


def missing(cache=CACHE):
    """The pins that have no verified wheel in the cache (pip is then run)."""
    return [pin for pin in pins() if cached(*pin, cache=cache) is None]


def copy_wheels(dist, cache=CACHE):
    """dist/wheels/<wheel file> for every pin → {name: "./wheels/<file>"}."""
    urls = {}
    for name, version, sha256 in pins():
        wheel = cached(name, version, sha256, cache)
        if wheel is None:
            raise SystemExit(f"{name}=={version}: no wheel with the pinned hash in {cache} "
                             "(python3 build.py build downloads it)")
        copy_file(wheel, dist / FOLDER / wheel.name)
        urls[re.sub(r"[-_.]+", "-", name).lower()] = f"./{FOLDER}/{wheel.name}"
    return urls
