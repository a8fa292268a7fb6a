"""Per-conversation settings: model, system prompt and sampling."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.sampling import SamplingParams
from desktop_app.core.library.registry import ModelEntry


class ChatSettingsPanel(QWidget):
    changed = Signal()
    load_settings_changed = Signal()  # context length, GPU layers or threads: the model must reload

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = QComboBox()
        self.model.setToolTip(self.tr("The model that answers in this conversation"))
        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText(self.tr("Optional: how the assistant should behave"))
        self.system_prompt.setMaximumHeight(110)
        self.temperature = self._double(0.0, 2.0, 0.05, self.tr("0 = always the most likely word (deterministic)"))
        self.top_p = self._double(0.0, 1.0, 0.01, self.tr("Sample only from the most likely words that add up to this share"))
        self.top_k = self._int(0, 1000, self.tr("Sample only from this many most likely words (0 = all)"))
        self.repeat_penalty = self._double(1.0, 2.0, 0.01, self.tr("Discourage repeating recent words (1 = off)"))
        self.max_tokens = self._int(1, 32768, self.tr("Longest reply, in tokens"))
        self.seed = self._int(-1, 2**31 - 1, self.tr("-1 = random each time; a fixed seed repeats replies"))
        self.context_length = self._int(256, 131072, self.tr("Tokens the model can see at once; capped by the model"))
        self.context_length.setSingleStep(1024)
        self.gpu_layers = QComboBox()
        self.gpu_layers.setEditable(True)
        self.gpu_layers.addItems(["auto", "0"])
        self.gpu_layers.setToolTip(self.tr("Layers to run on the GPU: auto = all when this build supports a GPU, 0 = CPU only"))
        self.threads = self._int(0, 256, self.tr("CPU threads (0 = one per physical core)"))
        apply_load = QPushButton(self.tr("Apply and reload model"))
        apply_load.clicked.connect(self.load_settings_changed)
        reset = QPushButton(self.tr("Reset to defaults"))
        reset.clicked.connect(lambda: self.set_sampling(SamplingParams()))
        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model)
        form.addRow("", self.model_note)
        form.addRow(self.tr("System prompt"), self.system_prompt)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Top-k"), self.top_k)
        form.addRow(self.tr("Repeat penalty"), self.repeat_penalty)
        form.addRow(self.tr("Max tokens"), self.max_tokens)
        form.addRow(self.tr("Seed"), self.seed)
        load_form = QFormLayout()
        load_form.addRow(self.tr("Context length"), self.context_length)
        load_form.addRow(self.tr("GPU layers"), self.gpu_layers)
        load_form.addRow(self.tr("CPU threads"), self.threads)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(reset)
        layout.addWidget(QLabel(self.tr("<b>Model loading</b> (all conversations)")))
        layout.addLayout(load_form)
        layout.addWidget(apply_load)
        layout.addStretch(1)
        for widget in (self.temperature, self.top_p, self.repeat_penalty):
            widget.valueChanged.connect(self.changed)
        for widget in (self.top_k, self.max_tokens, self.seed):
            widget.valueChanged.connect(self.changed)
        self.model.currentIndexChanged.connect(self.changed)

    def _double(self, low: float, high: float, step: float, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setSingleStep(step)
        box.setDecimals(2)
        box.setToolTip(tip)
        return box

    def _int(self, low: int, high: int, tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setToolTip(tip)
        return box

    def set_models(self, entries: list[ModelEntry], current: str) -> None:
        self.model.blockSignals(True)
        self.model.clear()
        for entry in entries:
            label = entry.name if entry.exists else self.tr("{name} (missing)").format(name=entry.name)
            self.model.addItem(label, entry.name)
        index = max(0, self.model.findData(current))
        self.model.setCurrentIndex(index)
        self.model.blockSignals(False)

    def set_load_settings(self, context_length: int, gpu_layers, threads: int) -> None:
        self.context_length.setValue(int(context_length))
        self.gpu_layers.setCurrentText(str(gpu_layers))
        self.threads.setValue(int(threads))

    def load_settings(self) -> tuple[int, str | int, int]:
        text = self.gpu_layers.currentText().strip().lower() or "auto"
        gpu_layers: str | int = int(text) if text.lstrip("-").isdigit() else "auto"
        return self.context_length.value(), gpu_layers, self.threads.value()

    def model_name(self) -> str:
        return self.model.currentData() or ""

    def sampling(self) -> SamplingParams:
        return SamplingParams(
            temperature=self.temperature.value(),
            top_p=self.top_p.value(),
            top_k=self.top_k.value(),
            repeat_penalty=self.repeat_penalty.value(),
            max_tokens=self.max_tokens.value(),
            seed=self.seed.value(),
        )

    def set_sampling(self, sampling: SamplingParams) -> None:
        self.temperature.setValue(sampling.temperature)
        self.top_p.setValue(sampling.top_p)
        self.top_k.setValue(sampling.top_k)
        self.repeat_penalty.setValue(sampling.repeat_penalty)
        self.max_tokens.setValue(sampling.max_tokens)
        self.seed.setValue(sampling.seed)
