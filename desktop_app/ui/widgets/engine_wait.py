"""A strip that says which task holds the shared model, and offers to stop that task.

Chat, Summarize, Ask, Extract and Evaluate run on one engine, one call at a time; a request
made while another task holds it waits in line. This notice makes the wait visible ("Evaluate
is measuring the models. Your reply starts when it finishes.") with a button that cancels the
holder's work through ``LlamaHost.cancel_holder``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from desktop_app.core.llm.host import EngineHolder, EngineTask, LlamaHost

# who holds the model, and its button
HOLDING = {
    EngineTask.CHAT: (QT_TRANSLATE_NOOP("EngineWaitNotice", "Chat is writing a reply with the model."),
                      QT_TRANSLATE_NOOP("EngineWaitNotice", "Stop reply")),
    EngineTask.SUMMARIZE: (QT_TRANSLATE_NOOP("EngineWaitNotice", "Summarize is using the model."),
                           QT_TRANSLATE_NOOP("EngineWaitNotice", "Cancel summary")),
    EngineTask.ASK: (QT_TRANSLATE_NOOP("EngineWaitNotice", "Ask is reading documents with the model."),
                     QT_TRANSLATE_NOOP("EngineWaitNotice", "Cancel question")),
    EngineTask.EXTRACT: (QT_TRANSLATE_NOOP("EngineWaitNotice", "Extract is reading documents with the model."),
                         QT_TRANSLATE_NOOP("EngineWaitNotice", "Cancel extraction")),
    EngineTask.EVALUATE: (QT_TRANSLATE_NOOP("EngineWaitNotice", "Evaluate is measuring the models."),
                          QT_TRANSLATE_NOOP("EngineWaitNotice", "Stop evaluation")),
}
# what waits for it
WAITING = {
    EngineTask.CHAT: QT_TRANSLATE_NOOP("EngineWaitNotice", "Your reply starts when it finishes."),
    EngineTask.SUMMARIZE: QT_TRANSLATE_NOOP("EngineWaitNotice", "The summary starts when it finishes."),
    EngineTask.ASK: QT_TRANSLATE_NOOP("EngineWaitNotice", "Your question is read when it finishes."),
    EngineTask.EXTRACT: QT_TRANSLATE_NOOP("EngineWaitNotice", "The extraction starts when it finishes."),
    EngineTask.EVALUATE: QT_TRANSLATE_NOOP("EngineWaitNotice", "The evaluation starts when it finishes."),
}


class EngineWaitNotice(QFrame):
    def __init__(self, host: LlamaHost, parent=None):
        super().__init__(parent)
        self.setObjectName("EngineWaitNotice")
        self.setStyleSheet(
            "#EngineWaitNotice { background: rgba(13, 110, 253, 0.12); border: 1px solid rgba(13, 110, 253, 0.5);"
            " border-radius: 4px; }"
        )
        self.host = host
        self.holder: EngineHolder | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.clicked.connect(self.cancel_holder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_if_waiting(self, mine: EngineTask) -> bool:
        """Show the notice when another task holds the engine; True when it does."""
        holder = self.host.holder
        if holder is None or holder.task is mine:
            self.clear()
            return False
        self.holder = holder
        holding, button = HOLDING[holder.task]
        self.label.setText(self.tr(holding) + " " + self.tr(WAITING[mine]))
        self.button.setText(self.tr(button))
        self.button.setEnabled(True)
        self.show()
        return True

    def cancel_holder(self) -> None:
        if self.holder is not None and self.host.cancel_holder(self.holder.task):
            self.label.setText(self.tr("Stopping the other task…"))
            self.button.setEnabled(False)

    def clear(self) -> None:
        self.holder = None
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()  # shown even while its pane is in the background
