"""`hearth models ...`: the model library from the command line."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.core.library.download import DownloadProgress, DownloadState
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.gguf_info import format_parameters
from desktop_app.core.hashing import sha256_file
from desktop_app.core.units import format_duration, format_size
from desktop_app.core.library.registry import KIND_BY_SUFFIX, ModelDetails, ModelRegistry, entry_for_path


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list and manage installed models")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list installed models")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    info = actions.add_parser("info", help="show what a model file says about itself")
    info.add_argument("model", metavar="NAME|PATH")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=run_info)
    importing = actions.add_parser("import", help="validate a .gguf or .onnx file and add it to the library")
    importing.add_argument("path")
    importing.add_argument("--name")
    importing.add_argument("--in-place", action="store_true", help="register the file where it is instead of copying it")
    importing.add_argument("--task", choices=["chat", "classify", "detect"])
    importing.set_defaults(func=run_import)
    remove = actions.add_parser("remove", help="remove an imported or downloaded model")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)
    download = actions.add_parser("download", help="download a model into the library")
    source = download.add_mutually_exclusive_group(required=True)
    source.add_argument("--url")
    source.add_argument("--hf", nargs=2, metavar=("REPO", "FILE"))
    download.add_argument("--sha256")
    download.add_argument("--name")
    download.add_argument("--revision", help="Hugging Face branch, tag or commit (default: main)")
    download.set_defaults(func=run_download)
    curated = actions.add_parser("curated", help="list suggested models to download")
    curated.add_argument("--json", action="store_true")
    curated.set_defaults(func=run_curated)
    verify = actions.add_parser("verify", help="check the bundled default models against their sha256")
    verify.set_defaults(func=run_verify)


def _summary(d: ModelDetails) -> str:
    data = d.to_json()
    if d.entry.kind == "gguf" and "architecture" in data:
        return f"{data['architecture']} {format_parameters(data['parameter_count'])} {data['quantization']} ctx {data['context_length']}"
    if d.entry.kind == "onnx" and "opset" in data:
        return f"opset {data['opset']} {data['label_count']} labels {data['decoder'] or ''}".rstrip()
    return data.get("error") or ""


def run_list(args: argparse.Namespace) -> int:
    details = ModelRegistry().details()
    if args.json:
        print_json([d.to_json() for d in details])
        return 0
    width = max((len(d.entry.name) for d in details), default=4)
    for d in details:
        e = d.entry
        state = "" if e.exists else "  (missing)"
        print(f"{e.name:<{width}}  {e.kind:<4}  {e.task:<8}  {e.size_bytes / 1e6:8.1f} MB  {e.source:<10}  {_summary(d)}{state}")
    return 0


def _details_for(registry: ModelRegistry, model: str) -> ModelDetails:
    candidate = Path(model).expanduser()
    if candidate.suffix.lower() in KIND_BY_SUFFIX and candidate.exists():
        return registry.describe(entry_for_path(candidate))
    return registry.describe(registry.get(model))


def run_info(args: argparse.Namespace) -> int:
    details = _details_for(ModelRegistry(), args.model)
    data = details.to_json()
    if details.metadata and details.metadata.gguf:
        from desktop_app.core.llm.memory import estimate_gguf_memory

        g = details.metadata.gguf
        data.update(embedding_length=g.embedding_length, head_count=g.head_count, head_count_kv=g.head_count_kv,
                    vocab_size=g.vocab_size, kv_bytes_per_token=g.kv_bytes_per_token())
        data["memory_estimate"] = estimate_gguf_memory(g, None, 0).to_json()
    if args.json:
        print_json(data)
        return 0
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            continue
        print(f"{key:>20}: {value}")
    for tensor_key in ("inputs", "outputs"):
        for t in data.get(tensor_key, []):
            print(f"{tensor_key[:-1]:>20}: {t['name']} {t['shape']} {t['dtype']}")
    if "memory_estimate" in data:
        m = data["memory_estimate"]
        print(f"{'memory at full ctx':>20}: {m['ram_bytes'] / 1e9:.2f} GB resident, {m['ram_peak_bytes'] / 1e9:.2f} GB peak "
              f"({'fits' if m['fits'] else 'does NOT fit'} in {m['ram_available_bytes'] / 1e9:.1f} GB available)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from desktop_app.core.library.importing import import_model

    entry = import_model(ModelRegistry(), args.path, name=args.name, copy=not args.in_place, task=args.task)
    where = "registered in place" if args.in_place else f"copied to {entry.path}"
    print(f"Imported '{entry.name}' ({entry.kind}, {entry.task}): {where}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from desktop_app.core.settings import Settings

    entry = ModelRegistry().remove(args.name)
    settings = Settings.load()
    if settings.default_models.get(entry.task) == entry.name:
        del settings.default_models[entry.task]
        settings.save()
    kept = " (the file was left where it is)" if entry.extra.get("in_place") else ""
    print(f"Removed '{entry.name}'{kept}.")
    return 0


class ProgressLine:
    """One self-overwriting line on stderr: percent, size, speed and time left."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.interactive = stream.isatty()
        self._last_state = ""

    def __call__(self, p: DownloadProgress) -> None:
        if not self.interactive and p.state == self._last_state and p.state == DownloadState.DOWNLOADING:
            return  # a log file gets one line per state, not hundreds
        self._last_state = p.state
        total = f" / {format_size(p.total_bytes)}" if p.total_bytes else ""
        percent = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
        speed = f"  {p.speed_bps / 1e6:.1f} MB/s" if p.speed_bps else ""
        eta = f"  {format_duration(p.eta_s)} left" if p.eta_s is not None else ""
        source = f"  from {p.host}" if p.host and p.state == DownloadState.DOWNLOADING else ""
        line = f"{p.state:<11} {percent}{format_size(p.downloaded_bytes)}{total}{speed}{eta}{source}"
        self.stream.write(("\r" + line.ljust(72)) if self.interactive else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")


def run_download(args: argparse.Namespace) -> int:
    from desktop_app.core.library.remote import download_model, remote_from_hf, remote_from_url

    remote = remote_from_hf(args.hf[0], args.hf[1], args.revision, args.sha256) if args.hf else remote_from_url(args.url, args.sha256)
    progress = ProgressLine()
    cancel = threading.Event()
    try:
        entry = download_model(ModelRegistry(), remote, name=args.name, on_progress=progress, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()  # the partial file stays in the library's .partial folder; the next run resumes it
        raise
    finally:
        progress.close()
    verified = "sha256 verified" if entry.extra.get("sha256_verified") else f"sha256 {entry.sha256} (not checked: none was given)"
    print(f"Downloaded '{entry.name}' to {entry.path} ({entry.size_bytes / 1e6:.1f} MB, {verified}).")
    return 0


def run_curated(args: argparse.Namespace) -> int:
    from desktop_app.core.library.remote import curated_models

    models = curated_models()
    if args.json:
        print_json(models)
        return 0
    for m in models:
        print(f"{m['name']:<34} ~{m['approx_size_gb']:.1f} GB  {m['license']:<28} --hf {m['repo']} {m['file']}")
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
