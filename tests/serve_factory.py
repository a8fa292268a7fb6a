"""Real OpenAI-compatible servers on 127.0.0.1 for the remote-engine and serve tests (always stopped)."""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

from desktop_app.core.remote import strays
from desktop_app.core.remote.serve import ServeEngine, ServeOptions, ServeProcess


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def gone_within(process: psutil.Process, timeout_s: float) -> bool:
    """Poll until ``process`` no longer runs (a zombie waiting for its reaper counts as gone), up to a deadline."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()
    while True:
        try:
            if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(0.05)


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


@contextmanager
def make_stray(model: Path, engine: ServeEngine = ServeEngine.LLAMA_SERVER):
    """A server as an earlier Hearth would have left it: running, recorded, its owner gone (the record's owner
    start time is one no process has, so the owner reads as ended)."""
    with running_server(model, engine) as server:
        path = strays.records_path()
        records = json.loads(path.read_text())
        for record in records:
            if record["pid"] == server.pid:
                record["owner_started"] = 0.0
        path.write_text(json.dumps(records))
        assert [s.pid for s in strays.strays()] == [server.pid]
        yield server
