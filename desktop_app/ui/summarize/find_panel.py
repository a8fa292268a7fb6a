"""Find in documents: any words or Chinese characters across every document opened, asked or extracted."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.core.documents.index import MIN_QUERY_CHARS, DocumentIndex
from desktop_app.ui.throttle import Throttle
from desktop_app.ui.workers import describe_error, run_job


class FindPanel(QWidget):
    searched = Signal(object)  # list[SearchHit], or the exception

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.index = DocumentIndex(context.store)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Find in documents (at least {n} characters)").format(n=MIN_QUERY_CHARS))
        self.query.setClearButtonEnabled(True)
        self.status = QLabel()
        self.results = QListWidget()
        self.passage = QPlainTextEdit()
        self.passage.setReadOnly(True)
        self.passage.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.passage)
        self._search_soon = Throttle(self.search, 250, self)
        self.query.textChanged.connect(lambda _text: self._search_soon())
        self.results.currentItemChanged.connect(self.show_hit)
        self._generation = 0

    def search(self) -> None:
        text = self.query.text()
        self._generation += 1
        generation, index = self._generation, self.index
        run_job(
            lambda ctx: index.search(text), parent=self,
            on_result=lambda hits: self._show(generation, hits),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _show(self, generation: int, hits) -> None:
        if generation != self._generation:
            return  # typed on meanwhile
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.document} · {hit.location} — {hit.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if len(self.query.text().strip()) < MIN_QUERY_CHARS:
            self.status.setText("")
        else:
            self.status.setText(self.tr("{n} passage(s) found").format(n=len(hits)))
        self.searched.emit(hits)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.status.setText(describe_error(exc))
            self.searched.emit(exc)

    def show_hit(self, item, _previous=None) -> None:
        if item is None:
            return
        hit = item.data(Qt.ItemDataRole.UserRole)
        self.passage.setPlainText(f"{hit.path} · {hit.location}\n\n{hit.snippet}")
