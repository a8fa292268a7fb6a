"""Writes that fsync (settings saves, exports) run here, off the GUI thread.

One writer thread: writes land in the order they were asked for, so an older
settings snapshot never overwrites a newer one. Each call returns the Job.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject

from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.settings import Settings
from desktop_app.ui.workers import Job, SerialExecutor, run_job

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
    path: Path, text: str | bytes, *, parent: QObject, on_failed: Callable[[BaseException], None], on_written: Callable[[], None] | None = None
) -> Job:
    path = Path(path)
    return run_job(
        lambda ctx: write_text_atomic(path, text), parent=parent, serial=_writer,
        on_result=(lambda _none: on_written()) if on_written else None, on_error=on_failed,
    )
