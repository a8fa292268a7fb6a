"""The one debouncer: calls that come faster than ``delay_ms`` collapse into one.

Each call restarts the timer and replaces the arguments, so ``fn`` runs once, with
the latest ones, after the input settles (typing, slider drags). Panes use this
instead of wiring their own single-shot timers.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    def __init__(self, fn: Callable[..., Any], delay_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self._args: tuple = ()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)

    def __call__(self, *args) -> None:
        self._args = args
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        """Run a pending call now (before an export that needs settled results, say)."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def cancel(self) -> None:
        self._timer.stop()

    def _fire(self) -> None:
        args, self._args = self._args, ()
        self._fn(*args)
