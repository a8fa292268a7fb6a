"""Set up encryption: choose a passphrase, then see the recovery key once."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

MIN_PASSPHRASE = 8


class PassphraseDialog(QDialog):
    """A new passphrase, typed twice; whether the OS keychain may remember the key."""

    def __init__(self, title: str, keychain_available: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        intro = QLabel(
            self.tr(
                "Your conversations, summaries and results will be stored encrypted. Without the passphrase or the "
                "recovery key shown next, nobody can read them, and neither can you."
            )
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.confirm = QLineEdit()
        for field in (self.passphrase, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember the key in this computer's keychain"))
        self.remember.setChecked(keychain_available)
        self.remember.setEnabled(keychain_available)
        if not keychain_available:
            self.remember.setToolTip(self.tr("No keychain on this system: Hearth asks the passphrase at every start."))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow(self.tr("Again"), self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            self.error.setText(self.tr("Use at least {n} characters.").format(n=MIN_PASSPHRASE))
        elif self.passphrase.text() != self.confirm.text():
            self.error.setText(self.tr("The two passphrases differ."))
        else:
            self.accept()


class RecoveryKeyDialog(QDialog):
    """Shown once: the key is not stored anywhere Hearth can show it again."""

    def __init__(self, recovery_key: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Your recovery key"))
        note = QLabel(
            self.tr(
                "Print this key or write it down and keep it away from this computer. It opens your conversations if "
                "you forget the passphrase or the keychain loses it. Hearth shows it only now."
            )
        )
        note.setWordWrap(True)
        self.key_label = QLabel(recovery_key)
        self.key_label.setStyleSheet("font-family: monospace; font-size: 14pt; padding: 8px;")
        self.key_label.setTextInteractionFlags(self.key_label.textInteractionFlags().TextSelectableByMouse)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(recovery_key))
        done = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        done.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.key_label)
        layout.addWidget(copy)
        layout.addWidget(done)
