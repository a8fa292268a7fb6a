"""Energy readers: RAPL counters when readable (wrap-around included), else the typed-in wattage."""

from __future__ import annotations

import pytest

from desktop_app.core.evaluate import energy
from desktop_app.core.evaluate.energy import EnergyMeter, rapl_domains


@pytest.fixture(autouse=True)
def no_nvml(monkeypatch):
    monkeypatch.setattr(energy, "_nvml_handles", lambda: [])


def write_domain(root, name, value, wrap=1_000_000_000):
    domain = root / name
    domain.mkdir(parents=True)
    (domain / "energy_uj").write_text(f"{value}\n")
    (domain / "max_energy_range_uj").write_text(f"{wrap}\n")
    return domain


def test_rapl_package_counters_give_joules_including_a_wrap(tmp_path):
    package = write_domain(tmp_path, "intel-rapl:0", 999_000_000)
    write_domain(tmp_path, "intel-rapl:0:0", 5)  # a sub-domain: already inside the package figure
    assert rapl_domains(tmp_path) == [package]
    meter = EnergyMeter(fallback_watts=50.0, powercap_root=tmp_path)
    meter.start()
    (package / "energy_uj").write_text("2000000\n")  # wrapped: 1,000,000 + 2,000,000 uJ
    reading = meter.stop()
    assert reading.source == "RAPL"
    assert reading.joules == pytest.approx(3.0)


def test_unreadable_rapl_falls_back_to_the_typed_in_wattage(tmp_path):
    package = tmp_path / "intel-rapl:0"
    (package / "energy_uj").mkdir(parents=True)  # reading it raises OSError, as a root-only counter does
    meter = EnergyMeter(fallback_watts=40.0, powercap_root=tmp_path)
    assert not meter.measured
    meter.start()
    assert meter.stop().source == "typed-in 40 W"


def test_no_rapl_falls_back_to_typed_in_watts_then_to_none(tmp_path):
    meter = EnergyMeter(fallback_watts=40.0, powercap_root=tmp_path / "absent")
    assert not meter.measured
    meter.start()
    reading = meter.stop()
    assert reading.source == "typed-in 40 W" and reading.joules == pytest.approx(40.0 * reading.seconds)
    meter = EnergyMeter(fallback_watts=None, powercap_root=tmp_path / "absent")
    meter.start()
    reading = meter.stop()
    assert reading.joules is None and reading.watts is None and reading.source == "none"


def test_garbage_in_a_counter_is_not_a_domain(tmp_path):
    package = write_domain(tmp_path, "intel-rapl:1", 0)
    (package / "energy_uj").write_text("not a number")
    assert rapl_domains(tmp_path) == []
