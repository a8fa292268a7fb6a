"""A full data disk: `hearth summarize` still answers, with one plain line about what was not saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FULL = Path("/dev/full")  # every write fails with ENOSPC, as on a full disk

pytestmark = pytest.mark.skipif(not FULL.exists(), reason="needs Linux's /dev/full to fill the disk")


def full_data_dir(data_dir: Path) -> None:
    (data_dir / "logs").mkdir(parents=True)
    (data_dir / "logs" / "hearth.log").symlink_to(FULL)
    (data_dir / "hearth.sqlite3").symlink_to(FULL)


def hearth(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        input=stdin, capture_output=True, text=True, timeout=300, env=dict(os.environ),
    )


def test_summarize_on_a_full_disk_says_once_that_history_was_not_saved(data_dir, tiny_gguf):
    full_data_dir(data_dir)
    result = hearth("summarize", "-", "--model", str(tiny_gguf), "--json", stdin="The bridge opened in May.")
    assert result.returncode == 0, result.stderr
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert [line for line in lines if "not saved to history" in line] and len(lines) <= 4, result.stderr
