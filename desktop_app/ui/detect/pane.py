"""The Detect pane: boxes over each image; thresholds and the class filter re-filter stored
candidates without running the model again: the image on screen at once, the rest on a worker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from desktop_app.core.vision.decoders import SCORE_FLOOR
from desktop_app.core.vision.engine import DetectorEngine, PreparedImage
from desktop_app.core.vision.export import coco_json, detection_csv, results_json, save_annotated
from desktop_app.core.vision.results import DetectionResult, ImageFailure, class_counts
from desktop_app.ui.detect.image_view import DetectionView
from desktop_app.ui.throttle import Throttle
from desktop_app.ui.vision.batch_pane import SORT_ROLE, VisionBatchPane
from desktop_app.ui.widgets.banner import BannerLevel
from desktop_app.ui.widgets.export_file import choose_export_path, write_export
from desktop_app.ui.workers import Job, describe_error, run_job

class DetectPane(VisionBatchPane):
    task = "detect"
    columns = ("File", "Objects", "Classes", "Note")
    filters_applied = Signal()  # every stored result follows the current thresholds
    exported = Signal(object)  # list of written paths, or the exception

    def column_titles(self) -> list[str]:
        return [self.tr("File"), self.tr("Objects"), self.tr("Classes"), self.tr("Note")]

    def detail_widget(self) -> QWidget:
        widget = QWidget()
        self.view = DetectionView()
        self.view.setMinimumSize(320, 240)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        fit = QPushButton(self.tr("Fit"))
        fit.clicked.connect(lambda: self.view.fit())
        zoom_in = QPushButton(self.tr("Zoom in"))
        zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        zoom_out = QPushButton(self.tr("Zoom out"))
        zoom_out.clicked.connect(lambda: self.view.zoom_by(0.8))
        row = QHBoxLayout()
        row.addWidget(self.detail_label, 1)
        for button in (zoom_out, zoom_in, fit):
            row.addWidget(button)
        layout = QVBoxLayout(widget)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self._shown: DetectionResult | None = None
        return widget

    def controls_layout(self) -> QHBoxLayout:
        self.conf_slider = self._slider(round(SCORE_FLOOR * 100), 100, 30)
        self.iou_slider = self._slider(5, 95, 50)
        self.conf_label, self.iou_label = QLabel(), QLabel()
        self.class_filter = QComboBox()
        self.class_filter.setMinimumWidth(140)
        self._refilter_rest = Throttle(self._start_refilter_job, 80, self)  # one pass per pause in a drag
        self._refilter_job: Job | None = None
        self._filters_wanted = self._filters_applied = 0  # generations of the threshold settings
        self.conf_slider.valueChanged.connect(self._filters_changed)
        self.iou_slider.valueChanged.connect(self._filters_changed)
        self.class_filter.currentIndexChanged.connect(self._filters_changed)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Confidence")))
        row.addWidget(self.conf_slider, 1)
        row.addWidget(self.conf_label)
        row.addWidget(QLabel(self.tr("IoU (NMS)")))
        row.addWidget(self.iou_slider, 1)
        row.addWidget(self.iou_label)
        row.addWidget(QLabel(self.tr("Class")))
        row.addWidget(self.class_filter)
        self._update_labels()
        return row

    @staticmethod
    def _slider(low: int, high: int, value: int) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(low, high)
        slider.setValue(value)
        return slider

    def export_buttons(self) -> list[QPushButton]:
        buttons = []
        titles = {"csv": self.tr("Export CSV…"), "json": self.tr("Export JSON…"), "coco": self.tr("Export COCO…")}
        for fmt, title in titles.items():
            button = QPushButton(title)
            button.clicked.connect(lambda _=False, f=fmt: self._export_dialog(f))
            buttons.append(button)
        annotated = QPushButton(self.tr("Save annotated…"))
        annotated.clicked.connect(self._annotated_dialog)
        return buttons + [annotated]

    # ------------------------------------------------------------------ thresholds

    @property
    def conf(self) -> float:
        return self.conf_slider.value() / 100

    @property
    def iou(self) -> float:
        return self.iou_slider.value() / 100

    def selected_classes(self) -> set[int] | None:
        class_id = self.class_filter.currentData()
        return None if class_id is None else {int(class_id)}

    def model_changed(self, engine: DetectorEngine) -> None:
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(self.tr("All classes"), None)
        for class_id, label in enumerate(engine.spec.labels):
            self.class_filter.addItem(label, class_id)
        self.class_filter.blockSignals(False)

    def _filters_changed(self) -> None:
        self._update_labels()
        self._filters_wanted += 1
        if self._shown is not None:  # the image on screen follows the slider at once
            self._shown.refilter(self.conf, self.iou, self.selected_classes())
            self._update_row(self._shown)
            self._draw(self._shown)
        self._refilter_rest()

    def _update_labels(self) -> None:
        self.conf_label.setText(f"{self.conf:.2f}")
        self.iou_label.setText(f"{self.iou:.2f}")

    def apply_filters(self) -> None:
        """Re-filter every stored result with the current thresholds now, on this thread (before an export)."""
        self._refilter_rest.cancel()
        if self._refilter_job is not None:
            self._refilter_job.cancel()
        conf, iou, classes = self.conf, self.iou, self.selected_classes()
        for item in self.results():
            item.refilter(conf, iou, classes)
        self._filters_done(self._filters_wanted)

    def _start_refilter_job(self) -> None:
        """NMS for every stored image but the one on screen, on a worker (up to 2,000 candidates each)."""
        if self._refilter_job is not None:
            self._refilter_job.cancel()
        conf, iou, classes, generation = self.conf, self.iou, self.selected_classes(), self._filters_wanted
        pending = [item for item in self.results() if item is not self._shown]

        def work(ctx):
            kept = []
            for item in pending:
                if ctx.cancelled:
                    return None
                kept.append((item, item.filtered(conf, iou, classes)))
            return kept

        self._refilter_job = run_job(
            work, parent=self, on_result=lambda kept: self._refiltered(generation, conf, iou, kept)
        )

    def _refiltered(self, generation: int, conf: float, iou: float, kept) -> None:
        if kept is None or generation != self._filters_wanted:
            return  # cancelled, or the sliders moved again: a newer pass is coming
        self._refilter_job = None
        for item, detections in kept:
            item.use(conf, iou, detections)
        self._filters_done(generation)

    def _filters_done(self, generation: int) -> None:
        for row, item in enumerate(self.items):
            if isinstance(item, DetectionResult):
                self._set_cells(row, item)
        if self._shown is not None:
            self._draw(self._shown)
        self._filters_applied = generation
        self.filters_applied.emit()

    def _settle_filters(self) -> None:
        if self._filters_applied != self._filters_wanted:
            self.apply_filters()

    def _update_row(self, item: DetectionResult) -> None:
        row = next((r for r, stored in enumerate(self.items) if stored is item), None)
        if row is not None:
            self._set_cells(row, item)

    def _set_cells(self, row: int, item: DetectionResult) -> None:
        for column, (text, key) in enumerate(self.row_for(item, refilter=False)[1:3], start=1):
            cell = self.table_model.item(row, column)
            if cell.text() != str(text):  # each change re-sorts the view: skip the ones that stay
                cell.setText(str(text))
                cell.setData(key, SORT_ROLE)

    # ------------------------------------------------------------------ batch hooks

    def process(self, engine: DetectorEngine, prepared: PreparedImage) -> DetectionResult:
        return engine.run(prepared, SCORE_FLOOR, 0.5)  # thresholds are applied on the GUI side

    def row_for(self, result: DetectionResult, refilter: bool = True) -> list[tuple[str, object]]:
        if refilter:
            result.refilter(self.conf, self.iou, self.selected_classes())
        name = self.display_name(result.image)
        counts = class_counts(result.detections)
        summary = ", ".join(f"{label} ×{n}" for label, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        return [
            (name, name.lower()),
            (str(len(result.detections)), len(result.detections)),
            (summary, summary),
            ("; ".join(result.notes), "; ".join(result.notes)),
        ]

    def show_item(self, item) -> None:
        if isinstance(item, ImageFailure):
            self._shown = None
            self.view.clear()
            self.detail_label.setText(item.message)
            return
        self._shown = item
        if self._filters_applied != self._filters_wanted:  # the sliders moved; the worker has not got here yet
            item.refilter(self.conf, self.iou, self.selected_classes())
            self._update_row(item)
        self.view.clear()
        self.load_preview(item.image, lambda image: self._image_loaded(item, image))

    def _image_loaded(self, item: DetectionResult, image) -> None:
        if self._shown is item:
            self.view.set_image(image)
            self._draw(item)

    def _draw(self, item: DetectionResult) -> None:
        self.view.set_detections(item.detections)
        self.detail_label.setText(self.tr("{name}: {n} objects ({w}×{h})").format(
            name=Path(item.image).name, n=len(item.detections), w=item.width, h=item.height
        ))

    # ------------------------------------------------------------------ export

    def export(self, path: Path, fmt: str) -> Job:
        self._settle_filters()
        results, failures = self.results(), self.failures()
        if fmt == "csv":
            text = detection_csv(results, failures)
        elif fmt == "coco":
            labels = self.engine.spec.labels if self.engine else ()
            text = coco_json(results, labels)
        else:
            text = results_json(results, failures)
        return write_export(self.banner, path, text, parent=self)

    def save_annotated(self, folder: Path) -> None:
        """Draw and write annotated copies on a worker; ``exported`` reports the files."""
        self._settle_filters()
        results = self.results()
        pasted = [r for r in results if r.image in self.pasted]
        # the job's own copies: moving a slider re-filters self.items on the GUI thread meanwhile
        files = [replace(r, detections=list(r.detections), notes=list(r.notes)) for r in results if r.image not in self.pasted]
        run_job(
            lambda ctx: save_annotated(files, Path(folder)),
            parent=self,
            on_result=self.exported.emit,
            on_error=lambda exc: (self.banner.show_message(describe_error(exc)), self.exported.emit(exc)),
        )
        if pasted:
            self.banner.show_message(self.tr("Pasted images are not saved as files; export them as JSON instead."), BannerLevel.INFO)

    def _export_dialog(self, fmt: str) -> None:
        default = {"csv": "detections.csv", "json": "detections.json", "coco": "detections.coco.json"}[fmt]
        patterns = {"csv": self.tr("CSV files (*.csv)"), "json": self.tr("JSON files (*.json)"), "coco": self.tr("COCO JSON (*.json)")}
        path = choose_export_path(self, self.tr("Export detections"), default, patterns[fmt])
        if path:
            self.export(path, fmt)

    def _annotated_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save annotated images to"))
        if folder:
            self.save_annotated(Path(folder))
