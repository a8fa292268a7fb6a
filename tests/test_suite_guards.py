"""The suite's own guards (tests/conftest.py): no test reaches the machine's keychain, and a WARNING or ERROR
logged inside a job fails the test that caused it unless the test asks for ``job_log``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_every_test_gets_an_empty_keychain_in_memory_and_its_children_none(memory_keychain):
    import keyring
    from keyring_factory import MemoryKeyring

    assert keyring.get_keyring() is memory_keychain and isinstance(memory_keychain, MemoryKeyring)
    assert memory_keychain.items == {}  # nothing left by an earlier test
    child = subprocess.run([sys.executable, "-c", "import keyring; print(type(keyring.get_keyring()).__module__)"],
                           capture_output=True, text=True, timeout=60, check=True)
    assert child.stdout.strip() == "keyring.backends.fail"  # a `hearth` a test starts never reaches the real one


def test_a_warning_in_a_job_fails_the_test_unless_it_is_expected(pytester, job_log):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(
        """
        import logging
        from desktop_app.ui.workers import run_job

        log = logging.getLogger("desktop_app.test")

        def test_unexpected(qtbot):
            job = run_job(lambda ctx: log.warning("the disk is nearly full"))
            qtbot.waitUntil(lambda: not job.running)

        def test_expected(qtbot, job_log):
            job = run_job(lambda ctx: log.warning("the disk is nearly full"))
            qtbot.waitUntil(lambda: not job.running)
            assert [(r.levelname, r.getMessage()) for r in job_log] == [("WARNING", "the disk is nearly full")]

        def test_the_gui_threads_own_warning_is_not_a_jobs(qtbot):
            log.warning("said on the GUI thread")
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*a job logged an unexpected warning or error (request job_log if it is expected):",
                                 "*WARNING desktop_app.test: the disk is nearly full"])
    assert len(job_log) == 2  # this outer test saw the inner jobs' warnings too, and expects them
