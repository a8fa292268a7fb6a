"""What this computer has, what the backends can use, and which model sizes it runs comfortably."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.system import HardwareReport, detect_hardware
from desktop_app.core.units import format_size
from desktop_app.ui.widgets.banner import MessageBanner
from desktop_app.ui.workers import describe_error, run_job


class HardwareView(QWidget):
    report_ready = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report: HardwareReport | None = None
        self.banner = MessageBanner()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, title in (
            ("cpu", self.tr("Processor")),
            ("ram", self.tr("Memory")),
            ("gpus", self.tr("Graphics")),
            ("llama", self.tr("llama.cpp (chat)")),
            ("onnx", self.tr("onnxruntime (vision)")),
            ("os", self.tr("System")),
        ):
            label = QLabel("…")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            form.addRow(title + ":", label)
        self.recommendation = QLabel()
        self.recommendation.setWordWrap(True)
        self.recommendation.setStyleSheet("font-weight: 600;")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.recommendation)
        layout.addStretch(1)
        layout.addWidget(refresh, 0, Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> None:
        # nvidia-smi and the llama.cpp import can take a moment: never on the GUI thread
        run_job(lambda ctx: detect_hardware(), parent=self, on_result=self._show, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.banner.show_message(describe_error(exc))

    def _show(self, r: HardwareReport) -> None:
        self.report = r
        self.fields["cpu"].setText(
            self.tr("{model} — {cores} cores, {threads} threads").format(model=r.cpu_model, cores=r.cpu_physical_cores, threads=r.cpu_count)
        )
        self.fields["ram"].setText(self.tr("{free} free of {total}").format(free=format_size(r.ram_available_bytes), total=format_size(r.ram_total_bytes)))
        gpus = [
            self.tr("{name}: {free} free of {total} ({source})").format(
                name=g.name, free=format_size(g.memory_free_bytes), total=format_size(g.memory_total_bytes), source=g.source
            )
            for g in r.gpus
        ]
        self.fields["gpus"].setText("\n".join(gpus) or self.tr("No supported GPU found (NVIDIA or Apple silicon)."))
        offload = self.tr("GPU offload available") if r.llama_gpu_offload else self.tr("CPU only (no GPU offload in this build)")
        isa = ", ".join(r.llama_instruction_sets) or self.tr("no SIMD extensions")
        self.fields["llama"].setText(f"{offload} · {isa}")
        self.fields["onnx"].setText(", ".join(p.removesuffix("ExecutionProvider") for p in r.onnx_providers))
        self.fields["os"].setText(r.os)
        self.recommendation.setText("\n".join([r.recommendation, *r.notes]))
        self.report_ready.emit(r)
