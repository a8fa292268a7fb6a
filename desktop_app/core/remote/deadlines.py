"""Deadlines for one answer from a server: the time it may take in all, and the silence it may keep.

httpx bounds each read, not a whole answer: a server that sends a byte just before every read timeout,
or keep-alive comments and never any text, would go on for ever. A ``Watch`` checks both deadlines (and
the user's Stop) from a thread of its own and shuts the answer's socket down when one passes, so a read
blocked in the kernel returns at once; the reader then asks ``tripped`` which deadline it was.
"""

from __future__ import annotations

import enum
import logging
import socket
import threading
import time

log = logging.getLogger(__name__)

POLL_S = 0.25  # how often the watch looks at the user's Stop; deadlines wake it exactly


class Tripped(enum.StrEnum):
    IDLE = "idle"  # nothing new for idle_s
    TOTAL = "total"  # the whole answer took longer than total_s
    CANCELLED = "cancelled"  # the user pressed Stop


class DeadlinePassed(Exception):
    """A read ended because the watch tripped; the reader turns it into its sentence (``Watch.tripped`` says which)."""


class Watch:
    """``fed()`` on each piece of progress; ``check()`` between reads; ``attach(response)`` to cut a blocked read."""

    def __init__(self, idle_s: float, total_s: float, cancel: threading.Event | None = None):
        self.idle_s, self.total_s = idle_s, total_s
        self.started = self.last = time.monotonic()
        self.cancel = cancel
        self.tripped: Tripped | None = None
        self._socket: socket.socket | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def remaining(self) -> float:
        """Seconds left before the total deadline (a request's head must arrive within them)."""
        return self.started + self.total_s - time.monotonic()

    def fed(self) -> None:
        self.last = time.monotonic()

    def check(self) -> Tripped | None:
        """Which deadline has passed (the first one seen stays), or None."""
        if self.tripped is None:
            now = time.monotonic()
            if self.cancel is not None and self.cancel.is_set():
                self.tripped = Tripped.CANCELLED
            elif now >= self.started + self.total_s:
                self.tripped = Tripped.TOTAL
            elif now >= self.last + self.idle_s:
                self.tripped = Tripped.IDLE
        return self.tripped

    def raise_if_tripped(self) -> None:
        if self.check() is not None:
            raise DeadlinePassed(self.tripped)

    def attach(self, response) -> None:
        """Watch this answer's socket from a thread (answers without one, replayed ones, are checked between reads)."""
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None or self._thread is not None:
            return
        self._socket = sock
        self._thread = threading.Thread(target=self._run, name="remote-answer-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            due = min(self.started + self.total_s, self.last + self.idle_s) - time.monotonic()
            if self._done.wait(max(0.0, min(due, POLL_S) if self.cancel is not None else due)):
                return
            if self.check() is not None:
                try:
                    self._socket.shutdown(socket.SHUT_RDWR)  # the blocked read returns now, with nothing
                except OSError:  # already closed by the reader
                    pass
                return

    def close(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> "Watch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
