"""Timing one ONNX model through the app's vision engine: single-image latency and folder throughput."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from desktop_app.core import texts
from desktop_app.core.errors import HearthError
from desktop_app.core.evaluate.machine import ResourceSampler
from desktop_app.core.evaluate.metrics import percentile, spread
from desktop_app.core.evaluate.report import RowStatus, VisionModelResult
from desktop_app.core.vision.batch import run_batch
from desktop_app.core.vision.engine import ACCELERATED_PROVIDERS, PROVIDER_NAMES, open_registry_engine
from desktop_app.core.vision.results import ImageFailure

WARMUP_RUNS = 2
FOLDER_MIN_IMAGES = 16  # the sample set is repeated up to this so throughput is not one image's noise


@dataclass
class VisionJob:
    entry: object  # a library ModelEntry
    images: list[Path]  # sample images plus the user's folder, if chosen
    runs: int  # timed single-image runs
    threads: int = 0


def why_not(available: list[str], active: str) -> list[str]:
    """A sentence for each accelerator that is not the one in use."""
    notes = []
    for provider in ACCELERATED_PROVIDERS:
        name = PROVIDER_NAMES[provider]
        if name == active:
            continue
        if provider not in available:
            notes.append(f"{name}: not in this onnxruntime build.")
        else:
            notes.append(f"{name}: offered by onnxruntime but did not start for this model.")
    return notes


def measure_vision(job: VisionJob, on_step: Callable[[str], None], cancel: threading.Event,
                   sha256: str | None, available: list[str]) -> VisionModelResult:
    entry = job.entry
    result = VisionModelResult(name=entry.name, path=str(entry.path), task=entry.task, sha256=sha256,
                               size_bytes=Path(entry.path).stat().st_size if Path(entry.path).is_file() else 0)
    if not job.images:
        result.status, result.reason = RowStatus.FAILED, "No images to measure with."
        return result
    with ResourceSampler() as sampler:
        try:
            on_step(texts.translate("EvaluateSteps", "loading"))
            engine = open_registry_engine(entry, threads=job.threads)
        except HearthError as exc:
            result.status, result.reason = RowStatus.FAILED, str(exc)
            return result
        try:
            result.provider = engine.provider
            result.provider_notes = list(engine.notes) + why_not(available, engine.provider)
            _time_single(engine, job, result, on_step, cancel)
            if not cancel.is_set():
                _time_folder(engine, job, result, on_step, cancel)
        except HearthError as exc:
            result.status, result.reason = RowStatus.FAILED, str(exc)
        finally:
            engine.close()
    result.peak_ram_bytes = sampler.result.peak_rss_bytes
    result.others_cpu_percent = sampler.result.others_cpu_percent
    if cancel.is_set() and result.status == RowStatus.OK:
        result.status = RowStatus.CANCELLED
    return result


def _time_single(engine, job: VisionJob, result: VisionModelResult, on_step, cancel) -> None:
    on_step(texts.translate("EvaluateSteps", "warming up"))
    for _ in range(WARMUP_RUNS):
        engine.run(engine.prepare(job.images[0]))
    latencies = []
    for i in range(job.runs):
        if cancel.is_set():
            break
        on_step(texts.translate("EvaluateSteps", "single image, run {i} of {n}").fill(i=i + 1, n=job.runs))
        image = job.images[i % len(job.images)]
        start = time.perf_counter()
        engine.run(engine.prepare(image))
        latencies.append((time.perf_counter() - start) * 1000)
    if latencies:
        result.latencies_ms = latencies
        result.latency_ms = spread(latencies)
        result.p95_ms = percentile(latencies, 95)
        result.single_ips = 1000 / result.latency_ms.median


def _time_folder(engine, job: VisionJob, result: VisionModelResult, on_step, cancel) -> None:
    images = list(job.images)
    while len(images) < FOLDER_MIN_IMAGES:
        images += job.images
    on_step(texts.translate("EvaluateSteps", "folder of {n} images").fill(n=len(images)))
    summary = run_batch(engine, images, engine.run, cancel=cancel)
    done = [r for r in summary.results if not isinstance(r, ImageFailure)]
    result.images = len(images)
    if done and summary.elapsed_s > 0 and not summary.cancelled:
        result.folder_ips = len(done) / summary.elapsed_s
    if summary.failures:
        result.provider_notes.append(f"{len(summary.failures)} of {len(images)} images could not be read.")
