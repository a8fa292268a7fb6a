"""Download a model: a curated suggestion, a Hugging Face repo + file, or a URL; progress,
speed, time left, pause/resume (HTTP Range) and cancel. The work runs in a worker job."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.library.download import DownloadCancelled, DownloadProgress, DownloadState
from desktop_app.core.library.remote import curated_models, download_model, remote_from_hf, remote_from_url
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.units import format_duration, format_size
from desktop_app.ui.widgets.banner import MessageBanner
from desktop_app.ui.workers import Job, describe_error, run_job


class DownloadDialog(QDialog):
    finished_download = Signal(object)  # the new ModelEntry, or the exception (None when cancelled)

    def __init__(self, registry: ModelRegistry, parent=None, hf_endpoint: str | None = None):
        super().__init__(parent)
        self.registry = registry
        self.hf_endpoint = hf_endpoint  # tests point this at a local server
        self.job: Job | None = None
        self.pause_event = threading.Event()
        self.setWindowTitle(self.tr("Download a model"))
        self.setMinimumWidth(560)
        self.banner = MessageBanner()
        self.sources = QTabWidget()
        self.curated = QListWidget()
        self.curated.setSpacing(3)
        for model in curated_models():
            label = f"{model['name']}  ·  ~{model['approx_size_gb']:.1f} GB  ·  {model['license']}\n{model['note']}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, model)
            self.curated.addItem(item)
        self.curated.currentItemChanged.connect(self._curated_chosen)
        self.repo, self.file = QLineEdit(), QLineEdit()
        self.repo.setPlaceholderText("Qwen/Qwen2.5-0.5B-Instruct-GGUF")
        self.file.setPlaceholderText("qwen2.5-0.5b-instruct-q4_k_m.gguf")
        hub = QWidget()
        hub_form = QFormLayout(hub)
        hub_form.addRow(self.tr("Repository:"), self.repo)
        hub_form.addRow(self.tr("File:"), self.file)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.org/model.gguf")
        url_page = QWidget()
        QFormLayout(url_page).addRow(self.tr("Address:"), self.url)
        self.sources.addTab(self.curated, self.tr("Suggested"))
        self.sources.addTab(hub, self.tr("Hugging Face"))
        self.sources.addTab(url_page, self.tr("URL"))
        self.sha256, self.name = QLineEdit(), QLineEdit()
        self.sha256.setPlaceholderText(self.tr("optional; Hugging Face files are checked against the Hub's own hash"))
        self.name.setPlaceholderText(self.tr("optional; the file name by default"))
        options = QFormLayout()
        options.addRow(self.tr("sha256:"), self.sha256)
        options.addRow(self.tr("Name:"), self.name)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel(self.tr("Downloads go to the model library; nothing else is sent anywhere."))
        self.status.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Download"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.close_button = QPushButton(self.tr("Close"))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start_button, self.pause_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.sources, 1)
        layout.addLayout(options)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._set_running(False)

    def _curated_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            model = item.data(Qt.ItemDataRole.UserRole)
            self.repo.setText(model["repo"])
            self.file.setText(model["file"])

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.sources.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)

    # actions

    def start(self) -> None:
        self.banner.hide()
        tab = self.sources.currentIndex()
        url = self.url.text().strip()
        repo, file = self.repo.text().strip(), self.file.text().strip()
        if (tab == 2 and not url) or (tab != 2 and not (repo and file)):
            self.banner.show_message(self.tr("Choose a suggested model, or fill in a repository and file, or an address."))
            return
        sha, name, endpoint = self.sha256.text().strip() or None, self.name.text().strip() or None, self.hf_endpoint
        registry, pause = self.registry, self.pause_event
        pause.clear()

        def work(ctx):
            remote = remote_from_url(url, sha) if tab == 2 else remote_from_hf(repo, file, sha256=sha, endpoint=endpoint)
            return download_model(registry, remote, name=name, on_progress=ctx.progress, cancel=ctx.cancel, pause=pause)

        self._set_running(True)
        self.pause_button.setText(self.tr("Pause"))
        self.status.setText(self.tr("Connecting…"))
        self.job = run_job(work, parent=self, on_progress=self._on_progress, on_result=self._done, on_error=self._failed,
                           on_finished=lambda: self._set_running(False))

    def toggle_pause(self) -> None:
        if self.pause_event.is_set():
            self.pause_event.clear()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.pause_event.set()
            self.pause_button.setText(self.tr("Resume"))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.pause_event.clear()
            self.status.setText(self.tr("Cancelling…"))

    # job signals

    def _on_progress(self, p: DownloadProgress) -> None:
        if p.fraction is not None:
            self.progress.setValue(int(p.fraction * 1000))
        done = format_size(p.downloaded_bytes)
        total = f" / {format_size(p.total_bytes)}" if p.total_bytes else ""
        states = {
            DownloadState.CONNECTING: self.tr("Connecting…"),
            DownloadState.DOWNLOADING: self.tr("Downloading"),
            DownloadState.PAUSED: self.tr("Paused"),
            DownloadState.VERIFYING: self.tr("Checking sha256…"),
            DownloadState.VALIDATING: self.tr("Checking the model file…"),
            DownloadState.DONE: self.tr("Done"),
        }
        text = f"{states[p.state]}: {done}{total}"
        if p.state == DownloadState.DOWNLOADING and p.speed_bps:
            text += self.tr(" · {speed} MB/s · {eta} left").format(speed=f"{p.speed_bps / 1e6:.1f}", eta=format_duration(p.eta_s))
        if p.state == DownloadState.DOWNLOADING and p.host:
            text += self.tr(" · from {host}").format(host=p.host)
        self.status.setText(text)

    def _done(self, entry) -> None:
        self.progress.setValue(1000)
        self.status.setText(self.tr("'{name}' was added to the library.").format(name=entry.name))
        self.finished_download.emit(entry)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DownloadCancelled):
            self.status.setText(self.tr("Cancelled. Nothing was added."))
            self.progress.setValue(0)
            self.finished_download.emit(None)
            return
        self.banner.show_message(describe_error(exc))
        self.status.setText(self.tr("Not downloaded."))
        self.finished_download.emit(exc)

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            return  # Cancel first: closing must not orphan a download
        super().reject()
