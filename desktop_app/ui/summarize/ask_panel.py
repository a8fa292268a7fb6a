"""Ask: a question over every page of the chosen documents, answers with clickable citations."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)
from PySide6.QtCore import Qt

from desktop_app.core.documents.ask import CANDIDATES_NOTE, check_question, removed_note, save_answer
from desktop_app.core.documents.batch import AskRow, ask_many
from desktop_app.core.documents.segmenting import reader_form
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.host import EngineTask
from desktop_app.ui.texts import translated
from desktop_app.ui.summarize.reading_job import ReadingPanel
from desktop_app.ui.widgets.banner import BannerLevel
from desktop_app.ui.workers import StreamBuffer


class AskPanel(ReadingPanel):
    task = EngineTask.ASK

    saved = Signal()  # an answer went into the history

    def __init__(self, context, model_entry, parent=None):
        super().__init__(context, model_entry, QCoreApplication.translate("AskPanel", "Ask"), parent)
        self.rows: list[AskRow] = []
        self.question = QLineEdit()
        self.question.setPlaceholderText(self.tr("Ask a question, e.g. “How much did the boiler replacement cost?”"))
        self.every_page = QCheckBox(self.tr("Read every page"))
        self.every_page.setToolTip(self.tr("Read every page, not only the passages that share the question's words "
                                           "(slower; for questions such as “list every deadline”)"))
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
        self.question.returnPressed.connect(self.start)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_row(row))
        self.answer.anchorClicked.connect(self.open_citation)
        self._set_running(False)

    def _layout(self) -> None:
        question_row = QHBoxLayout()
        question_row.addWidget(self.question, 1)
        question_row.addWidget(self.every_page)
        question_row.addWidget(self.run_button)
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

    def start(self) -> None:
        if self.busy:
            return
        try:
            question = check_question(self.question.text())
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.INFO)
            return
        entry = self._entry_for(self.tr("Add a document or a folder to ask about first."))
        if entry is None:
            return
        self.rows = []
        self.table.setRowCount(0)
        self.answer.clear()
        self.passage.clear()
        self.model_name = entry.name
        self.stream = StreamBuffer(self._append_stream, parent=self)  # the answer being written, batched
        self.stream.start()
        thorough = self.every_page.isChecked()
        self._run(entry, lambda engine, files, on_row, on_progress, cancel, on_document, confirm, speed: ask_many(
            engine, files, question, on_row, on_progress, cancel, on_document, on_text=self.stream.push,
            confirm=confirm, speed=speed, thorough=thorough,
        ))

    def _append_stream(self, text: str) -> None:
        if not self.rows:  # the first document's answer streams; later ones arrive as rows
            cursor = self.answer.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)

    def cancelling_note(self) -> str:
        return self.tr("Cancelling… the answers so far are kept.")

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
        candidates = "".join(
            f"<li>{html.escape(c.passage.where)}: {html.escape(reader_form(c.passage.text))}</li>" for c in result.candidates
        )
        if candidates:
            candidates = f"<p>{html.escape(translated(CANDIDATES_NOTE))}</p><ul>{candidates}</ul>"
        notes = [html.escape(result.coverage.sentence())]
        if result.unsupported:
            notes.append(html.escape(translated(removed_note(result.unsupported))))
        if result.quoted:
            notes.append(html.escape(self.tr("the answer is the passages themselves")))
        if result.dropped_citations:
            notes.append(html.escape(self.tr("{n} citation(s) not found in their passage were removed").format(n=result.dropped_citations)))
        if result.cancelled:
            notes.append(html.escape(self.tr("cancelled: the findings so far are kept")))
        self.answer.setHtml(f"<p>{text}</p><ul>{sources}</ul>{candidates}<p><i>{' · '.join(notes)}</i></p>")

    def open_citation(self, url: QUrl) -> None:
        try:
            _, row, number = url.toString().split(":")
            result = self.rows[int(row)].result
            citation = next(c for c in result.citations if c.number == int(number))
        except (ValueError, IndexError, StopIteration, AttributeError):
            return
        self.passage.setPlainText(f"{citation.document} · {citation.location.label}\n\n{citation.passage}")

    def _ended(self) -> None:
        self.stream.stop()
        super()._ended()
