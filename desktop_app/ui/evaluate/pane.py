"""The Evaluate pane: tick models, Run, watch rows arrive, export the report; what to download next,
kept runs side by side, a report from another PC compared. All measuring happens in core.evaluate on the
engine's thread, database and file work in jobs; this pane only collects the choice and renders results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QListWidget, QListWidgetItem, QProgressBar, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from desktop_app.core.evaluate import history
from desktop_app.core.evaluate.cost import CostInputs
from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.report import EvaluationReport, LanguageModelResult, RowStatus, read_report
from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
from desktop_app.core.evaluate.shapes import DEFAULT_REPS, PRESETS
from desktop_app.core.llm.host import EngineTask, is_remote, load_options
from desktop_app.core.remote import engines
from desktop_app.core.units import format_duration
from desktop_app.ui.evaluate.compare_view import CompareDialog
from desktop_app.ui.evaluate.quality_view import QualityView
from desktop_app.ui.evaluate.suggestions import NextModelsTable
from desktop_app.ui.texts import translated
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import describe_error, run_job

EXPORTS = ("html", "pdf", "json", "csv")
# the Status column shows these through self.tr(); the report files keep the enum values
ROW_STATUS = {
    RowStatus.OK: QT_TRANSLATE_NOOP("EvaluatePane", "ok"),
    RowStatus.FAILED: QT_TRANSLATE_NOOP("EvaluatePane", "failed"),
    RowStatus.SKIPPED: QT_TRANSLATE_NOOP("EvaluatePane", "skipped"),
    RowStatus.CANCELLED: QT_TRANSLATE_NOOP("EvaluatePane", "cancelled"),
}


def _task_name(task: str) -> str:
    """The task as the Models pane names it (English keeps the lower-case key)."""
    translated = QCoreApplication.translate("ModelTable", task.capitalize())
    return task if translated == task.capitalize() else translated


PROGRESS_STEPS = 1000  # the bar's range: the run's fraction done in tenths of a percent


def _n(value, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


class EvaluatePane(QWidget):
    row_added = Signal(object)  # a LanguageModelResult or VisionModelResult
    run_finished = Signal(object)  # the EvaluationReport, or the exception
    exported = Signal(object)  # the Path written, or the exception
    history_loaded = Signal(list)  # the kept runs (store EvaluationRecord), newest first
    compare_opened = Signal(object)  # the CompareDialog, or the exception

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.job = None
        self._outcome = None  # the run's report (or its exception) between its delivery and the job's end
        self.report: EvaluationReport | None = None
        self.hf_endpoint: str | None = None  # where downloads look for Hugging Face (tests: a loopback server)
        self.banner = MessageBanner()
        self.models = QListWidget()
        self.models.setMaximumHeight(130)
        self.shapes = QComboBox()
        for key, label in (("quick", self.tr("Quick (2 shapes)")), ("localscore", self.tr("LocalScore (all 9 shapes)"))):
            self.shapes.addItem(label, key)
            self.shapes.setItemData(self.shapes.count() - 1, ", ".join(s.key for s in PRESETS[key]),
                                    Qt.ItemDataRole.ToolTipRole)  # prompt/generated tokens of each shape
        self.reps = QSpinBox(minimum=1, maximum=10, value=DEFAULT_REPS)
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
        columns = [
            (self.tr("Model"), self.tr("The model's name")),
            (self.tr("Runs on"), self.tr("CPU, GPU or the vision accelerator used")),
            (self.tr("Status"), self.tr("ok, or why the model was skipped, failed or cancelled (hover the row)")),
            (self.tr("Prompt tok/s"), self.tr("Prompt tokens read per second (median over the shapes)")),
            (self.tr("Generation tok/s"), self.tr("Tokens written per second (median over the shapes)")),
            (self.tr("TTFT / latency ms"), self.tr("Language: time to the first token; vision: one image's latency")),
            (self.tr("Score / images/s"), self.tr("Language: LocalScore; vision: images per second, single / folder")),
            (self.tr("Peak RAM GB"), self.tr("The most memory the app used while measuring this model")),
            (self.tr("Generation tok/s predicted"), self.tr("What the last run predicted for this model, to check it")),
        ]
        self.table = QTableWidget(0, len(columns))
        for column, (title, tip) in enumerate(columns):
            header = QTableWidgetItem(title)
            header.setToolTip(tip)
            self.table.setHorizontalHeaderItem(column, header)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # numbers and headers never cut
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what is left
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
        self.compare_button = QPushButton(self.tr("Compare with a report…"))
        self.compare_button.clicked.connect(self._ask_compare)
        exports.addWidget(self.compare_button)
        self.next_models = NextModelsTable()
        self.next_models.download_requested.connect(self.open_download)
        self.next_basis = QLabel(self.tr("Run an evaluation with a language model to see predictions."))
        self.next_basis.setWordWrap(True)
        self.history = QListWidget()
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.history.itemSelectionChanged.connect(self._history_selection)
        self.side_by_side = QPushButton(self.tr("Open the two selected side by side"))
        self.side_by_side.setEnabled(False)
        self.side_by_side.clicked.connect(lambda: self.open_side_by_side(self.selected_runs()))
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.addWidget(self.table, 1)
        results_layout.addWidget(self.verdicts)
        next_page = QWidget()
        next_layout = QVBoxLayout(next_page)
        next_layout.addWidget(self.next_models, 1)
        next_layout.addWidget(self.next_basis)
        history_page = QWidget()
        history_layout = QVBoxLayout(history_page)
        history_layout.addWidget(self.history, 1)
        history_layout.addWidget(self.side_by_side)
        self.tabs = QTabWidget()
        self.tabs.addTab(results, self.tr("Results"))
        self.quality = QualityView(context)
        self.quality.report_ready.connect(self._quality_report)
        self.tabs.addTab(self.quality, self.tr("Quality"))
        self.tabs.addTab(next_page, self.tr("What to download next"))
        self.tabs.addTab(history_page, self.tr("History"))
        top = QHBoxLayout()
        top.addWidget(self.models, 2)
        top.addLayout(options, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        self.speed_controls = QWidget()  # the speed run's choices; the Quality tab has its own
        speed_layout = QVBoxLayout(self.speed_controls)
        speed_layout.setContentsMargins(0, 0, 0, 0)
        speed_layout.addLayout(top)
        speed_layout.addLayout(buttons)
        speed_layout.addWidget(self.progress_label)
        self.tabs.currentChanged.connect(lambda _i: self.speed_controls.setHidden(self.tabs.currentWidget() is self.quality))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>What can this computer do?</b> Speed, memory and cost of each installed model.")))
        layout.addWidget(self.banner)
        layout.addWidget(self.speed_controls)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(exports)
        self.refresh_models()
        self.refresh_history()

    def refresh_models(self) -> None:
        self.models.clear()
        for entry in self.context.registry.list():
            if not entry.exists:
                continue
            item = QListWidgetItem(f"{entry.name} ({_task_name(entry.task)})")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.models.addItem(item)
        for remote in engines.picker_models(self.context.settings):  # ticked by hand: they run over the network
            item = QListWidgetItem(self.tr("{name} (remote engine)").format(name=remote.name))
            item.setData(Qt.ItemDataRole.UserRole, remote)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.models.addItem(item)

    def chosen(self) -> list:
        items = (self.models.item(i) for i in range(self.models.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def request(self) -> EvaluationRequest:
        entries = self.chosen()
        settings = self.context.settings
        return EvaluationRequest(
            language=[e for e in entries if is_remote(e) or e.kind == "gguf"],
            vision=[e for e in entries if not is_remote(e) and e.kind == "onnx"],
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
            self.banner.show_message(self.tr("Tick at least one model to evaluate."), BannerLevel.INFO)
            return
        self.banner.hide()
        self.table.setRowCount(0)
        self.verdicts.clear()
        self.report = None
        host, store = self.context.llm, self.context.store

        def work(ctx):
            request.expected = _or_note(lambda: history.latest_predictions(store), [], None)
            runner = EvaluationRunner(request, host, on_progress=lambda p: ctx.progress(("progress", p)),
                                      on_row=lambda r: ctx.progress(("row", r)), cancel=ctx.cancel)
            with host.hold(EngineTask.EVALUATE, ctx.cancel):  # a reply asked meanwhile says it waits for this
                report = runner.run()
            _or_note(lambda: history.keep_report(store, report), None, report)  # history must not cost the run
            return report

        self._set_running(True)
        self.progress.setRange(0, 0)  # busy until the first step reports
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Starting…"))
        self.job = run_job(work, parent=self, serial=self.context.llm_thread, on_progress=self._on_progress,
                           on_result=self._finished, on_error=self._failed, on_finished=self._run_ended)

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
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(max(self.progress.value(), round(p.fraction * PROGRESS_STEPS)))  # never backwards
        left = self.tr(", about {t} left").format(t=format_duration(p.eta_s)) if p.eta_s is not None else ""
        self.progress_label.setText(self.tr("Model {i} of {n}: {model}: {step} ({elapsed}{left})").format(
            i=p.model_index, n=p.model_count, model=p.model, step=translated(p.step), elapsed=format_duration(p.elapsed_s),
            left=left))

    def _add_row(self, row) -> None:
        status = self.tr(ROW_STATUS[row.status])
        if isinstance(row, LanguageModelResult):
            a = aggregate(row)
            cells = [row.name, row.device, status, _n(a[0] if a else None, 1), _n(a[1] if a else None, 1),
                     _n(a[2] if a else None, 0), _n(row.score, 0), _n(row.peak_ram_bytes / 1e9 if row.peak_ram_bytes else None, 2),
                     _n(row.predicted["gen_tps"], 1) if row.predicted else "–"]
        else:
            cells = [row.name, row.provider or "–", status, "–", "–",
                     _n(row.latency_ms.median if row.latency_ms else None, 1),
                     f"{_n(row.single_ips, 1)} / {_n(row.folder_ips, 1)}", _n(row.peak_ram_bytes / 1e9 if row.peak_ram_bytes else None, 2),
                     "–"]
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if row.reason:
                item.setToolTip(row.reason)
            self.table.setItem(index, column, item)

    def _run_ended(self) -> None:
        """After the run's report or its error, once: the buttons back, then the news."""
        outcome, self._outcome = self._outcome, None
        self.job = None
        self._set_running(False)
        self.run_finished.emit(outcome)

    def _finished(self, report: EvaluationReport) -> None:
        self.report = self._outcome = report
        reached = max(0, self.progress.value())  # -1 (reset) or the last step's value
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(reached if report.cancelled else PROGRESS_STEPS)  # a cancelled run stays where it stopped
        done = self.tr("Cancelled after {t}; the finished models are kept.") if report.cancelled else self.tr("Finished in {t}.")
        self.progress_label.setText(done.format(t=format_duration(report.elapsed_s)))
        lines = [f"{m.key}: {translated(v)}" for m in report.language for v in m.verdicts + m.notes]
        lines += [f"{r.key}: {r.reason}" for r in report.language + report.vision if r.reason]
        lines += [n for n in report.notes if n.startswith("Prediction check")]  # the closing note
        self.verdicts.setText("\n".join(lines))
        self.show_predictions(report)
        self.refresh_history()

    def _failed(self, exc: BaseException) -> None:
        self._outcome = exc
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress_label.clear()
        self.banner.show_message(describe_error(exc))

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

    # what to download next

    def show_predictions(self, report: EvaluationReport) -> None:
        sources = {e.extra.get("url", "") for e in self.context.registry.list() if e.exists and e.extra}
        self.next_models.show_predictions(report.predictions, sources)
        if report.predictions:
            self.next_basis.setText(self.tr("Predicted for this computer from the measured run: {basis}.").format(
                basis=report.predictions[0]["basis"]))

    def open_download(self, prediction: dict):
        """The Models pane's downloader, filled in with the chosen model (the user presses Download there)."""
        from desktop_app.ui.widgets.download_dialog import DownloadDialog

        dialog = DownloadDialog(self.context.registry, self, hf_endpoint=self.hf_endpoint)
        for i in range(dialog.curated.count()):
            if dialog.curated.item(i).data(Qt.ItemDataRole.UserRole).get("file") == prediction["file"]:
                dialog.curated.setCurrentRow(i)
        dialog.sources.setCurrentIndex(1)  # the Hugging Face tab, so a model missing from the list works too
        dialog.repo.setText(prediction["repo"])
        dialog.file.setText(prediction["file"])
        dialog.finished_download.connect(self._downloaded)
        dialog.show()
        return dialog

    def _downloaded(self, result) -> None:
        if result is None or isinstance(result, BaseException):
            return
        self.refresh_models()
        if self.report is not None:
            self.show_predictions(self.report)
        self.banner.show_message(self.tr("'{name}' was downloaded. Run again to see its measured speed beside the "
                                         "prediction.").format(name=result.name), BannerLevel.INFO)

    # history and comparisons

    def refresh_history(self) -> None:
        store = self.context.store
        run_job(lambda ctx: history.kept_runs(store), parent=self, on_result=self._show_history,
                on_error=lambda exc: self.banner.show_message(describe_error(exc)))

    def _show_history(self, runs: list) -> None:
        import datetime

        self.history.clear()
        for run in runs:
            when = datetime.datetime.fromtimestamp(run.created_at).strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{when}  {run.title}")
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            self.history.addItem(item)
        self.history_loaded.emit(runs)

    def selected_runs(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.history.selectedItems()]

    def _history_selection(self) -> None:
        self.side_by_side.setEnabled(len(self.selected_runs()) == 2)

    def open_side_by_side(self, run_ids: list[int]) -> None:
        """Two kept runs, older first."""
        store = self.context.store
        self._compare_in_job(lambda: sorted((history.open_kept(store, i) for i in run_ids), key=lambda r: r.created_at))

    def _ask_compare(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("A report to compare with"), "", self.tr("Reports (*.json)"))
        if name:
            self.compare_with_file(Path(name))

    def compare_with_file(self, path: Path) -> None:
        """The last run (else the newest selected kept run) beside a report JSON from another PC."""
        store, current, chosen = self.context.store, self.report, self.selected_runs()
        if current is None and not chosen:
            self.banner.show_message(self.tr("Run an evaluation or select a kept run first, then compare."), BannerLevel.INFO)
            return

        def both():
            mine = current if current is not None else history.open_kept(store, chosen[0])
            return [mine, read_report(path)]

        self._compare_in_job(both)

    def _compare_in_job(self, load) -> None:
        run_job(lambda ctx: load(), parent=self, on_result=self._show_compare, on_error=self._compare_failed)

    def _show_compare(self, reports: list) -> None:
        dialog = CompareDialog(reports[0], reports[1], self)
        dialog.show()
        self.compare_opened.emit(dialog)

    def _compare_failed(self, exc: BaseException) -> None:
        self.banner.show_message(describe_error(exc))
        self.compare_opened.emit(exc)

    def _quality_report(self, report: EvaluationReport) -> None:
        """The Quality tab's report is the one the export buttons write, as a speed run's is."""
        self.report = report
        self._set_running(self.busy)
        self.refresh_history()

    def shutdown(self) -> None:
        self.quality.shutdown()
        if self.job is not None:
            self.job.cancel()


def _or_note(action, default, report: EvaluationReport | None):
    """A history read or write that fails becomes a note on the report (or the default), never a failed run."""
    from desktop_app.core.errors import StorageError

    try:
        return action()
    except StorageError as exc:
        if report is not None:
            report.notes.append(f"Not kept in the history: {exc}")
        return default
