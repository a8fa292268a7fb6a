"""The log file is a convenience: a full disk must not spill logging tracebacks onto stderr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop_app.core import logs


@pytest.fixture
def clean_root():
    root = logging.getLogger()
    before = list(root.handlers)
    yield root
    for handler in root.handlers:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full to fill the disk")
def test_a_full_disk_drops_log_records_silently(data_dir, clean_root, capfd):
    for handler in [h for h in clean_root.handlers if getattr(h, "_hearth", False)]:
        clean_root.removeHandler(handler)  # an earlier test's handler would be reused
        handler.close()
    (data_dir / "logs").mkdir(parents=True)
    (data_dir / "logs" / "hearth.log").symlink_to("/dev/full")  # every write: ENOSPC
    assert logs.configure() == str(data_dir / "logs" / "hearth.log")
    for n in range(3):
        logging.getLogger("hearth.test").error("record %d", n)
    assert capfd.readouterr().err == ""
    handler = next(h for h in clean_root.handlers if getattr(h, "_hearth", False))
    assert handler.failed
