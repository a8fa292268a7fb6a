"""Shared fixtures. Tests never touch the real user data dir: HEARTH_DATA_DIR points to a temp dir."""

from __future__ import annotations

import concurrent.futures.thread
import logging
import os
import sys
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from gguf_factory import write_tiny_llama  # noqa: E402


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "hearth-data"
    monkeypatch.setenv("HEARTH_DATA_DIR", str(directory))
    return directory


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-llama.gguf")


@pytest.fixture(scope="session")
def tiny_gguf_no_template(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-no-template.gguf", chat_template=None)


@pytest.fixture(scope="session")
def default_chat_model() -> Path:
    from desktop_app.core.library.registry import ModelRegistry

    entry = ModelRegistry().default("chat")
    return entry.path


@pytest.fixture(scope="session")
def real_engine(default_chat_model):
    """The real default model, loaded once for the session (2048-token context keeps it quick)."""
    from desktop_app.core.llm.engine import LlamaEngine, LoadOptions

    engine = LlamaEngine()
    engine.load(default_chat_model, LoadOptions(n_ctx=2048, n_threads=2))
    yield engine
    engine.close()


@pytest.fixture
def model_server():
    """A real HTTP server on 127.0.0.1 (tests/model_server.py) for download tests."""
    from model_server import ModelServer

    with ModelServer() as server:
        yield server


# ---- jobs (ui/workers.py): none left running at a test's end, no unexpected ERROR from a job ----
# napari's _dangling_qthreads / _dangling_qthread_pool and qutebrowser's logfail, for our one runner.

JOB_SETTLE_MS = 30000  # a test's own jobs get this long to finish before it fails for leaving them


class _JobErrorRecords(logging.Handler):
    """Keeps ERROR records logged inside a job, or by the runner about a job's unhandled error."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        runner = sys.modules.get("desktop_app.ui.workers")
        if runner is not None and (runner.in_job() or record.name == runner.__name__):
            self.records.append(record)


@pytest.fixture(autouse=True)
def _job_errors(request):
    handler = _JobErrorRecords()
    logger = logging.getLogger("desktop_app")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records and "job_error_log" not in request.fixturenames:
        lines = "\n".join(f"  {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"a job logged an unexpected ERROR (request job_error_log if it is expected):\n{lines}", pytrace=False)


@pytest.fixture
def job_error_log(_job_errors) -> list[logging.LogRecord]:
    """Request this in a test that expects a job to log an error; it holds those records."""
    return _job_errors


@pytest.fixture(autouse=True)
def _dangling_jobs(request, _job_errors):
    runner = sys.modules.get("desktop_app.ui.workers")
    before = set(runner.active_jobs()) if runner else set()
    threads_before = set(threading.enumerate())
    qtbot = request.getfixturevalue("qtbot") if "qtbot" in request.fixturenames else None
    yield
    runner = sys.modules.get("desktop_app.ui.workers")
    if runner is None:
        return
    mine = lambda: [job for job in runner.active_jobs() if job not in before]  # noqa: E731
    if mine() and qtbot is not None:
        try:
            qtbot.waitUntil(lambda: not mine(), timeout=JOB_SETTLE_MS)
        except qtbot.TimeoutError:
            pass
    left = mine()
    if left:
        runner.cancel_all()
        pytest.fail(f"the test left {len(left)} job(s) running: {', '.join(sorted(j.name for j in left))}", pytrace=False)
    pool_threads = set(concurrent.futures.thread._threads_queues)  # idle executor workers; their work is jobs
    stray = [t for t in threading.enumerate() if t not in threads_before and t not in pool_threads]
    for thread in stray:
        thread.join(timeout=5)
    alive = [t.name for t in stray if t.is_alive()]
    if alive:
        pytest.fail(f"the test left thread(s) running: {', '.join(alive)}", pytrace=False)
