"""A child process that cannot outlive Hearth: killed with it, even by ``kill -9``, whatever the system offers.

- Linux: ``PR_SET_PDEATHSIG`` set in the child before exec. The kernel sends the signal when the *thread*
  that forked dies, so the caller spawns from a thread that lives as long as the child (serve.py's reader).
- Windows: a job object with KILL_ON_JOB_CLOSE; the handle dies with Hearth, and the job's processes with it.
- elsewhere (macOS): a small watcher process (``hearth _watch-child``) reads a pipe from Hearth and ends the
  child when the pipe closes, which is when Hearth's process ends, however it ends.
Which one is used is found at run time (``tie_mode``); a failure to tie is logged, never fatal.
"""

from __future__ import annotations

import enum
import logging
import os
import signal
import subprocess
import sys

from desktop_app.core.remote.errors import ServeError
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
WATCH_COMMAND = "_watch-child"
STOP_GRACE_S = 5.0


class TieMode(enum.StrEnum):
    PDEATHSIG = "pdeathsig"
    JOB_OBJECT = "job-object"
    WATCHER = "watcher"


def tie_mode() -> TieMode:
    if sys.platform.startswith("linux") and _prctl() is not None:
        return TieMode.PDEATHSIG
    if sys.platform == "win32":
        return TieMode.JOB_OBJECT
    return TieMode.WATCHER


def _prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # loaded before the fork: the child only calls it
    except (OSError, AttributeError):
        return None


class Tie:
    """What keeps one child tied to this process; ``release()`` once the child has ended."""

    def __init__(self, mode: TieMode, handle=None):
        self.mode, self._handle = mode, handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        if self.mode is TieMode.WATCHER:
            handle.stdin.close()  # the watcher sees the end of its pipe, finds the child gone, and exits
            try:
                handle.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                handle.kill()
                handle.wait()
        elif self.mode is TieMode.JOB_OBJECT:
            import ctypes

            ctypes.WinDLL("kernel32").CloseHandle(handle)


def spawn(command: list[str], mode: TieMode | None = None, **popen) -> tuple[subprocess.Popen, Tie]:
    """``subprocess.Popen(command, **popen)``, tied to this process's life."""
    mode = mode or tie_mode()
    if mode is TieMode.PDEATHSIG:
        popen["preexec_fn"] = _die_with_parent(os.getpid(), _prctl())
    process = subprocess.Popen(command, **popen)
    try:
        if mode is TieMode.JOB_OBJECT:
            return process, Tie(mode, _kill_on_close_job(process))
        if mode is TieMode.WATCHER:
            return process, Tie(mode, _start_watcher(process.pid))
    except Exception as exc:  # noqa: BLE001 - untied is worse than tied, but better than no server
        log.warning("could not tie the server (pid %s) to Hearth's life (%s): it may outlive a crash", process.pid, exc)
    return process, Tie(mode)


def _die_with_parent(parent: int, prctl):
    def in_child() -> None:  # between fork and exec: no locks, no imports, no allocation worth naming
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the tie was made
            os.kill(os.getpid(), signal.SIGKILL)

    return in_child


def _kill_on_close_job(process: subprocess.Popen):
    import ctypes
    from ctypes import wintypes

    class BasicLimits(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD), ("SchedulingClass", wintypes.DWORD)]

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint64) for name in ("ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
                                                          "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters), ("ProcessMemoryLimit", ctypes.c_size_t),
                    ("JobMemoryLimit", ctypes.c_size_t), ("PeakProcessMemoryUsed", ctypes.c_size_t),
                    ("PeakJobMemoryUsed", ctypes.c_size_t)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
    kernel32.SetInformationJobObject.argtypes = (wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD)
    kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise ctypes.WinError(ctypes.get_last_error())
    limits = ExtendedLimits()
    limits.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    if not kernel32.SetInformationJobObject(job, 9, ctypes.byref(limits), ctypes.sizeof(limits)):  # 9: extended limits
        raise ctypes.WinError(ctypes.get_last_error())
    if not kernel32.AssignProcessToJobObject(job, int(process._handle)):
        raise ctypes.WinError(ctypes.get_last_error())
    return job


def watcher_command(pid: int) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, WATCH_COMMAND, str(pid)]
    return [sys.executable, "-m", "desktop_app", WATCH_COMMAND, str(pid)]


def _start_watcher(pid: int) -> subprocess.Popen:
    return subprocess.Popen(watcher_command(pid), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # a Ctrl+C meant for Hearth spares it


def watch_child(pid: int) -> int:
    """The watcher's whole life: wait for the end of stdin (Hearth closed it, or died), then end ``pid``."""
    import psutil

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = psutil.Process(pid)
    except psutil.Error:
        return 0
    while sys.stdin.buffer.read(1 << 10):  # Hearth never writes: this returns only at the pipe's end
        pass
    try:
        child.terminate()  # the same process (psutil checks its start time), not a reused pid
        child.wait(STOP_GRACE_S)
    except psutil.TimeoutExpired:
        child.kill()
    except psutil.Error:
        pass
    return 0


def stop_process(pid: int, started: float | None = None, grace_s: float = STOP_GRACE_S) -> bool:
    """End a process this Hearth did not start itself (a stray server): terminate, then kill. False when
    it was gone already, or its start time says the pid now belongs to another process."""
    import psutil

    try:
        process = psutil.Process(pid)
        if started is not None and abs(process.create_time() - started) > 1.0:
            return False
        process.terminate()
        try:
            process.wait(grace_s)
        except psutil.TimeoutExpired:
            process.kill()
            process.wait(grace_s)
        return True
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied as exc:
        raise ServeError(translate("ServeErrors", "Hearth may not stop process {pid}: it belongs to another user. Stop "
                                   "it as that user, or choose another port.").fill(pid=pid)) from exc
