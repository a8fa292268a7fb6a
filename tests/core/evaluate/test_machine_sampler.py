"""ResourceSampler: the peak memory of what ran inside it, without a thread waking during the timing."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from desktop_app.core.evaluate.machine import ResourceSampler

MB = 1024 * 1024


def _touch(size: int) -> bytearray:
    block = bytearray(size)
    for i in range(0, size, 4096):
        block[i] = 1
    return block


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel peak-RSS reset is Linux's")
def test_peak_counts_memory_freed_before_exit_and_no_thread_runs():
    before = threading.active_count()
    with ResourceSampler() as sampler:
        assert sampler.kernel_peak
        assert threading.active_count() == before  # nothing wakes up while tokens are timed
        block = _touch(150 * MB)
        del block  # freed before the sampler ends: only the kernel's high-water mark still knows
    assert sampler.result.peak_rss_bytes >= _rss() + 100 * MB


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel peak-RSS reset is Linux's")
def test_each_sampler_starts_from_the_current_memory_not_the_process_lifetime_peak():
    block = _touch(150 * MB)
    del block
    with ResourceSampler() as sampler:
        pass
    assert sampler.result.peak_rss_bytes < _rss() + 100 * MB


def test_falls_back_to_a_sampling_thread_where_the_peak_cannot_be_reset(tmp_path: Path):
    missing = tmp_path / "no-such-dir" / "clear_refs"
    with ResourceSampler(interval_s=0.01, clear_refs_path=missing) as sampler:
        assert not sampler.kernel_peak
        assert any(t.name == "eval-sampler" for t in threading.enumerate())
    assert sampler.result.peak_rss_bytes > 0
    assert not any(t.name == "eval-sampler" for t in threading.enumerate())


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss
