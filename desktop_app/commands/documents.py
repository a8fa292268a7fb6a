"""`hearth ask` and `hearth extract`: a question or a field list over whole documents and folders."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.commands import print_json, resolve_model, settings_from_args, write_stdout
from desktop_app.commands.engines import add_engine_options, remote_engine_from_args
from desktop_app.commands.summarize import _ctrl_c_cancels, _note, add_yes_option, refuse_long_job
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.documents.ask import check_question
from desktop_app.core.documents.batch import AskRow, ask_many, collect_files, extract_many
from desktop_app.core.documents.extract import ExtractionRow, parse_fields
from desktop_app.core.documents.reading import ReadProgress
from desktop_app.core.documents.tables import to_csv, to_json
from desktop_app.core.llm.host import LlamaHost, load_options
from desktop_app.core.units import format_duration


def register(subparsers) -> None:
    ask = subparsers.add_parser("ask", help="ask a question of whole documents or folders; answers cite pages, and "
                                            "every number, date and name in them is checked against the cited passages")
    _common(ask)
    ask.add_argument("--question", "-q", required=True, help="what you want to know")
    ask.add_argument("--every-page", action="store_true",
                     help="read every page, not only the passages that share the question's words (slower)")
    ask.set_defaults(func=run_ask)
    extract = subparsers.add_parser("extract", help="extract named fields from documents into a table, one row per document")
    _common(extract)
    extract.add_argument("--fields", required=True, help='comma-separated, e.g. "party, start date, amount"')
    extract.add_argument("--csv", metavar="OUT", help="also write the table to this CSV file")
    extract.set_defaults(func=run_extract)


def _common(parser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="documents, or folders of them")
    parser.add_argument("--model", help="model name from `hearth models list`, or a path to a .gguf file")
    parser.add_argument("--language", default="auto", help="'auto' (each document's language), en, zh or a name")
    parser.add_argument("--ctx", type=int, help="context length in tokens (default from settings)")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    add_yes_option(parser)
    add_engine_options(parser)


def run_ask(args: argparse.Namespace) -> int:
    question = check_question(args.question)
    files = collect_files(args.inputs)
    rows = _with_engine(args, lambda engine, cancel: ask_many(
        engine, files, question, on_row=None if args.json else _print_answer,
        on_progress=None if args.json else _show_progress, cancel=cancel, language=args.language,
        confirm=None if args.yes else refuse_long_job, speed=_speed(engine, args), thorough=args.every_page,
    ))
    if args.json:
        print_json({"question": question, "documents": [r.to_dict() for r in rows]})
    return _exit_code(rows, len(files), [r.error for r in rows], any(r.result and r.result.cancelled for r in rows))


def run_extract(args: argparse.Namespace) -> int:
    fields = parse_fields(args.fields)
    files = collect_files(args.inputs)
    rows = _with_engine(args, lambda engine, cancel: extract_many(
        engine, files, fields, on_row=None if args.json else _print_row,
        on_progress=None if args.json else _show_progress, cancel=cancel, language=args.language,
        confirm=None if args.yes else refuse_long_job, speed=_speed(engine, args),
    ))
    if args.csv:
        write_text_atomic(Path(args.csv), to_csv(rows, fields))
        _note(f"table written to {args.csv}")
    if args.json:
        write_stdout(to_json(rows, fields))
    return _exit_code(rows, len(files), [r.error for r in rows], any(r.cancelled for r in rows))


def _speed(engine, args):
    from desktop_app.core.documents.summarize import Throughput

    return Throughput.assumed(engine.info, settings_from_args(args).resolved_threads())


def _with_engine(args, work):
    settings = settings_from_args(args)
    remote = remote_engine_from_args(args, settings)
    if remote is not None:
        try:
            with _ctrl_c_cancels() as cancel:
                return work(remote, cancel)
        finally:
            remote.close()
    entry = resolve_model(args, "chat", settings)
    host = LlamaHost(settings)
    try:
        host.ensure(entry, load_options(settings))
        with _ctrl_c_cancels() as cancel:
            return work(host.engine, cancel)
    finally:
        host.close()


def _exit_code(rows, expected: int, errors: list[str], cancelled: bool) -> int:
    if cancelled or len(rows) < expected:
        _note(f"cancelled after {len(rows)} of {expected} document(s); the results so far are above")
        return 130
    failed = sum(1 for e in errors if e)
    if failed:
        _note(f"{failed} of {expected} document(s) could not be read (reasons above)")
        return 1 if failed == expected else 0
    return 0


def _print_answer(row: AskRow) -> None:
    if row.error:
        print(f"{row.document}: {row.error}", flush=True)
        return
    print(f"== {row.document}\n{row.result.display_text()}\n", flush=True)


def _print_row(row: ExtractionRow) -> None:
    if row.error:
        print(f"{row.document}: {row.error}", flush=True)
        return
    cells = "; ".join(
        f"{name}: {row.cells[name].value} ({row.cells[name].location.label})" if row.cells[name].value else f"{name}: —"
        for name in row.fields
    )
    print(f"{row.document}: {cells} [{row.read_text()}]", flush=True)


def _show_progress(event: ReadProgress) -> None:
    eta = f", about {format_duration(event.eta_s)} left" if event.eta_s is not None and event.step else ""
    _note(f"{event.document}: {event.coverage.sentence()}{eta}")

