"""A pane that is not built yet says so plainly."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

COMING = {  # translated when shown, in the "Placeholder" context
    "summarize": QT_TRANSLATE_NOOP("Placeholder", "Summarize long documents (TXT, Markdown, PDF, DOCX, HTML)."),
    "classify": QT_TRANSLATE_NOOP("Placeholder", "Classify images with ONNX vision models."),
    "detect": QT_TRANSLATE_NOOP("Placeholder", "Detect objects in images with ONNX vision models."),
    "models": QT_TRANSLATE_NOOP("Placeholder", "The model library and a hardware view."),
}


class PlaceholderPane(QWidget):
    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        label = QLabel(QCoreApplication.translate("Placeholder", COMING.get(key, "")) + "\n\n" + self.tr("This pane is coming in a later version."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
