"""The conversation view: one MessageView per message, rendered as Markdown."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chat import markdown
from desktop_app.core.chat.markdown import settled_cut
from desktop_app.core.storage.store import Message, MessageStatus

STATUS_NOTES = {  # translated when shown, in MessageView's context
    MessageStatus.CANCELLED: QT_TRANSLATE_NOOP("MessageView", "Stopped"),
    MessageStatus.INTERRUPTED: QT_TRANSLATE_NOOP("MessageView", "Interrupted (the app closed while this reply was being written)"),
    MessageStatus.ERROR: QT_TRANSLATE_NOOP("MessageView", "Failed"),
    "unsaved": QT_TRANSLATE_NOOP("MessageView", "Not saved (the disk is full)"),
}


class MarkdownView(QTextBrowser):
    """A read-only rich-text block that grows to fit its content (no inner scroll bar)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.markdown = ""

    def set_markdown(self, text: str) -> None:
        self.markdown = text
        self.setHtml(markdown.to_html(text))

    def _fit(self, *_args) -> None:
        height = int(self.document().size().height()) + 6
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.document().setTextWidth(self.viewport().width())
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(400, int(self.document().size().height()) + 6)


class MarkdownStack(QWidget):
    """A message as a column of MarkdownViews: settled blocks render once, only the tail
    re-renders, so each streaming update costs the same however long the reply gets."""

    BLOCK_CHARS = 1200

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.blocks: list[MarkdownView] = []
        self.tail = MarkdownView()
        self.column.addWidget(self.tail)
        self.markdown = ""
        self._frozen = 0  # characters rendered into self.blocks

    def set_markdown(self, text: str) -> None:
        if not text.startswith(self.markdown[: self._frozen]):
            self._reset()
        self.markdown = text
        while (cut := settled_cut(text[self._frozen :], self.BLOCK_CHARS)) is not None:
            block = MarkdownView()
            block.set_markdown(text[self._frozen : self._frozen + cut])
            self.column.insertWidget(len(self.blocks), block)
            self.blocks.append(block)
            self._frozen += cut
        self.tail.set_markdown(text[self._frozen :])

    def _reset(self) -> None:
        for block in self.blocks:
            self.column.removeWidget(block)
            block.hide()
            block.deleteLater()
        self.blocks.clear()
        self._frozen = 0

    def toPlainText(self) -> str:
        return "\n".join(view.toPlainText() for view in [*self.blocks, self.tail])


class MessageView(QFrame):
    copy_requested = Signal(str)
    edit_requested = Signal(int)
    regenerate_requested = Signal()

    def __init__(self, message: Message, parent=None):
        super().__init__(parent)
        self.message = message
        self.setObjectName("MessageView")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        role = self.tr("You") if message.role == "user" else self.tr("Assistant")
        self.role_label = QLabel(f"<b>{role}</b>")
        self.note = QLabel()
        self.note.setStyleSheet("color: gray;")
        self.body = MarkdownStack()
        self.copy_button = self._tool(self.tr("Copy"), self.tr("Copy this message"))
        self.copy_button.clicked.connect(lambda: self.copy_requested.emit(self.body.markdown))
        self.edit_button = self._tool(self.tr("Edit"), self.tr("Edit this message and send it again"))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.message.id))
        self.edit_button.setVisible(message.role == "user")
        self.regenerate_button = self._tool(self.tr("Regenerate"), self.tr("Write this reply again"))
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.regenerate_button.setVisible(False)
        header = QHBoxLayout()
        header.addWidget(self.role_label)
        header.addWidget(self.note, 1)
        for button in (self.copy_button, self.edit_button, self.regenerate_button):
            header.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(header)
        layout.addWidget(self.body)
        self.body.set_markdown(message.content)
        self.set_status(message.status)

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def set_status(self, status: MessageStatus) -> None:
        self.message.status = status
        note = STATUS_NOTES.get(status, "")
        self.note.setText(self.tr(note) if note else "")

    def append(self, text: str) -> None:
        self.body.set_markdown(self.body.markdown + text)

    def set_text(self, text: str) -> None:
        self.body.set_markdown(text)


class Transcript(QScrollArea):
    copy_requested = Signal(str)
    edit_requested = Signal(int)
    regenerate_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        container = QWidget()
        self.column = QVBoxLayout(container)
        self.column.setContentsMargins(8, 8, 8, 8)
        self.column.addStretch(1)
        self.setWidget(container)
        self.views: list[MessageView] = []
        self._follow = True
        self.verticalScrollBar().rangeChanged.connect(self._keep_at_bottom)
        self.verticalScrollBar().valueChanged.connect(self._track_follow)

    def clear(self) -> None:
        while self.views:
            self.remove_last()

    def remove_last(self) -> None:
        # the view stays parented until Qt deletes it: no double delete from Python
        view = self.views.pop()
        self.column.removeWidget(view)
        view.hide()
        view.deleteLater()

    def set_messages(self, messages: list[Message]) -> None:
        self.clear()
        for message in messages:
            self.add(message)
        self._follow = True
        self.update_actions()

    def add(self, message: Message) -> MessageView:
        view = MessageView(message)
        view.copy_requested.connect(self.copy_requested)
        view.edit_requested.connect(self.edit_requested)
        view.regenerate_requested.connect(self.regenerate_requested)
        self.column.insertWidget(self.column.count() - 1, view)
        self.views.append(view)
        self._follow = True
        return view

    def last(self) -> MessageView | None:
        return self.views[-1] if self.views else None

    def update_actions(self, busy: bool = False) -> None:
        last_assistant = next((v for v in reversed(self.views) if v.message.role == "assistant"), None)
        for view in self.views:
            view.regenerate_button.setVisible(view is last_assistant and view is self.last() and not busy)
            view.edit_button.setEnabled(not busy)

    def _track_follow(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 24

    def _keep_at_bottom(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            QTimer.singleShot(0, lambda: self.verticalScrollBar().setValue(self.verticalScrollBar().maximum()))


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
