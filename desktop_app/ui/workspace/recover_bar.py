"""A damaged database: say so above every pane and offer to copy what is readable into a new one."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from desktop_app.core.storage.salvage import SalvageReport, salvage, salvage_path
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import describe_error, run_job


def recover_and_swap_in(damaged: Path, key: bytes | None) -> SalvageReport:
    """Copy what is readable into a new file, move the damaged file aside (kept, never overwritten), put the copy in
    its place for the next start."""
    report = salvage(damaged, salvage_path(damaged), key)
    kept = damaged.with_name(f"{damaged.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}{damaged.suffix}")
    os.rename(damaged, kept)  # a rename: the damaged bytes stay as they are
    for side in ("-wal", "-shm"):
        side_file = Path(str(damaged) + side)
        if side_file.exists():
            os.rename(side_file, Path(str(kept) + side))
    os.rename(report.target, damaged)
    report.kept = kept
    return report


class RecoverBar(MessageBanner):
    recovered = Signal(object)  # the SalvageReport, or the exception

    def __init__(self, damaged: Path, key: bytes | None, parent=None):
        super().__init__(parent)
        self.damaged, self.key = damaged, key
        self.button = QPushButton(self.tr("Recover what is readable…"))
        self.button.clicked.connect(self.recover)
        self.layout().insertWidget(1, self.button)
        self.show_message(
            self.tr(
                "The conversation database is damaged. Hearth opened an empty temporary workspace instead: nothing "
                "in this session is saved. The damaged file is kept as it is."
            ),
            "error",
        )

    def recover(self) -> None:
        self.button.setEnabled(False)
        damaged, key = self.damaged, self.key
        run_job(lambda _ctx: recover_and_swap_in(damaged, key), parent=self, on_result=self._done, on_error=self._failed)

    def _done(self, report: SalvageReport) -> None:
        self.show_message(
            self.tr(
                "Recovered {conversations} conversations, {messages} messages and {summaries} summaries into a new "
                "database. The damaged file is kept as {kept}. Restart Hearth to use the recovered conversations."
            ).format(
                conversations=report.rows.get("conversations", 0),
                messages=report.rows.get("messages", 0),
                summaries=report.rows.get("summaries", 0),
                kept=report.kept.name,
            ),
            "info",
        )
        self.button.hide()
        self.recovered.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.show_message(describe_error(exc), BannerLevel.ERROR)
        self.recovered.emit(exc)
