"""This computer: CPU, memory, GPUs, what the inference backends can use, and which model
sizes it can run (``recommend``). The GGUF memory estimate built on it lives in llm/memory.py."""

from __future__ import annotations

import functools
import logging
import os
import platform
import re
import shutil
import subprocess
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

GiB = 1 << 30
MiB = 1 << 20
MARGIN_BYTES = 1 * GiB  # kept free per device, as llama.cpp's --fit does
INSTRUCTION_SETS = ("AVX", "AVX2", "AVX512", "AVX_VNNI", "FMA", "F16C", "NEON", "ARM_FMA", "SVE", "AMX_INT8")


@dataclass
class GPUInfo:
    name: str
    vendor: str  # "nvidia" or "apple"
    memory_total_bytes: int
    memory_free_bytes: int
    source: str  # "nvml", "nvidia-smi" or "metal"
    driver: str | None = None


@dataclass
class HardwareReport:
    cpu_model: str
    cpu_count: int  # logical
    cpu_physical_cores: int
    ram_total_bytes: int
    ram_available_bytes: int
    gpus: list[GPUInfo]
    llama_gpu_offload: bool
    llama_instruction_sets: list[str]
    llama_system_info: str
    onnx_providers: list[str]
    os: str
    recommendation: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


# CPU and memory


def cpu_model() -> str:
    system = platform.system()
    try:
        if system == "Linux":
            for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
                if line.lower().startswith(("model name", "hardware", "processor\t: arm")):
                    return line.split(":", 1)[1].strip()
        elif system == "Darwin":
            out = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, timeout=5)
            if out.stdout.strip():
                return out.stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("CPU model unavailable: %s", exc)
    return platform.processor() or platform.machine() or "unknown CPU"


def available_ram() -> int:
    return int(psutil.virtual_memory().available)


# GPUs


def nvidia_gpus() -> list[GPUInfo]:
    gpus = _nvml_gpus()
    return gpus if gpus is not None else _nvidia_smi_gpus()


