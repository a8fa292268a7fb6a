"""The Evaluate pane: tick models, Run, watch rows arrive, export the report. All measuring happens in
core.evaluate on the engine's thread; this pane only collects the choice and renders results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QProgressBar, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.core.evaluate.cost import CostInputs
from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.report import EvaluationReport, LanguageModelResult
from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
from desktop_app.core.evaluate.shapes import PRESETS
from desktop_app.core.llm.host import load_options
from desktop_app.ui.widgets.banner import MessageBanner
from desktop_app.ui.workers import describe_error, run_job

EXPORTS = ("html", "pdf", "json", "csv")


def _n(value, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


class EvaluatePane(QWidget):
    row_added = Signal(object)  # a LanguageModelResult or VisionModelResult
    run_finished = Signal(object)  # the EvaluationReport, or the exception
    exported = Signal(object)  # the Path written, or the exception

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.job = None
        self.report: EvaluationReport | None = None
        self.banner = MessageBanner()
        self.models = QListWidget()
        self.models.setMaximumHeight(130)
        self.shapes = QComboBox()
        for key, label in (("quick", self.tr("Quick (2 shapes)")), ("localscore", self.tr("LocalScore (all 9 shapes)"))):
            self.shapes.addItem(label, key)
        self.reps = QSpinBox(minimum=1, maximum=10, value=3)
        self.price = QDoubleSpinBox(minimum=0, maximum=10, decimals=3, value=0.30, singleStep=0.01)
        self.watts = QDoubleSpinBox(minimum=0, maximum=2000, decimals=0, value=0)
        self.watts.setSpecialValueText(self.tr("measure"))
        self.cloud = QDoubleSpinBox(minimum=0, maximum=1000, decimals=2, value=0)
        self.cloud.setSpecialValueText(self.tr("none"))
        options = QFormLayout()
        options.addRow(self.tr("Shapes"), self.shapes)
        options.addRow(self.tr("Repetitions"), self.reps)
        options.addRow(self.tr("Electricity per kWh"), self.price)
        options.addRow(self.tr("Power draw (W) if not measurable"), self.watts)
        options.addRow(self.tr("Cloud price per million tokens"), self.cloud)
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.clicked.connect(lambda: self.start())
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress_label = QLabel()
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([
            self.tr("Model"), self.tr("Runs on"), self.tr("Status"), self.tr("Prompt tok/s"), self.tr("Generation tok/s"),
            self.tr("TTFT / latency ms"), self.tr("Score / images/s"), self.tr("Peak RAM GB"),
        ])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verdicts = QLabel()
        self.verdicts.setWordWrap(True)
        self.export_buttons = {}
        exports = QHBoxLayout()
        for kind, label in zip(EXPORTS, (self.tr("Save HTML…"), self.tr("Save PDF…"), self.tr("Save JSON…"), self.tr("Save CSV…"))):
            button = QPushButton(label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, k=kind: self._ask_export(k))
            exports.addWidget(button)
            self.export_buttons[kind] = button
        exports.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.models, 2)
        top.addLayout(options, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>What can this computer do?</b> Speed, memory and cost of each installed model.")))
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdicts)
        layout.addLayout(exports)
        self.refresh_models()

    def refresh_models(self) -> None:
        self.models.clear()
        for entry in self.context.registry.list():
            if not entry.exists:
                continue
            item = QListWidgetItem(f"{entry.name} ({entry.task})")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.models.addItem(item)

    def chosen(self) -> list:
        items = (self.models.item(i) for i in range(self.models.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def request(self) -> EvaluationRequest:
        entries = self.chosen()
        settings = self.context.settings
        return EvaluationRequest(
            language=[e for e in entries if e.kind == "gguf"], vision=[e for e in entries if e.kind == "onnx"],
            shapes=list(PRESETS[self.shapes.currentData()]), reps=self.reps.value(), load=load_options(settings),
            cost=CostInputs(price_per_kwh=self.price.value(), watts=self.watts.value() or None,
                            cloud_price_per_mtok=self.cloud.value() or None),
        )

    # running

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, request: EvaluationRequest | None = None) -> None:
        if self.busy:
            return
        request = request or self.request()
        if not request.language and not request.vision:
            self.banner.show_message(self.tr("Tick at least one model to evaluate."), "info")
            return
        self.banner.hide()
        self.table.setRowCount(0)
        self.verdicts.clear()
        self.report = None
        host = self.context.llm

        def work(ctx):
            runner = EvaluationRunner(request, host, on_progress=lambda p: ctx.progress(("progress", p)),
                                      on_row=lambda r: ctx.progress(("row", r)), cancel=ctx.cancel)
            return runner.run()

        self._set_running(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Starting…"))
        self.job = run_job(work, parent=self, serial=self.context.llm_thread, on_progress=self._on_progress,
                           on_result=self._finished, on_error=self._failed)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("Cancelling… finished models are kept."))

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for button in self.export_buttons.values():
            button.setEnabled(not running and self.report is not None)

    def _on_progress(self, message) -> None:
        kind, value = message
        if kind == "row":
            self._add_row(value)
            self.row_added.emit(value)
            return
        p = value
        self.progress.setRange(0, p.model_count)
        self.progress.setValue(p.model_index - 1)
        left = self.tr(", about {s} s left").format(s=f"{p.eta_s:.0f}") if p.eta_s is not None else ""
        self.progress_label.setText(self.tr("Model {i} of {n}: {model}: {step} ({elapsed} s{left})").format(
            i=p.model_index, n=p.model_count, model=p.model, step=p.step, elapsed=f"{p.elapsed_s:.0f}", left=left))

    def _add_row(self, row) -> None:
        if isinstance(row, LanguageModelResult):
            a = aggregate(row)
            cells = [row.name, row.device, row.status.value, _n(a[0] if a else None, 1), _n(a[1] if a else None, 1),
                     _n(a[2] if a else None, 0), _n(row.score, 0), _n(row.peak_ram_bytes / 1e9 if row.peak_ram_bytes else None, 2)]
        else:
            cells = [row.name, row.provider or "–", row.status.value, "–", "–",
                     _n(row.latency_ms.median if row.latency_ms else None, 1),
                     f"{_n(row.single_ips, 1)} / {_n(row.folder_ips, 1)}", _n(row.peak_ram_bytes / 1e9 if row.peak_ram_bytes else None, 2)]
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if row.reason:
                item.setToolTip(row.reason)
            self.table.setItem(index, column, item)

    def _finished(self, report: EvaluationReport) -> None:
        self.job = None
        self.report = report
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        done = self.tr("Cancelled after {s} s; the finished models are kept.") if report.cancelled else self.tr("Finished in {s} s.")
        self.progress_label.setText(done.format(s=f"{report.elapsed_s:.0f}"))
        lines = [f"{m.key}: {v}" for m in report.language for v in m.verdicts + m.notes]
        lines += [f"{r.key}: {r.reason}" for r in report.language + report.vision if r.reason]
        self.verdicts.setText("\n".join(lines))
        self.run_finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress_label.clear()
        self.banner.show_message(describe_error(exc))
        self.run_finished.emit(exc)

    # exports

    def _ask_export(self, kind: str) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report"), f"hearth-evaluation.{kind}")
        if name:
            self.export(kind, Path(name))

    def export(self, kind: str, path: Path) -> None:
        """Write the last report as ``kind`` on a worker (charts take a moment to draw)."""
        if self.report is None:
            return
        report = self.report

        def work(ctx):
            if kind == "html":
                from desktop_app.core.evaluate.html import write_html

                return write_html(report, path)
            if kind == "pdf":
                from desktop_app.core.evaluate.pdf import write_pdf

                return write_pdf(report, path)
            from desktop_app.core.evaluate import report as reports

            return reports.write_json(report, path) if kind == "json" else reports.write_csv(report, path)

        run_job(work, parent=self, on_result=self._exported, on_error=self._export_failed)

    def _exported(self, path: Path) -> None:
        self.progress_label.setText(self.tr("Saved {path}").format(path=path))
        self.exported.emit(path)

    def _export_failed(self, exc: BaseException) -> None:
        self.banner.show_message(describe_error(exc))
        self.exported.emit(exc)

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
