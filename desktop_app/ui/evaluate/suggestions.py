"""What to download next: each catalog model's predicted speed here, its size, and a Download button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem


def _n(value, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


class NextModelsTable(QTableWidget):
    download_requested = Signal(dict)  # the prediction (name, repo, file, ...)

    def __init__(self, parent=None):
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels([self.tr("Model"), self.tr("Size GB"), self.tr("Fits here"),
                                        self.tr("Prompt tok/s (predicted)"), self.tr("Generation tok/s (predicted)"), ""])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):  # whole headers, any language; the button column keeps its width
            self.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.predictions: list[dict] = []

    def show_predictions(self, predictions: list[dict], installed_sources: set[str]) -> None:
        self.predictions = list(predictions)
        self.setRowCount(0)
        for index, p in enumerate(self.predictions):
            self.insertRow(index)
            fits = self.tr("yes") if p["fits"] else self.tr("no: {why}").format(why=p.get("note", ""))
            cells = [p["name"], _n(p["size_bytes"] / 1e9, 1), fits, _n(p["prompt_tps"], 0), _n(p["gen_tps"], 1)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(p.get("basis", ""))
                self.setItem(index, column, item)
            installed = f"hf:{p.get('repo')}/{p.get('file')}" in installed_sources
            button = QPushButton(self.tr("Installed") if installed else self.tr("Download…"))
            button.setEnabled(not installed and bool(p.get("repo")) and bool(p.get("file")))
            button.clicked.connect(lambda _=False, chosen=p: self.download_requested.emit(chosen))
            self.setCellWidget(index, 5, button)

    def button(self, row: int) -> QPushButton:
        return self.cellWidget(row, 5)
