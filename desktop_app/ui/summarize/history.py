"""Past summaries, newest first: open one to read it again, delete what is no longer needed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.storage.store import MessageStatus, Summary
from desktop_app.core.documents.export import describe_settings


class SummaryHistory(QWidget):
    opened = Signal(int)  # summary id
    delete_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        self.delete = QPushButton(self.tr("Delete"))
        self.delete.clicked.connect(self._delete)
        title = QLabel(self.tr("History"))
        title.setStyleSheet("font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def set_summaries(self, summaries: list[Summary]) -> None:
        self.list.clear()
        for summary in summaries:
            when = datetime.fromtimestamp(summary.created_at).strftime("%Y-%m-%d %H:%M")
            status = self.tr(" (cancelled)") if summary.status == MessageStatus.CANCELLED else ""
            item = QListWidgetItem(f"{summary.source_name}{status}\n{when} · {describe_settings(summary.settings)}")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(summary.summary[:400])
            self.list.addItem(item)
        self.delete.setEnabled(bool(summaries))

    def _open(self, item: QListWidgetItem) -> None:
        self.opened.emit(item.data(Qt.ItemDataRole.UserRole))

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.delete_requested.emit(item.data(Qt.ItemDataRole.UserRole))
