"""At start-up, an encrypted workspace whose key is not in the keychain asks its passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from desktop_app.core.storage import workspace
from desktop_app.core.errors import WorkspaceLocked
from desktop_app.ui.workers import run_job
from desktop_app.ui.workspace.passphrase_form import PassphraseForm


class UnlockDialog(QDialog):
    def __init__(self, database: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock Hearth"))
        self.key: bytes | None = None
        intro = QLabel(self.tr("Your conversations, summaries and results are encrypted. Enter the passphrase to open them."))
        intro.setWordWrap(True)
        self.form = PassphraseForm(database, self)
        self.form.unlocked.connect(self._unlocked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)

    def _unlocked(self, key: bytes) -> None:
        self.key = key
        self.accept()


class UnlockCancelled(Exception):
    pass


def unlock_at_start(database: Path) -> bytes | None:
    """None for a plain workspace; the keychain's key; else the passphrase dialog's. Cancel: UnlockCancelled.
    The keychain is asked in a job while the GUI thread runs its event loop (before the window exists)."""
    try:
        return _in_a_job(lambda: workspace.unlock(database))
    except WorkspaceLocked:
        dialog = UnlockDialog(database)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.key is None:
            raise UnlockCancelled() from None
        return dialog.key


def _in_a_job(work):
    """``work()`` on a worker; its value, or its exception raised here. Events keep flowing meanwhile."""
    loop, outcome = QEventLoop(), {}

    def delivered(kind: str, value) -> None:
        outcome[kind] = value
        loop.quit()

    run_job(lambda ctx: work(), on_result=lambda value: delivered("value", value),
            on_error=lambda exc: delivered("error", exc))
    loop.exec()  # outcomes are posted events: one that came before exec() is delivered inside it
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
