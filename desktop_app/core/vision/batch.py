"""Run one resident engine over many images: decode ahead on a small pool, infer in order.

Decoding and preprocessing (PIL/OpenCV, which release the GIL) run on ``workers``
threads up to ``prefetch`` images ahead while the calling thread runs the model, so
disk and CPU decoding overlap inference. A file that fails is reported through
``on_item`` as an :class:`ImageFailure` and the batch goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.errors import HearthError
from desktop_app.core.vision.engine import PreparedImage, VisionEngine
from desktop_app.core.vision.images import LoadedImage
from desktop_app.core.vision.results import ImageFailure

log = logging.getLogger(__name__)

Source = Path | str | LoadedImage


@dataclass(frozen=True)
class BatchProgress:
    done: int  # processed, including failures
    total: int
    failed: int
    elapsed_s: float
    current: str = ""

    @property
    def images_per_s(self) -> float:
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        rate = self.images_per_s
        return (self.total - self.done) / rate if rate > 0 else None


@dataclass
class BatchSummary:
    results: list = field(default_factory=list)
    failures: list[ImageFailure] = field(default_factory=list)
    cancelled: bool = False
    elapsed_s: float = 0.0

    @property
    def processed(self) -> int:
        return len(self.results)


def source_name(source: Source) -> str:
    return source.source if isinstance(source, LoadedImage) else str(source)


def label_for(image: str, roots: Iterable[Path | str]) -> str:
    """The image as the user will recognise it: relative to the folder they gave, else as named."""
    path = Path(image)
    for root in map(Path, roots):
        if root != path and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return image


def failure_line(failure: ImageFailure, roots: Iterable[Path | str]) -> str:
    """The failure's sentence naming the file by its path inside the folder, so two 'IMG_0001.jpg'
    in different subfolders can be told apart (the sentence itself starts with the bare file name)."""
    label = label_for(failure.image, roots)
    name = Path(failure.image).name
    message = failure.message
    if message.startswith(f"{name}:"):
        return label + message[len(name) :]
    return f"{label}: {message}"


def run_batch(
    engine: VisionEngine,
    sources: Iterable[Source],
    process: Callable[[PreparedImage], object],
    *,
    on_item: Callable[[object], None] | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int = 2,
    prefetch: int = 4,
) -> BatchSummary:
    sources = list(sources)
    summary = BatchSummary()
    start = time.perf_counter()
    pending: deque[tuple[Source, Future]] = deque()
    queue = iter(sources)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="vision-prefetch") as pool:

        def top_up() -> None:
            while len(pending) < max(1, prefetch):
                source = next(queue, None)
                if source is None:
                    return
                pending.append((source, pool.submit(engine.prepare, source)))

        top_up()
        while pending:
            if cancel is not None and cancel.is_set():
                summary.cancelled = True
                for _, future in pending:
                    future.cancel()
                break
            source, future = pending.popleft()
            top_up()
            item = _process_one(source, future, process)
            (summary.failures if isinstance(item, ImageFailure) else summary.results).append(item)
            if on_item is not None:
                on_item(item)
            if on_progress is not None:
                done = len(summary.results) + len(summary.failures)
                on_progress(BatchProgress(done, len(sources), len(summary.failures), time.perf_counter() - start, source_name(source)))
    summary.elapsed_s = time.perf_counter() - start
    return summary


def _process_one(source: Source, future: Future, process: Callable[[PreparedImage], object]) -> object:
    name = source_name(source)
    try:
        return process(future.result())
    except HearthError as exc:
        return ImageFailure(name, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
        log.exception("vision: %s failed", name)
        return ImageFailure(name, f"{Path(name).name}: could not be processed ({type(exc).__name__}: {exc}).")
