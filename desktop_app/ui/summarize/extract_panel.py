"""Extract: named fields out of every chosen document into a table, each cell with its citation."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.core.documents import tables
from desktop_app.core.documents.batch import extract_many
from desktop_app.core.documents.extract import ExtractionRow, parse_fields
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.host import EngineTask
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.summarize.reading_job import ReadingPanel
from desktop_app.ui.widgets.banner import BannerLevel
from desktop_app.ui.widgets.export_file import choose_export_path, write_export
from desktop_app.ui.workers import Job, describe_error

EXPORTS = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json"}


class ExtractPanel(ReadingPanel):
    task = EngineTask.EXTRACT

    def __init__(self, context, model_entry, parent=None):
        super().__init__(context, model_entry, QCoreApplication.translate("ExtractPanel", "Extract"), parent)
        self.rows: list[ExtractionRow] = []
        self.fields: list[str] = []
        self.fields_edit = QLineEdit()
        self.fields_edit.setPlaceholderText(self.tr("Fields, separated by commas: party, start date, end date, notice period"))
        self.templates = QComboBox()
        self.save_template_button = QPushButton(self.tr("Save as template…"))
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.passage = QPlainTextEdit()
        self.passage.setReadOnly(True)
        self.passage.setMaximumHeight(110)
        self.passage.setPlaceholderText(self.tr("Click a cell to see where the document says it."))
        self.export_buttons = {fmt: QPushButton(self.tr("Export {fmt}…").format(fmt=fmt.upper())) for fmt in EXPORTS}
        self._layout()
        self.refresh_templates()
        self.templates.activated.connect(self.use_template)
        self.save_template_button.clicked.connect(self.save_template_dialog)
        self.table.currentCellChanged.connect(lambda row, column, *_: self.show_cell(row, column))
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _=False, f=fmt: self.export_dialog(f))
        self._set_running(False)

    def _layout(self) -> None:
        fields_row = QHBoxLayout()
        fields_row.addWidget(self.fields_edit, 1)
        fields_row.addWidget(self.templates)
        fields_row.addWidget(self.save_template_button)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        export_row = QHBoxLayout()
        export_row.addStretch(1)
        for button in self.export_buttons.values():
            export_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.inputs)
        layout.addLayout(fields_row)
        layout.addLayout(run_row)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.passage)
        layout.addLayout(export_row)

    # templates (kept in settings)

    def refresh_templates(self) -> None:
        self.templates.clear()
        self.templates.addItem(self.tr("Templates…"), "")
        for name, fields in sorted(self.context.settings.extract_templates.items()):
            self.templates.addItem(name, fields)

    def use_template(self, index: int) -> None:
        fields = self.templates.itemData(index)
        if fields:
            self.fields_edit.setText(fields)

    def save_template_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save fields as a template"), self.tr("Template name:"))
        if ok:
            self.save_template(name)

    def save_template(self, name: str) -> None:
        name = name.strip()
        try:
            fields = ", ".join(parse_fields(self.fields_edit.text()))
            if not name:
                raise HearthError("Give the template a name.")
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.INFO)
            return
        settings = self.context.settings
        settings.extract_templates = {**settings.extract_templates, name: fields}
        save_settings(settings, parent=self, on_failed=lambda exc: self.banner.show_message(describe_error(exc)))
        self.refresh_templates()
        self.templates.setCurrentIndex(self.templates.findText(name))

    # extracting

    def start(self) -> None:
        if self.busy:
            return
        try:
            fields = parse_fields(self.fields_edit.text())
        except HearthError as exc:
            self.banner.show_message(str(exc), BannerLevel.INFO)
            return
        entry = self._entry_for(self.tr("Add a document or a folder to extract from first."))
        if entry is None:
            return
        self.fields, self.rows = fields, []
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(len(fields) + 2)
        self.table.setHorizontalHeaderLabels([self.tr("Document"), *fields, self.tr("Read")])
        self.passage.clear()
        self._run(entry, lambda engine, files, on_row, on_progress, cancel, on_document, confirm, speed: extract_many(
            engine, files, fields, on_row, on_progress, cancel, on_document, confirm=confirm, speed=speed,
        ))

    def cancelling_note(self) -> str:
        return self.tr("Cancelling… the rows so far are kept.")

    def add_row(self, row: ExtractionRow) -> None:
        self.rows.append(row)
        index = self.table.rowCount()
        self.table.insertRow(index)
        self.table.setItem(index, 0, QTableWidgetItem(row.document))
        if row.error:
            self.table.setItem(index, 1, QTableWidgetItem(row.error))
            self.table.setSpan(index, 1, 1, len(self.fields) + 1)
            return
        for column, name in enumerate(self.fields, 1):
            cell = row.cells.get(name)
            item = QTableWidgetItem(cell.value if cell else "")
            if cell and cell.location:
                item.setToolTip(cell.location.label)
            self.table.setItem(index, column, item)
        self.table.setItem(index, len(self.fields) + 1, QTableWidgetItem(row.read_text()))

    def show_cell(self, row: int, column: int) -> None:
        if not 0 <= row < len(self.rows) or not 1 <= column <= len(self.fields):
            return
        record = self.rows[row]
        cell = record.cells.get(self.fields[column - 1])
        if record.error:
            self.passage.setPlainText(record.error)
        elif cell is None or not cell.value:
            self.passage.setPlainText(self.tr("{document} does not state {field}.").format(document=record.document, field=self.fields[column - 1]))
        else:
            self.passage.setPlainText(f"{record.document} · {cell.location.label}\n\n{cell.passage}")

    def _set_running(self, running: bool) -> None:
        super()._set_running(running)
        for button in self.export_buttons.values():
            button.setEnabled(bool(self.rows) and not running)

    # export

    def export(self, fmt: str, path: Path) -> Job:
        if fmt == "xlsx":
            content = tables.to_xlsx(self.rows, self.fields)
        elif fmt == "json":
            content = tables.to_json(self.rows, self.fields)
        else:
            content = tables.to_csv(self.rows, self.fields)
        return write_export(self.banner, path, content, parent=self)

    def export_dialog(self, fmt: str) -> None:
        suffix = EXPORTS[fmt]
        path = choose_export_path(self, self.tr("Export the table"), "extraction" + suffix, f"{fmt.upper()} (*{suffix})")
        if path:
            self.export(fmt, path)
