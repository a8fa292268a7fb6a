"""The library as a sortable, searchable table model (one row per ModelDetails.to_json())."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt

from desktop_app.core.llm.gguf_info import format_parameters
from desktop_app.core.units import format_size

SORT_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

# (key, header) — headers are translated in the "ModelTable" context when shown
COLUMNS = [
    ("name", QT_TRANSLATE_NOOP("ModelTable", "Name")),
    ("task", QT_TRANSLATE_NOOP("ModelTable", "Task")),
    ("format", QT_TRANSLATE_NOOP("ModelTable", "Format")),
    ("parameters", QT_TRANSLATE_NOOP("ModelTable", "Parameters")),
    ("quantization", QT_TRANSLATE_NOOP("ModelTable", "Quantization")),
    ("context", QT_TRANSLATE_NOOP("ModelTable", "Context")),
    ("size", QT_TRANSLATE_NOOP("ModelTable", "Size")),
    ("license", QT_TRANSLATE_NOOP("ModelTable", "Licence")),
    ("template", QT_TRANSLATE_NOOP("ModelTable", "Chat template")),
    ("io", QT_TRANSLATE_NOOP("ModelTable", "Inputs / outputs")),
    ("source", QT_TRANSLATE_NOOP("ModelTable", "Source")),
    ("default", QT_TRANSLATE_NOOP("ModelTable", "Default")),
]
# task and source names are shown through _tr(); these lines only let lupdate see them
_DYNAMIC = (
    QT_TRANSLATE_NOOP("ModelTable", "Chat"),
    QT_TRANSLATE_NOOP("ModelTable", "Classify"),
    QT_TRANSLATE_NOOP("ModelTable", "Detect"),
    QT_TRANSLATE_NOOP("ModelTable", "bundled"),
    QT_TRANSLATE_NOOP("ModelTable", "imported"),
    QT_TRANSLATE_NOOP("ModelTable", "downloaded"),
    QT_TRANSLATE_NOOP("ModelTable", "path"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModelTable", text)


def _shape(tensor: dict) -> str:
    return "×".join(str(d) if d is not None else "?" for d in tensor["shape"]) or "?"


def cell(row: dict, key: str) -> tuple[str, object]:
    """(display text, sort value) for one column of one model."""
    gguf = row["kind"] == "gguf"
    if key == "name":
        return row["name"], row["name"].casefold()
    if key == "task":
        return _tr(row["task"].capitalize()), row["task"]
    if key == "format":
        if gguf:
            text = f"GGUF · {row['architecture']}" if row.get("architecture") else "GGUF"
        else:
            text = f"ONNX · opset {row['opset']}" if row.get("opset") else "ONNX"
        return text, text
    if key == "parameters":
        count = row.get("parameter_count")
        return (format_parameters(count), count) if count else ("", 0)
    if key == "quantization":
        return row.get("quantization") or "", row.get("quantization") or ""
    if key == "context":
        ctx = row.get("context_length")
        return (f"{ctx:,}", ctx) if ctx else ("", 0)
    if key == "size":
        size = row.get("size_bytes") or 0
        return format_size(size), size
    if key == "license":
        return row.get("license") or "", row.get("license") or ""
    if key == "template":
        if not gguf or "has_chat_template" not in row:
            return "", 0
        return (
            QCoreApplication.translate("ModelTable", "embedded")
            if row["has_chat_template"]
            else QCoreApplication.translate("ModelTable", "none (fallback)")
        ), int(row["has_chat_template"])
    if key == "io":
        if gguf:
            return "", ""
        inputs = ", ".join(_shape(t) for t in row.get("inputs", []))
        extra = " · " + QCoreApplication.translate("ModelTable", "{n} labels").format(n=row["label_count"]) if row.get("label_count") else ""
        decoder = f" · {row['decoder']}" if row.get("decoder") else ""
        text = f"{inputs} → " + QCoreApplication.translate("ModelTable", "{n} out").format(n=len(row.get("outputs", []))) + f"{extra}{decoder}"
        return text, text
    if key == "source":
        text = _tr(row["source"])
        if row.get("error"):
            text += " ⚠"
        return text, row["source"]
    if key == "default":
        return ("★" if row.get("is_default") else ""), int(bool(row.get("is_default")))
    return "", ""


class LibraryTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(row, key)[0]
        if role == SORT_ROLE:
            return cell(row, key)[1]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("error") or row.get("path")
        return None


class LibraryFilter(QSortFilterProxyModel):
    """Matches the search text against name, task, format, quantization, licence and source."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""

    def set_search(self, text: str) -> None:
        self.beginFilterChange()  # Qt 6.9+: replaces the deprecated invalidateFilter()
        self._needle = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._needle:
            return True
        row = self.sourceModel().rows[source_row]
        haystack = " ".join(str(row.get(k) or "") for k in ("name", "task", "kind", "architecture", "quantization", "license", "source", "decoder"))
        return all(word in haystack.casefold() for word in self._needle.split())
