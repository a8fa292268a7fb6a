"""What kind of summary: model, length, form, focus and language."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from desktop_app.core.library.registry import ModelEntry
from desktop_app.core.documents.summarize import SummaryRequest

CUSTOM = "custom"


class SummaryOptions(QWidget):
    changed = Signal()
    model_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = QComboBox()
        self.model.setToolTip(self.tr("The chat model that writes the summary"))
        self.length = QComboBox()
        for label, key in ((self.tr("Short"), "short"), (self.tr("Medium"), "medium"), (self.tr("Long"), "long")):
            self.length.addItem(label, key)
        self.length.addItem(self.tr("Target in words"), CUSTOM)
        self.length.setCurrentIndex(1)
        self.words = QSpinBox()
        self.words.setRange(20, 2000)
        self.words.setSingleStep(50)
        self.words.setValue(250)
        self.words.setSuffix(self.tr(" words"))
        self.words.setEnabled(False)
        self.style = QComboBox()
        self.style.addItem(self.tr("Paragraphs"), "paragraph")
        self.style.addItem(self.tr("Bullet points"), "bullets")
        self.focus = QLineEdit()
        self.focus.setPlaceholderText(self.tr("Optional, e.g. what are the risks?"))
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.setToolTip(self.tr("Auto writes in the document's own language; type another language to choose it"))
        for label, code in (
            (self.tr("Auto (the document's language)"), "auto"),
            (self.tr("English"), "en"),
            (self.tr("Chinese"), "zh"),
            (self.tr("French"), "fr"),
            (self.tr("German"), "de"),
            (self.tr("Spanish"), "es"),
            (self.tr("Japanese"), "ja"),
        ):
            self.language.addItem(label, code)
        length_row = QHBoxLayout()
        length_row.setContentsMargins(0, 0, 0, 0)
        length_row.addWidget(self.length, 1)
        length_row.addWidget(self.words)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Length"), length_row)
        form.addRow(self.tr("Form"), self.style)
        form.addRow(self.tr("Focus"), self.focus)
        form.addRow(self.tr("Language"), self.language)
        self.length.currentIndexChanged.connect(self._length_changed)
        self.model.currentIndexChanged.connect(lambda _i: self.model_changed.emit())
        for signal in (self.words.valueChanged, self.style.currentIndexChanged, self.focus.textChanged):
            signal.connect(lambda *_: self.changed.emit())
        self.language.currentTextChanged.connect(lambda _t: self.changed.emit())

    def _length_changed(self) -> None:
        self.words.setEnabled(self.length.currentData() == CUSTOM)
        self.changed.emit()

    def set_models(self, entries: list[ModelEntry], current: str = "") -> None:
        self.model.blockSignals(True)
        self.model.clear()
        for entry in entries:
            self.model.addItem(entry.name, entry.name)
        index = self.model.findData(current)
        self.model.setCurrentIndex(index if index >= 0 else 0)
        self.model.blockSignals(False)

    def model_name(self) -> str:
        return self.model.currentData() or ""

    def language_code(self) -> str:
        index = self.language.findText(self.language.currentText())
        if index >= 0 and self.language.itemData(index):
            return self.language.itemData(index)
        return self.language.currentText().strip() or "auto"

    def request(self) -> SummaryRequest:
        custom = self.length.currentData() == CUSTOM
        return SummaryRequest(
            length="medium" if custom else self.length.currentData(),
            target_words=self.words.value() if custom else None,
            style=self.style.currentData(),
            focus=self.focus.text().strip(),
            language=self.language_code(),
        )

    def set_running(self, running: bool) -> None:
        for widget in (self.model, self.length, self.words, self.style, self.focus, self.language):
            widget.setEnabled(not running and (widget is not self.words or self.length.currentData() == CUSTOM))
