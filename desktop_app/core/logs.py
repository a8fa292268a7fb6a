"""Logging to a rotating file in the data dir. Tracebacks go there, never to the user.

The log never holds message or document text. Log calls name things (a file, a model, an
exception type), and tracebacks are written without the exceptions' messages: a template
error, a Jinja or a parser exception can quote the user's question or the document.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback

from desktop_app.core import paths
from desktop_app.core.texts import Text, translate

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


def describe_exception(exc: BaseException) -> str:
    """The exception's type and a detail that cannot quote user text (an OSError's errno)."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    label = name if module in ("builtins", "__main__") else f"{module}.{name}"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{label} [errno {exc.errno}]"
    return label


class ContentFreeFormatter(logging.Formatter):
    """Tracebacks with their frames (code locations) and exception types, never their messages."""

    def format(self, record: logging.LogRecord) -> str:
        # another handler may have cached its own rendering of the traceback, message included
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:
        exc = ei[1]
        if exc is None:
            return ""
        chain: list[tuple[BaseException, str]] = []
        link = ""
        seen: set[int] = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            chain.append((exc, link))
            if exc.__cause__ is not None:
                exc, link = exc.__cause__, "The above exception was the direct cause of the following exception:"
            elif exc.__context__ is not None and not exc.__suppress_context__:
                exc, link = exc.__context__, "During handling of the above exception, another exception occurred:"
            else:
                exc = None
        lines: list[str] = []
        for exc, link in reversed(chain):
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
            lines.append(f"{describe_exception(exc)} (message not logged)\n")
            if link:
                lines.append(f"\n{link}\n\n")
        return "".join(lines).rstrip("\n")


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
    handler.setFormatter(ContentFreeFormatter(LOG_FORMAT))
    handler._hearth = True
    root.addHandler(handler)
    return getattr(handler, "baseFilename", None)


def log_file() -> str | None:
    """The file this process logs to, once ``configure`` attached it; None when it could not be written."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_hearth", False):
            return getattr(handler, "baseFilename", None)
    return None


def describe_unexpected() -> Text:
    """What a user reads about an error Hearth did not expect: a plain sentence and where the details are,
    never the exception's class or message (both can be meaningless, or quote the user's text)."""
    where = log_file()
    if where is None:
        return translate("Errors", "Something went wrong that Hearth did not expect. Please try again.")
    return translate("Errors", "Something went wrong that Hearth did not expect. The details are in the log file "
                     "{path}.").fill(path=where)
