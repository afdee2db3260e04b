"""What PyScript lacks, isolated: its bundle publishes no list of the modules it loads.
core.js statically imports a few chunks with hashed names (core-<hash>.js, …) that change
with every PyScript release; to start their downloads from the top of the page
(<link rel="modulepreload">, web/build/pages.py) instead of one after another, the build
reads those names from core.js's own import statements. Nothing of the bundle is changed;
a PyScript release that imports differently only loses the preload (tests/e2e/test_offline.py
checks that every preload is used)."""

import re

STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*["\'](\./[^"\']+)["\']')


def core_modules(dist):
    """URLs (relative to the page) of core.js and the chunks it imports statically."""
    text = (dist / "pyscript" / "core.js").read_text("utf-8")
    return [f"./pyscript/{name[2:]}" for name in STATIC_IMPORT.findall(text)]
