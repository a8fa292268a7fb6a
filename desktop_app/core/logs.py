"""Logging to a rotating file in the data dir. Tracebacks go there, never to the user."""

from __future__ import annotations

import logging
import logging.handlers

from desktop_app.core import paths

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A log that cannot be written (disk full, file gone) drops the record instead of printing
    logging's "--- Logging error ---" traceback on stderr for every line."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True  # the first failure is enough to know; the rest are the same story

    def close(self) -> None:
        try:
            super().close()  # flushes what is buffered: fails the same way on a full disk
        except OSError:
            self.failed = True


def configure(level: int = logging.INFO) -> str | None:
    """Attach the file handler once; returns the log path, or None when it cannot be written."""
    root = logging.getLogger()
    root.setLevel(level)
    logging.getLogger("llama.cpp").setLevel(logging.WARNING)
    for handler in root.handlers:
        if getattr(handler, "_hearth", False):
            return getattr(handler, "baseFilename", None)
    try:
        directory = paths.log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handler = QuietFileHandler(
            directory / "hearth.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._hearth = True
    root.addHandler(handler)
    return getattr(handler, "baseFilename", None)
