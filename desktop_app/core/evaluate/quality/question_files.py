"""Question files read with bounds: CSV and JSONL line by line, XLSX checked on its zip entries first.

Each reader yields (row number, record) and appends a Problem for a row it cannot use: a line over
MAX_LINE_BYTES is skipped unread, a line that is not UTF-8 or not JSON is one problem line, and the
rows around it are still read. Nothing here expands a file before its size is known.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Iterator

from desktop_app.core import texts
from desktop_app.core.documents.load import check_zip_sizes
from desktop_app.core.evaluate.quality.results import Problem

MAX_LINE_BYTES = 1024 * 1024  # one question with its answer; a longer line is skipped without being parsed
MAX_CELL_CHARS = 128 * 1024  # the csv module's default field limit, kept on purpose
MAX_ROWS = 100_000
MAX_COLUMNS = 64
MAX_XLSX_PART_BYTES = 32 * 1024 * 1024  # one sheet or the shared strings, unpacked
MAX_XLSX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64  # JSON nesting a question row can have; deeper is refused before json parses it
READ_STEP = 1024 * 1024


def mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


class _BadLine:
    """Stands in for a line that was not read (too long, not UTF-8)."""


BAD_LINE = _BadLine()


def bounded_lines(path: Path, problems: list[Problem], what: str) -> Iterator[tuple[int, str | _BadLine]]:
    """(line number, text with its newline) for every line; BAD_LINE, after one problem line, for a line
    longer than MAX_LINE_BYTES (skipped in READ_STEP pieces, never held whole) or not UTF-8."""
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                _skip_rest_of_line(handle)
                problems.append(Problem(path.name, number, texts.translate(
                    "QualityData", "is longer than {limit}; the {what} is skipped unread.").fill(limit=mb(MAX_LINE_BYTES), what=what)))
                yield number, BAD_LINE
                continue
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(Problem(path.name, number, texts.translate(
                    "QualityData", "is not UTF-8 text (byte {byte} of the line); the {what} is skipped.").fill(
                    byte=exc.start + 1, what=what)))
                yield number, BAD_LINE


def _skip_rest_of_line(handle) -> None:
    while True:
        piece = handle.readline(READ_STEP)
        if not piece or piece.endswith(b"\n"):
            return


# JSONL


def jsonl_rows(path: Path, problems: list[Problem]):
    import json

    for number, line in bounded_lines(path, problems, texts.translate("QualityData", "line")):
        if line is BAD_LINE or not line.strip():
            continue
        if _nesting(line) > MAX_DEPTH:
            problems.append(Problem(path.name, number, texts.translate(
                "QualityData", "nests deeper than {depth} levels; the line is skipped.").fill(depth=MAX_DEPTH)))
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            problems.append(Problem(path.name, number, "is not valid JSON; the line is skipped."))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(path.name, number, "is not a JSON object with prompt and expected; skipped."))
            continue
        yield number, record


def _nesting(line: str) -> int:
    """How deep brackets nest, strings aside: json would recurse that deep."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


# CSV


def csv_rows(path: Path, problems: list[Problem], check_header):
    at = [0]  # the physical line last handed to the csv reader: its own count lags behind on an error

    def lines():
        for number, line in bounded_lines(path, problems, texts.translate("QualityData", "row")):
            at[0] = number
            yield line if line is not BAD_LINE else "\n"  # a blank line: DictReader skips it

    reader = csv.DictReader(lines())
    try:
        header = reader.fieldnames
    except csv.Error:
        header = None
    if not check_header(path, header, problems):
        return
    limit = csv.field_size_limit()
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            problems.append(Problem(path.name, at[0], texts.translate(
                "QualityData", "cannot be read as CSV (a cell longer than {limit:,} characters or a broken quote); "
                "the row is skipped.").fill(limit=limit)))
            continue
        yield at[0], record


# XLSX


def xlsx_rows(path: Path, problems: list[Problem], check_header):
    import zipfile

    from openpyxl import load_workbook

    too_big = _XlsxTooBig()
    try:
        check_zip_sizes(path, MAX_XLSX_PART_BYTES, MAX_XLSX_TOTAL_BYTES, too_big)
        book = load_workbook(path, read_only=True, data_only=True)
    except _XlsxTooBig:
        problems.append(Problem(path.name, None, texts.translate(
            "QualityData", "unpacks to more than {part} in one part or {total} in all; Hearth does not open it "
            "(it may be a zip bomb).").fill(part=mb(MAX_XLSX_PART_BYTES), total=mb(MAX_XLSX_TOTAL_BYTES))))
        return
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, EOFError):
        problems.append(Problem(path.name, None, texts.translate(
            "QualityData", "is not a readable XLSX workbook (it may be damaged or another format); no question was read.")))
        return
    try:
        if not book.worksheets:
            problems.append(Problem(path.name, None, texts.translate("QualityData", "has no worksheet; no question was read.")))
            return
        # max_row/max_col stop openpyxl before it pads a sheet that claims a million rows or columns
        rows = book.worksheets[0].iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
        if not check_header(path, header, problems):
            return
        for number, values in enumerate(rows, 2):
            if number > MAX_ROWS + 1:
                problems.append(Problem(path.name, number, texts.translate(
                    "QualityData", "the sheet has more than {n:,} rows; only the first {n:,} are read.").fill(n=MAX_ROWS)))
                return
            if any(v not in (None, "") for v in values):
                yield number, dict(zip(header, values))
    finally:
        book.close()


class _XlsxTooBig(Exception):
    pass
