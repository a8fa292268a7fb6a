"""View → Language: pick Auto / English / 中文, saved to Settings, applied on the next start.

Switching live would mean re-translating every built pane; a restart is simpler and honest.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from desktop_app.core.settings import Settings
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.workers import describe_error


class LanguageMenu(QMenu):
    # a sentence for the user after a change (saved, or why it could not be)
    changed = Signal(str)

    def __init__(self, settings: Settings, parent=None):
        super().__init__(self.tr("&Language"), parent)
        self.settings = settings
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        # language names are written in their own language so anyone can find theirs
        for code, label in (("auto", self.tr("Automatic (system language)")), ("en", "English"), ("zh_CN", "中文（简体）")):
            action = QAction(label, self, checkable=True)
            action.setData(code)
            action.setChecked(code == (settings.language or "auto"))
            self.group.addAction(action)
            self.addAction(action)
        self.group.triggered.connect(self._choose)

    def _choose(self, action: QAction) -> None:
        code = action.data()
        if code == self.settings.language:
            return
        self.settings.language = code
        save_settings(self.settings, parent=self, on_failed=self._save_failed,
                      on_saved=lambda: self.changed.emit(self.tr("The new language is used the next time Hearth starts.")))

    def _save_failed(self, exc: BaseException) -> None:
        self.changed.emit(describe_error(exc))  # "Could not save the settings to …: the disk is full. …"
