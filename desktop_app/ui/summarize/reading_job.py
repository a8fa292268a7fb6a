"""What Ask and Extract share in the pane: the panel's run and cancel plumbing, the job over the shared
engine, and its progress line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from desktop_app.core.documents.batch import collect_files
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.reading import ReadProgress
from desktop_app.core.documents.summarize import Throughput
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.host import EngineHolder, EngineTask
from desktop_app.core.units import format_duration
from desktop_app.ui.summarize.inputs import DocumentInputs
from desktop_app.ui.summarize.long_job import LongJobQuestion, confirm_from_worker
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import Job, describe_error, run_job


class ReadingPanel(QWidget):
    """A tab that reads every page of the chosen documents in one job (Ask, Extract).

    A subclass lays out its own widgets around ``banner``, ``inputs``, ``run_button``, ``cancel_button``,
    ``progress`` and ``progress_label``, checks its input in ``start`` and hands ``_run`` the batch to run.
    """

    finished = Signal(object)  # the rows, or the exception
    task: EngineTask  # its hold on the engine, as a wait notice elsewhere names it (Ask, Extract)

    def __init__(self, context, model_entry, run_text: str, parent=None):
        super().__init__(parent)
        self.context, self.model_entry = context, model_entry
        self.job: Job | None = None
        self.rows: list = []
        self.banner = MessageBanner()
        self.inputs = DocumentInputs()
        self.run_button = QPushButton(run_text)
        self.cancel_button = QPushButton(QCoreApplication.translate("DocumentsPane", "Cancel"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        raise NotImplementedError

    def add_row(self, row) -> None:
        raise NotImplementedError

    def cancelling_note(self) -> str:
        """What the progress line says while a cancel is under way."""
        return QCoreApplication.translate("DocumentsPane", "Cancelling… what was read so far is kept.")

    def _entry_for(self, missing_input: str):
        """The model to read with, or None after telling the user what is missing (no documents, no model)."""
        try:
            if not self.inputs.paths():
                raise HearthError(missing_input)
            return self.model_entry()
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.INFO)
            return None

    def _run(self, entry, run_batch) -> None:
        """Run ``run_batch`` (see start_reading) over the chosen documents; rows arrive in ``add_row``."""
        self.banner.hide()
        self.progress.setRange(0, 0)
        self.progress_label.setText(QCoreApplication.translate("DocumentsPane", "Loading {model}…").format(model=entry.name))
        self._set_running(True)
        self.job = start_reading(self, entry, self.inputs.paths(), run_batch, self.add_row, self._finished, self._failed)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.cancelling_note())

    def _ended(self) -> None:
        """The run is over, finished or failed; a subclass also stops what it was streaming."""
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)

    def _finished(self, rows: list) -> None:
        self._ended()
        self.progress.setValue(1)
        failed = sum(1 for r in rows if r.error)
        text = QCoreApplication.translate("DocumentsPane", "{n} document(s) read").format(n=len(rows))
        if failed:
            text += QCoreApplication.translate("DocumentsPane", " · {n} could not be read").format(n=failed)
        if any(getattr(r, "cancelled", False) for r in rows):
            text += QCoreApplication.translate("DocumentsPane", " · cancelled")
        self.progress_label.setText(text)
        self.finished.emit(rows)

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        self.progress.setValue(0)
        self.progress_label.setText("")
        self.banner.show_message(describe_error(exc))
        self.finished.emit(exc)

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.inputs.set_running(running)

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()


def start_reading(panel, entry, inputs, run_batch, on_row, on_result, on_error):
    """Run ``run_batch(engine, files, on_row, on_progress, cancel, on_document, confirm, speed)`` on the engine's
    thread; rows stream back, and a document estimated past 30 minutes is asked about first."""
    context = panel.context
    host, store, task = context.llm, context.store, panel.task
    threads = context.settings.resolved_threads()

    def work(ctx):
        files = collect_files(inputs)
        if not files:
            raise HearthError("The folders hold no PDF, DOCX, HTML, TXT or Markdown documents.")
        with host.hold(task, ctx.cancel) as holder:
            ctx.progress(holder)
            host.ensure(entry)
            engine = host.engine_for(entry)
            return run_batch(
                engine, files, lambda row: ctx.progress(("row", row)), ctx.progress, ctx.cancel,
                lambda document: _index_quietly(store, document), confirm_from_worker(ctx),
                Throughput.assumed(engine.info, threads),
            )

    def progress(event):
        if isinstance(event, EngineHolder):
            return
        if isinstance(event, LongJobQuestion):
            event.answer(panel)
            return
        if isinstance(event, tuple) and event[0] == "row":
            on_row(event[1])
        elif isinstance(event, ReadProgress):
            panel.progress_label.setText(describe_progress(event))
            panel.progress.setRange(0, max(1, event.coverage.total))
            panel.progress.setValue(event.coverage.read)

    return run_job(work, parent=panel, serial=context.llm_thread, on_progress=progress, on_result=on_result, on_error=on_error)


def describe_progress(event: ReadProgress) -> str:
    if event.coverage.unit == "pages":
        unit = QCoreApplication.translate("DocumentsPane", "pages")
    else:
        unit = QCoreApplication.translate("DocumentsPane", "parts")
    text = QCoreApplication.translate("DocumentsPane", "{name}: read {done} of {total} {unit}").format(
        name=event.document, done=event.coverage.read, total=event.coverage.total, unit=unit
    )
    if event.eta_s is not None and event.step:
        text += QCoreApplication.translate("DocumentsPane", " · about {time} left").format(time=format_duration(event.eta_s))
    return text


def _index_quietly(store, document) -> None:
    """Documents that were read become searchable in Find (on the worker); a failed index write costs no result."""
    try:
        DocumentIndex(store).add(document)
    except HearthError:
        pass
