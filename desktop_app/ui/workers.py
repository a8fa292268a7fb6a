"""The one way long work runs: a function on a worker thread, results by signal.

``run_job(fn, ...)`` calls ``fn(ctx)`` on a thread pool. ``ctx.cancel`` is a
threading.Event the function checks between tokens, images or chunks;
``ctx.progress(obj)`` reaches ``on_progress`` on the GUI thread. The return value
goes to ``on_result``; an exception to ``on_error``; then ``on_finished()`` runs, once,
whichever it was (a cancelled job ends in one of the two as well): a pane's clean-up
(buttons back, progress hidden) goes there, as with superqt's ``finished``. ``serial=``
runs the job on a one-thread executor so all calls into one engine are serialised.

``parent=`` ties the job to a widget: when the widget is destroyed the job is
cancelled and its callbacks are dropped, so a closure never calls into a deleted
widget. A job stays in the keep-alive set until its outcome was delivered on the
GUI thread (superqt's worker does the same), so no queued result is ever lost.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

from desktop_app.core.errors import HearthError, describe_os_error
from desktop_app.core.logs import describe_exception, describe_unexpected
from desktop_app.core.texts import Text, translate
from desktop_app.ui.texts import translated

log = logging.getLogger(__name__)
_current = threading.local()  # the job running on this thread, if any


@dataclass
class JobContext:
    cancel: threading.Event
    progress: Callable[[Any], None]

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


@dataclass
class _Callbacks:
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None]
    on_progress: Callable[[Any], None] | None
    on_finished: Callable[[], None] | None = None


_DELIVERY = QEvent.Type(QEvent.registerEventType())


class _Delivery(QEvent):
    """Posted by the worker to its Job: a progress update, or the outcome (last)."""

    def __init__(self, kind: str, value: Any):
        super().__init__(_DELIVERY)
        self.kind, self.value = kind, value  # kind: "progress", "result" or "error"


class Job(QObject):
    """A function running on a worker thread. The Job itself lives on the GUI thread:
    the worker posts events to it, and it calls the callbacks there, in order.

    Events, not signals: PySide6 6.12 under-counts the ``True`` that ``Signal.emit()``
    returns, so on Python 3.11 every emit costs one reference until the interpreter
    aborts; a busy batch would get there. ``postEvent`` returns nothing.
    """

    def __init__(self, fn: Callable[[JobContext], Any], callbacks: _Callbacks, parent: QObject | None = None):
        super().__init__()  # never a Qt child: a parent's death must not free a job a worker still posts to
        self.fn = fn
        self.name = getattr(fn, "__qualname__", repr(fn))
        self.cancel_event = threading.Event()
        self.done = threading.Event()  # set once run() has returned
        self.delivered = False  # set on the GUI thread once the outcome was handed over
        self.future: Future | None = None
        self._callbacks: _Callbacks | None = callbacks
        if parent is not None:
            parent.destroyed.connect(self._orphan)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def running(self) -> bool:
        return not self.delivered

    def run(self) -> None:  # worker thread
        _current.job = self
        context = JobContext(self.cancel_event, lambda update: self._post("progress", update))
        try:
            try:
                result = self.fn(context)
            except BaseException as exc:  # delivered to the GUI, never lost on a worker thread
                if not isinstance(exc, HearthError):
                    log.error("job %s failed", self.name, exc_info=exc)
                self._post("error", exc)
            else:
                self._post("result", result)
        finally:
            _current.job = None
            self.done.set()

    def _post(self, kind: str, value: Any) -> None:
        QCoreApplication.postEvent(self, _Delivery(kind, value))

    def _orphan(self) -> None:  # the parent is being destroyed
        self.cancel()
        self._callbacks = None

    def event(self, event: QEvent) -> bool:
        if event.type() != _DELIVERY:
            return super().event(event)
        if event.kind == "progress":
            if self._callbacks is not None and self._callbacks.on_progress is not None:
                self._callbacks.on_progress(event.value)
        else:
            self._deliver_outcome(event.kind == "result", event.value)
        return True

    def _deliver_outcome(self, ok: bool, value: Any) -> None:
        callbacks, self._callbacks = self._callbacks, None
        try:
            if callbacks is not None:
                try:
                    if ok and callbacks.on_result is not None:
                        callbacks.on_result(value)
                    elif not ok:
                        callbacks.on_error(value)
                finally:  # the clean-up runs even when the handler above raised
                    if callbacks.on_finished is not None:
                        callbacks.on_finished()
        finally:
            self.delivered = True
            # the worker sets done right after posting the outcome; waiting for it (microseconds)
            # means this object is never freed while postEvent() is still returning on that thread
            self.done.wait()
            self.fn = None  # its closure (and what it holds, a pane's stream buffer) goes here, on the GUI thread
            _running.discard(self)


class SerialExecutor:
    """One worker thread: every call into one engine goes through it, in order."""

    def __init__(self, name: str):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, job: Job) -> Future:
        return self.executor.submit(job.run)


_shared_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="job")
_running: set[Job] = set()  # keep-alive: a job leaves only once its outcome was delivered


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
    """Start ``fn(ctx)`` off the GUI thread; call this on the GUI thread."""
    job = Job(fn, _Callbacks(on_result, on_error or _report_unhandled, on_progress, on_finished), parent)
    _running.add(job)
    job.future = serial.submit(job) if serial else _shared_executor.submit(job.run)
    return job


def active_jobs() -> list[Job]:
    """Jobs started and not yet delivered: running, queued, or with an outcome still in the event queue."""
    return list(_running)


def in_job() -> bool:
    """True on a worker thread while it runs a job."""
    return getattr(_current, "job", None) is not None


def cancel_all() -> None:
    for job in list(_running):
        job.cancel()


def wait_all(timeout_s: float = 30.0) -> bool:
    """Wait until every job's function has returned (their outcomes may still be queued)."""
    futures = [j.future for j in list(_running) if j.future is not None]
    _finished, pending = wait(futures, timeout=timeout_s)
    return not pending


def _report_unhandled(exc: BaseException) -> None:
    log.error("unhandled job error: %s", describe_exception(exc))


def describe_error(exc: BaseException) -> str:
    """The sentence shown to the user for an error from a job: never a class name, an errno or raw library text."""
    if isinstance(exc, HearthError):
        message = exc.args[0] if exc.args else ""
        return translated(message) if isinstance(message, Text) else str(exc)
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate("Errors", "The computer ran out of memory. Close other programs or use a smaller model.")
    if isinstance(exc, OSError):
        doing = (translate("Errors", "Hearth could not use {path}") if exc.filename
                 else translate("Errors", "Hearth could not read or write a file"))
        return translated(describe_os_error(exc, doing))
    return translated(describe_unexpected())


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
