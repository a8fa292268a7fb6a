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
    assert [(g["name"], g["memory_total_bytes"]) for g in report["gpus"]] == nvidia_gpus_asked_here() + apple_gpus()


def nvidia_gpus_asked_here() -> list[tuple[str, int]]:
    """NVIDIA's GPUs as NVML (else nvidia-smi) lists them, asked without core.system: [] on a machine without one."""
    import shutil
    import subprocess

    import pynvml

    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError:
        exe = shutil.which("nvidia-smi")
        if exe is None:
            return []
        out = subprocess.run([exe, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        return [(name.strip(), int(mib) * 2**20) for name, mib in (line.split(",") for line in out.strip().splitlines())]
    try:
        handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
        names = [pynvml.nvmlDeviceGetName(h) for h in handles]
        return [(name.decode() if isinstance(name, bytes) else name, int(pynvml.nvmlDeviceGetMemoryInfo(h).total))
                for name, h in zip(names, handles)]
    finally:
        pynvml.nvmlShutdown()


def apple_gpus() -> list[tuple[str, int]]:
    return [(g.name, g.memory_total_bytes) for g in system.apple_gpus()]


def test_nvml_gpus_reach_the_report(monkeypatch):
    """A machine with two GPUs, as NVML answers (faked): both are in the report with their memory and driver."""
    from types import SimpleNamespace

    import pynvml

    cards = [(b"NVIDIA H100 80GB HBM3", 85_520_809_984), (b"NVIDIA L4", 24_152_899_584)]
    for name, value in {"nvmlInit": lambda: None, "nvmlShutdown": lambda: None,
                        "nvmlSystemGetDriverVersion": lambda: b"550.54.15", "nvmlDeviceGetCount": lambda: len(cards),
                        "nvmlDeviceGetHandleByIndex": lambda i: i, "nvmlDeviceGetName": lambda i: cards[i][0],
                        "nvmlDeviceGetMemoryInfo": lambda i: SimpleNamespace(total=cards[i][1], free=cards[i][1] // 2),
                        }.items():
        monkeypatch.setattr(pynvml, name, value)
    gpus = system.detect_hardware().gpus
    assert [(g.name, g.memory_total_bytes, g.memory_free_bytes, g.source, g.driver) for g in gpus][:2] == [
        ("NVIDIA H100 80GB HBM3", 85_520_809_984, 42_760_404_992, "nvml", "550.54.15"),
        ("NVIDIA L4", 24_152_899_584, 12_076_449_792, "nvml", "550.54.15"),
    ]


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
