"""At first start: offer to encrypt the workspace, once, without blocking anything."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from desktop_app.core.settings import Settings
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.widgets.banner import MessageBanner


class EncryptOfferBar(MessageBanner):
    accepted = Signal()

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.button = QPushButton(self.tr("Encrypt…"))
        self.button.clicked.connect(self._accept)
        self.layout().insertWidget(1, self.button)
        self.show_message(
            self.tr(
                "Encrypt my conversations, summaries and results? With a passphrase, a lost laptop or another "
                "account on this computer cannot read them. You can do it later in the Privacy menu."
            ),
            "info",
        )

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit()

    def hideEvent(self, event) -> None:
        # answered or dismissed: the offer is not repeated at the next start
        if not self.settings.encryption_offered:
            self.settings.encryption_offered = True
            # a read-only data dir: the offer simply comes back
            save_settings(self.settings, parent=self, on_failed=lambda exc: None)
        super().hideEvent(event)
