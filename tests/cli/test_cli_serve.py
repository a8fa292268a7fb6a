"""`hearth serve` as a script runs it: serve, answer, Ctrl+C; a key when sharing, never on a command line; a port in
use; kill -9 and SIGHUP leave no server behind; a server an earlier Hearth left is found and stopped (loopback only)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from desktop_app.cli import main
from desktop_app.commands.serve import options_from_args
from desktop_app.core.remote import strays
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.errors import RemoteAuthFailed
from desktop_app.core.remote.serve import ServeEngine
from serve_factory import free_port, gone_within, make_stray, port_free

pytestmark = pytest.mark.allow_loopback


def serve_args(model, **overrides) -> argparse.Namespace:
    values = dict(model=str(model), host="127.0.0.1", port=free_port(), api_key=None, api_key_file=None, parallel=2,
                  ctx=512, threads=1, gpu_layers=0, engine="llama-server")
    values.update(overrides)
    return argparse.Namespace(**values)


def test_sharing_without_a_key_generates_one_and_shows_it_once(tiny_gguf, capsys):
    options = options_from_args(serve_args(tiny_gguf, host="0.0.0.0"))
    assert options.api_key and len(options.api_key) >= 32
    assert capsys.readouterr().err.count(options.api_key) == 1
    assert options_from_args(serve_args(tiny_gguf)).api_key is None  # this PC only: no key


def start_serving(model, port: int, *extra: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "serve", str(model), "--port", str(port), "--ctx", "512", "--threads", "1",
         "--parallel", "2", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    line = process.stdout.readline()
    assert line.startswith(f"serving tiny-llama at http://127.0.0.1:{port}/v1 (llama-server"), line + process.stderr.read()
    return process


def the_server_of(hearth: subprocess.Popen) -> psutil.Process:
    (child,) = psutil.Process(hearth.pid).children()
    return child


def finish(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdout.close()
    process.stderr.close()


def test_serve_answers_with_the_key_from_a_file_and_stops_on_ctrl_c(tiny_gguf, tmp_path):
    key = "k3y-only-for-clients"
    key_file = tmp_path / "key.txt"
    key_file.write_text(key + "\n")
    port = free_port()
    process = start_serving(tiny_gguf, port, "--api-key-file", str(key_file))
    try:
        assert "curl" in process.stdout.readline()
        server = the_server_of(process)
        for pid in (process.pid, server.pid):  # what `ps` shows every user of the PC
            assert key not in " ".join(psutil.Process(pid).cmdline())
            assert key.encode() not in (Path(f"/proc/{pid}/cmdline").read_bytes() if sys.platform.startswith("linux") else b"")
        with RemoteEngine(f"http://127.0.0.1:{port}", max_retries=0) as anonymous:
            with pytest.raises(RemoteAuthFailed):
                anonymous.list_models()
        with RemoteEngine(f"http://127.0.0.1:{port}", api_key=key) as engine:
            assert engine.list_models() == ["tiny-llama"]
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert "stopped" in process.stderr.read()
    finally:
        finish(process)
    assert port_free(port)  # the child is gone: the port is free again


def test_a_key_on_the_command_line_is_refused_in_one_sentence(tiny_gguf, capsys):
    assert main(["serve", str(tiny_gguf), "--port", str(free_port()), "--api-key", "abc"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "hearth: --api-key puts the key where every user of this PC can read it (ps, /proc) for as long as the server "
        "runs. Write it to a file only you can read and pass --api-key-file FILE instead.")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP])
def test_killing_hearth_serve_leaves_no_server_behind(tiny_gguf, how):
    port = free_port()
    process = start_serving(tiny_gguf, port)
    server = the_server_of(process)
    try:
        process.send_signal(how)
        process.wait(30)
        assert gone_within(server, 15), f"llama-server (pid {server.pid}) outlived hearth serve's {how.name}"
    finally:
        finish(process)
        if not gone_within(server, 0):  # a failed run leaves nothing running either
            server.kill()
    assert port_free(port)
    if how == signal.SIGHUP:  # the terminal closed: a clean stop (exit 0), not a death by signal
        assert process.returncode == 0


def test_a_server_an_earlier_hearth_left_is_named_and_stopped(tiny_gguf, capsys):
    with make_stray(tiny_gguf, ServeEngine.LLAMA_SERVER) as stray:
        port = stray.options.port
        assert main(["serve", str(tiny_gguf), "--port", str(port)]) == 1
        assert capsys.readouterr().err.strip() == (
            f"hearth: Port {port} on 127.0.0.1 is in use by a server that an earlier Hearth started and left running "
            f"(process {stray.pid}). Stop it with `hearth serve --stop-stray`, or choose another port.")
        assert main(["serve", "--stop-stray"]) == 0
        assert capsys.readouterr().err.strip() == (
            f"hearth: stopped the server an earlier Hearth left running (process {stray.pid}, port {port})")
        assert not stray.running and port_free(port) and strays.strays() == []
    assert main(["serve", "--stop-stray"]) == 0
    assert "no server left running by an earlier Hearth was found" in capsys.readouterr().err


def test_a_port_in_use_is_one_plain_line(tiny_gguf, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(tiny_gguf), "--port", str(port)]) == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err


def test_on_a_terminal_hearth_serve_offers_to_stop_the_stray_and_then_serves(tiny_gguf):
    import pty

    with make_stray(tiny_gguf, ServeEngine.LLAMA_SERVER) as stray:
        port = stray.options.port
        controller, terminal = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "serve", str(tiny_gguf), "--port", str(port), "--ctx", "512",
             "--threads", "1", "--parallel", "2"],
            stdin=terminal, stderr=terminal, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        os.close(terminal)
        try:
            asked = b""
            while b"[y/N]" not in asked:
                data = os.read(controller, 4096)  # the question comes, or the process ends (EIO) and the test fails
                assert data, asked
                asked += data
            assert f"(process {stray.pid}). Stop it and serve here? [y/N]".encode() in asked
            os.write(controller, b"y\n")
            line = process.stdout.readline()
            assert line.startswith(f"serving tiny-llama at http://127.0.0.1:{port}/v1"), line
            assert not stray.running
            process.send_signal(signal.SIGINT)
            assert process.wait(30) == 0
        finally:
            os.close(controller)
            if process.poll() is None:
                process.kill()
            process.wait()
            process.stdout.close()
    assert port_free(port)


@pytest.mark.parametrize("content, sentence", [
    (b"\xff\xfe\x00k", "is not a text file in UTF-8, so it holds no API key Hearth can read."),
    (b"k" * (65 << 10), "is larger than any API key file (64 KB at most); check that it is the right file."),
    (b"two words\n", "An API key may not be empty nor contain spaces, commas or line breaks. Use letters, digits and - _ . only."),
])
def test_a_bad_key_file_is_one_plain_line(tiny_gguf, tmp_path, capsys, content, sentence):
    key_file = tmp_path / "key.txt"
    key_file.write_bytes(content)
    assert main(["serve", str(tiny_gguf), "--port", str(free_port()), "--api-key-file", str(key_file)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("hearth: ") and err.endswith(sentence) and len(err.splitlines()) == 1
