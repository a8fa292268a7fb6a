"""What Ask and Extract share in the pane: the job over the shared engine and its progress line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.core.documents.batch import collect_files
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.reading import ReadProgress
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.host import EngineHolder, EngineTask
from desktop_app.core.units import format_duration
from desktop_app.ui.workers import run_job


def start_reading(panel, entry, inputs, run_batch, on_row, on_result, on_error):
    """Run ``run_batch(engine, files, on_row, on_progress, cancel, on_document)`` on the engine's thread; rows stream back."""
    context = panel.context
    host, store = context.llm, context.store

    def work(ctx):
        files = collect_files(inputs)
        if not files:
            raise HearthError("The folders hold no PDF, DOCX, HTML, TXT or Markdown documents.")
        with host.hold(EngineTask.SUMMARIZE, ctx.cancel) as holder:
            ctx.progress(holder)
            host.ensure(entry)
            return run_batch(
                host.engine_for(entry), files, lambda row: ctx.progress(("row", row)), ctx.progress, ctx.cancel,
                lambda document: _index_quietly(store, document),
            )

    def progress(event):
        if isinstance(event, EngineHolder):
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
