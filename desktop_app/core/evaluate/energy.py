"""Energy used while measuring: Linux RAPL counters for the CPU packages, NVML for NVIDIA GPUs,
else a wattage the user typed in times the time taken. Every reading says where it came from."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

POWERCAP = Path("/sys/class/powercap")


@dataclass
class EnergyReading:
    joules: float | None  # None: nothing measured and no wattage given
    seconds: float
    source: str  # "RAPL", "RAPL + NVML", "NVML", "typed-in 65 W" or "none"

    @property
    def watts(self) -> float | None:
        return self.joules / self.seconds if self.joules is not None and self.seconds > 0 else None

    def to_json(self) -> dict:
        return {**asdict(self), "watts": self.watts}


def rapl_domains(root: Path = POWERCAP) -> list[Path]:
    """Top-level RAPL package domains whose counter this user may read (often root only)."""
    domains = []
    for domain in sorted(root.glob("intel-rapl:*")):
        if domain.name.count(":") != 1:  # intel-rapl:0:0 (core, dram) are inside the package figure
            continue
        try:
            int((domain / "energy_uj").read_text())
        except (OSError, ValueError):
            continue
        domains.append(domain)
    return domains


def _read_uj(domain: Path) -> tuple[int, int]:
    value = int((domain / "energy_uj").read_text())
    try:
        wrap = int((domain / "max_energy_range_uj").read_text())
    except (OSError, ValueError):
        wrap = 0
    return value, wrap


class EnergyMeter:
    """Joules between ``start()`` and ``stop()``."""

    def __init__(self, fallback_watts: float | None = None, powercap_root: Path = POWERCAP):
        self.fallback_watts = fallback_watts
        self._domains = rapl_domains(powercap_root)
        self._nvml = _nvml_handles()
        self._start_uj: list[int] = []
        self._start_mj: list[int] = []
        self._t0 = 0.0
        self.started = False

    @property
    def measured(self) -> bool:
        return bool(self._domains or self._nvml)

    def start(self) -> None:
        self._start_uj = [_read_uj(d)[0] for d in self._domains]
        self._start_mj = [_nvml_energy_mj(h) for h in self._nvml]
        self._t0 = time.perf_counter()
        self.started = True

    def stop(self) -> EnergyReading:
        seconds = time.perf_counter() - self._t0
        sources, joules = [], 0.0
        if self._domains:
            for domain, before in zip(self._domains, self._start_uj):
                after, wrap = _read_uj(domain)
                delta = after - before if after >= before else after + wrap - before  # the counter wrapped
                joules += delta / 1e6
            sources.append("RAPL")
        if self._nvml:
            joules += sum(_nvml_energy_mj(h) - b for h, b in zip(self._nvml, self._start_mj)) / 1e3
            sources.append("NVML")
        if sources:
            return EnergyReading(joules, seconds, " + ".join(sources))
        if self.fallback_watts:
            return EnergyReading(self.fallback_watts * seconds, seconds, f"typed-in {self.fallback_watts:g} W")
        return EnergyReading(None, seconds, "none")


def _nvml_handles() -> list:
    try:
        import pynvml

        pynvml.nvmlInit()
        handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
        for handle in handles:
            pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)  # Volta and newer; older GPUs raise
        return handles
    except Exception as exc:  # noqa: BLE001 - no driver, no package or no energy counter
        log.debug("NVML energy unavailable: %s", exc)
        return []


def _nvml_energy_mj(handle) -> int:
    import pynvml

    return int(pynvml.nvmlDeviceGetTotalEnergyConsumption(handle))
