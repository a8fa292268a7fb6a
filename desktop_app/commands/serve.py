"""`hearth serve MODEL`: serve a GGUF over the OpenAI protocol until Ctrl+C (a child process does the work)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from desktop_app.commands import resolve_model, settings_from_args
from desktop_app.core.remote.serve import DEFAULT_PORT, ServeEngine, ServeOptions, ServeProcess, new_api_key

STATS_EVERY_S = 10.0


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="serve a chat model to other programs and PCs (OpenAI-compatible API)")
    parser.add_argument("model", nargs="?", help="model name from `hearth models list`, or a .gguf path (default: the chat default)")
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (this PC only, the default) or 0.0.0.0 to share on the network")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--api-key", help="the key clients must send; generated when sharing without one")
    parser.add_argument("--parallel", type=int, default=4, help="clients answered at the same time (default 4)")
    parser.add_argument("--ctx", type=int, help="context length per client (default from settings, at most 4096)")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--gpu-layers", type=int, default=None, help="layers on the GPU (-1 all; default 0 on CPU builds)")
    parser.add_argument("--engine", choices=[e.value for e in ServeEngine], default=ServeEngine.LLAMA_SERVER.value,
                        help="llama-server (default, measured faster) or llama-cpp-python")
    parser.set_defaults(func=run)


def options_from_args(args: argparse.Namespace) -> ServeOptions:
    settings = settings_from_args(argparse.Namespace(ctx=None, gpu_layers=None, threads=args.threads))
    entry = resolve_model(argparse.Namespace(model=args.model), "chat", settings)
    options = ServeOptions(
        model=entry.path, host=args.host, port=args.port, api_key=args.api_key, parallel=args.parallel,
        n_ctx=args.ctx or min(int(settings.context_length), 4096), threads=settings.resolved_threads(),
        gpu_layers=args.gpu_layers if args.gpu_layers is not None else 0, engine=ServeEngine(args.engine),
        alias=entry.name,
    )
    if options.shared and not options.api_key:
        options.api_key = new_api_key()
        _note(f"sharing on the network needs a key; clients must send this one (shown once): {options.api_key}")
    return options


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = ServeProcess(options)
    try:
        server.start(cancel=stop)
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


def _note(text: str) -> None:
    print(f"hearth: {text}", file=sys.stderr, flush=True)
