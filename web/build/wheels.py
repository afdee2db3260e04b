"""The pure-Python wheels the page loads on first use (XLSX: XlsxWriter; reading an XLSX:
openpyxl, et-xmlfile), pinned with their sha256 in requirements-web.txt. `build.py`
downloads them with pip into .cache/wheels/ (`download_command`); this step only checks
each cached wheel against its pinned hash and writes it, under its own file name, to
dist/wheels/ with the same entries stored instead of deflated: the page downloads it gzipped
whole (<file>.gz, compress.py), a fifth smaller than PyPI's file. The service worker
precaches them like every file of dist/, so an export works offline too; the page loads
them into Python only when an export or an import needs them (web/python.mjs loadWheels).
→ {distribution name (lower case, "-"): path in dist/}."""

import re
import zipfile

from .files import digest
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
    """dist/wheels/<wheel file> for every pin → {name: "wheels/<file>"}."""
    (dist / FOLDER).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, version, sha256 in pins():
        wheel = cached(name, version, sha256, cache)
        if wheel is None:
            raise SystemExit(f"{name}=={version}: no wheel with the pinned hash in {cache} "
                             "(python3 build.py build downloads it)")
        stored(wheel, dist / FOLDER / wheel.name)
        paths[re.sub(r"[-_.]+", "-", name).lower()] = f"{FOLDER}/{wheel.name}"
    return paths


def stored(wheel, target):
    """The wheel's entries, names, dates and bytes unchanged (its RECORD still holds), in a
    zip that stores them: gzip then packs the files together, not one by one."""
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w") as copy:
        for entry in source.infolist():
            copy.writestr(entry, source.read(entry), compress_type=zipfile.ZIP_STORED)
