"""`hearth serve MODEL`: serve a GGUF over the OpenAI protocol until Ctrl+C (a child process does the work).

The API key comes from a file (`--api-key-file`): on the command line it would be in `ps` for every user of
the PC, for as long as the server runs. `hearth serve --stop-stray` ends a server an earlier Hearth left.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from desktop_app.commands import resolve_model, settings_from_args
from desktop_app.commands.engines import read_key_file
from desktop_app.core.errors import HearthError
from desktop_app.core.remote import lifetime, strays
from desktop_app.core.remote.errors import StrayServer
from desktop_app.core.remote.serve import (
    DEFAULT_PORT,
    ServeEngine,
    ServeOptions,
    ServeProcess,
    new_api_key,
    stop_stray,
)

STATS_EVERY_S = 10.0
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")  # SIGHUP: the terminal closed; Windows has only the first two


class KeyOnCommandLine(HearthError):
    exit_code = 2


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="serve a chat model to other programs and PCs (OpenAI-compatible API)")
    parser.add_argument("model", nargs="?", help="model name from `hearth models list`, or a .gguf path (default: the chat default)")
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (this PC only, the default) or 0.0.0.0 to share on the network")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--api-key-file", type=Path,
                        help="a file holding the key clients must send (generated and shown once when sharing without one)")
    parser.add_argument("--api-key", help=argparse.SUPPRESS)  # refused with a sentence: see options_from_args
    parser.add_argument("--parallel", type=int, default=4, help="clients answered at the same time (default 4)")
    parser.add_argument("--ctx", type=int, help="context length per client (default from settings, at most 4096)")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--gpu-layers", type=int, default=None, help="layers on the GPU (-1 all; default 0 on CPU builds)")
    parser.add_argument("--engine", choices=[e.value for e in ServeEngine], default=ServeEngine.LLAMA_SERVER.value,
                        help="llama-server (default, measured faster) or llama-cpp-python")
    parser.add_argument("--stop-stray", action="store_true",
                        help="stop the servers an earlier Hearth started and left running, then exit")
    parser.set_defaults(func=run)
    watch = subparsers.add_parser(lifetime.WATCH_COMMAND)  # internal: no help, so `hearth --help` leaves it out
    watch.add_argument("pid", type=int)
    watch.set_defaults(func=lambda args: lifetime.watch_child(args.pid))


def options_from_args(args: argparse.Namespace) -> ServeOptions:
    if getattr(args, "api_key", None):
        raise KeyOnCommandLine(
            "--api-key puts the key where every user of this PC can read it (ps, /proc) for as long as the server "
            "runs. Write it to a file only you can read and pass --api-key-file FILE instead."
        )
    settings = settings_from_args(argparse.Namespace(ctx=None, gpu_layers=None, threads=args.threads))
    entry = resolve_model(argparse.Namespace(model=args.model), "chat", settings)
    options = ServeOptions(
        model=entry.path, host=args.host, port=args.port, api_key=read_key_file(getattr(args, "api_key_file", None)),
        parallel=args.parallel, n_ctx=args.ctx or min(int(settings.context_length), 4096),
        threads=settings.resolved_threads(), gpu_layers=args.gpu_layers if args.gpu_layers is not None else 0,
        engine=ServeEngine(args.engine), alias=entry.name,
    )
    if options.shared and not options.api_key:
        options.api_key = new_api_key()
        _note(f"sharing on the network needs a key; clients must send this one (shown once): {options.api_key}")
    return options


def run(args: argparse.Namespace) -> int:
    if getattr(args, "stop_stray", False):
        return run_stop_stray()
    options = options_from_args(args)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (getattr(signal, name, None) for name in STOP_SIGNALS) if sig is not None}
    server = ServeProcess(options)
    try:
        _start(server, stop)
        print(f"serving {options.model_id} at {server.base_url} ({options.engine}, {options.parallel} parallel)", flush=True)
        print(f"try: curl {server.base_url}/chat/completions -H 'Content-Type: application/json'"
              + (" -H 'Authorization: Bearer $KEY'" if options.api_key else "")
              + f" -d '{{\"model\": \"{options.model_id}\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello\"}}]}}'",
              flush=True)
        while not stop.wait(STATS_EVERY_S):
            if not server.running:
                _note(f"the server stopped unexpectedly: {server.output_tail()}")
                return 1
            stats = server.stats()
            _note(f"{stats.requests_served} requests served, {stats.active_clients} active, {stats.tokens_per_s:.1f} tokens/s")
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _note("stopped")
    return 0


def _start(server: ServeProcess, stop: threading.Event) -> None:
    """Start; a port held by a server an earlier Hearth left is offered back on a terminal (yes/no)."""
    try:
        server.start(cancel=stop)
    except StrayServer as exc:
        if not (sys.stdin.isatty() and sys.stderr.isatty()) or not _ask(
            f"port {exc.server.port} is held by a server an earlier Hearth started and left running "
            f"(process {exc.server.pid}). Stop it and serve here? [y/N] "
        ):
            raise
        stop_stray(exc.server)
        server.start(cancel=stop)


def _ask(question: str) -> bool:
    print(f"hearth: {question}", end="", file=sys.stderr, flush=True)
    try:
        return sys.stdin.readline(16).strip().lower() in ("y", "yes")
    except (OSError, UnicodeDecodeError):
        return False


def run_stop_stray() -> int:
    found = strays.strays()
    if not found:
        _note("no server left running by an earlier Hearth was found")
        return 0
    for server in found:
        if stop_stray(server):
            _note(f"stopped the server an earlier Hearth left running (process {server.pid}, port {server.port})")
        else:
            _note(f"the server on port {server.port} (process {server.pid}) had already stopped")
    return 0


def _note(text: str) -> None:
    print(f"hearth: {text}", file=sys.stderr, flush=True)

