"""The lock screen: it covers the whole window, so no conversation, result or document shows, and asks the passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.ui.workspace.passphrase_form import PassphraseForm

IDLE_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, database: Path, parent=None):
        super().__init__(parent)
        self.setObjectName("LockScreen")
        title = QLabel(self.tr("Hearth is locked"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        note = QLabel(self.tr("Enter your passphrase to see your conversations, summaries and results again."))
        note.setWordWrap(True)
        self.form = PassphraseForm(database, self)
        self.form.unlocked.connect(lambda _key: self.unlocked.emit())
        column = QVBoxLayout()
        column.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(note)
        column.addWidget(self.form)
        box = QWidget()
        box.setMaximumWidth(420)
        box.setLayout(column)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class IdleTimer(QObject):
    """Emits ``idle`` after ``minutes`` without a key press or mouse use anywhere in the app."""

    idle = Signal()

    def __init__(self, app: QObject, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self._app = app
        app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        if minutes > 0:
            self.timer.setInterval(int(minutes * 60_000))
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in IDLE_EVENTS and self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()  # restarts the countdown
        return False

    def stop(self) -> None:
        self.timer.stop()
        self._app.removeEventFilter(self)
