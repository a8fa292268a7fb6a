"""Which of a model's labels each class folder means: suggested by name, edited here, kept with the run."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

SEPARATOR = ";"


class LabelMappingDialog(QDialog):
    def __init__(self, model: str, classes: list[str], labels: tuple[str, ...], mapping: dict[str, list[str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Labels for {model}").format(model=model))
        self.labels = labels
        self.table = QTableWidget(len(classes), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Folder"), self.tr("Counts as (model labels, separated by ;)")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, name in enumerate(classes):
            folder = QTableWidgetItem(name)
            folder.setFlags(folder.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, folder)
            self.table.setItem(row, 1, QTableWidgetItem(f"{SEPARATOR} ".join(mapping.get(name, []))))
        self.unknown = QLabel()
        self.unknown.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("A prediction counts as a folder's class when it is one of these labels.")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unknown)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def mapping(self) -> dict[str, list[str]]:
        result = {}
        for row in range(self.table.rowCount()):
            text = self.table.item(row, 1).text() if self.table.item(row, 1) else ""
            result[self.table.item(row, 0).text()] = [t.strip() for t in text.split(SEPARATOR) if t.strip()]
        return result

    def _accept(self) -> None:
        known = set(self.labels)
        unknown = sorted({label for labels in self.mapping().values() for label in labels if label not in known})
        if unknown:
            self.unknown.setText(self.tr("The model has no label named: {names}. Correct them or remove them.").format(
                names=", ".join(unknown)))
            return
        self.accept()
