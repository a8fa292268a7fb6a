"""The Documents pane: Summarize, Ask, Extract and Find over the same documents.

It is the Summarize pane with three more tabs beside it; Summarize keeps its
own widgets and history, Ask and Extract read files and folders dropped on the
pane, and every document any of them reads becomes searchable in Find.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTabWidget

from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.load import Document
from desktop_app.core.errors import HearthError
from desktop_app.ui.summarize.ask_panel import AskPanel
from desktop_app.ui.summarize.extract_panel import ExtractPanel
from desktop_app.ui.summarize.find_panel import FindPanel
from desktop_app.ui.summarize.pane import SummarizePane
from desktop_app.ui.workers import run_job


class DocumentsPane(SummarizePane):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.document_loaded.connect(self._index_document)
        self.ask.saved.connect(self.refresh_history)

    def _build_layout(self) -> None:
        super()._build_layout()
        self.ask = AskPanel(self.context, self._model_entry)
        self.extract = ExtractPanel(self.context, self._model_entry)
        self.find = FindPanel(self.context)
        summarize = self.history.parentWidget().widget(0)  # the summarize column, left of the history
        self.modes = QTabWidget()
        self.history.parentWidget().replaceWidget(0, self.modes)
        self.modes.addTab(summarize, self.tr("Summarize"))
        self.modes.addTab(self.ask, self.tr("Ask"))
        self.modes.addTab(self.extract, self.tr("Extract"))
        self.modes.addTab(self.find, self.tr("Find"))

    def _index_document(self, document) -> None:
        if not isinstance(document, Document) or document.format == "pasted":
            return
        index = DocumentIndex(self.store)

        def add(ctx):
            try:
                index.add(document)
            except HearthError:
                pass  # Find is a convenience: no FTS5 or a full disk must not disturb summarizing

        run_job(add, parent=self)

    def dropEvent(self, event) -> None:
        panel = self.modes.currentWidget()
        if panel in (self.ask, self.extract):
            paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
            if paths:
                event.acceptProposedAction()
                panel.inputs.add(paths)
            return
        super().dropEvent(event)

    def shutdown(self) -> None:
        self.ask.shutdown()
        self.extract.shutdown()
        super().shutdown()
