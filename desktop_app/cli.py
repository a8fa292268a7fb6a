"""`hearth`: the GUI with no arguments, headless subcommands otherwise.

User errors (HearthError) print one plain line to stderr and exit non-zero.
Anything unexpected is logged with its traceback and shown as one line too.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from desktop_app import __version__
from desktop_app.core import logs
from desktop_app.core.errors import HearthError, describe_os_error
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

# Each module exposes register(subparsers) and sets func=handler(args) -> int.
COMMAND_MODULES = [
    "desktop_app.commands.chat",
    "desktop_app.commands.models",
    "desktop_app.commands.hardware",
    "desktop_app.commands.vision",
    "desktop_app.commands.summarize",
    "desktop_app.commands.documents",
    "desktop_app.commands.selftest",
    "desktop_app.commands.workspace",
    "desktop_app.commands.evaluate",
    "desktop_app.commands.engines",
    "desktop_app.commands.serve",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth", description="Run AI models on your own computer. With no command, opens the app."
    )
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = subparsers.add_parser("gui", help="open the app (the default)")
    gui.set_defaults(func=_run_gui)
    # internal commands: a sub-command added without help= is left out of `hearth --help` (help=argparse.SUPPRESS
    # would list it as "==SUPPRESS==")
    probe = subparsers.add_parser("_probe-gguf")
    probe.add_argument("path")
    probe.set_defaults(func=_probe_gguf)
    startup = subparsers.add_parser("_startup-probe")
    startup.set_defaults(func=_startup_probe)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from desktop_app.ui.app import run_app

    return run_app(sys.argv[:1])


def _startup_probe(args: argparse.Namespace) -> int:
    """Internal: used by the packaging test and the CLI tests to time the GUI start."""
    from desktop_app.ui.startup_probe import run_startup_probe

    return run_startup_probe()


def _probe_gguf(args: argparse.Namespace) -> int:
    """Internal: run by core.llm.probe in a child process."""
    import json
    from pathlib import Path

    from desktop_app.core.llm.probe import probe_here

    verdict = probe_here(Path(args.path))
    print(json.dumps(verdict))
    return 0 if verdict["ok"] else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logs.configure()
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", _run_gui)
    try:
        return int(func(args) or 0)
    except HearthError as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hearth: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place unexpected errors are caught for the CLI
        log.exception("unexpected error in %s", getattr(args, "command", "gui"))
        if isinstance(exc, OSError) and exc.filename:  # a file or folder it was given, or the disk under it
            print(f"hearth: {describe_os_error(exc, translate('Errors', 'Hearth could not use {path}'))}", file=sys.stderr)
            return 74  # EX_IOERR
        print(f"hearth: {logs.describe_unexpected()}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
