"""Questions asked before an import: name and copy-or-in-place; and, for a vision model
without a sidecar, the few facts that cannot be read from the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vision.spec import DECODERS, RESIZE_MODES


@dataclass
class ImportOptions:
    path: Path
    name: str
    copy: bool
    sidecar: dict | None = None


class ImportDialog(QDialog):
    def __init__(self, path: Path, suggested_name: str, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(self.tr("Import model"))
        self.name = QLineEdit(suggested_name)
        self.copy = QRadioButton(self.tr("Copy into the library (the original can be moved or deleted)"))
        self.in_place = QRadioButton(self.tr("Use the file where it is (saves disk space)"))
        self.copy.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("File:"), QLabel(self.path.name))
        form.addRow(self.tr("Name:"), self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.copy)
        layout.addWidget(self.in_place)
        layout.addWidget(buttons)

    def options(self) -> ImportOptions:
        return ImportOptions(self.path, self.name.text().strip(), self.copy.isChecked())


class SidecarForm(QDialog):
    """What a vision model needs that its file does not say: task, input size, normalisation, decoder, labels."""

    def __init__(self, path: Path, message: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Describe {name}").format(name=Path(path).name))
        intro = QLabel(message)
        intro.setWordWrap(True)
        self.task = QComboBox()
        self.task.addItems(["classify", "detect"])
        self.layout_box = QComboBox()
        self.layout_box.addItems(["NCHW", "NHWC"])
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box in (self.width_box, self.height_box):
            box.setRange(8, 4096)
            box.setValue(224)
        self.color = QComboBox()
        self.color.addItems(["RGB", "BGR"])
        self.normalisation = QComboBox()
        self.normalisation.addItem(self.tr("0–1 (pixels / 255)"), {"scale": 1 / 255, "mean": [0, 0, 0], "std": [1, 1, 1]})
        self.normalisation.addItem(
            self.tr("ImageNet mean/std"), {"scale": 1 / 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
        )
        self.normalisation.addItem(self.tr("-1–1"), {"scale": 1 / 255, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]})
        self.normalisation.addItem(self.tr("0–255 (raw pixels)"), {"scale": 1.0, "mean": [0, 0, 0], "std": [1, 1, 1]})
        self.resize_box = QComboBox()
        self.resize_box.addItems(list(RESIZE_MODES))
        self.decoder = QComboBox()
        self.task.currentTextChanged.connect(self._decoders_for)
        self._decoders_for("classify")
        self.labels = QLineEdit()
        self.labels.setPlaceholderText(self.tr("a text file, one label per line (optional)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_labels)
        labels_row = QWidget()
        row = QHBoxLayout(labels_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.labels, 1)
        row.addWidget(browse)
        size_row = QWidget()
        size = QHBoxLayout(size_row)
        size.setContentsMargins(0, 0, 0, 0)
        size.addWidget(self.width_box)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_box)
        form = QFormLayout()
        form.addRow(self.tr("Task:"), self.task)
        form.addRow(self.tr("Input layout:"), self.layout_box)
        form.addRow(self.tr("Input size (w × h):"), size_row)
        form.addRow(self.tr("Colour order:"), self.color)
        form.addRow(self.tr("Normalisation:"), self.normalisation)
        form.addRow(self.tr("Resize:"), self.resize_box)
        form.addRow(self.tr("Output decoder:"), self.decoder)
        form.addRow(self.tr("Labels:"), labels_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _decoders_for(self, task: str) -> None:
        self.decoder.clear()
        self.decoder.addItems(list(DECODERS[task]))

    def _browse_labels(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Labels file"), "", self.tr("Text files (*.txt);;All files (*)"))
        if path:
            self.labels.setText(path)

    def sidecar(self) -> dict:
        sidecar = {
            "task": self.task.currentText(),
            "input": {
                "layout": self.layout_box.currentText(),
                "width": self.width_box.value(),
                "height": self.height_box.value(),
                "color": self.color.currentText(),
                "resize": self.resize_box.currentText(),
                **self.normalisation.currentData(),
            },
            "output": {"decoder": self.decoder.currentText()},
        }
        if self.labels.text().strip():
            sidecar["labels_file"] = self.labels.text().strip()
        return sidecar
