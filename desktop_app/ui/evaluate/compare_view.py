"""Two evaluation reports side by side: every (model, metric) of either, with second / first ratios."""

from __future__ import annotations

import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout

from desktop_app.core.evaluate.compare import compare_reports
from desktop_app.core.evaluate.report import EvaluationReport


def _n(value) -> str:
    return "–" if value is None else f"{value:,.1f}"


def describe(report: EvaluationReport) -> str:
    when = datetime.datetime.fromtimestamp(report.created_at).strftime("%Y-%m-%d %H:%M")
    return f"{report.machine.cpu_model}, {when}"


class CompareDialog(QDialog):
    def __init__(self, left: EvaluationReport, right: EvaluationReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Two evaluations side by side"))
        self.resize(820, 520)
        self.rows = compare_reports(left, right)
        self.table = QTableWidget(len(self.rows), 5)
        self.table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("Measure"), self.tr("First"), self.tr("Second"),
                                              self.tr("Second / first")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for index, row in enumerate(self.rows):
            ratio = "–" if row.ratio is None else f"{row.ratio:.2f}×"
            for column, text in enumerate((row.model, row.metric, _n(row.left), _n(row.right), ratio)):
                self.table.setItem(index, column, QTableWidgetItem(text))
        header = QLabel(self.tr("First: {first}\nSecond: {second}").format(first=describe(left), second=describe(right)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
