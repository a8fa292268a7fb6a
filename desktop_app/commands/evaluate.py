"""`hearth eval speed`: speed, memory and cost of installed models on this computer, as the Evaluate pane measures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.commands.workspace import add_passphrase_option, unlock_key
from desktop_app.core.evaluate.shapes import DEFAULT_REPS


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="measure what this computer can do with the installed models")
    sub = parser.add_subparsers(dest="eval_command", metavar="WHAT", required=True)
    speed = sub.add_parser("speed", help="speed, memory and cost of each model (the Evaluate pane's run)")
    speed.add_argument("--models", nargs="+", metavar="NAME", help="models to measure (default: every installed model)")
    speed.add_argument("--shapes", default="quick",
                       help="'quick' (default), 'localscore' (all nine) or PROMPT/GEN,... such as 1024/16,16/1536")
    speed.add_argument("--reps", type=int, default=DEFAULT_REPS, help="timed repetitions per shape (after an untimed warm-up)")
    speed.add_argument("--ctx", type=int, help="context length (default from settings)")
    speed.add_argument("--threads", type=int, help="CPU threads (default from settings)")
    speed.add_argument("--gpu-layers", help="'auto', 0 or a layer count (default from settings)")
    speed.add_argument("--images", type=Path, help="also time the vision models on this folder of images")
    speed.add_argument("--watts", type=float, help="power draw to assume when it cannot be measured")
    speed.add_argument("--price", type=float, default=0.30, help="electricity price per kWh (default 0.30)")
    speed.add_argument("--currency", default="EUR")
    speed.add_argument("--cloud-price", type=float, help="a cloud service's price per million tokens, to compare")
    speed.add_argument("--json", action="store_true", help="print the whole report as JSON")
    speed.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report")
    speed.add_argument("--pdf", type=Path, metavar="OUT", help="write the PDF report")
    speed.add_argument("--csv", type=Path, metavar="OUT", help="write every raw measurement as CSV")
    speed.add_argument("--save", type=Path, metavar="OUT", help="write the report JSON (to compare later)")
    speed.add_argument("--no-history", action="store_true", help="do not keep this run in the app's history")
    speed.add_argument("--engine", metavar="NAME|URL", help="time a model on a remote engine instead of local models")
    speed.add_argument("--api-key-file", type=Path, help="the API key for a one-off --engine URL")
    add_passphrase_option(speed)
    speed.set_defaults(func=run_speed)
    compare = sub.add_parser("compare", help="two reports side by side, with ratios (second / first)")
    compare.add_argument("reports", nargs=2, metavar="REPORT",
                         help="a report JSON (e.g. from another PC), or the number of a kept run ('eval history')")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    add_passphrase_option(compare)
    compare.set_defaults(func=run_compare)
    quality = sub.add_parser("quality", help="how well models do a task on your own data, side by side")
    quality.add_argument("--task", required=True, choices=["qa", "summary", "classify", "detect"])
    quality.add_argument("--data", required=True, type=Path, metavar="PATH",
                         help="qa: the question file (CSV/XLSX/JSONL); summary: a folder of documents with .summary.txt "
                              "files; classify: a folder per class; detect: images with a COCO .json or YOLO labels/")
    quality.add_argument("--models", nargs="+", metavar="NAME", help="2–4 models to compare (default: the default model for the task)")
    quality.add_argument("--limit", type=int, help="score only the first N items")
    quality.add_argument("--max-tokens", type=int, default=96, help="longest answer (qa; greedy decoding)")
    quality.add_argument("--json", action="store_true", help="per-model figures and per-item rows as JSON")
    quality.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report")
    quality.add_argument("--pdf", type=Path, metavar="OUT", help="write the PDF report")
    quality.add_argument("--csv", type=Path, metavar="OUT", help="write every item's scores as CSV")
    quality.add_argument("--no-history", action="store_true", help="do not keep this run in the app's history")
    add_passphrase_option(quality)
    quality.set_defaults(func=run_quality_command)
    history = sub.add_parser("history", help="the kept runs, newest first")
    history.add_argument("--json", action="store_true")
    add_passphrase_option(history)
    history.set_defaults(func=run_history)


def build_request(args: argparse.Namespace):
    from desktop_app.core.evaluate.cost import CostInputs
    from desktop_app.core.evaluate.runner import EvaluationRequest
    from desktop_app.core.evaluate.shapes import parse_shapes
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.host import load_options
    from desktop_app.core.settings import Settings

    settings = Settings.load()
    if args.ctx:
        settings.context_length = args.ctx
    if args.threads:
        settings.n_threads = args.threads
    if args.gpu_layers is not None:
        settings.gpu_layers = args.gpu_layers
    registry = ModelRegistry()
    if getattr(args, "engine", None):
        from desktop_app.commands.engines import engine_secrets
        from desktop_app.core.remote.engines import remote_model_for

        model = args.models[0] if args.models else None
        key, login = engine_secrets(args, settings)
        entries = [remote_model_for(settings, args.engine, key, model, login=login)]
    else:
        entries = [registry.resolve(name, "chat") for name in args.models] if args.models else [
            e for e in registry.list() if e.exists]
    return EvaluationRequest(
        language=[e for e in entries if getattr(e, "is_remote", False) or e.kind == "gguf"],
        vision=[e for e in entries if not getattr(e, "is_remote", False) and e.kind == "onnx"],
        shapes=parse_shapes(args.shapes),
        reps=max(1, args.reps),
        load=load_options(settings),
        image_folder=args.images,
        cost=CostInputs(price_per_kwh=args.price, currency=args.currency, watts=args.watts,
                        cloud_price_per_mtok=args.cloud_price),
    )


def run_speed(args: argparse.Namespace) -> int:
    from desktop_app.core.evaluate.runner import EvaluationRunner
    from desktop_app.core.llm.host import LlamaHost
    from desktop_app.core.settings import Settings

    request = build_request(args)
    key = None if args.no_history else unlock_key(args)  # asked before the work, not after
    if not args.no_history:
        request.expected = _with_store(key, _latest_predictions, default=[])
    host = LlamaHost(Settings.load()) if getattr(args, "engine", None) else LlamaHost()  # named engines live in settings
    try:
        report = EvaluationRunner(request, host, on_progress=_print_progress).run()
    finally:
        host.close()
        _forget_one_off_engines(request)
        print(file=sys.stderr)
    if not args.no_history:
        _with_store(key, lambda store: _keep(store, report), default=None)
    written = _write_report_files(report, args)
    if args.json:
        print_json(report.to_json())
    else:
        _print_table(report)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 130 if report.cancelled else 0


def _write_report_files(report, args: argparse.Namespace) -> list:
    """The report files the options ask for (--save JSON, --csv, --html, --pdf), in that order."""
    from desktop_app.core.evaluate import report as reports

    written = []
    if getattr(args, "save", None):
        written.append(reports.write_json(report, args.save))
    if args.csv:
        written.append(reports.write_csv(report, args.csv))
    if args.html:
        from desktop_app.core.evaluate.html import write_html

        written.append(write_html(report, args.html))
    if args.pdf:
        from desktop_app.core.evaluate.pdf import write_pdf

        written.append(write_pdf(report, args.pdf))
    return written


QUALITY_KINDS = {"qa": ("chat",), "summary": ("chat",), "classify": ("classify",), "detect": ("detect",)}


def run_quality_command(args: argparse.Namespace) -> int:
    from desktop_app.core.evaluate import report as reports
    from desktop_app.core.evaluate.machine import fingerprint
    from desktop_app.core.evaluate.quality.results import QualityTask
    from desktop_app.core.evaluate.quality.runners import QualityRequest, run_quality
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.host import LlamaHost, load_options
    from desktop_app.core.settings import Settings

    task = QUALITY_KINDS[args.task][0]
    registry = ModelRegistry()
    if args.models:
        entries = [registry.resolve(name, task) for name in args.models]
    else:
        entries = [registry.default(task)]
    wrong = next((e for e in entries if e.task != task), None)
    if wrong is not None:
        print(f"{wrong.name} cannot do '{args.task}' (it is for {wrong.task}); name {task} models.", file=sys.stderr)
        return 2
    if len(entries) > 4:
        print("Compare at most 4 models at once.", file=sys.stderr)
        return 2
    settings = Settings.load()
    request = QualityRequest(QualityTask(args.task), args.data, entries, load_options(settings), max(8, args.max_tokens),
                             args.limit, threads=settings.resolved_threads())
    key = None if args.no_history else unlock_key(args)
    host = LlamaHost(settings)
    try:
        run = run_quality(request, host, on_progress=_print_quality_progress)
    finally:
        host.close()
        print(file=sys.stderr)
    if not run.items and not run.cancelled:
        return _nothing_scored(run)
    report = reports.EvaluationReport(machine=fingerprint(), quality=[run], settings={"quality_task": args.task})
    if not args.no_history:
        _with_store(key, lambda store: _keep(store, report), default=None)
    written = _write_report_files(report, args)
    if args.json:
        print_json({"task": args.task, "data": str(args.data),
                    "models": [{"name": m.name, "overall": m.overall, "per_category": m.per_category, "items": m.items,
                                "seconds": m.seconds, "reason": m.reason} for m in run.models],
                    "items": [{"item": i.item, "model": i.model, "category": i.category, "output": i.output,
                               "expected": i.expected, "scores": i.scores, "seconds": i.seconds,
                               "needs_review": i.needs_review} for i in run.items],
                    "problems": [p.line() for p in run.problems]})
    else:
        _print_quality(run)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _nothing_scored(run) -> int:
    """No table of empty figures: the problems, then one sentence."""
    from desktop_app.core import texts
    from desktop_app.core.evaluate.quality.results import printable

    for problem in run.problems:
        print(f"problem: {problem.line()}", file=sys.stderr)
    if run.problems:
        sentence = texts.translate("EvaluateQuality", "nothing in {data} could be scored (the problems above say why); "
                                                      "no result was kept.")
    else:
        sentence = texts.translate("EvaluateQuality", "nothing in {data} could be scored; no result was kept.")
    print(f"hearth: {sentence.fill(data=printable(run.data))}", file=sys.stderr)
    return 1


def _print_quality_progress(p) -> None:
    from desktop_app.core.evaluate.quality.results import printable

    line = printable(f"[{p.done}/{p.total}] {p.model}: {p.text}")
    print(f"\r{line[:110]:<110}", end="", file=sys.stderr, flush=True)


def _print_quality(run) -> None:
    from desktop_app.core.evaluate.quality.results import METRIC_NAMES

    print(f"{'':<22}" + "".join(f"{m.name[:21]:>22}" for m in run.models))
    for metric in run.metrics():
        best = run.best(metric)
        cells = ""
        for m in run.models:
            value = run.value(m, metric)
            cell = "–" if value is None else f"{value:.3f}" + ("*" if m.name == best else "")
            cells += f"{cell:>22}"
        print(f"{METRIC_NAMES.get(metric, metric):<22}{cells}")
    print(f"{'items/s':<22}" + "".join(f"{m.items_per_s or 0:>22.2f}" for m in run.models))
    if len(run.models) > 1:
        print("(* best)")
    for problem in run.problems:
        print(f"problem: {problem.line()}")


def _with_store(key, action, default):
    """History is a convenience: a read-only data dir must not cost the user the run."""
    from desktop_app.core import paths
    from desktop_app.core.errors import StorageError
    from desktop_app.core.storage.store import Store

    try:
        store = Store(paths.database_path(), key)
    except StorageError as exc:
        print(f"history unavailable: {exc}", file=sys.stderr)
        return default
    try:
        return action(store)
    except StorageError as exc:
        print(f"history unavailable: {exc}", file=sys.stderr)
        return default
    finally:
        store.close()


def _latest_predictions(store) -> list[dict]:
    from desktop_app.core.evaluate.history import latest_predictions

    return latest_predictions(store)


def _keep(store, report) -> None:
    from desktop_app.core.evaluate.history import keep_report

    print(f"kept as run {keep_report(store, report)} (hearth eval history)", file=sys.stderr)


def _open_report(text: str, store_key):
    """A report file, else the number of a kept run."""
    from desktop_app.core import paths
    from desktop_app.core.evaluate.history import open_kept
    from desktop_app.core.evaluate.report import read_report
    from desktop_app.core.storage.store import Store

    if Path(text).exists() or not text.isdigit():
        return read_report(text)
    store = Store(paths.database_path(), store_key())
    try:
        return open_kept(store, int(text))
    finally:
        store.close()


def run_compare(args: argparse.Namespace) -> int:
    from desktop_app.core.evaluate.compare import compare_reports

    keys: list = []

    def key():  # asked once, and only when a kept run is named
        if not keys:
            keys.append(unlock_key(args))
        return keys[0]

    left, right = (_open_report(text, key) for text in args.reports)
    rows = compare_reports(left, right)
    if args.json:
        print_json({"left": {"report": args.reports[0], "machine": left.machine.to_json(), "created_at": left.created_at},
                    "right": {"report": args.reports[1], "machine": right.machine.to_json(), "created_at": right.created_at},
                    "rows": [{"model": r.model, "metric": r.metric, "left": r.left, "right": r.right, "ratio": r.ratio}
                             for r in rows]})
        return 0
    print(f"first:  {left.machine.cpu_model} ({args.reports[0]})")
    print(f"second: {right.machine.cpu_model} ({args.reports[1]})")
    print()
    print(f"{'model':<34}{'metric':<19}{'first':>11}{'second':>11}{'ratio':>8}")
    for r in rows:
        cells = "".join(f"{v:>11,.1f}" if v is not None else f"{'–':>11}" for v in (r.left, r.right))
        ratio = f"{r.ratio:>7.2f}x" if r.ratio is not None else f"{'–':>8}"
        print(f"{r.model[:33]:<34}{r.metric:<19}{cells}{ratio}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    import datetime

    from desktop_app.core import paths
    from desktop_app.core.evaluate.history import kept_runs
    from desktop_app.core.storage.store import Store

    store = Store(paths.database_path(), unlock_key(args))
    try:
        runs = kept_runs(store)
    finally:
        store.close()
    if args.json:
        print_json([{"id": r.id, "title": r.title, "created_at": r.created_at} for r in runs])
        return 0
    for r in runs:
        print(f"{r.id:>5}  {datetime.datetime.fromtimestamp(r.created_at):%Y-%m-%d %H:%M}  {r.title}")
    return 0


def _print_progress(p) -> None:
    eta = f", about {p.eta_s:.0f} s left" if p.eta_s is not None else ""
    line = f"[{p.model_index}/{p.model_count}] {p.model}: {p.step} ({p.elapsed_s:.0f} s{eta})"
    print(f"\r{line[:110]:<110}", end="", file=sys.stderr, flush=True)


def _print_table(report) -> None:
    from desktop_app.core.evaluate.language import aggregate

    for label, value in report.machine.rows():
        print(f"{label + ':':<13}{value}")
    print()
    print(f"{'model':<34}{'device':<7}{'prompt t/s':>11}{'gen t/s':>9}{'TTFT ms':>9}{'score':>7}  status")
    for m in report.language:
        a = aggregate(m)
        cells = (f"{a[0]:>11.1f}{a[1]:>9.1f}{a[2]:>9.0f}" if a else f"{'–':>11}{'–':>9}{'–':>9}")
        score = f"{m.score:>7.0f}" if m.score else f"{'–':>7}"
        print(f"{m.name[:33]:<34}{m.device:<7}{cells}{score}  {m.status.value}{': ' + m.reason if m.reason else ''}")
        for verdict in m.verdicts:
            print(f"    {verdict}")
    if report.vision:
        print()
        print(f"{'vision model':<34}{'provider':<9}{'single img/s':>13}{'folder img/s':>13}{'p50 ms':>8}{'p95 ms':>8}  status")
    for v in report.vision:
        p50 = v.latency_ms.median if v.latency_ms else None
        nums = "".join(f"{x:>{w}.1f}" if x is not None else f"{'–':>{w}}"
                       for x, w in ((v.single_ips, 13), (v.folder_ips, 13), (p50, 8), (v.p95_ms, 8)))
        print(f"{v.name[:33]:<34}{v.provider or '–':<9}{nums}  {v.status.value}{': ' + v.reason if v.reason else ''}")
    if report.predictions:
        print()
        print("What to download next (predicted for this computer):")
        print(f"{'model':<34}{'size GB':>8}{'prompt t/s':>11}{'gen t/s':>9}  fits")
        for p in report.predictions:
            print(f"{p['name'][:33]:<34}{p['size_bytes'] / 1e9:>8.1f}{p['prompt_tps']:>11.0f}{p['gen_tps']:>9.1f}  "
                  f"{'yes' if p['fits'] else 'no: ' + p['note']}")
        print(f"  ({report.predictions[0]['basis']})")
    for note in report.notes:
        print(note)


def _forget_one_off_engines(request) -> None:
    """An --engine URL was an engine for this run only (main() may run again in the same process)."""
    from desktop_app.core.remote import engines

    for entry in request.language:
        if getattr(entry, "is_remote", False) and engines.session_engine(entry.engine) is not None:
            engines.set_session_engine(None, name=entry.engine)
