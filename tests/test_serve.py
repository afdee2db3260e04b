"""The static server of `build.py serve` and the browser tests (web/build/serve.py)."""

import socket
import struct
import threading
import time
import urllib.request

from web.build.serve import make_server


def serving(folder):
    server = make_server(0, folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_browser_hanging_up_mid_download_prints_nothing(tmp_path, capfd):
    (tmp_path / "big.bin").write_bytes(b"\0" * (32 << 20))
    server = serving(tmp_path)
    try:
        with socket.create_connection(("127.0.0.1", server.server_port)) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.0 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset
        time.sleep(0.5)  # the server's thread meets the reset while writing
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/big.bin") as answer:
            assert len(answer.read()) == 32 << 20  # and still serves
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
