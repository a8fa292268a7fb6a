"""Evaluation reports built by hand, for tests of the report writers and comparisons."""

from __future__ import annotations

from desktop_app.core.evaluate.machine import MachineFingerprint
from desktop_app.core.evaluate.metrics import spread
from desktop_app.core.evaluate.report import (
    EvaluationReport, LanguageModelResult, RowStatus, ShapeRun, ShapeStatus, VisionModelResult,
)


def machine(cpu="Test CPU 9000") -> MachineFingerprint:
    return MachineFingerprint(cpu, 4, 8, 16 * 10**9, [], "Linux", "3.11", "CPU", ["AVX2"], ["CPUExecutionProvider"], "0.1.0")


def sample_report(cpu="Test CPU 9000", gen=(20.0, 22.0, 21.0)) -> EvaluationReport:
    reps = [{"prompt_tps": 500.0 + i, "gen_tps": g, "ttft_ms": 300.0 - i, "total_s": 1.0, "generated": 16}
            for i, g in enumerate(gen)]
    shape = ShapeRun("1024/16", "title", 1024, 16, ShapeStatus.MEASURED, spread([r["prompt_tps"] for r in reps]),
                     spread([r["gen_tps"] for r in reps]), spread([r["ttft_ms"] for r in reps]), reps)
    unfit = ShapeRun("16/1536", "long answer", 16, 1536, ShapeStatus.DID_NOT_FIT)
    llm = LanguageModelResult("Chatty", "/m/chatty.gguf", sha256="ab" * 32, quantization="Q4_K_M", shapes=[shape, unfit],
                              score=123.4, verdicts=["Chat: fine."], peak_ram_bytes=10**9)
    skipped = LanguageModelResult("Huge", "/m/huge.gguf", status=RowStatus.SKIPPED, reason="Huge needs 90 GB.")
    vision = VisionModelResult("Seer", "/m/seer.onnx", "classify", provider="CPU", latency_ms=spread([5.0, 6.0]),
                               latencies_ms=[5.0, 6.0], single_ips=181.8, folder_ips=250.0, p95_ms=5.95)
    return EvaluationReport(machine(cpu), settings={"reps": 3}, language=[llm, skipped], vision=[vision])
