"""What may leave the machine: third-party telemetry off, and whether anything is online now.

``switch_off_telemetry`` runs from ``desktop_app/__init__.py``, so every entry point (the
``hearth`` script, ``python -m desktop_app``, the frozen app, the probe child process) has
it before any library is imported. The libraries read these variables once, at import:

- onnxruntime's Microsoft 1DS telemetry resolves ``mobile.events.data.microsoft.com``
  about 10 s after ``import onnxruntime``; ``ORT_DISABLE_TELEMETRY`` stops it, while
  ``disable_telemetry_events()`` after the import does not (measured with strace), so both.
- huggingface_hub: ``HF_HUB_DISABLE_TELEMETRY`` also stops the implicit request for its
  "agent harnesses" registry that ``build_hf_headers()`` makes. ``HF_HUB_OFFLINE`` is not
  set: the user's explicit download (library/remote.py) is the one thing allowed online.

``NetworkActivity`` counts online operations while they run; the status bar observes it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator

TELEMETRY_SWITCHES = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_UPDATE_CHECK": "1",
    "DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def switch_off_telemetry() -> None:
    """Set before the libraries are imported; forced, not defaulted, so a stray 0 cannot undo it."""
    os.environ.update(TELEMETRY_SWITCHES)


def load_onnxruntime():
    """``import onnxruntime`` for every caller, with its telemetry events disabled as well."""
    switch_off_telemetry()
    import onnxruntime

    onnxruntime.disable_telemetry_events()
    return onnxruntime


class NetworkActivity:
    """How many user-requested online operations (downloads, Hub look-ups) are running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}
        self._listeners: list[Callable[[bool], None]] = []
        self._remote_engine: str | None = None  # the server replies come from, while a pane uses a remote engine

    def is_online(self) -> bool:
        with self._lock:
            return bool(self._active)

    def hosts(self) -> list[str]:
        with self._lock:
            return sorted(self._active)

    def subscribe(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        """``listener(online)`` is called from the thread that changed the state; returns an unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def remote_engine(self) -> str | None:
        with self._lock:
            return self._remote_engine

    def set_remote_engine(self, url: str | None) -> None:
        """Messages now go to ``url`` (None: back to the local engine); listeners hear of a change."""
        with self._lock:
            listeners = list(self._listeners) if url != self._remote_engine else []
            self._remote_engine = url
            online = bool(self._active)
        for listener in listeners:
            listener(online)

    @contextlib.contextmanager
    def online(self, host: str) -> Iterator[None]:
        self._change(host, +1)
        try:
            yield
        finally:
            self._change(host, -1)

    def _change(self, host: str, step: int) -> None:
        with self._lock:
            was = bool(self._active)
            count = self._active.get(host, 0) + step
            if count > 0:
                self._active[host] = count
            else:
                self._active.pop(host, None)
            now = bool(self._active)
            listeners = list(self._listeners) if now != was else []
        for listener in listeners:
            listener(now)


network_activity = NetworkActivity()
