"""The one way long work runs: a function on a worker thread, results by signal.

``run_job(fn, ...)`` calls ``fn(ctx)`` on a thread pool. ``ctx.cancel`` is a
threading.Event the function checks between tokens, images or chunks;
``ctx.progress(obj)`` reaches ``on_progress`` on the GUI thread. The return value
goes to ``on_result``; an exception to ``on_error``. ``serial=`` runs the job on a
one-thread executor so all calls into one engine are serialised.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop_app.core.errors import HearthError

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    cancel: threading.Event
    progress: Callable[[Any], None]

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


class JobSignals(QObject):
    progress = Signal(object)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()


class Job:
    """A function running on a worker thread; its signals object lives on the GUI thread."""

    def __init__(self, fn: Callable[[JobContext], Any]):
        self.fn = fn
        self.signals = JobSignals()
        self.cancel_event = threading.Event()
        self.done = threading.Event()  # set once run() has returned: signals may be freed
        self.future: Future | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    def run(self) -> None:
        context = JobContext(self.cancel_event, self.signals.progress.emit)
        try:
            result = self.fn(context)
        except BaseException as exc:  # delivered to the GUI, never lost on a worker thread
            if not isinstance(exc, HearthError):
                log.error("job failed", exc_info=exc)
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(result)
        finally:
            self.signals.finished.emit()
            self.done.set()


class SerialExecutor:
    """One worker thread: every call into one engine goes through it, in order."""

    def __init__(self, name: str):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, job: Job) -> Future:
        return self.executor.submit(job.run)



_shared_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="job")
_running: list[Job] = []


def run_job(
    fn: Callable[[JobContext], Any],
    *,
    parent: QObject | None = None,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    serial: SerialExecutor | None = None,
) -> Job:
    _running[:] = [j for j in _running if j.running]  # a job's signals are freed only after its thread let go
    job = Job(fn)
    signals = job.signals
    if on_progress:
        signals.progress.connect(on_progress)
    if on_result:
        signals.result.connect(on_result)
    signals.error.connect(on_error or _report_unhandled)
    if on_finished:
        signals.finished.connect(on_finished)
    _running.append(job)
    job.future = serial.submit(job) if serial else _shared_executor.submit(job.run)
    return job


def cancel_all() -> None:
    for job in _running:
        job.cancel()


def running_jobs() -> int:
    return sum(1 for job in _running if job.running)


def wait_all(timeout_s: float = 30.0) -> bool:
    futures = [j.future for j in _running if j.future is not None and j.running]
    _finished, pending = wait(futures, timeout=timeout_s)
    return not pending


def _report_unhandled(exc: BaseException) -> None:
    log.error("unhandled job error: %s", exc)


def describe_error(exc: BaseException) -> str:
    """The sentence shown to the user for an error from a job."""
    if isinstance(exc, HearthError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate("Errors", "The computer ran out of memory. Close other programs or use a smaller model.")
    if isinstance(exc, OSError) and exc.errno == 28:
        return QCoreApplication.translate("Errors", "The disk is full. Free some space and try again.")
    return QCoreApplication.translate("Errors", "Something went wrong: {kind}: {error}. Details are in the log file.").format(
        kind=exc.__class__.__name__, error=exc
    )


class StreamBuffer(QObject):
    """Collects text from a worker thread; hands it to the GUI every ``interval_ms``.

    One signal per token would flood the event loop; a timer-driven flush keeps
    the GUI thread's work per token near zero.
    """

    def __init__(self, on_flush: Callable[[str], None], interval_ms: int = 40, parent: QObject | None = None):
        super().__init__(parent)
        self._on_flush = on_flush
        self._parts: list[str] = []
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    def push(self, text: str) -> None:  # any thread
        with self._lock:
            self._parts.append(text)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.flush()

    def flush(self) -> None:
        with self._lock:
            text = "".join(self._parts)
            self._parts.clear()
        if text:
            self._on_flush(text)
