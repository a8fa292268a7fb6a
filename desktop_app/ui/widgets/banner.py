"""An inline message strip for a pane: errors are shown where the user looks."""

from __future__ import annotations

from enum import StrEnum
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton


class BannerLevel(StrEnum):
    ERROR = "error"  # the action failed
    WARNING = "warning"  # it worked, but something the user should know did not
    INFO = "info"  # a hint or an outcome


STYLES = {
    BannerLevel.ERROR: "background: rgba(220, 53, 69, 0.18); border: 1px solid rgba(220, 53, 69, 0.6);",
    BannerLevel.WARNING: "background: rgba(255, 193, 7, 0.18); border: 1px solid rgba(255, 193, 7, 0.7);",
    BannerLevel.INFO: "background: rgba(13, 110, 253, 0.12); border: 1px solid rgba(13, 110, 253, 0.5);",
}


class MessageBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MessageBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        self.action = QPushButton()  # an offer the message makes ("Stop it"), shown only with such a message
        self.action.hide()
        self.action.clicked.connect(self._act)
        self._on_action: Callable[[], None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.level: BannerLevel | None = None
        self.hide()

    def show_message(self, text: str, level: BannerLevel = BannerLevel.ERROR,
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """``action``: a button's label and what it does (the banner hides when it is pressed)."""
        self.level = level
        self.setStyleSheet(f"#MessageBanner {{ {STYLES[level]} border-radius: 4px; }}")
        self.label.setText(text)
        self._on_action = action[1] if action else None
        self.action.setText(action[0] if action else "")
        self.action.setVisible(action is not None)
        self.show()

    def _act(self) -> None:
        act, self._on_action = self._on_action, None
        self.hide()
        if act is not None:
            act()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
