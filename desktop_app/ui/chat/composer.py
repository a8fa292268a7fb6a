"""Where the user types: Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class MessageEdit(QPlainTextEdit):
    submit = Signal()

    def keyPressEvent(self, event) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submit.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()
    cancel_edit_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = MessageEdit()
        self.edit.setObjectName("MessageInput")
        self.edit.setPlaceholderText(self.tr("Message the assistant (Enter to send, Shift+Enter for a new line)"))
        self.edit.setFixedHeight(72)
        self.edit.submit.connect(self._submit)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._submit)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.hide()
        self.edit_note = QLabel()
        self.edit_note.hide()
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit_note)
        layout.addLayout(row)
        self.editing_id: int | None = None

    def _submit(self) -> None:
        if self.send_button.isEnabled():
            self.send_requested.emit(self.edit.toPlainText())

    def text(self) -> str:
        return self.edit.toPlainText()

    def clear(self) -> None:
        self.edit.clear()
        self.end_edit()

    def begin_edit(self, message_id: int, text: str) -> None:
        self.editing_id = message_id
        self.edit.setPlainText(text)
        self.edit_note.setText(self.tr("Editing a sent message: Send replaces it and everything after it. Esc cancels."))
        self.edit_note.show()
        self.edit.setFocus()

    def end_edit(self) -> None:
        self.editing_id = None
        self.edit_note.hide()

    def set_busy(self, busy: bool) -> None:
        self.send_button.setVisible(not busy)
        self.stop_button.setVisible(busy)
