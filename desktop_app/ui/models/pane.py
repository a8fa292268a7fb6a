"""The Models pane: every installed model with its metadata, import (dialog or drop),
download, default per task, remove; and a Hardware tab. All file work runs in jobs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.library.importing import import_model
from desktop_app.core.library.registry import KIND_BY_SUFFIX
from desktop_app.core.vision.spec import SidecarNeeded
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.context import AppContext
from desktop_app.ui.widgets.download_dialog import DownloadDialog
from desktop_app.ui.models.hardware_view import HardwareView
from desktop_app.ui.models.import_dialog import ImportDialog, ImportOptions, SidecarForm
from desktop_app.ui.models.table import COLUMNS, ROW_ROLE, LibraryFilter, LibraryTableModel
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import describe_error, run_job


class ModelsPane(QWidget):
    library_loaded = Signal(int)  # rows
    import_finished = Signal(object)  # ModelEntry or the exception

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.setAcceptDrops(True)
        self.banner = MessageBanner()
        self.model = LibraryTableModel(self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.hardware.refresh()
        self.reload()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search models (name, task, quantization, licence…)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.import_button = QPushButton(self.tr("Import…"))
        self.download_button = QPushButton(self.tr("Download…"))
        self.default_button = QPushButton(self.tr("Set as default"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.import_button.clicked.connect(self.choose_import)
        self.download_button.clicked.connect(self.open_download)
        self.default_button.clicked.connect(self.set_default)
        self.remove_button.clicked.connect(self.remove_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for button in (self.import_button, self.download_button, self.default_button, self.remove_button):
            bar.addWidget(button)
        library = QWidget()
        library_layout = QVBoxLayout(library)
        library_layout.addLayout(bar)
        library_layout.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        library_layout.addWidget(self.details)
        self.hardware = HardwareView()
        self.tabs = QTabWidget()
        self.tabs.addTab(library, self.tr("Library"))
        self.tabs.addTab(self.hardware, self.tr("Hardware"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    # listing

    def reload(self) -> None:
        registry, defaults = self.context.registry, dict(self.context.settings.default_models)

        def work(ctx):
            rows = [d.to_json() for d in registry.details()]  # headers parsed once, then cached
            chosen = {}
            for task in {r["task"] for r in rows}:
                try:
                    chosen[task] = registry.default(task, defaults.get(task)).name
                except Exception:  # noqa: BLE001 - no usable model for that task: no star
                    chosen[task] = None
            for r in rows:
                r["is_default"] = chosen.get(r["task"]) == r["name"]
            return rows

        run_job(work, parent=self, on_result=self._show_rows, on_error=self._show_error)

    def _show_rows(self, rows: list[dict]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        if selected:
            self.select(selected["name"])
        self._update_buttons()
        self.library_loaded.emit(len(rows))

    def selected(self) -> dict | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def select(self, name: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE)["name"] == name:
                self.table.selectRow(row)
                return

    def _update_buttons(self, *args) -> None:
        row = self.selected()
        self._show_details(row)
        self.default_button.setEnabled(bool(row) and not row.get("is_default") and row.get("available", False))
        self.remove_button.setEnabled(bool(row) and row.get("source") != "bundled")
        if row and row.get("source") == "bundled":
            self.remove_button.setToolTip(self.tr("Models that ship with Hearth cannot be removed."))
        else:
            self.remove_button.setToolTip("")

    def _show_details(self, row: dict | None) -> None:
        """Path, problems, and for a GGUF whether it fits in memory at the chat context length."""
        if not row:
            self.details.setText("")
            return
        lines = [row["path"]]
        if row.get("error"):
            lines.append(self.tr("Problem: {error}").format(error=row["error"]))
        self.details.setText("\n".join(lines))
        if row["kind"] != "gguf" or row.get("error"):
            return
        settings = self.context.settings
        path, n_ctx, layers = row["path"], int(settings.context_length), settings.gpu_layers

        def work(ctx):
            from desktop_app.core.llm.memory import estimate_gguf_memory

            return estimate_gguf_memory(path, n_ctx, layers)

        run_job(work, parent=self, on_result=lambda e: self._show_estimate(row, lines, e), on_error=lambda exc: None)

    def _show_estimate(self, row: dict, lines: list[str], e) -> None:
        if self.selected() is None or self.selected()["name"] != row["name"]:
            return  # the selection moved on while this was computed
        verdict = self.tr("fits") if e.fits else self.tr("does not fit")
        text = self.tr("At {ctx} tokens of context it needs about {ram} GB of memory{vram}: {verdict} ({free} GB free).").format(
            ctx=e.n_ctx,
            ram=f"{e.ram_peak_bytes / 1e9:.2f}",
            vram=self.tr(" and {v} GB of GPU memory").format(v=f"{e.vram_bytes / 1e9:.2f}") if e.vram_bytes else "",
            verdict=verdict,
            free=f"{(e.vram_available_bytes if e.vram_bytes else e.ram_available_bytes) / 1e9:.1f}",
        )
        self.details.setText("\n".join([*lines, text]))

    def _show_error(self, exc: BaseException) -> None:
        self.banner.show_message(describe_error(exc))

    # default and remove

    def set_default(self) -> None:
        row = self.selected()
        if not row:
            return
        try:
            self.context.registry.set_default(row["task"], row["name"], self.context.settings)
        except Exception as exc:  # noqa: BLE001 - shown in the pane
            self._show_error(exc)
            return
        self.banner.show_message(
            self.tr("'{name}' is now the default {task} model.").format(name=row["name"], task=self._task_name(row["task"])), BannerLevel.INFO
        )
        self.reload()

    def _task_name(self, task: str) -> str:
        # English keeps the lower-case key ("default detect model"); other languages name the task
        translated = QCoreApplication.translate("ModelTable", task.capitalize())
        return task if translated == task.capitalize() else translated

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def remove_selected(self) -> None:
        row = self.selected()
        if not row or row.get("source") == "bundled":
            return
        in_place = row["path"] and not Path(row["path"]).is_relative_to(self.context.registry.library_dir)
        detail = self.tr("The file stays where it is.") if in_place else self.tr("Its file in the library will be deleted.")
        if not self.confirm(self.tr("Remove model"), self.tr("Remove '{name}'? {detail}").format(name=row["name"], detail=detail)):
            return
        registry = self.context.registry

        def removed(entry) -> None:
            settings = self.context.settings  # changed on the GUI thread, written by the disk writer
            if settings.default_models.get(entry.task) == entry.name:
                del settings.default_models[entry.task]
                save_settings(settings, parent=self, on_failed=self._show_error)
            self._after_change(self.tr("'{name}' was removed.").format(name=entry.name))

        run_job(lambda ctx: registry.remove(row["name"]), parent=self, on_result=removed, on_error=self._show_error)

    def _after_change(self, message: str) -> None:
        self.banner.show_message(message, BannerLevel.INFO)
        self.reload()

    # import

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a model"), "", self.tr("Models (*.gguf *.onnx);;All files (*)")
        )
        if path:
            self.import_path(Path(path))

    def dragEnterEvent(self, event) -> None:
        if any(Path(u.toLocalFile()).suffix.lower() in KIND_BY_SUFFIX for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        models = [p for p in paths if p.suffix.lower() in KIND_BY_SUFFIX]
        if not models:
            self.banner.show_message(self.tr("Drop a .gguf or .onnx file to import it."), BannerLevel.WARNING)
            return
        event.acceptProposedAction()
        for path in models:
            self.import_path(path)

    def ask_import_options(self, path: Path) -> ImportOptions | None:
        dialog = ImportDialog(path, self.context.registry.unique_name(path.stem), self)
        return dialog.options() if dialog.exec() == ImportDialog.DialogCode.Accepted else None

    def ask_sidecar(self, path: Path, message: str) -> dict | None:
        form = SidecarForm(path, message, self)
        return form.sidecar() if form.exec() == SidecarForm.DialogCode.Accepted else None

    def import_path(self, path: Path, options: ImportOptions | None = None) -> None:
        options = options or self.ask_import_options(path)
        if options is None:
            return
        registry = self.context.registry
        self.banner.show_message(self.tr("Checking {name}…").format(name=path.name), BannerLevel.INFO)

        def work(ctx):
            return import_model(registry, options.path, name=options.name, copy=options.copy,
                                sidecar=options.sidecar, cancel=ctx.cancel)

        run_job(work, parent=self, on_result=self._imported, on_error=lambda exc: self._import_failed(options, exc))

    def _imported(self, entry) -> None:
        self._after_change(self.tr("'{name}' was added to the library.").format(name=entry.name))
        self.import_finished.emit(entry)

    def _import_failed(self, options: ImportOptions, exc: BaseException) -> None:
        if isinstance(exc, SidecarNeeded) and options.sidecar is None:
            sidecar = self.ask_sidecar(options.path, str(exc))
            if sidecar is not None:
                options.sidecar = sidecar
                self.import_path(options.path, options)
                return
        self._show_error(exc)
        self.import_finished.emit(exc)

    # download

    def open_download(self) -> DownloadDialog:
        dialog = DownloadDialog(self.context.registry, self)
        dialog.finished_download.connect(self._downloaded)
        dialog.show()
        return dialog

    def _downloaded(self, result) -> None:
        if result is not None and not isinstance(result, BaseException):
            self._after_change(self.tr("'{name}' was downloaded and added to the library.").format(name=result.name))

    def column_index(self, key: str) -> int:
        return [k for k, _ in COLUMNS].index(key)
