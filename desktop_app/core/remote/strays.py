"""The servers Hearth started, recorded in the data dir, so one left running by a Hearth that ended is found.

Each record names the server's pid, port, start time and executable, and the Hearth process that started
it (its owner). A server whose owner is gone is a stray: a port it holds is offered back to the user
(``hearth serve --stop-stray``, the Server pane's banner) instead of "port in use" and nothing more.
A record is trusted only while its pid still runs the same executable since the same start time.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic

log = logging.getLogger(__name__)

RECORDS_FILE = "servers.json"
RECORDS_LIMIT = 1 << 20  # a list of a few servers
SAME_START_S = 1.0  # psutil's start times are exact to the clock tick


@dataclass(frozen=True)
class StartedServer:
    pid: int
    port: int
    host: str
    started: float  # the server's start time (epoch seconds), as psutil reads it
    executable: str
    owner: int  # the Hearth process that started it
    owner_started: float

    @property
    def owner_alive(self) -> bool:
        return _same_process(self.owner, self.owner_started, None)

    @property
    def alive(self) -> bool:
        return _same_process(self.pid, self.started, self.executable)


def records_path() -> Path:
    return paths.data_dir() / RECORDS_FILE


def _load() -> list[StartedServer]:
    path = records_path()
    try:
        if path.stat().st_size > RECORDS_LIMIT:
            return []
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [StartedServer(**{k: entry[k] for k in StartedServer.__dataclass_fields__}) for entry in raw]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:  # a damaged file: start a new list
        log.warning("the list of started servers could not be read (%s); starting a new one", exc)
        return []


def _save(servers: list[StartedServer]) -> None:
    try:
        write_text_atomic(records_path(), json.dumps([asdict(s) for s in servers], indent=1))
    except OSError as exc:  # a read-only data dir: strays are then not found, serving still works
        log.warning("could not record the started servers: %s", exc)


def remember(pid: int, port: int, host: str) -> StartedServer | None:
    """Record a server this process just started (and drop records of servers gone since)."""
    import psutil

    try:
        process, me = psutil.Process(pid), psutil.Process(os.getpid())
        server = StartedServer(pid, port, host, process.create_time(), _executable(process), me.pid, me.create_time())
    except psutil.Error as exc:
        log.warning("could not record the server %s: %s", pid, exc)
        return None
    _save([s for s in _load() if s.alive and s.pid != pid] + [server])
    return server


def forget(pid: int) -> None:
    servers = _load()
    kept = [s for s in servers if s.pid != pid and s.alive]
    if kept != servers:
        _save(kept)


def on_port(port: int) -> StartedServer | None:
    """The live server Hearth started on ``port``, if there is one."""
    return next((s for s in _load() if s.port == port and s.alive), None)


def strays() -> list[StartedServer]:
    """Live servers whose Hearth is gone."""
    return [s for s in _load() if s.alive and not s.owner_alive]


def _executable(process) -> str:
    import psutil

    try:
        return process.exe() or process.name()
    except psutil.Error:  # some systems hide other processes' executables
        return process.name()


def _same_process(pid: int, started: float, executable: str | None) -> bool:
    import psutil

    try:
        process = psutil.Process(pid)
        if abs(process.create_time() - started) > SAME_START_S or process.status() == psutil.STATUS_ZOMBIE:
            return False
        return executable is None or _executable(process) in (executable, Path(executable).name)
    except psutil.Error:
        return False
