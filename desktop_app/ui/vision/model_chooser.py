"""Pick an ONNX model for a task: the library's models plus 'Open .onnx file…'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.core.library.registry import ModelEntry, ModelRegistry, entry_for_path


class ModelChooser(QWidget):
    model_chosen = Signal(object)  # ModelEntry

    def __init__(self, registry: ModelRegistry, task: str, preferred: str | None = None, parent=None):
        super().__init__(parent)
        self.registry = registry
        self.task = task
        self.combo = QComboBox()
        self.combo.setMinimumWidth(220)
        self.combo.setToolTip(self.tr("The model used for this pane"))
        self.browse = QPushButton(self.tr("Open .onnx…"))
        self.info = QLabel()
        self.info.setObjectName("ModelInfo")
        self.info.setStyleSheet("color: gray;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Model:")))
        layout.addWidget(self.combo)
        layout.addWidget(self.browse)
        layout.addWidget(self.info, 1)
        self._entries: list[ModelEntry] = []
        self.reload(preferred)
        self.combo.currentIndexChanged.connect(self._emit_current)
        self.browse.clicked.connect(self._browse)

    def reload(self, preferred: str | None = None) -> None:
        self._entries = [e for e in self.registry.list(kind="onnx", task=self.task) if e.exists]
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in self._entries:
            self.combo.addItem(entry.name)
        names = [e.name for e in self._entries]
        if preferred in names:
            self.combo.setCurrentIndex(names.index(preferred))
        self.combo.blockSignals(False)

    def current(self) -> ModelEntry | None:
        index = self.combo.currentIndex()
        return self._entries[index] if 0 <= index < len(self._entries) else None

    def add_path(self, path: Path) -> ModelEntry:
        entry = entry_for_path(Path(path), self.task)
        self._entries.append(entry)
        self.combo.addItem(entry.name)
        self.combo.setCurrentIndex(self.combo.count() - 1)  # emits model_chosen
        return entry

    def set_info(self, text: str) -> None:
        self.info.setText(text)

    def _emit_current(self) -> None:
        entry = self.current()
        if entry is not None:
            self.model_chosen.emit(entry)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an ONNX model"), "", self.tr("ONNX models (*.onnx)"))
        if path:
            self.add_path(Path(path))
