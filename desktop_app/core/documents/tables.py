"""Extraction tables out of the app: CSV, JSON or XLSX, one row per document.

Each field gets its value column and a "<field> (where)" column with the page,
heading or lines it was found at; an unreadable file keeps its row, with the
reason in the "error" column.
"""

from __future__ import annotations

import csv
import io
import json

from desktop_app.core.documents.extract import ExtractionRow


def table_header(fields: list[str]) -> list[str]:
    return ["document"] + [c for f in fields for c in (f, f"{f} (where)")] + ["read", "error"]


def table_rows(rows: list[ExtractionRow]) -> list[list[str]]:
    out = []
    for row in rows:
        cells = []
        for name in row.fields:
            cell = row.cells.get(name)
            cells += [cell.value if cell else "", cell.location.label if cell and cell.location else ""]
        out.append([row.document, *cells, row.read_text(), row.error])
    return out


def to_csv(rows: list[ExtractionRow], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table_header(fields))
    writer.writerows(table_rows(rows))
    return buffer.getvalue()


def to_json(rows: list[ExtractionRow], fields: list[str]) -> str:
    return json.dumps({"fields": fields, "rows": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=2) + "\n"


def to_xlsx(rows: list[ExtractionRow], fields: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Extraction"
    sheet.append(table_header(fields))
    for values in table_rows(rows):
        # a cell starting with "=" would be read as a formula: store it as text
        sheet.append([f"'{v}" if v.startswith(("=", "+", "-", "@")) else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
