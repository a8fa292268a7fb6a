"""Real OpenAI-compatible servers on 127.0.0.1 for the remote-engine and serve tests (always stopped)."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.remote.serve import ServeEngine, ServeOptions, ServeProcess


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(model: Path, engine: ServeEngine = ServeEngine.LLAMA_CPP_PYTHON, **options):
    options.setdefault("n_ctx", 512)
    options.setdefault("threads", 1)
    server = ServeProcess(ServeOptions(Path(model), port=free_port(), engine=engine, **options))
    try:
        server.start(timeout=60)
        yield server
    finally:
        server.stop()
