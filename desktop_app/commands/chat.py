"""`hearth chat PROMPT`: one reply, streamed to stdout (or one JSON object)."""

from __future__ import annotations

import argparse
import sys

from dataclasses import replace

from desktop_app.commands import print_json, resolve_model, settings_from_args, write_stdout
from desktop_app.commands.engines import add_engine_options, remote_engine_from_args
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage
from desktop_app.core.llm.host import LlamaHost, load_options
from desktop_app.core.remote.errors import ConnectionDropped
from desktop_app.core.settings import Settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("chat", help="answer one prompt with a local chat model")
    parser.add_argument("prompt", help="the message to send ('-' reads it from stdin)")
    parser.add_argument("--model", help="model name from `hearth models list`, or a path to a .gguf file")
    parser.add_argument("--system", default="", help="system prompt")
    parser.add_argument("--temperature", type=float, help="0 means greedy decoding (no penalties)")
    parser.add_argument("--top-p", type=float)
    parser.add_argument("--top-k", type=int)
    parser.add_argument("--repeat-penalty", type=float)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--max-tokens", type=int)
    parser.add_argument("--ctx", type=int, help="context length in tokens (default from settings)")
    parser.add_argument("--gpu-layers", help="'auto', 0 or a layer count")
    parser.add_argument("--threads", type=int)
    parser.add_argument(
        "--speculative", choices=("on", "off"), help="prompt-lookup speculative decoding (default from settings)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of streaming")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def sampling_from_args(args: argparse.Namespace, settings: Settings) -> SamplingParams:
    sampling = replace(settings.sampling)
    for name in ("temperature", "top_p", "top_k", "repeat_penalty", "seed", "max_tokens"):
        value = getattr(args, name)
        if value is not None:
            setattr(sampling, name, value)
    return sampling


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    remote = remote_engine_from_args(args, settings)
    entry = remote.info if remote else resolve_model(args, "chat", settings)
    host = remote or LlamaHost(settings)
    try:
        info = remote.info if remote else host.ensure(entry, load_options(settings))
        engine = remote or host.engine
        messages = [ChatMessage("system", args.system)] if args.system else []
        messages.append(ChatMessage("user", prompt))
        if not prompt.strip():
            from desktop_app.core.chat.session import EmptyMessage

            raise EmptyMessage("The prompt is empty.")
        stream = None if args.json else write_stdout
        try:
            result = engine.chat(messages, sampling_from_args(args, settings), on_text=stream)
        except ConnectionDropped as exc:  # a remote reply cut off: what arrived is kept, marked as incomplete
            if args.json:
                print_json({"reply": exc.partial, "model": entry.name, "engine": remote.server_root if remote else "local",
                            "incomplete": True, "error": str(exc)})
            elif exc.partial:
                sys.stdout.write("\n")
                sys.stdout.flush()
            raise
    finally:
        host.close()
    stats = result.stats
    if args.json:
        print_json(
            {
                "reply": result.text,
                "model": entry.name,
                "model_path": str(entry.path),
                "engine": remote.server_root if remote else "local",
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
                "ttft_s": round(stats.ttft_s, 4),
                "tokens_per_s": round(stats.tokens_per_s, 2),
                "prompt_tokens_per_s": round(stats.prompt_tokens_per_s, 2),
                "total_s": round(stats.total_s, 4),
                "stop_reason": stats.stop_reason,
                "n_ctx": info.n_ctx,
                "dropped_messages": stats.dropped_messages,
                "seed": stats.seed,
                "speculative": stats.speculative,
                "tokens_per_step": round(stats.tokens_per_step, 3),
                "accepted_tokens": stats.accepted_tokens,
                "draft_tokens": stats.draft_tokens,
                "threads": stats.threads,  # llama.cpp's CPU threads at the end (0 on a remote engine)
                "others_cores": None if stats.others_cores is None else round(stats.others_cores, 2),
            }
        )
    else:
        sys.stdout.write("\n")
        sys.stdout.flush()
    return 0
