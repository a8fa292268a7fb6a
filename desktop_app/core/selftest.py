"""`hearth self-test`: every bundled default model loaded and used for one real job.

One job per pane (Models, Chat, Summarize, Classify, Detect); every bundled vision
model gets its own job, so a default added to ``models/defaults.json`` is tested
without touching this file. A job that fails is recorded with its message and the
rest still run. Time is wall-clock including the model load; peak RSS is the
process's high-water mark after the job (it only grows).
"""

from __future__ import annotations

import logging
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from desktop_app.core import paths
from desktop_app.core.hashing import sha256_file
from desktop_app.core.library.registry import ModelEntry, ModelRegistry
from desktop_app.core.settings import Settings
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

TEST_IMAGE = "selftest-cat.jpg"  # Chelsea the cat, CC0 (see assets/selftest-cat.LICENSE.txt)
CAT_LABELS = {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat", "cat"}
CHAT_PROMPT = "What is the capital of France? Answer in one word."
CHAT_MAX_TOKENS = 16
SELFTEST_CTX = 2048  # enough for the built-in text; keeps the KV cache small
SUMMARY_TEXT = (
    "Hearth is a desktop application that runs artificial intelligence models on the user's own "
    "computer. It can chat with a language model, summarize long documents, say what is in a photo "
    "and draw boxes around the objects it finds. Nothing is sent to a server: the models are files "
    "on the disk, loaded into memory when a pane needs them. The application ships with small "
    "default models so that it works offline straight after installation, and users can add "
    "larger models they download themselves. Because everything runs locally, the speed depends "
    "on the processor and on the amount of memory available, and the application shows how fast "
    "each model runs so that users can choose the one that suits their machine."
)


@dataclass
class JobResult:
    job: str
    model: str
    ok: bool
    result: str
    seconds: float
    peak_rss_mb: float

    def to_json(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        return data


class CheckFailed(Exception):
    """A job ran but its output is wrong."""


def peak_rss_mb() -> float:
    if sys.platform == "win32":
        import psutil

        return psutil.Process().memory_info().peak_wset / 2**20
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB elsewhere


def test_image_path() -> Path:
    return paths.assets_dir() / TEST_IMAGE


class SelfTest:
    def __init__(self, registry: ModelRegistry | None = None, settings: Settings | None = None):
        self.registry = registry or ModelRegistry()
        self.settings = settings or Settings()  # defaults, not the user's tweaks: a known baseline
        self.bundled = [e for e in self.registry.list() if e.source == "bundled"]
        self._host = None  # one LlamaHost shared by the chat and summary jobs

    def jobs(self) -> list[tuple[str, str, Callable[[], str]]]:
        """(job, model, run) in order; run returns the one-line result or raises."""
        jobs: list[tuple[str, str, Callable[[], str]]] = [
            ("models", f"{len(self.bundled)} bundled", self.verify_models)
        ]
        chat = self._first("chat")
        if chat is not None:
            jobs.append(("chat", chat.name, lambda: self.chat(chat)))
            jobs.append(("summarize", chat.name, lambda: self.summarize(chat)))
        for entry in self.bundled:
            if entry.kind == "onnx":
                jobs.append((entry.task, entry.name, lambda e=entry: self.vision(e)))
        return jobs

    def run(self, on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        results = []
        try:
            for job, model, fn in self.jobs():
                result = self._timed(job, model, fn)
                results.append(result)
                if on_result:
                    on_result(result)
        finally:
            self.close()
        return results

    def _timed(self, job: str, model: str, fn: Callable[[], str]) -> JobResult:
        start = time.perf_counter()
        try:
            text, ok = fn(), True
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure and goes on
            log.exception("self-test job %s (%s) failed", job, model)
            text, ok = f"{type(exc).__name__}: {exc}".splitlines()[0][:300], False
        return JobResult(job, model, ok, text, time.perf_counter() - start, peak_rss_mb())

    def _first(self, task: str) -> ModelEntry | None:
        return next((e for e in self.bundled if e.task == task), None)

    # jobs

    def verify_models(self) -> str:
        if not self.bundled:
            raise CheckFailed(translate("Errors", "no bundled models found under {bundled_dir}").fill(bundled_dir=self.registry.bundled_dir))
        for entry in self.bundled:
            if not entry.exists:
                raise CheckFailed(translate("Errors", "{name}: file missing at {path}").fill(name=entry.name, path=entry.path))
            if entry.sha256 and sha256_file(entry.path) != entry.sha256:
                raise CheckFailed(translate("Errors", "{name}: sha256 does not match").fill(name=entry.name))
        total = sum(e.path.stat().st_size for e in self.bundled)
        return f"{len(self.bundled)} files, {total / 1e6:.0f} MB, sha256 ok"

    def _llm(self, entry: ModelEntry):
        from desktop_app.core.llm.host import LlamaHost, load_options

        if self._host is None:
            self._host = LlamaHost(self.settings)
        options = load_options(self.settings)
        options.n_ctx = SELFTEST_CTX
        self._host.ensure(entry, options)
        return self._host.engine

    def chat(self, entry: ModelEntry) -> str:
        from desktop_app.core.sampling import SamplingParams
        from desktop_app.core.llm.types import ChatMessage

        engine = self._llm(entry)
        sampling = SamplingParams(temperature=0, max_tokens=CHAT_MAX_TOKENS, seed=0)
        result = engine.chat([ChatMessage("user", CHAT_PROMPT)], sampling)
        reply = " ".join(result.text.split())
        if not reply or result.stats.completion_tokens < 1:
            raise CheckFailed(translate("Errors", "the model produced no reply"))
        return f"{reply[:60]!r} ({result.stats.completion_tokens} tokens, {result.stats.tokens_per_s:.0f} tok/s)"

    def summarize(self, entry: ModelEntry) -> str:
        from desktop_app.core.documents.load import document_from_text
        from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest

        engine = self._llm(entry)
        document = document_from_text(SUMMARY_TEXT, "self-test text")
        result = DocumentSummarizer(engine, document, SummaryRequest(target_words=30)).run()
        summary = " ".join(result.summary.split())
        if not summary or result.cancelled:
            raise CheckFailed(translate("Errors", "the summary is empty"))
        return f"{len(summary.split())} words: {summary[:50]!r}"

    def vision(self, entry: ModelEntry) -> str:
        from desktop_app.core.vision import open_registry_engine

        image = test_image_path()
        with open_registry_engine(entry) as engine:
            knows_cats = bool(CAT_LABELS & set(engine.spec.labels or []))
            if entry.task == "classify":
                return _check_classification(engine.classify(image, k=5), knows_cats)
            return _check_detection(engine.detect(image), knows_cats)

    def close(self) -> None:
        if self._host is not None:
            self._host.close()
            self._host = None


def _check_classification(result, knows_cats: bool) -> str:
    if not result.predictions or not all(math.isfinite(p.score) for p in result.predictions):
        raise CheckFailed(translate("Errors", "no predictions"))
    labels = [p.label for p in result.predictions]
    if knows_cats and not CAT_LABELS & set(labels):
        raise CheckFailed(translate("Errors", "the test cat was classified as {value}").fill(value=', '.join(labels[:3])))
    return f"{result.top.label} {result.top.score:.2f}"


def _check_detection(result, knows_cats: bool) -> str:
    labels = [d.label for d in result.detections]
    if knows_cats and "cat" not in labels:
        raise CheckFailed(translate("Errors", "no cat found in the test image (found: {value})").fill(value=', '.join(labels) or 'nothing'))
    best = max(result.detections, key=lambda d: d.score, default=None)
    found = f"{best.label} {best.score:.2f}" if best else "nothing"
    return f"{len(labels)} found, best {found}"
