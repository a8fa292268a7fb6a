"""`hearth classify ...` and `hearth detect ...`: images or folders through an ONNX model.

Each failed image is one plain line on stderr; the batch goes on. The exit status is
non-zero only when no image at all could be processed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.commands import print_json, resolve_model
from desktop_app.core.errors import HearthError
from desktop_app.core.settings import Settings
from desktop_app.core.vision import collect_images, open_registry_engine, run_batch
from desktop_app.core.vision.batch import failure_line
from desktop_app.core.vision.export import save_annotated


class NothingProcessed(HearthError):
    exit_code = 1


def register(subparsers) -> None:
    classify = subparsers.add_parser("classify", help="say what is in images (ImageNet classes by default)")
    _common(classify)
    classify.add_argument("--top-k", type=int, default=5, help="labels per image (default 5)")
    classify.set_defaults(func=run_classify)
    detect = subparsers.add_parser("detect", help="find and box objects in images (COCO classes by default)")
    _common(detect)
    detect.add_argument("--conf", type=float, default=0.3, help="confidence threshold, 0.05-1 (default 0.3)")
    detect.add_argument("--iou", type=float, default=0.5, help="NMS IoU threshold, 0-1 (default 0.5)")
    detect.add_argument("--save-annotated", type=Path, metavar="DIR", help="write annotated images here")
    detect.set_defaults(func=run_detect)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="+", metavar="IMAGE_OR_DIR", help="image files or folders (searched recursively)")
    parser.add_argument("--model", help="model name from `hearth models list`, or a path to an .onnx file")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _engine(args: argparse.Namespace, task: str):
    entry = resolve_model(args, task, Settings.load())
    if entry.kind != "onnx":
        raise HearthError(f"{entry.name} is not an ONNX vision model.")
    return open_registry_engine(_as_task(entry, task))


def _as_task(entry, task: str):
    from dataclasses import replace

    return entry if entry.task == task else replace(entry, task=task)


def _images(args: argparse.Namespace) -> list[Path]:
    missing = [p for p in args.images if not Path(p).exists()]
    for path in missing:
        print(f"hearth: {path}: no such file or folder", file=sys.stderr)
    images = collect_images([p for p in args.images if Path(p).exists()])
    if not images:
        raise NothingProcessed("No images to process.")
    return images


def _report(summary, total: int, roots: list[str]) -> None:
    for failure in summary.failures:
        print(f"hearth: {failure_line(failure, roots)}", file=sys.stderr)
    if not summary.results:
        raise NothingProcessed(f"None of the {total} images could be processed.")


def run_classify(args: argparse.Namespace) -> int:
    if args.top_k < 1:
        raise HearthError("--top-k must be at least 1.")
    images = _images(args)
    with _engine(args, "classify") as engine:
        summary = run_batch(engine, images, lambda prepared: engine.run(prepared, args.top_k))
    if args.json:
        print_json([r.to_json() for r in summary.results])
    else:
        for result in summary.results:
            tops = ", ".join(f"{p.label} {p.score:.3f}" for p in result.predictions)
            print(f"{result.image}: {tops}")
    _report(summary, len(images), args.images)
    return 0


def run_detect(args: argparse.Namespace) -> int:
    if not (0.0 < args.conf <= 1.0) or not (0.0 < args.iou <= 1.0):
        raise HearthError("--conf and --iou must be between 0 and 1.")
    images = _images(args)
    with _engine(args, "detect") as engine:
        summary = run_batch(engine, images, lambda prepared: engine.run(prepared, args.conf, args.iou))
    if args.save_annotated and summary.results:
        save_annotated(summary.results, args.save_annotated)
    if args.json:
        print_json([r.to_json() for r in summary.results])
    else:
        for result in summary.results:
            found = ", ".join(f"{d.label} {d.score:.2f}" for d in result.detections) or "nothing found"
            print(f"{result.image}: {found}")
    _report(summary, len(images), args.images)
    return 0
