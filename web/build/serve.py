"""A static server of dist/ for `build.py serve` and the browser tests."""

import functools
import http.server

from .paths import DIST

MIME = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".json": "application/json", ".whl": "application/zip", ".py": "text/x-python"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

    def log_message(self, *args):
        pass  # quiet: the tests and a person at the console need no access log


def make_server(port, folder=DIST):
    """A threaded static server of folder on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(Handler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
