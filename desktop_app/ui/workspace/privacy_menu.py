"""The Privacy menu: encrypt the workspace, change its passphrase, lock now, lock after idle minutes."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from desktop_app.core.storage import keychain, workspace
from desktop_app.ui.context import AppContext
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.workers import describe_error, run_job
from desktop_app.ui.workspace.encrypt_dialogs import PassphraseDialog, RecoveryKeyDialog

IDLE_CHOICES = [
    (0, QT_TRANSLATE_NOOP("PrivacyMenu", "Never")),
    (5, QT_TRANSLATE_NOOP("PrivacyMenu", "After 5 minutes idle")),
    (15, QT_TRANSLATE_NOOP("PrivacyMenu", "After 15 minutes idle")),
    (30, QT_TRANSLATE_NOOP("PrivacyMenu", "After 30 minutes idle")),
    (60, QT_TRANSLATE_NOOP("PrivacyMenu", "After 60 minutes idle")),
]


class PrivacyMenu(QMenu):
    lock_requested = Signal()
    idle_minutes_changed = Signal(int)
    message = Signal(str)  # one line for the status bar
    busy_changed = Signal(bool)  # a conversion runs: the window takes no input meanwhile

    def __init__(self, context: AppContext, window: QWidget):
        super().__init__(window)
        self.setTitle(self.tr("&Privacy"))
        self.context = context
        self.window_ = window
        self.encrypt_action = self.addAction(self.tr("Encrypt my conversations, summaries and results…"), self.encrypt)
        self.change_action = self.addAction(self.tr("Change passphrase…"), self.change_passphrase)
        self.lock_action = self.addAction(self.tr("Lock now"), self.lock_requested.emit)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        idle = self.addMenu(self.tr("Lock automatically"))
        group = QActionGroup(self)
        for minutes, title in IDLE_CHOICES:
            action = idle.addAction(self.tr(title))
            action.setCheckable(True)
            action.setChecked(minutes == context.settings.lock_after_minutes)
            action.triggered.connect(lambda _=False, m=minutes: self.set_idle_minutes(m))
            group.addAction(action)
        self.refresh()

    @property
    def encrypted(self) -> bool:
        return self.context.database_key is not None

    @property
    def on_disk(self) -> bool:
        return self.context.store.path is not None

    def refresh(self) -> None:
        self.encrypt_action.setVisible(not self.encrypted)
        self.encrypt_action.setEnabled(self.on_disk)
        self.change_action.setVisible(self.encrypted)

    def set_idle_minutes(self, minutes: int) -> None:
        self.context.settings.lock_after_minutes = minutes
        save_settings(self.context.settings, parent=self, on_failed=lambda exc: self.message.emit(
            describe_error(exc)))
        self.idle_minutes_changed.emit(minutes)

    def encrypt(self) -> None:
        if self.encrypted or not self.on_disk:
            return

        def chosen(passphrase: str, remember: bool) -> None:
            self._convert(lambda db: workspace.encrypt(db, passphrase, remember=remember), passphrase)

        self._ask_passphrase(self.tr("Encrypt my conversations, summaries and results"), chosen)

    def change_passphrase(self) -> None:
        if not self.encrypted:
            return
        key = self.context.database_key

        def chosen(passphrase: str, remember: bool) -> None:
            self._convert(lambda db: workspace.change_passphrase(db, key, passphrase, remember=remember), passphrase)

        self._ask_passphrase(self.tr("Change passphrase"), chosen)

    def _ask_passphrase(self, title: str, chosen) -> None:
        """Whether a keychain is there is asked in a job (a keychain may take its time); then the dialog."""

        def ask(available: bool) -> None:
            dialog = PassphraseDialog(title, available, self.window_)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                chosen(dialog.passphrase.text(), dialog.remember.isChecked())

        run_job(lambda ctx: keychain.available(), parent=self, on_result=ask)

    def _convert(self, convert, passphrase: str) -> None:
        """Close the database, convert it (export, verify, swap), open it again with its new key; off the GUI thread."""
        store, database = self.context.store, self.context.store.path
        keys = {"now": self.context.database_key}

        def job(_ctx) -> tuple[str, bytes]:
            with store.closed_while(lambda: keys["now"]):
                recovery = convert(database)
                keys["now"] = workspace.unlock(database, passphrase=passphrase, use_keychain=False)
            return recovery, keys["now"]

        self.busy_changed.emit(True)
        run_job(job, parent=self, on_result=self._converted, on_error=self._failed)

    def _converted(self, result: tuple[str, bytes]) -> None:
        recovery, key = result
        self.context.database_key = key
        self.busy_changed.emit(False)
        self.refresh()
        self.message.emit(self.tr("Your conversations, summaries and results are now stored encrypted."))
        RecoveryKeyDialog(recovery, self.window_).exec()

    def _failed(self, exc: BaseException) -> None:
        self.busy_changed.emit(False)
        self.message.emit(describe_error(exc))
