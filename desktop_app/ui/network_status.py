"""Status bar segment: says nothing is sent anywhere only while that is true, and where replies come from when not."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.core.privacy import NetworkActivity, network_activity


class NetworkStatusLabel(QLabel):
    _changed = Signal(bool)  # emitted from whichever thread started or ended the online work

    def __init__(self, activity: NetworkActivity = network_activity, parent: QWidget | None = None):
        super().__init__(parent)
        self._activity = activity
        self._changed.connect(self._render)
        self.destroyed.connect(activity.subscribe(self._changed.emit))  # unsubscribe with the widget
        self._render(activity.is_online())

    def _render(self, online: bool) -> None:
        online = online and self._activity.is_online()  # a queued change may already be stale
        remote = self._activity.remote_engine()
        if remote:
            self.setText(self.tr("Replies come from {url} — your messages are sent there.").format(url=remote))
        elif online:
            self.setText(self.tr("Connected to {hosts} for a download you asked for.").format(
                hosts=", ".join(self._activity.hosts())))
        else:
            # the main window's context keeps the existing translation of this sentence
            self.setText(QCoreApplication.translate("MainWindow", "Everything runs on this computer. Nothing is sent anywhere."))
