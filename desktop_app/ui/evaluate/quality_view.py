"""The Evaluate pane's Quality tab: a question set or folder, 2–4 models side by side, hand marks, blind votes.

The run happens in core.evaluate.quality on a worker (chat models on the engine's thread); marks and votes
are saved into the kept run on a worker. The tab hands each finished report to the pane, whose export
buttons write it (the same report as the speed run, with a quality section)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar,
    QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.core import paths
from desktop_app.core.errors import StorageError
from desktop_app.core.evaluate import history
from desktop_app.core.evaluate.quality.pictures import worst_pictures
from desktop_app.core.evaluate.quality.results import METRIC_NAMES, QualityRun, QualityTask, mark_key
from desktop_app.core.evaluate.quality.runners import QualityRequest, label_plan, run_quality
from desktop_app.core.evaluate.report import EvaluationReport
from desktop_app.core.llm.host import EngineTask, load_options
from desktop_app.ui.evaluate.label_dialog import LabelMappingDialog
from desktop_app.ui.evaluate.vote_dialog import BlindVoteDialog
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import describe_error, run_job

TASKS = [
    (QualityTask.QA, QT_TRANSLATE_NOOP("QualityView", "Answers to a question set (CSV, XLSX, JSONL)"), "chat"),
    (QualityTask.SUMMARY, QT_TRANSLATE_NOOP("QualityView", "Summaries against reference summaries"), "chat"),
    (QualityTask.CLASSIFY, QT_TRANSLATE_NOOP("QualityView", "Image classification (a folder per class)"), "classify"),
    (QualityTask.DETECT, QT_TRANSLATE_NOOP("QualityView", "Object detection (COCO JSON or YOLO labels)"), "detect"),
]
STARTER = {QualityTask.QA: "questions/starter-en.csv", QualityTask.SUMMARY: "summaries",
           QualityTask.CLASSIFY: "classify", QualityTask.DETECT: "detect"}
MAX_MODELS = 4
PERCENT = {"exact", "contains", "rouge1", "rouge2", "rougeL", "top1", "top5", "macro_f1", "map50", "map", "recall", "hand"}


def _cell(value, metric: str) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f} %" if metric in PERCENT else f"{value:.1f}"


def _saved(store, data: str, model: str) -> dict[str, list[str]]:
    """The history's mapping for this folder and model; a history that cannot be read offers none."""
    try:
        return history.saved_labels(store, data, model)
    except StorageError:
        return {}


