"""Copying files into dist/, bundling JavaScript, and naming files by their content."""

import hashlib
import shutil
import subprocess
from pathlib import Path

from .paths import NODE, ROOT


def digest(path):
    """sha256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def short_hash(text):
    """12 hex digits of sha256: the content part of a file's or folder's URL."""
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()[:12]


def copy_file(source, target):
    """Copy a file; JavaScript loses its source-map comment (the maps are not shipped)."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix not in (".js", ".mjs"):
        return shutil.copyfile(source, target)
    lines = source.read_text("utf-8").splitlines(keepends=True)
    target.write_text("".join(l for l in lines if not l.startswith("//# sourceMappingURL=")), "utf-8")
    return target


def copy_tree(source, target, *ignore):
    """A folder copied with copy_file, leaving out the names matching the ignore patterns."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*ignore), copy_function=copy_file)


def esbuild(*arguments):
    """Runs the pinned esbuild (package.json) from the repository, so that a bundle's comments
    name each module by its path there."""
    subprocess.run([NODE / ".bin" / "esbuild", *map(str, arguments), "--log-level=warning"],
                   cwd=ROOT, check=True)
