"""The Summarize pane: a document in, a summary out, however long the document.

Reading the file, counting its tokens and summarizing all run as jobs; the
pane only collects the user's choices and renders what the jobs report.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.documents import export as summary_export
from desktop_app.core.documents.estimate import JobEstimate, spoken
from desktop_app.core.documents.load import Document, document_from_text, load_document
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.host import EngineHolder, EngineTask
from desktop_app.core.storage.store import Summary
from desktop_app.core.units import format_duration
from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryPhase, SummaryPlan, SummaryProgress, SummaryResult, Throughput, flag_note, save_summary
from desktop_app.ui.context import AppContext
from desktop_app.ui.summarize.history import SummaryHistory
from desktop_app.ui.summarize.long_job import confirm_long_job
from desktop_app.ui.summarize.options import SummaryOptions
from desktop_app.ui.summarize.source import DocumentSource
from desktop_app.ui.texts import translated
from desktop_app.ui.throttle import Throttle
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.model_choice import chat_models, resolve_chat_model
from desktop_app.ui.widgets.engine_wait import EngineWaitNotice
from desktop_app.ui.widgets.export_file import choose_export_path, write_export
from desktop_app.ui.workers import Job, StreamBuffer, describe_error, run_job

log = logging.getLogger(__name__)
PLANNED_IN_PANE_TOKENS = 250_000  # about 1 MB of text: past this the pane shows the sampled estimate, not a plan


class SummarizePane(QWidget):
    document_loaded = Signal(object)  # Document, or the exception
    plan_ready = Signal(object)  # SummaryPlan, or the exception
    summary_finished = Signal(object)  # SummaryResult, or the exception

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.store = context.store
        self.document: Document | None = None
        self.plan: SummaryPlan | None = None  # None for a long document: it is planned when the summary starts
        self.estimate: JobEstimate | None = None  # what the shown estimate says; a long job is asked about first
        self.plan_speed: Throughput | None = None  # the rate the shown estimate assumed
        self.job: Job | None = None
        self.shown: Summary | None = None  # the summary in the output box, once saved
        self._plan_generation = 0
        self._document_generation = 0  # each open or paste: a slower, older load never replaces a newer document
        self._measure_soon = Throttle(self.measure, 400, self)  # options change per keystroke; count once they settle
        self.source = DocumentSource()
        self.options = SummaryOptions()
        self.history = SummaryHistory()
        self.banner = MessageBanner()
        self.waiting = EngineWaitNotice(context.llm)
        self.summarize_button = QPushButton(self.tr("Summarize"))
        self.summarize_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("SummaryProgress")
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setPlaceholderText(self.tr("The summary appears here."))
        self.parts = QPlainTextEdit()
        self.parts.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.output, self.tr("Summary"))
        self.tabs.addTab(self.parts, self.tr("Parts"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.export_md = QPushButton(self.tr("Export Markdown…"))
        self.export_txt = QPushButton(self.tr("Export text…"))
        self._build_layout()
        self._connect()
        self.options.set_models(chat_models(context), context.settings.default_models.get("chat", ""))
        self.refresh_history()
        self._set_running(False)
        self.setAcceptDrops(True)

    def _build_layout(self) -> None:
        run_row = QHBoxLayout()
        run_row.addWidget(self.summarize_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        export_row = QHBoxLayout()
        export_row.addStretch(1)
        for button in (self.copy_button, self.export_md, self.export_txt):
            export_row.addWidget(button)
        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.banner)
        column.addWidget(self.source)
        column.addWidget(self.options)
        column.addLayout(run_row)
        column.addWidget(self.waiting)
        column.addWidget(self.progress_label)
        column.addWidget(self.tabs, 1)
        column.addLayout(export_row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(main)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([820, 260])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.source.file_chosen.connect(self.open_file)
        self.source.text_changed.connect(self.use_text)
        self.options.model_changed.connect(lambda: self._measure_soon())
        self.options.changed.connect(lambda: self._measure_soon())
        self.summarize_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self.copy_summary)
        self.export_md.clicked.connect(lambda: self.export_dialog("markdown"))
        self.export_txt.clicked.connect(lambda: self.export_dialog("text"))
        self.history.opened.connect(self.show_summary)
        self.history.delete_requested.connect(self.delete_summary)

    # the document

    def open_file(self, path: Path) -> None:
        if self.busy:
            self.banner.show_message(self.tr("Cancel the running summary before opening another document."), BannerLevel.INFO)
            return
        self.source.info.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        self._document_generation += 1
        opened = self._document_generation
        run_job(lambda ctx: load_document(path), parent=self,
                on_result=lambda document: self._document_ready(document) if opened == self._document_generation else None,
                on_error=lambda exc: self._document_failed(exc) if opened == self._document_generation else None)

    def use_text(self, text: str) -> None:
        if self.busy or not text.strip():
            return
        self._document_generation += 1  # a file still loading is no longer wanted
        try:
            self._document_ready(document_from_text(text))
        except HearthError as exc:
            self._document_failed(exc)

    def _document_ready(self, document: Document) -> None:
        self.banner.hide()
        if document.format != "pasted":
            self.source.clear_paste()
        self.document = document
        self.plan = self.estimate = None
        facts = [document.name]
        if document.pages:
            facts.append(self.tr("{n} pages").format(n=document.pages))
        facts.append(self.tr("{n:,} characters").format(n=document.chars))
        self.source.info.setText(" · ".join(facts))
        self.document_loaded.emit(document)
        self.measure()

    def _document_failed(self, exc: BaseException) -> None:
        self.document = None
        self.plan = self.estimate = None
        self.source.info.setText(self.tr("No document yet."))
        self.source.estimate.setText("")
        self.banner.show_message(describe_error(exc))
        self.document_loaded.emit(exc)

    def _model_and_request(self):
        """The chosen model and a validated request, or None after telling the user why not."""
        try:
            entry = self._model_entry()
            request = self.options.request()
            request.validate()
        except HearthError as exc:
            self.banner.show_message(str(exc))
            return None
        return entry, request

    def measure(self) -> None:
        """Count tokens with the chosen model's tokenizer alone (vocab-only: the loaded model stays) and estimate the time."""
        if self.document is None or self.busy:
            return
        chosen = self._model_and_request()
        if chosen is None:
            return
        entry, request = chosen
        self._plan_generation += 1
        generation, document, host = self._plan_generation, self.document, self.context.llm
        measured, threads = self._measured_speed(), self.context.settings.resolved_threads()
        self.source.estimate.setText(self.tr("Counting tokens with {model}…").format(model=entry.name))

        def work(ctx):
            tokenizer = host.tokenizer(entry)
            summarizer = DocumentSummarizer(tokenizer, document, request)
            speed = measured or Throughput.assumed(tokenizer.info, threads)
            estimate = summarizer.estimate(speed)  # sampled: seconds even for 60 MB, where a plan took minutes
            plan = summarizer.plan() if estimate.tokens <= PLANNED_IN_PANE_TOKENS else None
            return plan, estimate, speed

        run_job(
            work,
            parent=self,
            on_result=lambda planned: self._plan_ready(generation, *planned),
            on_error=lambda exc: self._plan_failed(generation, exc),
        )

    def _plan_ready(self, generation: int, plan: SummaryPlan | None, estimate: JobEstimate, speed: Throughput) -> None:
        if generation != self._plan_generation:
            return  # the document or the options changed meanwhile
        self.plan, self.estimate, self.plan_speed = plan, estimate, speed
        basis = self.tr("measured") if speed.measured else self.tr("estimated")
        if plan is not None:
            text = self.tr("{tokens:,} tokens · {parts} part(s) · about {time} on this computer ({basis})").format(
                tokens=plan.source_tokens, parts=plan.parts, time=format_duration(plan.estimate_seconds(speed)), basis=basis)
        else:
            text = self.tr("about {tokens:,} tokens · about {parts:,} part(s) · {time} on this computer ({basis})").format(
                tokens=estimate.tokens, parts=estimate.parts, time=translated(spoken(estimate.seconds)), basis=basis)
        self.source.estimate.setText(text)
        self.plan_ready.emit(plan if plan is not None else estimate)

    def _plan_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._plan_generation:
            return
        self.source.estimate.setText("")
        self.banner.show_message(describe_error(exc))
        self.plan_ready.emit(exc)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.options.set_models(chat_models(self.context), self.options.model_name())  # engines added meanwhile

    def _model_entry(self):
        return resolve_chat_model(self.context, self.options.model_name())

    def _measured_speed(self) -> Throughput | None:
        """The speeds the last summary with this model measured (None: assume them from its size)."""
        model = self.options.model_name()
        try:
            pasts = self.store.list_summaries(limit=50)
        except HearthError:  # an unreadable history costs only the measured rate
            return None
        for past in pasts:
            if past.model == model and past.stats.get("prompt_tps") and past.stats.get("decode_tps"):
                return Throughput(past.stats["prompt_tps"], past.stats["decode_tps"], measured=True)
        return None

    # summarizing

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        if self.busy:
            return
        if self.document is None:
            self.banner.show_message(self.tr("Open a document, drop one here, or paste text first."), BannerLevel.INFO)
            return
        chosen = self._model_and_request()
        if chosen is None:
            return
        entry, request = chosen
        if self.estimate is not None and self.estimate.long and not confirm_long_job(self, self.estimate):
            return
        self.banner.hide()
        self.output.clear()
        self.output.setExtraSelections([])
        self.parts.clear()
        self.tabs.setCurrentWidget(self.output)
        self.shown = None
        document, host = self.document, self.context.llm
        buffer = StreamBuffer(self._append_output, parent=self)
        speed = self.plan_speed  # the estimate shown keeps its rate until this run measures its own

        def work(ctx):
            with host.hold(EngineTask.SUMMARIZE, ctx.cancel) as holder:
                ctx.progress(holder)  # our turn on the shared engine has come
                host.ensure(entry)
                summarizer = DocumentSummarizer(host.engine_for(entry), document, request)
                return summarizer.run(on_text=buffer.push, on_progress=ctx.progress, cancel=ctx.cancel, speed=speed)

        self._set_running(True)
        self.progress.setRange(0, 0)  # busy until the first report says how many calls
        self.progress_label.setText(self.tr("Loading {model}…").format(model=entry.name))
        buffer.start()
        self.job = run_job(
            work,
            parent=self, serial=self.context.llm_thread,
            on_progress=self._show_progress,
            on_result=lambda result: self._finished(buffer, entry.name, request, result),
            on_error=lambda exc: self._failed(buffer, exc),
        )
        self.waiting.show_if_waiting(EngineTask.SUMMARIZE)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("Cancelling…"))

    def _append_output(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.setTextCursor(cursor)

    def _show_progress(self, event: SummaryProgress | EngineHolder) -> None:
        if isinstance(event, EngineHolder):
            self.waiting.clear()
            return
        self.progress.setRange(0, max(1, event.total))
        self.progress.setValue(event.step)
        eta = self._time_left(event)
        elapsed = format_duration(event.elapsed_s)
        if event.phase == SummaryPhase.MAP:
            text = self.tr("Part {i} of {n}").format(i=event.part, n=event.parts)
        elif event.phase == SummaryPhase.REDUCE:
            text = self.tr("Combining partial summaries")
        elif event.phase == SummaryPhase.FINAL:
            text = self.tr("Writing the summary")
        else:
            text = self.tr("Done")
        self.progress_label.setText(f"{text} · {elapsed}{eta}")
        if event.partial is not None:
            header = self.tr("Part {i} of {n}").format(i=event.part, n=event.parts)
            self.parts.appendPlainText(f"— {header} —\n{event.partial}\n")
            self.tabs.setTabText(1, self.tr("Parts ({n})").format(n=event.part))

    def _time_left(self, event: SummaryProgress) -> str:
        if not event.eta_s:
            return ""
        time = format_duration(event.eta_s)
        if event.eta_measured:
            return self.tr(" · about {time} left (measured: {rate} tokens/s written)").format(
                time=time, rate=f"{event.speed.decode_tps:.0f}"
            )
        return self.tr(" · about {time} left (estimated)").format(time=time)

    def _finished(self, buffer: StreamBuffer, model: str, request, result: SummaryResult) -> None:
        buffer.stop()
        self.waiting.clear()
        text = result.display_text()
        if self.output.toPlainText().strip() != text.strip():
            self.output.setPlainText(text)
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if not result.cancelled else 0)
        stats = self.tr("{parts} part(s) · {tokens:,} tokens · {time}").format(
            parts=result.chunks, tokens=result.source_tokens, time=format_duration(result.seconds)
        )
        if result.tokens_per_step:
            stats += self.tr(" · speculative: {rate:.1f} tokens/step").format(rate=result.tokens_per_step)
        if result.cancelled:
            self.progress_label.setText(self.tr("Cancelled · {stats}").format(stats=stats))
            self.banner.show_message(
                self.tr("Cancelled after {done} of {n} part(s). The partial results are kept below.").format(
                    done=result.parts_done, n=result.chunks
                ),
                BannerLevel.INFO,
            )
        else:
            self.progress_label.setText(self.tr("Done · {stats}").format(stats=stats))
        if self.mark_unsupported([c.sentence for c in result.unsupported]):
            note = translated(flag_note(len(result.unsupported)))
            self.progress_label.setText(f"{self.progress_label.text()} · {note}")
        if text.strip():
            self._save(model, request, result)
        self.summary_finished.emit(result)

    def _failed(self, buffer: StreamBuffer, exc: BaseException) -> None:
        buffer.stop()
        self.waiting.clear()
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label.setText("")
        self.banner.show_message(describe_error(exc))
        self.summary_finished.emit(exc)

    def _save(self, model: str, request, result: SummaryResult) -> None:
        try:
            self.shown = save_summary(self.store, self.document, model, request, result)
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.WARNING)
            return
        self.refresh_history()

    def _set_running(self, running: bool) -> None:
        self.summarize_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.source.set_running(running)
        self.options.set_running(running)
        has_text = bool(self.output.toPlainText().strip()) and not running
        for button in (self.copy_button, self.export_md, self.export_txt):
            button.setEnabled(has_text)

    # history and export

    def refresh_history(self) -> None:
        self.history.set_summaries(self.store.list_summaries())

    def show_summary(self, summary_id: int) -> None:
        if self.busy:
            return
        try:
            self.shown = self.store.get_summary(summary_id)
        except HearthError as exc:
            self.banner.show_message(str(exc))
            self.refresh_history()
            return
        self.output.setPlainText(self.shown.summary)
        self.parts.clear()
        self.tabs.setTabText(1, self.tr("Parts"))
        self.tabs.setCurrentWidget(self.output)
        self.progress_label.setText(
            f"{self.shown.source_name} · {self.shown.model} · {summary_export.describe_settings(self.shown.settings)}"
        )
        flagged = [item.get("sentence", "") for item in self.shown.stats.get("unsupported", []) if isinstance(item, dict)]
        if self.mark_unsupported(flagged):
            self.progress_label.setText(f"{self.progress_label.text()} · {translated(flag_note(len(flagged)))}")
        self._set_running(False)

    def mark_unsupported(self, sentences: list[str]) -> int:
        """Underline, in red on a pale background, the summary's sentences that state what the document does not;
        returns how many were marked."""
        look = QTextCharFormat()
        look.setBackground(QColor(255, 228, 225))
        look.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        look.setUnderlineColor(QColor(200, 0, 0))
        look.setToolTip(self.tr("Not in the document: a number, date or name in this sentence is not in the source."))
        selections = []
        for sentence in sentences:
            cursor = self.output.document().find(sentence)
            if sentence and not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor, selection.format = QTextCursor(cursor), look
                selections.append(selection)
        self.output.setExtraSelections(selections)
        return len(selections)

    def delete_summary(self, summary_id: int) -> None:
        self.store.delete_summary(summary_id)
        if self.shown is not None and self.shown.id == summary_id:
            self.shown = None
        self.refresh_history()

    def copy_summary(self) -> None:
        QGuiApplication.clipboard().setText(self.output.toPlainText())
        self.progress_label.setText(self.tr("Copied to the clipboard."))

    def export(self, fmt: str, path: Path) -> Job:
        summary = self.shown or Summary(0, self.document.name if self.document else "", self.output.toPlainText())
        text = summary_export.to_markdown(summary) if fmt == "markdown" else summary_export.to_text(summary)
        return write_export(self.banner, path, text, parent=self)

    def export_dialog(self, fmt: str) -> None:
        suffix, filt = (".md", self.tr("Markdown (*.md)")) if fmt == "markdown" else (".txt", self.tr("Text (*.txt)"))
        name = Path(self.shown.source_name if self.shown else "summary").stem + "-summary" + suffix
        path = choose_export_path(self, self.tr("Export summary"), name, filt)
        if path:
            self.export(fmt, path)

    # drag and drop

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
