"""A child tied to its parent's life ends when the parent is killed with SIGKILL, whichever tie this system uses:
PR_SET_PDEATHSIG (Linux), or the watcher process (macOS; run here on Linux too, so it is tested somewhere)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil
import pytest

from desktop_app.core.remote import lifetime
from serve_factory import gone_within

PARENT = """
import sys, threading
from desktop_app.core.remote import lifetime
process, tie = lifetime.spawn([sys.executable, "-c", "import time; time.sleep(120)"], lifetime.TieMode(sys.argv[1]))
print(process.pid, flush=True)
threading.Event().wait(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_this_linux_ties_children_with_pdeathsig():
    assert lifetime.tie_mode() is lifetime.TieMode.PDEATHSIG


@pytest.mark.parametrize("mode", [lifetime.TieMode.PDEATHSIG, lifetime.TieMode.WATCHER])
def test_a_tied_child_ends_when_its_parent_is_killed(mode):
    if mode is lifetime.TieMode.PDEATHSIG and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(mode)], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ))
    child = None
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        watchers = [p for p in psutil.Process(parent.pid).children() if p.pid != child.pid]
        assert len(watchers) == (1 if mode is lifetime.TieMode.WATCHER else 0)
        parent.send_signal(signal.SIGKILL)
        parent.wait(30)
        assert gone_within(child, 15), f"the child (pid {child.pid}) outlived its parent's SIGKILL ({mode})"
        assert all(gone_within(w, 15) for w in watchers)  # the watcher ends with its work done
    finally:
        parent.stdout.close()
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child is not None and not gone_within(child, 0):
            child.kill()


def test_an_untied_child_would_outlive_its_parent():
    """The test above can fail: without a tie the child stays (it is then ended here)."""
    code = PARENT.replace("lifetime.spawn(", "(lambda c, m: (__import__('subprocess').Popen(c), None))(")
    parent = subprocess.Popen([sys.executable, "-c", code, "watcher"], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ))
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        parent.send_signal(signal.SIGKILL)
        parent.wait(30)
        assert not gone_within(child, 1.0)
        child.kill()
    finally:
        parent.stdout.close()


def test_a_server_build_under_way_is_told_apart_from_a_missing_server(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    from desktop_app.core import paths
    from desktop_app.core.remote.errors import ServeError
    from desktop_app.core.remote.serve import ServeEngine, ServeOptions, serve_command

    assert not paths.llama_server_being_built(tmp_path)
    (tmp_path / ".llama-server-building").write_text(str(os.getpid()))
    assert paths.llama_server_being_built(tmp_path)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / ".llama-server-building").write_text(ended.stdout.strip())
    assert not paths.llama_server_being_built(tmp_path)  # the build's process is gone: a build that died

    monkeypatch.setattr(paths, "llama_server_binary", lambda: None)
    options = ServeOptions(tmp_path / "m.gguf", engine=ServeEngine.LLAMA_SERVER)
    monkeypatch.setattr(paths, "llama_server_being_built", lambda: True)
    with pytest.raises(ServeError, match="still being built"):
        serve_command(options)
    monkeypatch.setattr(paths, "llama_server_being_built", lambda: False)
    with pytest.raises(ServeError, match="make server"):
        serve_command(options)
