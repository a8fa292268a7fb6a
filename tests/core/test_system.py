"""The hardware report and the model-size recommendation."""

from __future__ import annotations

import json

import llama_cpp
import onnxruntime
import psutil

from desktop_app.core import system


def test_report_agrees_with_the_libraries_it_asks():
    report = json.loads(json.dumps(system.detect_hardware().to_json()))
    assert report["ram_total_bytes"] == psutil.virtual_memory().total
    assert report["ram_total_bytes"] >= report["ram_available_bytes"] > 0
    assert report["cpu_count"] == psutil.cpu_count(logical=True)
    assert report["cpu_count"] >= report["cpu_physical_cores"] >= 1
    assert report["onnx_providers"] == onnxruntime.get_available_providers()
    assert report["llama_gpu_offload"] is bool(llama_cpp.llama_supports_gpu_offload())
    assert report["llama_system_info"] == llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").strip()
    assert report["gpus"] == [] or report["gpus"][0]["memory_total_bytes"] > 0


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
    # 64 GiB less a quarter kept for the system leaves 48 GiB: 70B at Q4 (0.61 bytes a parameter, 42.7 GB) + 1 GiB fits
    assert "up to about 70B" in large
