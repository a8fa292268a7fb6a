"""A small OpenAI-compatible server on 127.0.0.1 that misbehaves on purpose (remote-engine hardening tests).

It lists one model ("m"), has no /props and no tokenizer (404), and answers a completion as ``reply`` says:
- "ok": three pieces, a finish, [DONE];
- "endless_tokens": a piece of text after another, for ever;
- "pings": the head, then keep-alive comments for ever, never text;
- "big_pieces": pieces of 64 KB of text, for ever (a 1 GB reply, sent lazily);
- "endless_line": one data line that never ends (a 1 GB event);
- "no_head": the request is read, nothing is ever answered;
- "one_then_silence": one piece, then nothing (the connection stays open);
- "drip": a piece every ``drip_s`` seconds, for ever;
- "unknown_model": 404, as vLLM answers for a model it does not serve.
``models`` is "ok", "huge" (a model list that never ends), "no_head", "hang_up" (the connection is closed
after ``hang_up_s`` without an answer, every time) or "gzip" (compressed though not asked: a bomb could expand). ``tokenize`` is "absent" (404), or
"flaky": ``/tokenize`` answers 503 to its first ``flaky_failures`` requests, then counts a token per byte.
``redirect_to``: every request is answered 307 to that base URL (same path). Each request is recorded
(method, path, body, headers). Endless answers
stop when the client hangs up or the server closes; every handler thread is joined on exit.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODELS = b'{"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "test"}]}'


def piece(text: str, finish: str | None = None) -> bytes:
    event = {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]}
    return b"data: " + json.dumps(event).encode() + b"\n\n"


class HostileServer:
    def __init__(self, reply: str = "ok", models: str = "ok", redirect_to: str | None = None, drip_s: float = 0.1,
                 tokenize: str = "absent", flaky_failures: int = 1, hang_up_s: float = 0.9):
        self.reply, self.models, self.redirect_to, self.drip_s = reply, models, redirect_to, drip_s
        self.tokenize, self.flaky_failures, self.hang_up_s = tokenize, flaky_failures, hang_up_s
        self.requests: list[tuple[str, str, bytes, dict]] = []
        self.stop = threading.Event()
        self.connections: set[socket.socket] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                server.connections.add(self.connection)

            def finish(self):
                server.connections.discard(self.connection)
                super().finish()

            def do_GET(self):
                self._answer(b"")

            def do_POST(self):
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _answer(self, body: bytes) -> None:
                server.requests.append((self.command, self.path, body, dict(self.headers)))
                if server.redirect_to:
                    self._send(307, b"", {"Location": server.redirect_to + self.path})
                elif self.path == "/tokenize" and server.tokenize == "flaky":
                    if len(server.posted("/tokenize")) <= server.flaky_failures:
                        self._send(503, b'{"error": {"message": "loading"}}')
                    else:
                        content = json.loads(body).get("content", "")
                        self._send(200, json.dumps({"tokens": list(content.encode())}).encode())
                elif self.path == "/v1/models":
                    server._models(self)
                elif self.path in ("/v1/chat/completions", "/v1/completions"):
                    server._reply(self)
                else:
                    self._send(404, b'{"error": {"message": "not here"}}')

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True  # handler threads are joined on exit
        self.httpd.handle_error = self._handle_error
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def posted(self, path: str) -> list[bytes]:
        return [body for method, p, body, _headers in self.requests if method == "POST" and p == path]

    def _models(self, handler) -> None:
        if self.models == "no_head":
            self.stop.wait(60)
        elif self.models == "gzip":
            import gzip

            handler._send(200, gzip.compress(b" " * (1 << 20) + MODELS), {"Content-Encoding": "gzip"})
        elif self.models == "hang_up":
            self.stop.wait(self.hang_up_s)
            handler.close_connection = True
        elif self.models == "huge":
            self._stream(handler, b'{"object": "list", "data": [', lambda i: b'{"id": "m", "object": "model"},' * 2000,
                         "application/json")
        else:
            handler._send(200, MODELS)

    def _reply(self, handler) -> None:
        kind = self.reply
        if kind == "no_head":
            self.stop.wait(60)
            return
        if kind == "unknown_model":
            handler._send(404, b'{"error": {"message": "The model `m` does not exist."}}')
            return
        if kind == "ok":
            events = [piece("Hello"), piece(" there"), piece("!", "stop"), b"data: [DONE]\n\n"]
            self._stream(handler, b"", lambda i: events[i] if i < len(events) else None)
            return
        pieces = {
            "endless_tokens": lambda i: piece("a"),
            "pings": lambda i: b": ping\n\n" if not self.stop.wait(0.01) else None,
            "big_pieces": lambda i: piece("x" * 65536),
            "endless_line": lambda i: b'data: {"choices": [{"delta": {"content": "' if i == 0 else b"y" * 65536,
            "one_then_silence": lambda i: piece("one") if i == 0 else (None if self.stop.wait(60) else None),
            "drip": lambda i: piece("d") if i == 0 or not self.stop.wait(self.drip_s) else None,
        }
        self._stream(handler, b"", pieces[kind])

    def _stream(self, handler, first: bytes, nth, content_type: str = "text/event-stream") -> None:
        """Chunked: ``first``, then ``nth(0)``, ``nth(1)``… until one is None, the client hangs up, or the server stops."""
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            if first:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(first), first))
            i = 0
            while not self.stop.is_set():
                data = nth(i)
                if data is None:
                    break
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                i += 1
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client hung up: what a bounded client does
            handler.close_connection = True

    def _handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        ThreadingHTTPServer.handle_error(self.httpd, request, client_address)

    def __enter__(self) -> "HostileServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.httpd.shutdown()
        for connection in list(self.connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.httpd.server_close()
        self.thread.join(timeout=10)
