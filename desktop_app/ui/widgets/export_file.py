"""Exporting from a pane: one save dialog, one atomic write off the GUI thread, the outcome in the
pane's banner. Exports are the user's copy: they are written as plain files, never encrypted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.core.texts import translate
from desktop_app.ui.disk_writes import write_file
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import Job, describe_error


def choose_export_path(parent: QWidget, title: str, default_name: str, file_filter: str) -> Path | None:
    """The file the user chose to export to, or None when they cancelled the dialog."""
    path, _ = QFileDialog.getSaveFileName(parent, title, default_name, file_filter)
    return Path(path) if path else None


def write_export(banner: MessageBanner, path: Path, text: str | bytes, *, parent: QObject) -> Job:
    """Write ``text`` to ``path`` whole or not at all on the disk writer, and say which in ``banner``."""
    path = Path(path)

    def failed(exc: BaseException) -> None:
        banner.show_message(describe_error(exc))  # "Could not export to …: the disk is full. …"

    def written() -> None:
        banner.show_message(QCoreApplication.translate("ExportFile", "Exported to {path}").format(path=path), BannerLevel.INFO)

    return write_file(path, text, parent=parent, on_failed=failed, on_written=written,
                      doing=translate("ExportFile", "Could not export to {path}"))
