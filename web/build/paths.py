"""Where the build reads from and writes to."""

from pathlib import Path

WEB = Path(__file__).resolve().parents[1]  # web/: the page's sources
ROOT = WEB.parent  # the repository: engine/, norm_json/, docs/
NODE = ROOT / "node_modules"  # the browser runtime, as package-lock.json pins it
DIST = ROOT / "dist"  # the built site
