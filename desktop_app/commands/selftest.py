"""`hearth self-test`: load every bundled default model and run one real job per pane."""

from __future__ import annotations

import argparse

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
