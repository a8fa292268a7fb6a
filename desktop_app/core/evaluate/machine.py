"""The machine a report was measured on, and how busy other programs kept it meanwhile."""

from __future__ import annotations

import os
import platform
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from desktop_app import __version__
from desktop_app.core import system, texts

PROC_STATUS = Path("/proc/self/status")
PROC_CLEAR_REFS = Path("/proc/self/clear_refs")
BUSY_PERCENT = 15.0  # other programs above this share of the CPU make a run's figures suspect


@dataclass
class MachineFingerprint:
    cpu_model: str
    cpu_cores: int
    cpu_threads: int
    ram_total_bytes: int
    gpus: list[dict]
    os: str
    python: str
    llama_backend: str  # "GPU offload" or "CPU"
    llama_instruction_sets: list[str]
    onnx_providers: list[str]
    app_version: str
    hostname: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict) -> "MachineFingerprint":
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        return cls(**known)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) for the report's machine table."""
        gb = 1e9
        gpus = "; ".join(f"{g['name']} ({g['memory_total_bytes'] / gb:.1f} GB)" for g in self.gpus) or "none found"
        return [
            ("CPU", f"{self.cpu_model} ({self.cpu_cores} cores, {self.cpu_threads} threads)"),
            ("Memory", f"{self.ram_total_bytes / gb:.1f} GB"),
            ("GPU", gpus),
            ("OS", self.os),
            ("llama.cpp", f"{self.llama_backend}; {', '.join(self.llama_instruction_sets) or 'no SIMD extensions'}"),
            ("onnxruntime", ", ".join(self.onnx_providers) or "not installed"),
            ("Hearth", f"{self.app_version} (Python {self.python})"),
        ]


def fingerprint() -> MachineFingerprint:
    hw = system.detect_hardware()
    return MachineFingerprint(
        cpu_model=hw.cpu_model,
        cpu_cores=hw.cpu_physical_cores,
        cpu_threads=hw.cpu_count,
        ram_total_bytes=hw.ram_total_bytes,
        gpus=[asdict(g) for g in hw.gpus],
        os=hw.os,
        python=platform.python_version(),
        llama_backend="GPU offload" if hw.llama_gpu_offload else "CPU",
        llama_instruction_sets=hw.llama_instruction_sets,
        onnx_providers=hw.onnx_providers,
        app_version=__version__,
        hostname=platform.node(),
    )


@dataclass
class ResourceSample:
    peak_rss_bytes: int = 0
    peak_vram_bytes: int = 0  # this process's VRAM as NVML reports it (0: not reported)
    others_cpu_percent: float = 0.0  # mean share of all CPUs used by other processes
    samples: int = 0
    notes: list[str] = field(default_factory=list)


class ResourceSampler:
    """This process's peak memory and everyone else's CPU share over one model's measurements.

    Use as a context manager. On Linux the kernel keeps the peak (``VmHWM``, reset through
    ``/proc/self/clear_refs``) and the CPU share is two readings, so no thread wakes up while tokens
    are timed: on a 2-core machine a sampler thread waking 10 times a second preempts one of the two
    llama.cpp threads, and both wait at the next barrier. A sampling thread is used only where the
    peak cannot be reset (other systems) or VRAM has to be polled (NVML).
    """

    def __init__(self, interval_s: float = 0.1, status_path: Path = PROC_STATUS, clear_refs_path: Path = PROC_CLEAR_REFS):
        self.interval_s = interval_s
        self.result = ResourceSample()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._process = psutil.Process(os.getpid())
        self._nvml = _NvmlProcessMemory()
        self._status_path, self._clear_refs_path = status_path, clear_refs_path
        self.kernel_peak = False  # True: the peak is the kernel's high-water mark, not samples

    def __enter__(self) -> "ResourceSampler":
        self.kernel_peak = _reset_peak_rss(self._clear_refs_path, self._status_path)
        self._sample_memory()
        self._start = (time.perf_counter(), system.busy_cpu_seconds(), system.own_cpu_seconds(self._process))
        if not self.kernel_peak or self._nvml.available:
            self._thread = threading.Thread(target=self._loop, name="eval-sampler", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample_memory()
        self.result.others_cpu_percent = self._others_percent()
        self._nvml.close()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample_memory()

    def _sample_memory(self) -> None:
        r = self.result
        rss = int(self._process.memory_info().rss)
        if self.kernel_peak:
            rss = max(rss, _peak_rss_bytes(self._status_path) or 0)
        r.peak_rss_bytes = max(r.peak_rss_bytes, rss)
        r.peak_vram_bytes = max(r.peak_vram_bytes, self._nvml.used_by(self._process.pid))
        r.samples += 1

    def _others_percent(self) -> float:
        """Other processes' share of all CPUs between enter and exit: busy CPU time minus our own."""
        then, busy0, own0 = self._start
        now, busy, own = time.perf_counter(), system.busy_cpu_seconds(), system.own_cpu_seconds(self._process)
        wall = (now - then) * (psutil.cpu_count() or 1)
        if wall <= 0.05:
            return 0.0
        return max(0.0, min(100.0, 100 * ((busy - busy0) - (own - own0)) / wall))


def _reset_peak_rss(clear_refs: Path, status: Path) -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux 4.0+); False where that is not possible."""
    try:
        clear_refs.write_text("5")
    except OSError:
        return False
    return _peak_rss_bytes(status) is not None


def _peak_rss_bytes(status: Path) -> int | None:
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def load_note(others_cpu_percent: float) -> str:
    if others_cpu_percent < BUSY_PERCENT:
        return ""
    return texts.translate("EvaluateNotes", "Other programs used {percent:.0f}% of the CPU during this measurement; figures "
                           "are lower than on an idle machine.").fill(percent=others_cpu_percent)


class _NvmlProcessMemory:
    """VRAM held by one process, through NVML; 0 whenever NVML is absent or refuses."""

    def __init__(self):
        self._pynvml = None
        try:
            import pynvml

            pynvml.nvmlInit()
            self._pynvml = pynvml
        except Exception:  # noqa: BLE001 - no driver, no package: no VRAM figure
            self._pynvml = None

    @property
    def available(self) -> bool:
        return self._pynvml is not None

    def used_by(self, pid: int) -> int:
        nv = self._pynvml
        if nv is None:
            return 0
        total = 0
        try:
            for index in range(nv.nvmlDeviceGetCount()):
                handle = nv.nvmlDeviceGetHandleByIndex(index)
                for proc in nv.nvmlDeviceGetComputeRunningProcesses(handle):
                    if proc.pid == pid and proc.usedGpuMemory:
                        total += int(proc.usedGpuMemory)
        except Exception:  # noqa: BLE001
            return 0
        return total

    def close(self) -> None:
        if self._pynvml is not None:
            try:
                self._pynvml.nvmlShutdown()
            except Exception:  # noqa: BLE001
                pass
            self._pynvml = None
