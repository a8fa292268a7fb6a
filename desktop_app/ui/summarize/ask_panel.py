"""Ask: a question over every page of the chosen documents, answers with clickable citations."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from desktop_app.core.documents.ask import check_question, save_answer
from desktop_app.core.documents.batch import AskRow, ask_many
from desktop_app.core.errors import HearthError
from desktop_app.ui.summarize.inputs import DocumentInputs
from desktop_app.ui.summarize.reading_job import start_reading
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import Job, StreamBuffer, describe_error


class AskPanel(QWidget):
    finished = Signal(object)  # list[AskRow], or the exception
    saved = Signal()  # an answer went into the history

    def __init__(self, context, model_entry, parent=None):
        super().__init__(parent)
        self.context, self.model_entry = context, model_entry
        self.job: Job | None = None
        self.rows: list[AskRow] = []
        self.banner = MessageBanner()
        self.inputs = DocumentInputs()
        self.question = QLineEdit()
        self.question.setPlaceholderText(self.tr("Ask something every page should be read for, e.g. “list every deadline”"))
        self.ask_button = QPushButton(self.tr("Ask"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Answer"), self.tr("Read")])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(1, 420)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.answer = QTextBrowser()
        self.answer.setOpenLinks(False)
        self.passage = QPlainTextEdit()
        self.passage.setReadOnly(True)
        self.passage.setPlaceholderText(self.tr("Click a citation such as [1] to see the passage it stands for."))
        self._layout()
        self.ask_button.clicked.connect(self.start)
        self.question.returnPressed.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_row(row))
        self.answer.anchorClicked.connect(self.open_citation)
        self._set_running(False)

    def _layout(self) -> None:
        question_row = QHBoxLayout()
        question_row.addWidget(self.question, 1)
        question_row.addWidget(self.ask_button)
        question_row.addWidget(self.cancel_button)
        results = QSplitter(Qt.Orientation.Vertical)
        results.addWidget(self.table)
        results.addWidget(self.answer)
        results.addWidget(self.passage)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.inputs)
        layout.addLayout(question_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(results, 1)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        if self.busy:
            return
        try:
            question = check_question(self.question.text())
            if not self.inputs.paths():
                raise HearthError("Add a document or a folder to ask about first.")
            entry = self.model_entry()
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.INFO)
            return
        self.banner.hide()
        self.rows = []
        self.table.setRowCount(0)
        self.answer.clear()
        self.passage.clear()
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Loading {model}…").format(model=entry.name))
        self._set_running(True)
        self.model_name = entry.name
        self.stream = StreamBuffer(self._append_stream, parent=self)  # the answer being written, batched
        self.stream.start()
        self.job = start_reading(
            self, entry, self.inputs.paths(),
            lambda engine, files, on_row, on_progress, cancel, on_document: ask_many(
                engine, files, question, on_row, on_progress, cancel, on_document, on_text=self.stream.push
            ),
            self.add_row, self._finished, self._failed,
        )

    def _append_stream(self, text: str) -> None:
        if not self.rows:  # the first document's answer streams; later ones arrive as rows
            cursor = self.answer.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("Cancelling… the answers so far are kept."))

    def add_row(self, row: AskRow) -> None:
        self.rows.append(row)
        if row.result is not None and (row.result.answer or row.result.findings):
            try:
                save_answer(self.context.store, row.result, getattr(self, "model_name", ""), row.path)
                self.saved.emit()
            except HearthError as exc:
                self.banner.show_message(str(exc), BannerLevel.WARNING)
        index = self.table.rowCount()
        self.table.insertRow(index)
        result = row.result
        answer = row.error if result is None else result.answer
        read = "" if result is None else result.coverage.sentence()
        for column, text in enumerate((row.document, answer, read)):
            self.table.setItem(index, column, QTableWidgetItem(text))
        if index == 0:
            self.table.setCurrentCell(0, 1)
            self.show_row(0)

    def show_row(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if row.result is None:
            self.answer.setHtml(f"<p><b>{html.escape(row.document)}</b>: {html.escape(row.error)}</p>")
            return
        result = row.result
        text = html.escape(result.answer)
        for citation in result.citations:
            marker = f"[{citation.number}]"
            text = text.replace(marker, f'<a href="cite:{index}:{citation.number}">{marker}</a>')
        sources = "".join(
            f'<li><a href="cite:{index}:{c.number}">[{c.number}] {html.escape(c.location.label)}</a></li>'
            for c in result.citations
        )
        notes = [html.escape(result.coverage.sentence())]
        if result.dropped_citations:
            notes.append(html.escape(self.tr("{n} citation(s) not found in their passage were removed").format(n=result.dropped_citations)))
        if result.cancelled:
            notes.append(html.escape(self.tr("cancelled: the findings so far are kept")))
        self.answer.setHtml(f"<p>{text}</p><ul>{sources}</ul><p><i>{' · '.join(notes)}</i></p>")

    def open_citation(self, url: QUrl) -> None:
        try:
            _, row, number = url.toString().split(":")
            result = self.rows[int(row)].result
            citation = next(c for c in result.citations if c.number == int(number))
        except (ValueError, IndexError, StopIteration, AttributeError):
            return
        self.passage.setPlainText(f"{citation.document} · {citation.location.label}\n\n{citation.passage}")

    def _finished(self, rows: list[AskRow]) -> None:
        self.stream.stop()
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        failed = sum(1 for r in rows if r.error)
        done = self.tr("{n} document(s) read").format(n=len(rows))
        if failed:
            done += self.tr(" · {n} could not be read").format(n=failed)
        self.progress_label.setText(done)
        self.finished.emit(rows)

    def _failed(self, exc: BaseException) -> None:
        self.stream.stop()
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label.setText("")
        self.banner.show_message(describe_error(exc))
        self.finished.emit(exc)

    def _set_running(self, running: bool) -> None:
        self.ask_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.inputs.set_running(running)

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
