"""What the Classify and Detect panes share: model choice, drop/paste, the batch job, the table.

The engine lives on one serial thread per pane; loading and every batch run there.
Results stream back as job progress and are appended to the table as they come.
Subclasses say how to run one prepared image and how to render a result.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vision import BatchProgress, ImageFailure, collect_images, open_registry_engine, run_batch
from desktop_app.core.vision.batch import failure_line, label_for
from desktop_app.core.vision.engine import PreparedImage, VisionEngine
from desktop_app.core.units import format_duration
from desktop_app.core.vision.images import LoadedImage
from desktop_app.ui.context import AppContext
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.vision.images import from_qimage, preview_image
from desktop_app.ui.vision.model_chooser import ModelChooser
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import Job, SerialExecutor, describe_error, run_job

log = logging.getLogger(__name__)

SORT_ROLE = Qt.ItemDataRole.UserRole
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class VisionBatchPane(QWidget):
    task = ""
    columns: tuple[str, ...] = ()
    model_ready = Signal(object)  # the engine, or the exception
    batch_finished = Signal(object)  # BatchSummary, or the exception
    preview_ready = Signal(object)  # the source shown

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.context = context
        self.engine: VisionEngine | None = None
        self.items: list = []  # results and ImageFailures, in table-row order
        self.inference_runs = 0  # images sent through the model; re-filtering never adds to it
        self.pasted: dict[str, LoadedImage] = {}
        self._queued: list = []
        self._roots: list[Path] = []  # folders the user gave: rows name images by their path inside them
        self._batch: Job | None = None
        self._thread = SerialExecutor(f"{self.task}-engine")
        self._slot = EngineSlot()  # the engine open on that thread
        self._outcome = None  # the batch's summary (or its exception) between its delivery and the job's end
        slot, thread = self._slot, self._thread
        self.destroyed.connect(lambda: _close_when_gone(slot, thread))  # a pane destroyed without shutdown()
        self._build()
        self.chooser.model_chosen.connect(self.load_model)
        entry = self.chooser.current()
        if entry is not None:
            self.load_model(entry)
        else:
            self.banner.show_message(self.tr("No model for this pane is installed. Use 'Open .onnx…' to choose one."), BannerLevel.WARNING)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        preferred = self.context.settings.default_models.get(self.task)
        self.chooser = ModelChooser(self.context.registry, self.task, preferred)
        self.banner = MessageBanner()
        self.add_files_button = QPushButton(self.tr("Add images…"))
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.paste_button = QPushButton(self.tr("Paste"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel(self.tr("Drop images or folders here, or paste an image."))
        self.status.setObjectName("VisionStatus")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter results…"))
        self.table_model = QStandardItemModel(0, len(self.columns), self)
        self.table_model.setHorizontalHeaderLabels(self.column_titles())
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by file name until the user picks a column
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()

        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.paste_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in self.export_buttons():
            buttons.addWidget(button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.status, 2)
        progress_row.addWidget(self.cancel_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail_widget())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addWidget(self.banner)
        layout.addLayout(self.controls_layout())
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(splitter, 1)

        self.add_files_button.clicked.connect(self._choose_files)
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.paste_button.clicked.connect(self.paste)
        self.clear_button.clicked.connect(self.clear)
        self.cancel_button.clicked.connect(self.cancel)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_row(current))
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste)

    # subclasses fill these
    def column_titles(self) -> list[str]:
        """Translated header titles, one per entry of ``columns``."""
        raise NotImplementedError

    def detail_widget(self) -> QWidget:
        raise NotImplementedError

    def controls_layout(self) -> QHBoxLayout:
        return QHBoxLayout()

    def export_buttons(self) -> list[QPushButton]:
        return []

    def process(self, engine: VisionEngine, prepared: PreparedImage):
        raise NotImplementedError

    def row_for(self, item) -> list[tuple[str, object]]:
        """(text, sort key) per column for a result."""
        raise NotImplementedError

    def show_item(self, item) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ model

    def load_model(self, entry) -> None:
        """Open ``entry`` on the pane's engine thread, closing the engine open there first. Only the newest
        choice is opened: a quick run of choices opens one engine, and a late result of an older one is dropped
        (the slot closes that engine when the next load or the shutdown runs)."""
        self.chooser.set_info(self.tr("Loading {name}…").format(name=entry.name))
        self.engine = None
        slot = self._slot
        slot.wanted += 1
        wanted = slot.wanted
        threads = self.context.settings.n_threads  # 0: onnxruntime's default (physical cores)

        def load(ctx):
            slot.close()
            if wanted != slot.wanted:
                return None  # a newer choice is queued behind this one
            return slot.open(lambda: open_registry_engine(entry, threads=threads))

        run_job(load, parent=self, serial=self._thread,
                on_result=lambda engine: self._model_loaded(engine) if engine is not None and wanted == slot.wanted else None,
                on_error=lambda exc: self._model_failed(exc) if wanted == slot.wanted else None)

    def _model_loaded(self, engine: VisionEngine) -> None:
        self.engine = engine
        spec = engine.spec
        info = self.tr("{w}×{h} input · {n} labels · {provider}").format(
            w=spec.input.width, h=spec.input.height, n=spec.label_count, provider=engine.provider
        )
        self.chooser.set_info(info)
        if engine.notes:
            self.banner.show_message(" ".join(engine.notes), BannerLevel.INFO)
        else:
            self.banner.hide()
        self._remember(self.chooser.current())
        self.model_changed(engine)
        self.model_ready.emit(engine)
        if self._queued and self._batch is None:
            queued, self._queued = self._queued, []
            self.add_sources(queued)

    def _remember(self, entry) -> None:
        """The chosen library model becomes this pane's default next time (paths are not kept)."""
        settings = self.context.settings
        if entry is None or entry.source == "path" or settings.default_models.get(self.task) == entry.name:
            return
        settings.default_models[self.task] = entry.name
        task = self.task
        save_settings(settings, parent=self, on_failed=lambda exc: log.warning("could not save the %s model choice: %s", task, exc))

    def model_changed(self, engine: VisionEngine) -> None:
        """Hook for subclasses (e.g. the class filter)."""

    def _model_failed(self, exc: BaseException) -> None:
        self.chooser.set_info("")
        self.banner.show_message(describe_error(exc))
        self.model_ready.emit(exc)

    # ------------------------------------------------------------------ input

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        event.acceptProposedAction()
        self.add_from_mime(mime)

    def add_from_mime(self, mime) -> None:
        local = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
        if local:
            self.add_sources(local)
        elif mime.hasImage():
            self.add_sources([self._pasted_image(mime.imageData())])

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not (mime.hasUrls() or mime.hasImage()):
            self.banner.show_message(self.tr("The clipboard holds no image or file."), BannerLevel.INFO)
            return
        self.add_from_mime(mime)

    def _pasted_image(self, image) -> LoadedImage:
        name = self.tr("pasted image {n}").format(n=len(self.pasted) + 1)
        loaded = from_qimage(image, name)
        self.pasted[name] = loaded
        return loaded

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add images"), "", self.tr("Images (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff);;All files (*)")
        )
        if paths:
            self.add_sources([Path(p) for p in paths])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of images"))
        if folder:
            self.add_sources([Path(folder)])

    # ------------------------------------------------------------------ batch

    def add_sources(self, sources: list) -> None:
        """Files, folders (searched recursively) or pasted images; queued if a batch is running."""
        self._roots.extend(s for s in sources if isinstance(s, Path) and s.is_dir() and s not in self._roots)
        if self.engine is None or self._batch is not None:
            self._queued.extend(sources)
            return
        engine = self.engine
        process = self._counted(engine)

        def job(ctx):
            files = [s for s in sources if not isinstance(s, LoadedImage)]
            images = collect_images(files) + [s for s in sources if isinstance(s, LoadedImage)]
            ctx.progress(BatchProgress(0, len(images), 0, 0.0))
            return run_batch(
                engine, images, process,
                on_item=lambda item: ctx.progress(item),
                on_progress=ctx.progress,
                cancel=ctx.cancel,
            )

        self.cancel_button.setEnabled(True)
        self.progress.show()
        self.progress.setValue(0)
        self._batch = run_job(
            job, parent=self, serial=self._thread,
            on_progress=self._on_progress, on_result=self._batch_done, on_error=self._batch_failed,
            on_finished=self._batch_ended,
        )

    def _counted(self, engine: VisionEngine):
        def process(prepared: PreparedImage):
            self.inference_runs += 1
            return self.process(engine, prepared)

        return process

    def cancel(self) -> None:
        if self._batch is not None:
            self._batch.cancel()
            self._queued.clear()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, update) -> None:
        if isinstance(update, BatchProgress):
            self.progress.setMaximum(max(1, update.total))
            self.progress.setValue(update.done)
            if update.done:
                self.status.setText(self.tr("{done}/{total} · {rate:.1f} images/s · {eta} left · {failed} failed").format(
                    done=update.done, total=update.total, rate=update.images_per_s,
                    eta=format_duration(update.eta_s), failed=update.failed,
                ))
            else:
                self.status.setText(self.tr("{total} images queued").format(total=update.total))
            return
        self._append(update)

    def _append(self, item) -> None:
        self.items.append(item)
        row = []
        cells = self.row_for(item) if not isinstance(item, ImageFailure) else self.failure_row(item)
        for text, key in cells:
            cell = QStandardItem(str(text))
            cell.setData(key, SORT_ROLE)
            row.append(cell)
        row[0].setData(len(self.items) - 1, ITEM_ROLE)
        row[0].setToolTip(self._source_of(item))
        self.table_model.appendRow(row)
        if len(self.items) == 1:
            self.table.selectRow(0)

    def display_name(self, image: str) -> str:
        """The image by its path inside the folder the user gave (two IMG_0001.jpg in two subfolders differ)."""
        return label_for(image, self._roots)

    def failure_row(self, failure: ImageFailure) -> list[tuple[str, object]]:
        name = self.display_name(failure.image)
        message = failure_line(failure, self._roots)
        cells = [(name, name.lower())] + [("", -1.0)] * (len(self.columns) - 2)
        return cells + [(message, message)]

    def _batch_done(self, summary) -> None:
        self._outcome = summary
        text = self.tr("{n} images in {s:.1f} s ({rate:.1f} images/s), {failed} failed").format(
            n=summary.processed + len(summary.failures), s=summary.elapsed_s,
            rate=(summary.processed + len(summary.failures)) / summary.elapsed_s if summary.elapsed_s else 0.0,
            failed=len(summary.failures),
        )
        self.status.setText(self.tr("Cancelled. ") + text if summary.cancelled else text)

    def _batch_failed(self, exc: BaseException) -> None:
        self._outcome = exc
        self.banner.show_message(describe_error(exc))

    def _batch_ended(self) -> None:
        """After the batch's summary or its error, once: the controls back, the news, then what was queued."""
        outcome, self._outcome = self._outcome, None
        self._batch = None
        self.cancel_button.setEnabled(False)
        self.progress.hide()
        self.batch_finished.emit(outcome)
        if self._queued and not isinstance(outcome, BaseException):
            queued, self._queued = self._queued, []
            self.add_sources(queued)

    def clear(self) -> None:
        if self._batch is not None:
            self.cancel()
        self.items.clear()
        self._roots.clear()
        self.pasted.clear()
        self.table_model.removeRows(0, self.table_model.rowCount())
        self.status.setText(self.tr("Drop images or folders here, or paste an image."))

    def results(self) -> list:
        return [i for i in self.items if not isinstance(i, ImageFailure)]

    def failures(self) -> list[ImageFailure]:
        return [i for i in self.items if isinstance(i, ImageFailure)]

    # ------------------------------------------------------------------ detail

    def current_item(self):
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        source_index = self.proxy.mapToSource(index)
        return self.items[self.table_model.item(source_index.row(), 0).data(ITEM_ROLE)]

    def _show_row(self, index) -> None:
        if index.isValid():
            self.show_item(self.current_item())

    def load_preview(self, source: str, on_image) -> None:
        """Decode the image for display on a worker; ``on_image(QImage)`` runs on the GUI thread."""
        pasted = dict(self.pasted)

        def done(image) -> None:
            on_image(image)
            self.preview_ready.emit(source)

        run_job(lambda ctx: preview_image(source, pasted), parent=self, on_result=done,
                on_error=lambda exc: self.banner.show_message(describe_error(exc)))

    @staticmethod
    def _source_of(item) -> str:
        return getattr(item, "image", "")

    def shutdown(self) -> None:
        if self._batch is not None:
            self._batch.cancel()
        self.engine = None
        slot = self._slot
        slot.wanted += 1  # a load still queued opens nothing now
        slot.shut = True
        # no parent: the engine is closed even when the pane is destroyed before this job runs
        run_job(lambda ctx: slot.close(), serial=self._thread)


def _close_when_gone(slot: "EngineSlot", thread: SerialExecutor) -> None:
    """The pane went away without shutdown(): its engine is closed on its thread, or here once the interpreter
    is exiting (its executors are shut down then, and no job runs any more)."""
    if slot.shut:
        return
    slot.shut = True
    slot.wanted += 1
    try:
        run_job(lambda ctx: slot.close(), serial=thread)
    except RuntimeError:  # "cannot schedule new futures after shutdown"
        slot.close()


class EngineSlot:
    """The one engine open on a pane's engine thread. Used only on that thread, so every engine opened there
    is closed exactly once: by the next open, or by the pane's shutdown."""

    def __init__(self):
        self.engine: VisionEngine | None = None
        self.wanted = 0  # generations of the pane's model choice (set on the GUI thread): only the newest opens
        self.shut = False  # the pane asked for its last close

    def open(self, opener) -> VisionEngine:
        self.close()
        self.engine = opener()
        return self.engine

    def close(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.close()
