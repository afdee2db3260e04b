"""A static server of dist/ for `build.py serve` and the browser tests."""

import functools
import http.server
import sys

from .paths import DIST

MIME = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".json": "application/json", ".whl": "application/zip", ".py": "text/x-python"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

    def log_message(self, *args):
        pass  # quiet: the tests and a person at the console need no access log


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a browser that hangs up mid-download (a tab closed, a page left) is no error
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(port, folder=DIST):
    """A threaded static server of folder on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(Handler, directory=str(folder))
    return Server(("127.0.0.1", port), handler)
