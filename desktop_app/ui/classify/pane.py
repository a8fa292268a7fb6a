"""The Classify pane: what is in each image, as top-k labels with confidence bars."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vision.engine import ClassifierEngine, PreparedImage
from desktop_app.core.vision.export import classification_csv, results_json
from desktop_app.core.vision.results import ClassificationResult, ImageFailure
from desktop_app.ui.vision.batch_pane import VisionBatchPane
from desktop_app.ui.widgets.export_file import choose_export_path, write_export
from desktop_app.ui.workers import Job


class TopKBars(QWidget):
    """One labelled bar per prediction, longest first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.bars: list[QProgressBar] = []

    def show_predictions(self, predictions) -> None:
        for bar in self.bars:
            bar.deleteLater()
        self.bars = []
        for prediction in predictions:
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(round(prediction.score * 1000))
            bar.setFormat(f"{prediction.label}  {prediction.score:.1%}")
            bar.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.rows.addWidget(bar)
            self.bars.append(bar)

    def labels(self) -> list[str]:
        return [bar.format() for bar in self.bars]


class ClassifyPane(VisionBatchPane):
    task = "classify"
    columns = ("File", "Top label", "Confidence", "Note")

    def column_titles(self) -> list[str]:
        return [self.tr("File"), self.tr("Top label"), self.tr("Confidence"), self.tr("Note")]

    def detail_widget(self) -> QWidget:
        widget = QWidget()
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 200)
        self.preview_name = QLabel()
        self.preview_name.setWordWrap(True)
        self.bars = TopKBars()
        layout = QVBoxLayout(widget)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_name)
        layout.addWidget(self.bars)
        self._shown: ClassificationResult | ImageFailure | None = None
        return widget

    def controls_layout(self) -> QHBoxLayout:
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 20)
        self.top_k.setValue(5)
        self._k = 5
        self.top_k.setToolTip(self.tr("Labels kept per image (applies to the next images)"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Top-k:")))
        row.addWidget(self.top_k)
        row.addStretch(1)
        return row

    def export_buttons(self) -> list[QPushButton]:
        csv_button = QPushButton(self.tr("Export CSV…"))
        json_button = QPushButton(self.tr("Export JSON…"))
        csv_button.clicked.connect(lambda: self._export_dialog("csv"))
        json_button.clicked.connect(lambda: self._export_dialog("json"))
        return [csv_button, json_button]

    def process(self, engine: ClassifierEngine, prepared: PreparedImage) -> ClassificationResult:
        return engine.run(prepared, self._k)

    def add_sources(self, sources: list) -> None:
        self._k = self.top_k.value()  # read on the GUI thread, used by the worker
        super().add_sources(sources)

    def row_for(self, result: ClassificationResult) -> list[tuple[str, object]]:
        name = self.display_name(result.image)
        top = result.top
        return [
            (name, name.lower()),
            (top.label if top else "", top.label.lower() if top else ""),
            (f"{top.score:.1%}" if top else "", top.score if top else 0.0),
            ("; ".join(result.notes), "; ".join(result.notes)),
        ]

    def show_item(self, item) -> None:
        self._shown = item
        self.preview_name.setText(item.image if not isinstance(item, ImageFailure) else item.message)
        if isinstance(item, ImageFailure):
            self.preview.clear()
            self.bars.show_predictions([])
            return
        self.bars.show_predictions(item.predictions)
        self.load_preview(item.image, lambda image: self._set_preview(item, image))

    def _set_preview(self, item: ClassificationResult, image) -> None:
        if self._shown is not item:
            return  # an earlier row's preview finished after a later row was chosen
        pixmap = QPixmap.fromImage(image)
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def export(self, path: Path, fmt: str) -> Job:
        text = classification_csv(self.results(), self.failures()) if fmt == "csv" else results_json(self.results(), self.failures())
        return write_export(self.banner, path, text, parent=self)

    def _export_dialog(self, fmt: str) -> None:
        pattern = self.tr("CSV files (*.csv)") if fmt == "csv" else self.tr("JSON files (*.json)")
        path = choose_export_path(self, self.tr("Export results"), f"classification.{fmt}", pattern)
        if path:
            self.export(path, fmt)
