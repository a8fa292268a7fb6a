"""`hearth models ...`: the model library from the command line."""

from __future__ import annotations

import argparse

from desktop_app.commands import print_json
from desktop_app.core.errors import HearthError
from desktop_app.core.registry import ModelRegistry, sha256_file


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list and manage installed models")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list installed models")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    verify = actions.add_parser("verify", help="check the bundled default models against their sha256")
    verify.set_defaults(func=run_verify)


def run_list(args: argparse.Namespace) -> int:
    entries = ModelRegistry().list()
    if args.json:
        print_json([e.to_json() for e in entries])
        return 0
    width = max((len(e.name) for e in entries), default=4)
    for e in entries:
        state = "" if e.exists else "  (missing)"
        print(f"{e.name:<{width}}  {e.kind:<4}  {e.task:<8}  {e.size_bytes / 1e6:8.1f} MB  {e.source}{state}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    failures = []
    for entry in ModelRegistry().list():
        if entry.source != "bundled":
            continue
        if not entry.exists:
            failures.append(f"{entry.name}: file missing at {entry.path}")
            continue
        digest = sha256_file(entry.path)
        if entry.sha256 and digest != entry.sha256:
            failures.append(f"{entry.name}: sha256 {digest} does not match the expected {entry.sha256}")
            continue
        print(f"ok  {entry.name}  {digest}")
    if failures:
        raise HearthError("Default model check failed: " + "; ".join(failures))
    return 0
