"""Route llama.cpp's native log into Python logging, and capture errors during a load.

llama.cpp prints to stderr by default; a desktop app and a scripting CLI must
not. Error lines seen while loading are kept so a failed load can say why.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from contextlib import contextmanager

log = logging.getLogger("llama.cpp")

# ggml.h: NONE=0, DEBUG=1, INFO=2, WARN=3, ERROR=4, CONT=5 (continues the previous line)
_LEVELS = {0: logging.CRITICAL, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_CONT = 5
_captures = threading.local()
_installed = None


class Capture:
    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []

    def errors(self) -> list[str]:
        return [text.strip() for level, text in self.lines if level >= logging.WARNING and text.strip()]


def install() -> None:
    """Idempotent; keeps a reference so the C callback is never garbage-collected."""
    global _installed
    if _installed is not None:
        return
    import llama_cpp

    @llama_cpp.llama_log_callback
    def _callback(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        py_level = _LEVELS.get(level, logging.DEBUG) if level != _CONT else getattr(_captures, "last", logging.DEBUG)
        _captures.last = py_level
        message = text.decode("utf-8", errors="replace")
        capture = getattr(_captures, "current", None)
        if capture is not None:
            capture.lines.append((py_level, message))
        if log.isEnabledFor(py_level):
            log.log(py_level, message.rstrip())

    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
    _installed = _callback


@contextmanager
def capture():
    install()
    previous = getattr(_captures, "current", None)
    _captures.current = current = Capture()
    try:
        yield current
    finally:
        _captures.current = previous
