"""The hidden `hearth _startup-probe`: opens the GUI, prints how long the process took to
show a usable main window, builds every pane, and quits (used by the packaging test)."""

from __future__ import annotations

import contextlib
import sys
import time

import psutil
from PySide6.QtCore import QTimer

from desktop_app.ui.app import create_application, run_app


def run_startup_probe() -> int:
    """Seconds from process start to the main window shown with its event loop running.

    Then every pane is built once, so a module missing from a bundle shows up here and
    not when a user first clicks that pane.
    """
    app = create_application(sys.argv[:1])

    def fail(exc: BaseException) -> None:
        with contextlib.suppress(Exception):  # stderr may be a closed pipe too
            print(f"panes_failed={type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        app.exit(1)

    def report() -> None:
        # everything inside the try: an exception escaping a slot would reach the GUI's
        # excepthook, whose modal dialog nobody can close under the offscreen platform
        try:
            elapsed = time.time() - psutil.Process().create_time()
            shown = [w for w in app.topLevelWidgets() if w.isWindow() and w.isVisible()]
            window = next((w for w in shown if hasattr(w, "pane_keys")), None)
            if window is None:  # an event loop before the window's (the start-up unlock asks the keychain in a job)
                QTimer.singleShot(10, report)
                return
            print(f"startup_s={elapsed:.3f} windows={[w.windowTitle() for w in shown]!r}", flush=True)
            build(window, list(window.pane_keys()))
        except BaseException as exc:  # noqa: BLE001 - reported, then the probe fails
            fail(exc)

    def build(window, keys: list[str]) -> None:
        """One pane per turn of the event loop, as a user's clicks would build them."""
        try:
            if keys:
                print(f"building={keys[0]}", file=sys.stderr, flush=True)  # where a probe that stops early was
                window.show_pane(keys[0])
                QTimer.singleShot(0, lambda: build(window, keys[1:]))
                return
            print(f"panes={list(window.panes)!r}", flush=True)  # the panes really built, in build order
        except BaseException as exc:  # noqa: BLE001
            fail(exc)
            return
        app.exit(0)

    # a single-shot timer fires once an event loop runs; it looks again until run_app has shown the window
    QTimer.singleShot(0, report)
    return run_app(sys.argv[:1])
