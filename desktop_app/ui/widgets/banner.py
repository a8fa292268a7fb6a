"""An inline message strip for a pane: errors are shown where the user looks."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.level: BannerLevel | None = None
        self.hide()

    def show_message(self, text: str, level: BannerLevel = BannerLevel.ERROR) -> None:
        self.level = level
        self.setStyleSheet(f"#MessageBanner {{ {STYLES[level]} border-radius: 4px; }}")
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
