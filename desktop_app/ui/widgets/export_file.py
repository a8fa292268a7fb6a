"""Exporting from a pane: one save dialog, one atomic write, the outcome in the pane's banner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.core.atomic import write_text_atomic
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner


def choose_export_path(parent: QWidget, title: str, default_name: str, file_filter: str) -> Path | None:
    """The file the user chose to export to, or None when they cancelled the dialog."""
    path, _ = QFileDialog.getSaveFileName(parent, title, default_name, file_filter)
    return Path(path) if path else None


def write_export(banner: MessageBanner, path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` whole or not at all, and say which in ``banner``."""
    try:
        write_text_atomic(Path(path), text)
    except OSError as exc:
        banner.show_message(QCoreApplication.translate("ExportFile", "Could not export: {error}").format(error=exc))
        return False
    banner.show_message(QCoreApplication.translate("ExportFile", "Exported to {path}").format(path=path), BannerLevel.INFO)
    return True
