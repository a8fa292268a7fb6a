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
def tiny_2k(tmp_path_factory) -> Path:
    """A tiny GGUF with a 2,048-token context: room for a document's chunks."""
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-2k.gguf", context_length=2048)


@pytest.fixture(scope="module")
def tiny_engine(tiny_2k):
    """``tiny_2k`` loaded once per module (random weights: fast, and what it writes is noise)."""
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

    engine = LlamaEngine()
    engine.load(tiny_2k, LoadOptions(n_ctx=2048, n_threads=2, check_memory=False))
    yield engine
    engine.close()


# ---- keychain: every test gets an empty one in memory; none ever touches the machine's -----------------

@pytest.fixture(autouse=True)
def memory_keychain(monkeypatch):
    """An empty keychain that works, in memory (tests/keyring_factory.py). Subprocesses get none at all
    (PYTHON_KEYRING_BACKEND), so a `hearth` a test starts never reaches the real keychain either."""
    import keyring
    from keyring.backends import fail
    from keyring_factory import MemoryKeyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # never the real one back: the next test sets its own


@pytest.fixture
def no_keychain(memory_keychain):
    """A machine without a keychain (headless Linux): the keyring reports none."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())


@pytest.fixture(scope="session")
def default_chat_model() -> Path:
    from desktop_app.core.library.registry import ModelRegistry

    entry = ModelRegistry().default("chat")
    return entry.path


@pytest.fixture(scope="session")
def real_engine(default_chat_model):
    """The real default model, loaded once for the session (2048-token context keeps it quick)."""
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

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


# ---- jobs (ui/workers.py): none left running at a test's end, no unexpected WARNING or ERROR from a job ----
# napari's _dangling_qthreads / _dangling_qthread_pool and qutebrowser's logfail, for our one runner.

JOB_SETTLE_MS = 30000  # a test's own jobs get this long to finish before it fails for leaving them


class _JobLogRecords(logging.Handler):
    """Keeps WARNING and ERROR records logged inside a job, or by the runner about a job's unhandled error."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        runner = sys.modules.get("desktop_app.ui.workers")
        if runner is not None and (runner.in_job() or record.name == runner.__name__):
            self.records.append(record)


@pytest.fixture(autouse=True)
def _job_logs(request):
    handler = _JobLogRecords()
    logger = logging.getLogger("desktop_app")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records and "job_log" not in request.fixturenames:
        lines = "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"a job logged an unexpected warning or error (request job_log if it is expected):\n{lines}",
                    pytrace=False)


@pytest.fixture
def job_log(_job_logs) -> list[logging.LogRecord]:
    """Request this in a test that expects a job to log a warning or an error; it holds those records."""
    return _job_logs


@pytest.fixture(autouse=True)
def _dangling_jobs(request, _job_logs):
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


# --- network guard: nothing leaves the machine --------------------------------------------
# Every test runs with Python's sockets guarded: a connection, datagram, name lookup or a bind
# beyond loopback, for anything but an AF_UNIX socket, is refused (OSError) and fails the test at teardown,
# even if the code under test swallowed the error. @pytest.mark.allow_loopback lets a test
# use 127.0.0.0/8 and ::1 (the download tests' server); nothing else, ever. Subprocesses are
# not covered by this: tests/test_no_network.py traces them with strace.
import ipaddress  # noqa: E402
import socket  # noqa: E402

pytest_plugins = ["pytester"]  # tests/test_network_guard.py runs the guard on a swallowed error

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NetworkBlocked(OSError):
    """A test tried to reach the network."""


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or str(host).lower() in LOOPBACK_NAMES:
        return host is not None
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    def __init__(self, allow_loopback: bool):
        self.allow_loopback = allow_loopback
        self.attempts: list[str] = []

    def check(self, what: str, family, address) -> None:
        if family == getattr(socket, "AF_UNIX", None) or address is None:
            return
        host = address[0] if isinstance(address, tuple) else address
        # binding to loopback sends nothing (urllib3 binds ::1 at import to test for IPv6)
        if (self.allow_loopback or what == "bind") and _is_loopback(host):
            return
        self.attempts.append(f"{what} {address!r}")
        raise NetworkBlocked(f"network access blocked in tests: {what} {address!r}")

    def install(self, monkeypatch) -> None:
        guard, real = self, socket.socket
        for name in ("connect", "connect_ex", "bind"):
            original = getattr(real, name)

            def wrapper(sock, address, _original=original, _name=name):
                guard.check(_name, sock.family, address)
                return _original(sock, address)

            monkeypatch.setattr(real, name, wrapper)
        original_sendto = real.sendto

        def sendto(sock, data, *args):
            guard.check("sendto", sock.family, args[-1] if args else None)
            return original_sendto(sock, data, *args)

        original_sendmsg = real.sendmsg

        def sendmsg(sock, buffers, ancdata=(), flags=0, address=None):
            guard.check("sendmsg", sock.family, address)
            if address is None:
                return original_sendmsg(sock, buffers, ancdata, flags)
            return original_sendmsg(sock, buffers, ancdata, flags, address)

        original_getaddrinfo = socket.getaddrinfo

        def getaddrinfo(host, *args, **kwargs):
            guard.check("getaddrinfo", socket.AF_INET, host)
            return original_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(real, "sendto", sendto)
        monkeypatch.setattr(real, "sendmsg", sendmsg)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def network_guard(request, monkeypatch):
    guard = NetworkGuard(allow_loopback=request.node.get_closest_marker("allow_loopback") is not None)
    guard.install(monkeypatch)
    yield guard
    if guard.attempts:
        pytest.fail("the test tried to reach the network: " + "; ".join(guard.attempts[:5]), pytrace=False)
