"""Where the document comes from: a file (opened or dropped) or pasted text, and what it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

FILE_FILTER = QT_TRANSLATE_NOOP("DocumentSource", "Documents (*.pdf *.docx *.html *.htm *.txt *.md *.markdown);;All files (*)")
PASTE_SETTLE_MS = 600  # re-measure pasted text once typing pauses


class DocumentSource(QWidget):
    file_chosen = Signal(Path)
    text_changed = Signal(str)  # pasted text, after typing settles

    def __init__(self, parent=None):
        super().__init__(parent)
        self.open_button = QPushButton(self.tr("Open document…"))
        self.open_button.clicked.connect(self.choose_file)
        hint = QLabel(self.tr("or drop a PDF, DOCX, HTML, TXT or Markdown file here, or paste text below"))
        hint.setStyleSheet("color: gray;")
        self.info = QLabel(self.tr("No document yet."))
        self.info.setObjectName("DocumentInfo")
        self.info.setWordWrap(True)
        self.estimate = QLabel()
        self.estimate.setObjectName("DocumentEstimate")
        self.estimate.setWordWrap(True)
        self.paste = QPlainTextEdit()
        self.paste.setPlaceholderText(self.tr("Paste text to summarize…"))
        self.paste.setMaximumHeight(90)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(PASTE_SETTLE_MS)
        self._settle.timeout.connect(lambda: self.text_changed.emit(self.paste.toPlainText()))
        self.paste.textChanged.connect(self._settle.start)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.paste)
        layout.addWidget(self.info)
        layout.addWidget(self.estimate)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a document to summarize"), "", self.tr(FILE_FILTER))
        if path:
            self.file_chosen.emit(Path(path))

    def clear_paste(self) -> None:
        self.paste.blockSignals(True)
        self.paste.clear()
        self.paste.blockSignals(False)
        self._settle.stop()

    def set_running(self, running: bool) -> None:
        self.open_button.setEnabled(not running)
        self.paste.setReadOnly(running)
