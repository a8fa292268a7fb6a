"""Writes that fsync (settings saves, exports) run here, off the GUI thread.

One writer thread: writes land in the order they were asked for, so an older
settings snapshot never overwrites a newer one. Each call returns the Job. A write the
disk refuses reaches ``on_failed`` as a StorageError that says why in one sentence
(core.errors.describe_os_error), never as raw OSError text.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject

from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import StorageError, describe_os_error
from desktop_app.core.settings import Settings
from desktop_app.core.texts import Text, translate
from desktop_app.ui.workers import Job, SerialExecutor, run_job

log = logging.getLogger(__name__)
_writer = SerialExecutor("disk")


def save_settings(
    settings: Settings, *, parent: QObject, on_failed: Callable[[BaseException], None], on_saved: Callable[[], None] | None = None
) -> Job:
    snapshot = copy.deepcopy(settings)  # the GUI may change settings again while the worker writes
    return run_job(
        lambda ctx: snapshot.save(), parent=parent, serial=_writer,
        on_result=(lambda _none: on_saved()) if on_saved else None, on_error=on_failed,
    )


def write_file(
    path: Path, text: str | bytes, *, parent: QObject, on_failed: Callable[[BaseException], None],
    on_written: Callable[[], None] | None = None, doing: Text | None = None,
) -> Job:
    """``doing``: what the failure sentence says failed, with ``{path}`` in it ("Could not export to {path}")."""
    path = Path(path)
    doing = doing or translate("Errors", "Could not write {path}")

    def write(_ctx) -> None:
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            log.warning("could not write %s", path, exc_info=True)
            raise StorageError(describe_os_error(exc, doing, path)) from exc

    return run_job(
        write, parent=parent, serial=_writer,
        on_result=(lambda _none: on_written()) if on_written else None, on_error=on_failed,
    )
