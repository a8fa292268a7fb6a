"""`hearth serve` as a script runs it: serve, answer, Ctrl+C; a key when sharing; a port in use (loopback only)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys

import pytest

from desktop_app.cli import main
from desktop_app.commands.serve import options_from_args
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.errors import RemoteAuthFailed
from serve_factory import free_port

pytestmark = pytest.mark.allow_loopback


def serve_args(model, **overrides) -> argparse.Namespace:
    values = dict(model=str(model), host="127.0.0.1", port=free_port(), api_key=None, parallel=2, ctx=512,
                  threads=1, gpu_layers=0, engine="llama-server")
    values.update(overrides)
    return argparse.Namespace(**values)


def test_sharing_without_a_key_generates_one_and_shows_it_once(tiny_gguf, capsys):
    options = options_from_args(serve_args(tiny_gguf, host="0.0.0.0"))
    assert options.api_key and len(options.api_key) >= 32
    assert capsys.readouterr().err.count(options.api_key) == 1
    assert options_from_args(serve_args(tiny_gguf)).api_key is None  # this PC only: no key


def test_serve_answers_with_the_key_and_stops_on_ctrl_c(tiny_gguf):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "serve", str(tiny_gguf), "--port", str(port), "--api-key", "abc",
         "--ctx", "512", "--threads", "1", "--parallel", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"serving tiny-llama at http://127.0.0.1:{port}/v1 (llama-server"), line
        assert "curl" in process.stdout.readline()
        with RemoteEngine(f"http://127.0.0.1:{port}", max_retries=0) as anonymous:
            with pytest.raises(RemoteAuthFailed):
                anonymous.list_models()
        with RemoteEngine(f"http://127.0.0.1:{port}", api_key="abc") as engine:
            assert engine.list_models() == ["tiny-llama"]
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert "stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # the child is gone: the port is free again


def test_a_port_in_use_is_one_plain_line(tiny_gguf, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(tiny_gguf), "--port", str(port)]) == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err