def _nvml_gpus() -> list[GPUInfo] | None:
    """None when NVML cannot be used (package or driver missing): the caller tries nvidia-smi."""
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError:
        return None
    try:
        driver = pynvml.nvmlSystemGetDriverVersion()
        gpus = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            name = pynvml.nvmlDeviceGetName(handle)
            gpus.append(GPUInfo(_text(name), "nvidia", int(memory.total), int(memory.free), "nvml", _text(driver)))
        return gpus
    except pynvml.NVMLError as exc:
        log.info("NVML query failed: %s", exc)
        return None
    finally:
        pynvml.nvmlShutdown()


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _nvidia_smi_gpus() -> list[GPUInfo]:
    exe = shutil.which("nvidia-smi")
    if not exe:
        return []
    query = "--query-gpu=name,memory.total,memory.free,driver_version"
    try:
        out = subprocess.run([exe, query, "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("nvidia-smi failed: %s", exc)
        return []
    return parse_nvidia_smi(out.stdout) if out.returncode == 0 else []


def parse_nvidia_smi(text: str) -> list[GPUInfo]:
    """Lines of 'name, total MiB, free MiB, driver'."""
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 3:
            continue
        try:
            total, free = int(float(parts[1]) * MiB), int(float(parts[2]) * MiB)
        except ValueError:
            continue
        gpus.append(GPUInfo(parts[0], "nvidia", total, free, "nvidia-smi", parts[3] if len(parts) > 3 else None))
    return gpus


def apple_gpus() -> list[GPUInfo]:
    """Apple silicon: Metal shares system memory with the CPU (unified memory)."""
    if platform.system() != "Darwin" or platform.machine() != "arm64":
        return []
    vm = psutil.virtual_memory()
    return [GPUInfo(f"Apple {cpu_model()} GPU", "apple", int(vm.total), int(vm.available), "metal")]


# backends


_llama_lock = threading.Lock()
LLAMA_MISSING = "llama-cpp-python is not installed"


@functools.cache
def _llama_capabilities_once() -> tuple[bool, tuple[str, ...], str]:
    try:
        import llama_cpp
    except ImportError:
        return False, (), LLAMA_MISSING
    info = llama_cpp.llama_print_system_info()
    info = info.decode("utf-8", "replace") if isinstance(info, bytes) else str(info)
    enabled = set(re.findall(r"([A-Z0-9_]+) = 1", info))
    return bool(llama_cpp.llama_supports_gpu_offload()), tuple(s for s in INSTRUCTION_SETS if s in enabled), info.strip()


def llama_capabilities() -> tuple[bool, list[str], str]:
    """(GPU offload supported, instruction sets the build uses, llama.cpp's system info line).

    Asked once per process under a lock: llama_print_system_info() fills a static buffer,
    and two threads calling it at once (hardware view and a memory estimate) can crash.
    """
    with _llama_lock:
        offload, isa, info = _llama_capabilities_once()
    return offload, list(isa), info


def onnx_providers() -> list[str]:
    from desktop_app.core.privacy import load_onnxruntime

    try:
        onnxruntime = load_onnxruntime()
    except ImportError:
        return []
    return list(onnxruntime.get_available_providers())


def detect_hardware() -> HardwareReport:
    vm = psutil.virtual_memory()
    offload, isa, system_info = llama_capabilities()
    gpus = nvidia_gpus() + apple_gpus()
    report = HardwareReport(
        cpu_model=cpu_model(),
        cpu_count=psutil.cpu_count(logical=True) or os.cpu_count() or 1,
        cpu_physical_cores=psutil.cpu_count(logical=False) or psutil.cpu_count() or 1,
        ram_total_bytes=int(vm.total),
        ram_available_bytes=int(vm.available),
        gpus=gpus,
        llama_gpu_offload=offload,
        llama_instruction_sets=isa,
        llama_system_info=system_info,
        onnx_providers=onnx_providers(),
        os=f"{platform.system()} {platform.release()} ({platform.machine()})",
    )
    report.recommendation, report.notes = recommend(report)
    return report


# what fits

# Bytes per parameter of common quantizations (llama.cpp block sizes: Q4_K_M averages ~4.85 bits).
Q4_BYTES_PER_PARAM = 0.61
Q8_BYTES_PER_PARAM = 1.07
SIZES_B = (0.5, 1, 1.5, 3, 4, 7, 8, 13, 14, 24, 32, 70)


def largest_fitting(budget_bytes: int, bytes_per_param: float, ctx_overhead: int = 1 * GiB) -> float | None:
    """The largest common model size (billions of parameters) whose weights plus ~1 GiB fit ``budget_bytes``."""
    fitting = [s for s in SIZES_B if s * 1e9 * bytes_per_param + ctx_overhead <= budget_bytes]
    return fitting[-1] if fitting else None


def cpu_speed_cap(physical_cores: int) -> float:
    """Largest size (B params, 4-bit) that still replies at reading speed on the CPU alone.

    CPU generation is memory-bandwidth bound and few-core machines rarely have much;
    these caps are deliberately conservative rules of thumb, not measurements.
    """
    return 3 if physical_cores <= 4 else 8 if physical_cores <= 8 else 14


def recommend(report: HardwareReport) -> tuple[str, list[str]]:
    notes: list[str] = []
    # comfortable = leave room for the OS and other programs: a quarter of RAM or 2 GiB, whichever is more
    ram_budget = report.ram_available_bytes - max(2 * GiB, report.ram_total_bytes // 4)
    gpu_budget = 0
    if report.llama_gpu_offload and report.gpus:
        gpu_budget = max(g.memory_free_bytes for g in report.gpus) - MARGIN_BYTES
    on_gpu = gpu_budget > ram_budget
    budget = max(ram_budget, gpu_budget)
    q4, q8 = largest_fitting(budget, Q4_BYTES_PER_PARAM), largest_fitting(budget, Q8_BYTES_PER_PARAM)
    if q4 is None:
        return translate("HardwareAdvice", "Memory is tight: only very small models (such as the bundled "
                                           "SmolLM2-135M) will run comfortably."), notes
    if on_gpu:
        text = translate("HardwareAdvice", "Fits in GPU memory: models up to about {q4:g}B parameters at 4-bit "
                                           "(Q4_K_M)").fill(q4=q4)
    else:
        text = translate("HardwareAdvice", "Fits in memory: models up to about {q4:g}B parameters at 4-bit "
                                           "(Q4_K_M)").fill(q4=q4)
    if q8:
        text = translate("HardwareAdvice", "{fits} or {q8:g}B at 8-bit (Q8_0).").fill(fits=text, q8=q8)
    else:
        text = translate("HardwareAdvice", "{fits}.").fill(fits=text)
    if not on_gpu:
        cap = cpu_speed_cap(report.cpu_physical_cores)
        if cap < q4:
            text = translate("HardwareAdvice", "{fits} Without GPU offload, {cores} CPU cores reply comfortably with "
                                               "models up to about {cap:g}B; larger ones work but are slow.").fill(
                fits=text, cores=report.cpu_physical_cores, cap=cap)
        if report.gpus and not report.llama_gpu_offload and report.llama_system_info != LLAMA_MISSING:
            notes.append(translate(
                "HardwareAdvice", "A GPU is present but this llama.cpp build cannot offload to it (CPU-only build); "
                "run 'make setup GPU=cuda' (or metal) to use it."))
    return text, notes


def busy_cpu_seconds() -> float:
    """CPU seconds all processes have spent busy since boot, summed over every CPU (time stolen by a
    hypervisor counts as busy: those cycles were not ours either)."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def own_cpu_seconds(process: psutil.Process | None = None) -> float:
    """CPU seconds this process (every thread of it) has used."""
    t = (process or psutil.Process()).cpu_times()
    return t.user + t.system


class OtherProgramsLoad:
    """How much CPU other programs use, in cores, between two readings: busy CPU time minus this process's
    own, over the wall time. Readings are two counters each, no sampling thread, so it is cheap enough to
    take before every llama.cpp call and never wakes a core while tokens are timed."""

    def __init__(self, clock=None, busy=busy_cpu_seconds, own=own_cpu_seconds):
        import time

        self._clock = clock or time.monotonic
        self._busy, self._own = busy, own
        self._last = self._reading()

    def _reading(self) -> tuple[float, float, float]:
        return self._clock(), self._busy(), self._own()

    def restart(self) -> None:
        """Measure from now on (the next ``cores()`` covers only what follows)."""
        self._last = self._reading()

    def cores(self, min_interval_s: float = 0.05) -> float | None:
        """Other programs' CPU use since the last call (or since this object was made), in cores; None when
        less than ``min_interval_s`` has passed (too short to tell, and the previous reading stays the start)."""
        now = self._reading()
        then = self._last
        wall = now[0] - then[0]
        if wall < min_interval_s:
            return None
        self._last = now
        return max(0.0, ((now[1] - then[1]) - (now[2] - then[2])) / wall)
