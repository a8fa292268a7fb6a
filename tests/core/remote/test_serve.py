"""Serving a GGUF from a child process: keys, ports, stats, and 8 clients at once (loopback only)."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from desktop_app.core import paths
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.errors import PortInUse, RemoteAuthFailed, ServeError
from desktop_app.core.remote.serve import ServeEngine, ServeOptions, ServeProcess, parse_metrics
from desktop_app.core.sampling import SamplingParams
from serve_factory import free_port, running_server

pytestmark = pytest.mark.allow_loopback


@pytest.fixture(scope="module")
def llama_server(tiny_gguf):
    """`hearth serve`'s engine with a key, 8 slots: one server for the module."""
    assert paths.llama_server_binary() is not None, "llama-server is missing: `make setup` builds it"
    with running_server(tiny_gguf, engine=ServeEngine.LLAMA_SERVER, api_key="k-123", parallel=8) as server:
        yield server


def test_sharing_on_the_network_needs_a_key(tiny_gguf):
    with pytest.raises(ServeError, match="needs an API key"):
        ServeOptions(tiny_gguf, host="0.0.0.0").validate()
    ServeOptions(tiny_gguf, host="0.0.0.0", api_key="k").validate()
    ServeOptions(tiny_gguf, host="127.0.0.1").validate()  # this PC only: no key needed


def test_a_port_in_use_is_refused_before_starting(tiny_gguf):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = ServeProcess(ServeOptions(tiny_gguf, port=port, engine=ServeEngine.LLAMA_CPP_PYTHON))
        with pytest.raises(PortInUse, match=f"Port {port} on 127.0.0.1 is already in use"):
            server.start()
        assert server.pid is None  # nothing was started


def test_a_model_the_server_cannot_load_stops_with_its_output(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ServeError, match="stopped while starting"):
        with ServeProcess(ServeOptions(bad, port=free_port(), engine=ServeEngine.LLAMA_SERVER)) as server:
            server.start(timeout=60)


def test_llama_server_wants_the_key(llama_server):
    with RemoteEngine(llama_server.base_url, max_retries=0) as anonymous:
        with pytest.raises(RemoteAuthFailed):
            anonymous.list_models()
    with RemoteEngine(llama_server.base_url, api_key="k-123") as engine:
        assert engine.list_models() == ["tiny-llama"]
        info = engine.connect()
        assert info.n_ctx == 512  # per slot, read from /props
        assert engine.counts_exactly  # llama-server's /tokenize


def test_eight_clients_twenty_requests_each_get_their_own_replies(llama_server):
    prompts = [[f"client {c} request {r}: {' '.join(str((c * 7 + r * 3 + k) % 10) for k in range(4))}" for r in range(20)] for c in range(8)]
    sampling = SamplingParams(temperature=0, max_tokens=8)
    with RemoteEngine(llama_server.base_url, api_key="k-123", n_ctx=512) as engine:
        engine.connect()
        alone = {p: engine.complete(p, sampling).text for p in prompts[0][:5] + [row[0] for row in prompts]}

        def client(rows: list[str]) -> list[tuple[str, str]]:
            return [(p, engine.complete(p, sampling).text) for p in rows]

        with ThreadPoolExecutor(8) as pool:
            results = [pair for rows in pool.map(client, prompts) for pair in rows]
    assert len(results) == 160
    checked = [(p, text) for p, text in results if p in alone]
    assert len(checked) >= 12 and all(text == alone[p] for p, text in checked)
    assert len({text for _, text in results}) > 1  # distinct prompts, distinct replies
    stats = llama_server.stats()
    assert stats.requests_served >= 160 and stats.tokens_generated > 0


def test_metrics_text_is_parsed():
    text = "# HELP x\nllamacpp:requests_processing 2\nllamacpp:tokens_predicted_total 1234\nbad line\n"
    assert parse_metrics(text) == {"llamacpp:requests_processing": 2.0, "llamacpp:tokens_predicted_total": 1234.0}


def test_the_binary_is_found_in_the_bundle_first(tmp_path, monkeypatch):
    bundle, venv = tmp_path / "bundle", tmp_path / "venv" / "bin"
    bundle.mkdir()
    venv.mkdir(parents=True)
    bundled, beside_python = bundle / paths.LLAMA_SERVER, venv / paths.LLAMA_SERVER
    bundled.write_text("#!/bin/sh\n")
    beside_python.write_text("#!/bin/sh\n")
    beside_python.chmod(0o755)
    monkeypatch.setattr(paths, "bundle_root", lambda: bundle)
    monkeypatch.setattr(paths.sys, "executable", str(venv / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert paths.llama_server_binary() == beside_python  # the bundle's is not executable: the next place's is used
    bundled.chmod(0o755)
    assert paths.llama_server_binary() == bundled
