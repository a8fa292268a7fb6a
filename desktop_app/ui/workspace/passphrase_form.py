"""One passphrase field with a "this is my recovery key" switch; the check runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.storage import workspace
from desktop_app.ui.workers import describe_error, run_job


class PassphraseForm(QWidget):
    """Emits ``unlocked(key)`` once the passphrase (or the recovery key) opened the workspace."""

    unlocked = Signal(bytes)

    def __init__(self, database: Path, parent=None):
        super().__init__(parent)
        self.database = database
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("Passphrase"))
        self.use_recovery = QCheckBox(self.tr("This is my recovery key"))
        self.use_recovery.toggled.connect(self._recovery_toggled)
        self.button = QPushButton(self.tr("Unlock"))
        self.button.setDefault(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.secret, self.use_recovery, self.button, self.error):
            layout.addWidget(widget)
        self.button.clicked.connect(self.submit)
        self.secret.returnPressed.connect(self.submit)

    def _recovery_toggled(self, on: bool) -> None:
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("Recovery key") if on else self.tr("Passphrase"))

    def submit(self) -> None:
        text = self.secret.text()
        if not text or not self.button.isEnabled():
            return
        recovery = self.use_recovery.isChecked()
        self.button.setEnabled(False)
        self.error.setText(self.tr("Checking…"))
        database = self.database

        def check(_ctx) -> bytes:  # Argon2id takes a noticeable fraction of a second: not on the GUI thread
            if recovery:
                return workspace.unlock(database, recovery_key=text)
            return workspace.unlock(database, passphrase=text, use_keychain=False)

        run_job(check, parent=self, on_result=self._done, on_error=self._failed,
                on_finished=lambda: self.button.setEnabled(True))

    def _done(self, key: bytes) -> None:
        self.error.setText("")
        self.secret.clear()
        self.unlocked.emit(key)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(describe_error(exc))
        self.secret.selectAll()
        self.secret.setFocus()

    def reset(self) -> None:
        self.secret.clear()
        self.error.setText("")
        self.use_recovery.setChecked(False)
        self.secret.setFocus()
