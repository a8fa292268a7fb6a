"""`hearth summarize FILE`: a summary of a document of any length, streamed (or one JSON object)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager

from desktop_app.commands import print_json, resolve_model, settings_from_args, write_stdout
from desktop_app.commands.engines import add_engine_options, remote_engine_from_args
from desktop_app.commands.workspace import add_passphrase_option, unlock_key
from desktop_app.core import paths, texts
from desktop_app.core.documents.estimate import LONG_JOB_SECONDS, LongJobDeclined, check_cost
from desktop_app.core.documents.load import document_from_text, load_document
from desktop_app.core.errors import StorageError
from desktop_app.core.llm.host import LlamaHost, load_options
from desktop_app.core.storage.store import Store
from desktop_app.core.units import format_duration
from desktop_app.core.documents.summarize import (
    LENGTH_WORDS,
    STYLES,
    DocumentSummarizer,
    SummaryPhase,
    SummaryProgress,
    SummaryRequest,
    Throughput,
    flag_note,
    save_summary,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "summarize", help="summarize a PDF, DOCX, HTML, TXT or Markdown file of any length with a local model"
    )
    parser.add_argument("file", help="the document ('-' reads text from stdin)")
    parser.add_argument("--model", help="model name from `hearth models list`, or a path to a .gguf file")
    parser.add_argument("--length", choices=sorted(LENGTH_WORDS), default="medium", help="default: medium")
    parser.add_argument("--words", type=int, help="target length in words (overrides --length)")
    parser.add_argument("--style", choices=STYLES, default="paragraph", help="default: paragraph")
    parser.add_argument("--focus", default="", help="a question or topic to concentrate on")
    parser.add_argument(
        "--language", default="auto", help="'auto' (the document's language, the default), a code like en or zh, or a name"
    )
    parser.add_argument("--ctx", type=int, help="context length in tokens (default from settings)")
    parser.add_argument("--threads", type=int)
    parser.add_argument(
        "--speculative", choices=("on", "off"), help="prompt-lookup speculative decoding (default from settings)"
    )
    parser.add_argument("--no-history", action="store_true", help="do not keep this summary in the app's history")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of streaming")
    add_yes_option(parser)
    add_passphrase_option(parser)
    add_engine_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.file == "-":
        document = document_from_text(sys.stdin.read(), "stdin")
    else:
        document = load_document(args.file)
    request = SummaryRequest(
        length=args.length, target_words=args.words, style=args.style, focus=args.focus, language=args.language
    )
    request.validate()
    key = None if args.no_history else unlock_key(args)  # asked before the work, not after
    remote = remote_engine_from_args(args, settings)
    entry = remote.info if remote else resolve_model(args, "chat", settings)
    host = remote or LlamaHost(settings)
    try:
        info = remote.info if remote else host.ensure(entry, load_options(settings))
        summarizer = DocumentSummarizer(remote or host.engine, document, request)
        speed = Throughput.assumed(info, settings.resolved_threads())
        check_cost(summarizer, speed, None if args.yes else refuse_long_job)  # before planning: 327 s for 60 MB
        plan = summarizer.plan()
        estimate = plan.estimate_seconds(speed)
        if not args.json:
            _note(
                f"{document.name}: {plan.source_tokens} tokens in {plan.parts} part(s) with {entry.name}, "
                f"about {format_duration(estimate)} (estimated)"
            )
        with _ctrl_c_cancels() as cancel:
            result = summarizer.run(
                on_text=None if args.json else write_stdout,
                on_progress=None if args.json else _show_progress,
                cancel=cancel,
            )
    finally:
        host.close()
    if not args.no_history:
        _keep(document, entry.name, request, result, key)
    if args.json:
        print_json(
            {
                "summary": result.summary,
                "cancelled": result.cancelled,
                "chunks": result.chunks,
                "parts_done": result.parts_done,
                "source_tokens": result.source_tokens,
                "seconds": round(result.seconds, 3),
                "estimated_seconds": round(estimate, 1),
                "model": entry.name,
                "model_path": str(entry.path),
                "engine": remote.server_root if remote else "local",
                "file": document.name,
                "format": document.format,
                "pages": document.pages,
                "characters": document.chars,
                "document_language": document.language,
                "summary_language": result.language,
                "chunk_tokens": result.chunk_tokens,
                "n_ctx": info.n_ctx,
                "reduce_rounds": result.reduce_rounds,
                "llm_calls": result.llm_calls,
                "prompt_tokens": result.prompt_tokens,
                "completion_tokens": result.completion_tokens,
                "prompt_tokens_per_s": result.prompt_tps,
                "tokens_per_s": result.decode_tps,
                "tokens_per_step": result.tokens_per_step,
                "partials": result.partials,
                "settings": request.to_dict(),
                "unsupported_count": len(result.unsupported),
                "unsupported_sentences": [c.to_dict() for c in result.unsupported],
            }
        )
    else:
        if result.cancelled and not result.summary:
            sys.stdout.write(result.display_text())
        sys.stdout.write("\n")
        if result.unsupported:
            sys.stdout.write(flagged_text(result.unsupported))
        sys.stdout.flush()
    if result.cancelled:
        _note(f"cancelled after {result.parts_done} of {result.chunks} part(s); the partial results are above")
        return 130
    return 0


def flagged_text(checks) -> str:
    """The flagged sentences under the summary: the count, then each with what the document does not state."""
    lines = ["", f"{flag_note(len(checks))}:"]
    for check in checks:
        missing = ", ".join(c.text for c in check.missing)
        lines.append(str(texts.translate("SummaryResult", "- {sentence} [not in the document: {missing}]").fill(
            sentence=check.sentence, missing=missing)))
    return "\n".join(lines) + "\n"


@contextmanager
def _ctrl_c_cancels():
    """Ctrl+C stops within a token and keeps what was summarised, instead of a KeyboardInterrupt."""
    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _keep(document, model: str, request: SummaryRequest, result, key: bytes | None = None) -> None:
    """History is a convenience: a read-only data dir must not cost the user their summary."""
    try:
        store = Store(paths.database_path(), key)
    except StorageError as exc:
        _note(f"not saved to history: {exc}")
        return
    try:
        save_summary(store, document, model, request, result)
    except StorageError as exc:
        _note(f"not saved to history: {exc}")
    finally:
        store.close()


def _show_progress(event: SummaryProgress) -> None:
    if event.phase == SummaryPhase.MAP and event.partial is None:
        basis = f"measured: {event.speed.decode_tps:.0f} tokens/s written" if event.eta_measured else "estimated"
        eta = f", about {format_duration(event.eta_s)} left ({basis})" if event.eta_s is not None else ""
        _note(f"part {event.part} of {event.parts}{eta}")
    elif event.phase == SummaryPhase.REDUCE:
        _note("combining partial summaries")


def add_yes_option(parser) -> None:
    parser.add_argument("--yes", action="store_true",
                        help=f"start even a job estimated at more than {LONG_JOB_SECONDS // 60} minutes without asking")


def refuse_long_job(estimate) -> None:
    """Without --yes a job past LONG_JOB_SECONDS is refused, with its estimate and how to start it anyway."""
    raise LongJobDeclined(estimate, texts.translate(
        "DocumentEstimate", "run it again with --yes to start it anyway, or give it a shorter document."))


def _note(text: str) -> None:
    # progress goes to stderr so stdout carries only the summary
    print(f"hearth: {text}", file=sys.stderr, flush=True)