class QualityView(QWidget):
    run_finished = Signal(object)  # the EvaluationReport, or the exception
    report_ready = Signal(object)  # the EvaluationReport to export (after a run, a mark or a vote)
    saved = Signal(object)  # the kept run's id after marks or votes were saved, or the exception
    labels_opened = Signal(object)  # the LabelMappingDialog
    pictures_shown = Signal(int)  # how many pictures were added

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.job = None
        self._outcome = None  # the run's report (or its exception) between its delivery and the job's end
        self.report: EvaluationReport | None = None
        self.kept_id: int | None = None
        self.banner = MessageBanner()
        self.task = QComboBox()
        for task, label, _kind in TASKS:
            self.task.addItem(self.tr(label), task.value)
        self.task.currentIndexChanged.connect(self._task_changed)
        self.data = QLineEdit()
        self.data.setPlaceholderText(self.tr("The question file or the folder to score on"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._ask_data)
        starter = QPushButton(self.tr("Starter set"))
        starter.setToolTip(self.tr("The small set that ships with Hearth (see assets/eval/README.md)"))
        starter.clicked.connect(self.use_starter)
        self.models = QListWidget()
        self.models.setMaximumHeight(76)
        self.label_overrides: dict[str, dict[str, list[str]]] = {}  # model -> folder -> labels, chosen here
        self.labels_button = QPushButton(self.tr("Labels…"))
        self.labels_button.setToolTip(self.tr("Which of the selected model's labels each class folder means"))
        self.labels_button.clicked.connect(lambda: self.edit_labels())
        self.run_button = QPushButton(self.tr("Score"))
        self.run_button.clicked.connect(lambda: self.start())
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.vote_button = QPushButton(self.tr("Blind vote…"))
        self.vote_button.setToolTip(self.tr("Two models' answers as A and B in random order; names shown at the end"))
        self.vote_button.setEnabled(False)
        self.vote_button.clicked.connect(lambda: self.open_vote())
        self.progress = QProgressBar()
        self.progress_label = QLabel()
        self.summary = QTableWidget(0, 0)
        self.summary.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.items = QTableWidget(0, 6)
        self.items.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Model"), self.tr("Output"), self.tr("Expected"),
                                              self.tr("Scores"), self.tr("By hand")])
        self.items.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.items.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.items.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mark_right = QPushButton(self.tr("Mark right"))
        self.mark_wrong = QPushButton(self.tr("Mark wrong"))
        self.mark_clear = QPushButton(self.tr("Clear mark"))
        for button, value in ((self.mark_right, True), (self.mark_wrong, False), (self.mark_clear, None)):
            button.clicked.connect(lambda _=False, v=value: self.mark_selected(v))
        self.pictures = QListWidget()  # confusion matrix / PR curves, then the worst images, drawn on a worker
        self.pictures.setViewMode(QListWidget.ViewMode.IconMode)
        self.pictures.setIconSize(QSize(150, 112))
        self.pictures.setWordWrap(True)
        self.pictures.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        source = QHBoxLayout()
        source.addWidget(self.task)
        source.addWidget(self.data, 1)
        source.addWidget(choose)
        source.addWidget(starter)
        source.addWidget(self.labels_button)
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button, self.vote_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.progress, 1)
        marks = QHBoxLayout()
        for widget in (self.mark_right, self.mark_wrong, self.mark_clear):
            marks.addWidget(widget)
        marks.addStretch(1)
        items_box = QWidget()
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(self.items, 1)
        items_layout.addLayout(marks)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.summary)
        split.addWidget(items_box)
        split.addWidget(self.pictures)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(source)
        layout.addWidget(QLabel(self.tr("Models to compare (2–4 side by side, or one):")))
        layout.addWidget(self.models)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.problems)
        self._task_changed()

    # choosing

    @property
    def current_task(self) -> QualityTask:
        return QualityTask(self.task.currentData())

    def _task_changed(self) -> None:
        kind = next(k for t, _l, k in TASKS if t is self.current_task)
        self.models.clear()
        for entry in self.context.registry.list():
            if entry.exists and entry.task == kind:
                item = QListWidgetItem(entry.name)
                item.setData(Qt.ItemDataRole.UserRole, entry)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if self.models.count() < MAX_MODELS else Qt.CheckState.Unchecked)
                self.models.addItem(item)
        self.data.clear()
        self.labels_button.setVisible(self.current_task is QualityTask.CLASSIFY)

    def use_starter(self) -> None:
        self.data.setText(str(paths.assets_dir() / "eval" / STARTER[self.current_task]))

    def _ask_data(self) -> None:
        if self.current_task is QualityTask.QA:
            name, _ = QFileDialog.getOpenFileName(self, self.tr("A question set"), "",
                                                  self.tr("Question sets (*.csv *.xlsx *.jsonl)"))
        else:
            name = QFileDialog.getExistingDirectory(self, self.tr("The folder to score on"))
        if name:
            self.data.setText(name)

    def chosen(self) -> list:
        items = (self.models.item(i) for i in range(self.models.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    # running

    def start(self, limit: int | None = None) -> None:
        if self.job is not None:
            return
        models, data = self.chosen(), self.data.text().strip()
        if not models or len(models) > MAX_MODELS or not data:
            self.banner.show_message(self.tr("Choose the data and tick one to four models."), BannerLevel.INFO)
            return
        self.banner.hide()
        settings = self.context.settings
        request = QualityRequest(self.current_task, Path(data), models, load_options(settings), limit=limit,
                                 labels=dict(self.label_overrides), threads=settings.resolved_threads())
        host, store = self.context.llm, self.context.store
        chat = self.current_task in (QualityTask.QA, QualityTask.SUMMARY)  # these run on the shared engine

        def work(ctx):
            from desktop_app.core.evaluate.machine import fingerprint

            for entry in request.models if request.task is QualityTask.CLASSIFY else []:
                if entry.name not in request.labels:  # the mapping chosen for this folder last time
                    request.labels[entry.name] = _saved(store, str(request.data), entry.name)
            # on the engine's thread, a reply asked meanwhile says it waits for this run
            with host.hold(EngineTask.EVALUATE, ctx.cancel) if chat else contextlib.nullcontext():
                run = run_quality(request, host, on_progress=ctx.progress, cancel=ctx.cancel)
            report = EvaluationReport(machine=fingerprint(), quality=[run], settings={"quality_task": run.task.value})
            try:
                kept = history.keep_report(store, report)
            except StorageError as exc:  # the history must not cost the user the run
                report.notes.append(f"Not kept in the history: {exc}")
                kept = None
            return report, kept

        self._running(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Starting…"))
        self.job = run_job(work, parent=self, serial=self.context.llm_thread if chat else None,
                           on_progress=self._on_progress, on_result=self._finished, on_error=self._failed,
                           on_finished=self._run_ended)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.vote_button.setEnabled(not running and self._votable())

    def _on_progress(self, p) -> None:
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        self.progress_label.setText(self.tr("{model}: {step} ({done} of {total})").format(
            model=p.model, step=p.text, done=p.done, total=p.total))

    def _run_ended(self) -> None:
        """After the run's result or its error, once: the buttons back, then the news."""
        outcome, self._outcome = self._outcome, None
        self.job = None
        self._running(False)
        self.run_finished.emit(outcome)

    def _finished(self, result) -> None:
        self.report, self.kept_id = result
        self._outcome = self.report
        run = self.run
        self.progress_label.setText(self.tr("Scored {n} items.").format(n=len(run.items)) if not run.cancelled
                                    else self.tr("Cancelled; the scored items are kept."))
        self.show_run(run)
        self.show_pictures(run)
        self.report_ready.emit(self.report)

    def _failed(self, exc: BaseException) -> None:
        self._outcome = exc
        self.progress.setRange(0, 1)
        self.progress_label.clear()
        self.banner.show_message(describe_error(exc))

    # showing

    @property
    def run(self) -> QualityRun | None:
        return self.report.quality[0] if self.report and self.report.quality else None

    def _votable(self) -> bool:
        run = self.run
        return bool(run and run.task in (QualityTask.QA, QualityTask.SUMMARY) and len(run.models) >= 2)

    def show_run(self, run: QualityRun) -> None:
        metrics = run.metrics()
        extra = [(self.tr("Items per second"), lambda m: m.items_per_s, 2)]
        if run.task is QualityTask.SUMMARY:  # beside ROUGE: how long the summaries are and how long they take
            extra += [(self.tr("Words per summary"), lambda m: m.overall.get("words"), 0),
                      (self.tr("Seconds per page"), lambda m: m.overall.get("s_per_page"), 1)]
        rows = len(metrics) + len(extra)
        self.summary.clear()
        self.summary.setRowCount(rows)
        self.summary.setColumnCount(len(run.models))
        self.summary.setHorizontalHeaderLabels([m.name for m in run.models])
        self.summary.setVerticalHeaderLabels([self.tr(METRIC_NAMES.get(m, m)) for m in metrics] + [e[0] for e in extra])
        self.summary.setMinimumHeight(min(240, self.summary.horizontalHeader().height() + 4 + 30 * rows))
        bold = QFont()
        bold.setBold(True)
        for row, metric in enumerate(metrics):
            best = run.best(metric)
            for column, model in enumerate(run.models):
                item = QTableWidgetItem(_cell(run.value(model, metric), metric) + (" ★" if model.name == best else ""))
                if model.name == best:
                    item.setFont(bold)
                    item.setToolTip(self.tr("The best of the models compared"))
                self.summary.setItem(row, column, item)
        for offset, (_title, value, digits) in enumerate(extra):
            for column, model in enumerate(run.models):
                v = value(model)
                self.summary.setItem(len(metrics) + offset, column, QTableWidgetItem("–" if v is None else f"{v:,.{digits}f}"))
        self.items.setRowCount(len(run.items))
        for row, item in enumerate(run.items):
            scores = ", ".join(f"{k} {v:.2f}" for k, v in item.scores.items())
            cells = [item.item + (" ⚑" if item.needs_review else ""), item.model, item.output, item.expected, scores,
                     self._mark_text(run, item)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0 and item.needs_review:
                    cell.setToolTip(self.tr("The scores disagree: worth a look"))
                self.items.setItem(row, column, cell)
        lines = [p.line() for p in run.problems] + [f"{m.name}: {m.reason}" for m in run.models if m.reason]
        self.problems.setText(self.tr("Problems:") + "\n" + "\n".join(lines) if lines else "")

    def show_pictures(self, run: QualityRun) -> None:
        self.pictures.clear()
        self.pictures.setVisible(run.task in (QualityTask.CLASSIFY, QualityTask.DETECT))
        if self.pictures.isHidden():
            return
        run_job(lambda ctx: worst_pictures(run), parent=self, on_result=self._add_pictures,
                on_error=lambda exc: self.banner.show_message(describe_error(exc)))

    def _add_pictures(self, pictures: list) -> None:
        for caption, data in pictures:
            image = QPixmap()
            image.loadFromData(data)
            item = QListWidgetItem(QIcon(image), caption)
            item.setToolTip(caption)
            self.pictures.addItem(item)
        self.pictures_shown.emit(len(pictures))

    def _mark_text(self, run: QualityRun, item) -> str:
        mark = run.marks.get(mark_key(item.model, item.item))
        return "" if mark is None else (self.tr("right") if mark else self.tr("wrong"))

    # hand marks and votes

    def mark_selected(self, right: bool | None) -> None:
        run = self.run
        rows = sorted({i.row() for i in self.items.selectedIndexes()})
        if run is None or not rows:
            return
        for row in rows:
            item = run.items[row]
            run.mark(item.model, item.item, right)
        self.show_run(run)
        self.items.selectRow(rows[0])
        self.save()

    def open_vote(self) -> BlindVoteDialog | None:
        if not self._votable():
            return None
        dialog = BlindVoteDialog(self.run, self)
        dialog.voted.connect(lambda _v: self.save())
        dialog.show()
        return dialog

    def save(self) -> None:
        """Keep the marks and votes in the run's history entry (a worker writes the database)."""
        self.report_ready.emit(self.report)
        if self.kept_id is None:
            return
        store, kept, report = self.context.store, self.kept_id, self.report
        run_job(lambda ctx: history.replace_kept(store, kept, report) or kept, parent=self,
                on_result=self.saved.emit, on_error=self._save_failed)

    def _save_failed(self, exc: BaseException) -> None:
        self.banner.show_message(describe_error(exc))
        self.saved.emit(exc)

    # label mappings

    def edit_labels(self) -> None:
        """The mapping dialog for the highlighted model (else the first ticked), filled in on a worker."""
        current = self.models.currentItem()
        entry = current.data(Qt.ItemDataRole.UserRole) if current else next(iter(self.chosen()), None)
        data = self.data.text().strip()
        if entry is None or not data:
            self.banner.show_message(self.tr("Choose the folder and a model first."), BannerLevel.INFO)
            return
        store, chosen = self.context.store, self.label_overrides.get(entry.name)

        def work(ctx):
            return label_plan(Path(data), entry, chosen or _saved(store, data, entry.name))

        run_job(work, parent=self, on_result=lambda plan: self._show_labels(entry.name, plan),
                on_error=lambda exc: self.banner.show_message(describe_error(exc)))

    def _show_labels(self, model: str, plan) -> None:
        classes, labels, mapping = plan
        dialog = LabelMappingDialog(model, classes, labels, mapping, self)
        dialog.accepted.connect(lambda: self.label_overrides.__setitem__(model, dialog.mapping()))
        dialog.show()
        self.labels_opened.emit(dialog)

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
