"""The hardware report and the model-size recommendation."""

from __future__ import annotations

import json

from desktop_app.core import system


def test_report_has_the_documented_fields():
    report = system.detect_hardware().to_json()
    for key in ("ram_total_bytes", "ram_available_bytes", "cpu_count", "gpus", "llama_gpu_offload", "onnx_providers"):
        assert key in report
    assert report["ram_total_bytes"] >= report["ram_available_bytes"] > 0
    assert report["cpu_count"] >= report["cpu_physical_cores"] >= 1
    assert "CPUExecutionProvider" in report["onnx_providers"]
    assert report["llama_system_info"] and report["recommendation"]
    json.dumps(report)


def test_nvidia_smi_output_is_parsed():
    gpus = system.parse_nvidia_smi("NVIDIA H100 80GB HBM3, 81559, 80000, 550.54.15\nbroken line\n")
    assert len(gpus) == 1
    assert gpus[0].name == "NVIDIA H100 80GB HBM3" and gpus[0].memory_total_bytes == 81559 * 2**20
    assert gpus[0].source == "nvidia-smi" and gpus[0].driver == "550.54.15"


def test_recommendation_scales_with_memory():
    base = system.detect_hardware()
    base.gpus, base.llama_gpu_offload, base.cpu_physical_cores = [], False, 16
    base.ram_total_bytes = base.ram_available_bytes = 4 * system.GiB
    small = system.recommend(base)[0]
    base.ram_total_bytes = base.ram_available_bytes = 64 * system.GiB
    large = system.recommend(base)[0]
    assert "up to about 1.5B parameters" in small
    assert "up to about 32B" in large or "up to about 70B" in large
