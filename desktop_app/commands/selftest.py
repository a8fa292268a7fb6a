"""`hearth self-test`: load every bundled default model and run one real job per pane.

Also the hidden `hearth _startup-probe`: opens the GUI, prints how long the process
took to show a usable main window, and quits (used by the packaging test).
"""

from __future__ import annotations

import argparse
import sys

from desktop_app import __version__
from desktop_app.commands import print_json
from desktop_app.core import paths
from desktop_app.core.selftest import JobResult, SelfTest

COLUMNS = ("job", "model", "result", "seconds", "peak RSS MB")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "self-test", help="load each bundled default model and run one real job per pane; exit 0 if all pass"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(func=run)
    probe = subparsers.add_parser("_startup-probe", help=argparse.SUPPRESS)
    probe.set_defaults(func=run_startup_probe)


def run(args: argparse.Namespace) -> int:
    selftest = SelfTest()
    if not args.json:
        print(f"Hearth {__version__} self-test ({'bundle' if paths.is_frozen() else 'source'}: {paths.bundle_root()})")
        print(_row(COLUMNS))
    results = selftest.run(on_result=None if args.json else lambda r: print(_row(_cells(r)), flush=True))
    passed = bool(results) and all(r.ok for r in results)
    if args.json:
        print_json(
            {
                "passed": passed,
                "version": __version__,
                "frozen": paths.is_frozen(),
                "bundle_root": str(paths.bundle_root()),
                "data_dir": str(paths.data_dir()),
                "jobs": [r.to_json() for r in results],
            }
        )
    else:
        failed = [r.job for r in results if not r.ok]
        print("all passed" if passed else f"FAILED: {', '.join(failed) or 'no jobs ran'}")
    return 0 if passed else 1


def _cells(result: JobResult) -> tuple[str, ...]:
    status = result.result if result.ok else f"FAIL {result.result}"
    return (result.job, result.model, status, f"{result.seconds:.2f}", f"{result.peak_rss_mb:.0f}")


def _row(cells) -> str:
    job, model, result, seconds, rss = cells
    return f"{job:<10} {model[:24]:<24} {result[:58]:<58} {seconds:>7} {rss:>11}"


def run_startup_probe(args: argparse.Namespace) -> int:
    """Seconds from process start to the main window shown with its event loop running.

    Then every pane is built once, so a module missing from a bundle shows up here and
    not when a user first clicks that pane.
    """
    import contextlib
    import time

    import psutil
    from PySide6.QtCore import QTimer

    from desktop_app.ui.app import create_application, run_app

    app = create_application(sys.argv[:1])

    def report() -> None:
        # everything inside the try: an exception escaping a slot would reach the GUI's
        # excepthook, whose modal dialog nobody can close under the offscreen platform
        try:
            elapsed = time.time() - psutil.Process().create_time()
            shown = [w for w in app.topLevelWidgets() if w.isWindow() and w.isVisible()]
            print(f"startup_s={elapsed:.3f} windows={[w.windowTitle() for w in shown]!r}", flush=True)
            window = next(w for w in shown if hasattr(w, "pane_keys"))
            for key in window.pane_keys():
                window.show_pane(key)
            print(f"panes={window.pane_keys()!r}", flush=True)
        except BaseException as exc:  # noqa: BLE001 - reported, then the probe fails
            with contextlib.suppress(Exception):  # stderr may be a closed pipe too
                print(f"panes_failed={type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            app.exit(1)
            return
        app.exit(0)

    # a single-shot timer fires once app.exec() runs, i.e. after run_app has shown the window
    QTimer.singleShot(0, report)
    return run_app(sys.argv[:1])
