"""One pass over every chunk of a document, the part Ask and Extract share.

The chunks are the summarizer's (chunking.split_into_chunks); this plans them
for a per-chunk prompt, counts what was read in the reader's own unit (PDF
pages, else parts), times the calls for an ETA, and stops between and inside
calls when the cancel event is set.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from desktop_app.core.documents.chunking import Chunk, chunk_budget, split_into_chunks
from desktop_app.core.documents.estimate import JobEstimate, estimate_tokens, parts_for
from desktop_app.core.documents.load import Document
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.types import ChatMessage, StopReason
from desktop_app.core.sampling import SamplingParams

MARGIN_TOKENS = 32
EXPECTED_ANSWER_FILL = 0.7  # as summaries: answers usually stop before their token limit
# smaller chunks cost more calls but keep a small model's attention on the passage
DEFAULT_CHUNK_TOKENS = 768
# constrained output is copied, not written: greedy decoding picks the most likely allowed token
CONSTRAINED_SAMPLING = SamplingParams(temperature=0.0, top_p=1.0, top_k=0, repeat_penalty=1.0, seed=42)


class ReadingError(HearthError):
    pass


class Cancelled(Exception):
    pass


@dataclass
class Coverage:
    """"Read 37 of 40 pages": always shown, so nothing is skipped unseen."""

    unit: str  # "pages" (PDF) or "parts"
    read: int
    total: int

    def sentence(self) -> str:
        return f"Read {self.read} of {self.total} {self.unit}"


@dataclass
class ReadProgress:
    document: str
    step: int  # calls finished
    total: int  # calls expected
    coverage: Coverage
    elapsed_s: float
    eta_s: float | None
    message: str = ""


def plan_chunks(engine, document: Document, overhead_messages: list[ChatMessage], answer_tokens: int,
                max_chunk_tokens: int = DEFAULT_CHUNK_TOKENS) -> list[Chunk]:
    """The document cut so that each chunk fits the prompt around it and the answer after it."""
    info = engine.info
    if info is None:
        raise ReadingError("No model is loaded. Choose a model first.")
    overhead = len(engine.tokenize(engine.render(overhead_messages), special=True))
    budget = min(max_chunk_tokens, chunk_budget(info.n_ctx, overhead, answer_tokens, MARGIN_TOKENS))
    if budget < 64:
        raise ReadingError(
            f"The model's context ({info.n_ctx} tokens) is too small for this; choose a longer context length."
        )
    return split_into_chunks(document.text, engine.count_tokens, budget, overlap_tokens=max(16, budget // 20))


def estimate_reading(engine, document: Document, job: str, overhead_messages: list[ChatMessage], answer_tokens: int,
                     speed, max_chunk_tokens: int = DEFAULT_CHUNK_TOKENS, extra_calls: int = 0) -> JobEstimate:
    """What reading every chunk (and ``extra_calls`` more, such as Ask's merge) will cost at ``speed`` (a
    summarize.Throughput), from sampled tokens: no chunk is planned."""
    info = engine.info
    if info is None:
        raise ReadingError("No model is loaded. Choose a model first.")
    overhead = len(engine.tokenize(engine.render(overhead_messages), special=True))
    budget = min(max_chunk_tokens, chunk_budget(info.n_ctx, overhead, answer_tokens, MARGIN_TOKENS))
    tokens = estimate_tokens(engine, document.text)
    parts = parts_for(tokens, max(64, budget))
    calls = parts + extra_calls
    read = tokens + max(16, budget // 20) * (parts - 1) + overhead * calls
    seconds = read / speed.prompt_tps + calls * answer_tokens * EXPECTED_ANSWER_FILL / speed.decode_tps
    return JobEstimate(document.name, job, tokens, parts, seconds, speed.measured)


def chunk_where(document: Document, chunk: Chunk) -> str:
    """The chunk's place in words for its prompt: "page 3", "pages 3-4" or "part 2 of 9"."""
    first, last = document.page_at(chunk.start), document.page_at(max(chunk.start, chunk.end - 1))
    if first is not None:
        return f"page {first}" if first == last else f"pages {first}-{last}"
    return f"part {chunk.index + 1}"


@dataclass
class ChunkPass:
    """The counters of one pass: calls, tokens, time and what has been read."""

    engine: object
    document: Document
    chunks: list[Chunk]
    cancel: threading.Event = field(default_factory=threading.Event)
    on_progress: Callable[[ReadProgress], None] | None = None
    extra_calls: int = 0  # calls after the chunks (Ask's merge)
    planned_calls: int | None = None  # all the calls expected, where they are not one a chunk (Ask's passages)
    read_spans: list[tuple[int, int]] = field(default_factory=list)  # what was read, where not chunk after chunk
    started: float = field(default_factory=time.perf_counter)
    calls: int = 0
    chunks_read: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cancelled: bool = False

    def coverage(self) -> Coverage:
        if self.read_spans:
            return self._span_coverage()
        doc = self.document
        if doc.page_starts:
            total = len(doc.page_starts)
            if self.chunks_read >= len(self.chunks):
                return Coverage("pages", total, total)
            if self.chunks_read == 0:
                return Coverage("pages", 0, total)
            # a page counts as read once the chunk holding its end is done
            last = self.chunks[self.chunks_read - 1]
            next_start = self.chunks[self.chunks_read].start
            done = doc.page_at(last.end - 1) or 0
            if doc.page_at(next_start) == done:
                done -= 1  # that page goes on in the next chunk
            return Coverage("pages", max(0, done), total)
        return Coverage("parts", self.chunks_read, len(self.chunks))

    def _span_coverage(self) -> Coverage:
        """Pages (or chunks, for formats without pages) that hold any of what was read."""
        doc = self.document
        if doc.page_starts:
            pages = {p for a, b in self.read_spans for p in range(doc.page_at(a) or 1, (doc.page_at(max(a, b - 1)) or 1) + 1)}
            return Coverage("pages", len(pages), len(doc.page_starts))
        parts = {c.index for c in self.chunks for a, b in self.read_spans if a < c.end and c.start < b}
        return Coverage("parts", len(parts), len(self.chunks))

    def call(self, messages, max_tokens: int, grammar: str | None = None, on_text=None,
             sampling: SamplingParams = CONSTRAINED_SAMPLING) -> str:
        if self.cancel.is_set():
            self.cancelled = True
            raise Cancelled
        params = SamplingParams(**{**sampling.to_dict(), "max_tokens": max_tokens})
        kwargs = {"grammar": grammar} if grammar else {}
        result = self.engine.chat(messages, params, on_text=on_text, cancel=self.cancel, **kwargs)
        self.calls += 1
        self.prompt_tokens += result.stats.prompt_tokens - result.stats.cached_tokens
        self.completion_tokens += result.stats.completion_tokens
        if result.stats.stop_reason == StopReason.CANCELLED:
            self.cancelled = True
            raise Cancelled
        return result.text.strip()

    def report(self, message: str = "") -> None:
        if self.on_progress is None:
            return
        elapsed = time.perf_counter() - self.started
        total = self.planned_calls if self.planned_calls is not None else len(self.chunks) + self.extra_calls
        total = max(total, self.calls)
        eta = elapsed / self.calls * max(0, total - self.calls) if self.calls else None
        self.on_progress(ReadProgress(self.document.name, self.calls, total, self.coverage(), elapsed, eta, message))

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def gbnf_literal(text: str) -> str:
    """A GBNF string literal matching ``text`` exactly."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'
