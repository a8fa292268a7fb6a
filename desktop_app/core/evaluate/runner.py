"""One evaluation run: every chosen model in turn, progress and cancel, a report that is valid at any point.

A model that fails is a row with the reason and the run goes on; a model too large for memory
is a row with the estimate and is never loaded; cancelling keeps every finished row.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from desktop_app.core import paths, system
from desktop_app.core.evaluate.cost import CostInputs
from desktop_app.core.evaluate.language import WARMUP, LanguageJob, measure_language
from desktop_app.core.evaluate.machine import fingerprint
from desktop_app.core.evaluate.predict import check_predictions, predict_next
from desktop_app.core.evaluate.report import EvaluationReport, LanguageModelResult, RowStatus, VisionModelResult
from desktop_app.core.evaluate.shapes import DEFAULT_REPS, QUICK_SHAPES, Shape
from desktop_app.core.evaluate.vision import FOLDER_MIN_IMAGES, WARMUP_RUNS, VisionJob, measure_vision
from desktop_app.core.hashing import sha256_file
from desktop_app.core.library.remote import curated_models
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.llm.host import LlamaHost
from desktop_app.core.vision.images import collect_images

log = logging.getLogger(__name__)


def sample_images() -> list[Path]:
    """The images that ship with Hearth (the self-test photo)."""
    return [p for p in [paths.assets_dir() / "selftest-cat.jpg"] if p.is_file()]


@dataclass
class EvaluationRequest:
    language: list = field(default_factory=list)  # library ModelEntry objects (GGUF)
    vision: list = field(default_factory=list)  # library ModelEntry objects (ONNX)
    shapes: list[Shape] = field(default_factory=lambda: list(QUICK_SHAPES))
    reps: int = DEFAULT_REPS
    load: LoadOptions = field(default_factory=LoadOptions)  # the app's load settings
    cpu_row: bool = True  # when a GPU is used, measure CPU-only as a second row
    image_folder: Path | None = None
    vision_runs: int = 20
    cost: CostInputs = field(default_factory=CostInputs)
    expected: list[dict] = field(default_factory=list)  # an earlier run's predictions, checked when measured
    catalog: list[dict] | None = None  # models to predict for (None: the curated catalog)

    def settings_json(self) -> dict:
        return {"shapes": [s.key for s in self.shapes], "reps": self.reps, "n_ctx": self.load.n_ctx,
                "threads": self.load.n_threads, "gpu_layers": str(self.load.gpu_layers), "n_batch": self.load.n_batch,
                "vision_runs": self.vision_runs, "image_folder": str(self.image_folder or ""),
                "cost": self.cost.to_json(), "sampling": "greedy, end-of-text ignored (fixed lengths, as llama-bench)"}


@dataclass(frozen=True)
class EvaluationProgress:
    model_index: int  # 1-based
    model_count: int
    model: str
    step: str
    elapsed_s: float
    eta_s: float | None  # None until the pace is known (a few seconds of measured steps)
    done: float = 0.0  # work finished over the whole run, in the units of ``total`` (see step_weights)
    total: float = 1.0

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0


Row = LanguageModelResult | VisionModelResult

# Rough cost of each step in "one generated token" units, so the bar moves with the work and not with the
# step count: on a CPU a prompt token costs about an eighth of a generated one, loading a few dozen tokens,
# one image through a vision model about one token. The pace (and so the time left) is measured, not these.
PROMPT_TOKEN_COST = 1 / 8
LOAD_COST = 24.0
CHECKSUM_COST = 8.0
MIN_PACE_S = 3.0  # seconds of steps before a time left is shown


def step_weights(job, checksum: bool = False) -> list[float]:
    """The cost of each on_step() a job will report, in order (measure_language / measure_vision)."""
    weights = [CHECKSUM_COST] if checksum else []
    if isinstance(job, LanguageJob):
        weights += [LOAD_COST, WARMUP.prompt * PROMPT_TOKEN_COST + WARMUP.generate]
        for shape in job.shapes:
            weights += [shape.prompt * PROMPT_TOKEN_COST + shape.generate] * job.reps
    else:
        folder = max(FOLDER_MIN_IMAGES, len(job.images)) if job.images else 0
        weights += [LOAD_COST / 4, float(WARMUP_RUNS)] + [1.0] * job.runs + [float(folder)]
    return weights


def gpu_in_use(load: LoadOptions) -> bool:
    offload = system.llama_capabilities()[0]
    return offload and load.gpu_layers not in (0, "0") and bool(system.nvidia_gpus() or system.apple_gpus())


class EvaluationRunner:
    def __init__(self, request: EvaluationRequest, host: LlamaHost, *,
                 on_progress: Callable[[EvaluationProgress], None] | None = None,
                 on_row: Callable[[Row], None] | None = None, cancel: threading.Event | None = None):
        self.request = request
        self.host = host
        self.on_progress = on_progress or (lambda _p: None)
        self.on_row = on_row or (lambda _r: None)
        self.cancel = cancel or threading.Event()
        self._start = 0.0
        self._total = 1.0
        self._done_before = 0.0

    def jobs(self) -> list[LanguageJob | VisionJob]:
        r = self.request
        jobs: list[LanguageJob | VisionJob] = []
        devices = ["GPU", "CPU"] if gpu_in_use(r.load) else ["CPU"]
        if devices[0] == "GPU" and not r.cpu_row:
            devices = ["GPU"]
        for entry in r.language:
            for device in devices:
                options = r.load if device == "GPU" else _cpu_only(r.load)
                jobs.append(LanguageJob(entry, device, options, list(r.shapes), r.reps, r.cost))
        images = sample_images() + (collect_images([r.image_folder]) if r.image_folder else [])
        jobs += [VisionJob(entry, images, r.vision_runs, r.load.n_threads) for entry in r.vision]
        return jobs

    def run(self) -> EvaluationReport:
        self._start = time.perf_counter()
        report = EvaluationReport(machine=fingerprint(), settings=self.request.settings_json())
        jobs = self.jobs()
        plans = [step_weights(job, checksum=not getattr(job.entry, "sha256", None)) for job in jobs]
        self._total = sum(map(sum, plans)) or 1.0
        self._done_before = 0.0
        available = system.onnx_providers()
        for index, (job, plan) in enumerate(zip(jobs, plans), 1):
            if self.cancel.is_set():
                break
            step = self._stepper(index, len(jobs), job.entry.name, plan)
            sha = self._sha256(job.entry, step)
            if isinstance(job, LanguageJob):
                row = measure_language(job, self.host, step, self.cancel, sha)
            else:
                row = measure_vision(job, step, self.cancel, sha, available)
            if row.status == RowStatus.CANCELLED and not _measured(row):
                break  # cancelled before it measured anything: not a row
            (report.language if isinstance(row, LanguageModelResult) else report.vision).append(row)
            self._done_before += sum(plan)  # steps a model skipped (did not fit, failed) count as done
            report.elapsed_s = time.perf_counter() - self._start
            self.on_row(row)
        report.cancelled = self.cancel.is_set()
        report.elapsed_s = time.perf_counter() - self._start
        if report.cancelled:
            report.notes.append("The run was cancelled; the report holds the models that finished.")
        check_predictions(report, self.request.expected)
        catalog = self.request.catalog if self.request.catalog is not None else curated_models()
        report.predictions = predict_next(report, catalog)
        return report

    def _stepper(self, index: int, count: int, name: str, plan: list[float]) -> Callable[[str], None]:
        """on_step for one job: each call starts the next planned step, so the steps before it are done."""
        started = [0]

        def step(text: str) -> None:
            done = self._done_before + sum(plan[: started[0]])
            started[0] += 1
            elapsed = time.perf_counter() - self._start
            eta = None
            if done > 0 and elapsed >= MIN_PACE_S:  # the work left goes at the pace measured so far
                eta = elapsed / done * max(0.0, self._total - done)
            self.on_progress(EvaluationProgress(index, count, name, text, elapsed, eta, done, self._total))

        return step

    def _sha256(self, entry, step) -> str | None:
        if getattr(entry, "sha256", None):
            return entry.sha256
        step("checksum")
        try:
            return sha256_file(Path(entry.path))
        except OSError:
            return None


def _measured(row: Row) -> bool:
    if isinstance(row, LanguageModelResult):
        return any(s.reps for s in row.shapes)
    return bool(row.latencies_ms)


def _cpu_only(load: LoadOptions) -> LoadOptions:
    from dataclasses import replace

    return replace(load, gpu_layers=0)
