"""The suite-wide network guard (tests/conftest.py) refuses what it must and allows loopback only when marked."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests


def _refused(network_guard, call) -> str:
    with pytest.raises(OSError, match="network access blocked"):
        call()
    attempt = network_guard.attempts.pop()  # recorded: the test would fail at teardown
    assert not network_guard.attempts
    return attempt


def test_a_connection_to_another_host_is_refused_and_recorded(network_guard):
    attempt = _refused(network_guard, lambda: socket.create_connection(("192.0.2.1", 443), timeout=0.5))
    assert "192.0.2.1" in attempt


def test_a_name_lookup_is_refused(network_guard):
    attempt = _refused(network_guard, lambda: socket.getaddrinfo("mobile.events.data.microsoft.com", 443))
    assert "getaddrinfo" in attempt


def test_a_udp_datagram_is_refused(network_guard):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        attempt = _refused(network_guard, lambda: sock.sendto(b"x", ("192.0.2.53", 53)))
    assert "sendto" in attempt


def test_loopback_is_refused_without_the_marker(network_guard):
    _refused(network_guard, lambda: socket.create_connection(("127.0.0.1", 9), timeout=0.5))


def test_an_error_swallowed_by_the_code_still_fails_the_test(pytester):
    pytester.makeconftest((__import__("pathlib").Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(
        """
        import socket
        def test_swallows():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=0.5)
            except OSError:
                pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*tried to reach the network*192.0.2.1*"])


@pytest.mark.allow_loopback
def test_the_marker_allows_loopback_and_nothing_else(network_guard):
    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Hello) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            assert requests.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5).text == "ok"
            assert requests.get(f"http://localhost:{server.server_address[1]}/", timeout=5).text == "ok"
        finally:
            server.shutdown()
    _refused(network_guard, lambda: socket.create_connection(("192.0.2.1", 443), timeout=0.5))


def test_binding_to_loopback_is_allowed_but_not_to_every_interface(network_guard):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        _refused(network_guard, lambda: sock.bind(("0.0.0.0", 0)))
