"""Asking before a reading job estimated past core's LONG_JOB_SECONDS starts (a 60 MB text: 17 hours)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from desktop_app.core import texts
from desktop_app.core.documents.estimate import JobEstimate, LongJobDeclined
from desktop_app.ui.texts import translated


def confirm_long_job(parent, estimate: JobEstimate) -> bool:
    """A yes/no question with the estimate; No is the default."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("DocumentsPane", "A long job"),
        QCoreApplication.translate("DocumentsPane", "{document}: {estimate}.\n\nStart it anyway?").format(
            document=estimate.document, estimate=translated(estimate.sentence())),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class LongJobQuestion:
    """Posted by a worker as progress; the pane answers it on the GUI thread."""

    def __init__(self, estimate: JobEstimate):
        self.estimate = estimate
        self.answered = threading.Event()
        self.start = False

    def answer(self, parent) -> None:
        self.start = confirm_long_job(parent, self.estimate)
        self.answered.set()


def confirm_from_worker(ctx):
    """A ``confirm`` for core's batches that asks on the GUI thread and waits (a cancel ends the wait: no)."""

    def confirm(estimate: JobEstimate) -> None:
        question = LongJobQuestion(estimate)
        ctx.progress(question)
        while not question.answered.wait(0.2) and not ctx.cancel.is_set():
            pass
        if not question.start:
            raise LongJobDeclined(estimate, texts.translate("DocumentEstimate", "you chose not to start it."))

    return confirm
