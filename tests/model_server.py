"""A real HTTP server on 127.0.0.1 for download tests: Range, HEAD, drops, stalls, 404s.

Files are registered by URL path with a behaviour:
- "ok": serve, honouring Range (206 + Content-Range);
- "drop_once": the first GET sends half the body then closes the connection;
- "drop_always": every GET ends after the first bytes it sends;
- "stall": headers, then nothing until the test releases it (read timeout);
- "ignore_range": always 200 with the whole body;
- "slow": the body in 8 KB pieces, 10 ms apart (time to press Pause).
Any other path answers 404. Hugging Face's /{repo}/resolve/{rev}/{file} layout works too,
with the LFS-style ETag (the sha256) on HEAD.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ServedFile:
    body: bytes
    behaviour: str = "ok"
    gets: int = 0
    ranges: list = field(default_factory=list)  # the Range header of each GET (None when absent)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class ModelServer:
    def __init__(self):
        self.files: dict[str, ServedFile] = {}
        self.redirects: dict[str, str] = {}  # path -> Location, answered with 302
        self.release = threading.Event()  # lets stalled handlers finish
        self.connections: set[socket.socket] = set()  # open client connections, closed on exit
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def setup(self):
                super().setup()
                server.connections.add(self.connection)

            def finish(self):
                server.connections.discard(self.connection)
                super().finish()

            def do_HEAD(self):
                served = server.files.get(self.path)
                if served is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(served.body)))
                # the Hub's ETag of an LFS file is its sha256; of a small git file, a shorter git hash
                self.send_header("ETag", f'"{served.sha256[:40] if served.behaviour == "git_etag" else served.sha256}"')
                self.send_header("X-Repo-Commit", "0" * 40)
                self.end_headers()

            def do_GET(self):
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                served = server.files.get(self.path)
                if served is None:
                    self.send_error(404)
                    return
                served.gets += 1
                range_header = self.headers.get("Range")
                served.ranges.append(range_header)
                body, start = served.body, 0
                if range_header and served.behaviour != "ignore_range":
                    start = int(range_header.split("=")[1].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                part = body[start:]
                self.send_header("Content-Length", str(len(part)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                if served.behaviour == "stall":
                    server.release.wait(10)
                    return
                drop = served.behaviour == "drop_always" or (served.behaviour == "drop_once" and served.gets == 1)
                if drop:
                    self.wfile.write(part[: max(1, len(part) // 2)])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if served.behaviour == "slow":
                    for at in range(0, len(part), 8192):
                        if server.release.wait(0.01):
                            return
                        try:
                            self.wfile.write(part[at : at + 8192])
                        except OSError:  # the client hung up (pause or cancel)
                            return
                    return
                self.wfile.write(part)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # request threads are joined on exit (after their connections are cut), so none outlives the test
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self.httpd.handle_error = self._handle_error
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], OSError):  # a client hung up, or exit cut the connection
            return
        ThreadingHTTPServer.handle_error(self.httpd, request, client_address)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, path: str, body: bytes, behaviour: str = "ok") -> str:
        self.files[path] = ServedFile(body, behaviour)
        return self.base_url + path

    def redirect(self, path: str, location: str) -> str:
        self.redirects[path] = location
        return self.base_url + path

    def __enter__(self) -> "ModelServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        for connection in list(self.connections):  # keep-alive handlers wait for the next request
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.httpd.server_close()
        self.thread.join(timeout=10)
