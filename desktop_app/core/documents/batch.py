"""Ask or Extract over many documents: files and folders in, one row per document out.

As in the vision batches, a file that cannot be read becomes a row with the
reason and the batch goes on; rows are handed to a callback as they finish so
a table can fill while the rest are read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from desktop_app.core.documents.ask import AskResult, DocumentQuestion, check_question
from desktop_app.core.documents.estimate import check_cost
from desktop_app.core.documents.extract import DocumentExtraction, ExtractionRow, parse_fields
from desktop_app.core.documents.load import FORMATS, load_document
from desktop_app.core.documents.summarize import Throughput
from desktop_app.core.errors import HearthError

MAX_BATCH_FILES = 2000


@dataclass
class AskRow:
    path: str
    document: str
    result: AskResult | None = None
    error: str = ""

    def to_dict(self) -> dict:
        if self.result is None:
            return {"document": self.document, "path": self.path, "error": self.error}
        return {"path": self.path, "error": "", **self.result.to_dict()}


def collect_files(inputs: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every supported document inside the folders given (sorted, recursively)."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
        else:
            files.append(path)  # a missing or unsupported file becomes a row with the reason
    if len(files) > MAX_BATCH_FILES:
        raise HearthError(f"{len(files)} documents is more than one batch takes ({MAX_BATCH_FILES}); choose a smaller folder.")
    return files


def ask_many(engine, files: list[Path], question: str, on_row: Callable[[AskRow], None] | None = None,
             on_progress=None, cancel: threading.Event | None = None, on_document=None, on_text=None,
             confirm=None, speed=None, **options) -> list[AskRow]:
    """``on_document``: called with each document read (the pane indexes it for Find);
    ``on_text``: each document's answer as it is written; ``confirm``: asked before a document whose reading
    would take longer than LONG_JOB_SECONDS at ``speed`` (estimate.check_cost), it raises to refuse it."""
    check_question(question)
    cancel = cancel or threading.Event()
    rows = []
    for path in files:
        if cancel.is_set():
            break
        try:
            job = DocumentQuestion(engine, _loaded(path, on_document), question, **options)
            check_cost(job, speed or Throughput.assumed(engine.info), confirm)
            result = job.run(on_text=on_text, on_progress=on_progress, cancel=cancel)
            row = AskRow(str(path), path.name, result)
        except HearthError as exc:
            row = AskRow(str(path), path.name, error=str(exc))
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def extract_many(engine, files: list[Path], fields: str | list[str], on_row: Callable[[ExtractionRow], None] | None = None,
                 on_progress=None, cancel: threading.Event | None = None, on_document=None, confirm=None, speed=None,
                 **options) -> list[ExtractionRow]:
    names = parse_fields(fields)
    cancel = cancel or threading.Event()
    rows = []
    for path in files:
        if cancel.is_set():
            break
        try:
            job = DocumentExtraction(engine, _loaded(path, on_document), names, **options)
            check_cost(job, speed or Throughput.assumed(engine.info), confirm)
            row = job.run(on_progress, cancel)
        except HearthError as exc:
            row = ExtractionRow(path.name, names, {}, error=str(exc), path=str(path))
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def _loaded(path: Path, on_document):
    document = load_document(path)
    if on_document is not None:
        on_document(document)
    return document
