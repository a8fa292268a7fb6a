"""Summaries of documents far longer than the model's context: map, then reduce.

Each chunk is summarised on its own (map); the partial summaries are combined
(reduce), in rounds while they still do not fit one prompt, and the last call
streams the final summary. Progress goes to a plain callback, cancellation is a
threading.Event checked between calls and inside each call (the engine stops
within a token); a cancelled run still returns every partial summary made.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Callable

from desktop_app.core.documents.chunking import Chunk, chunk_budget, split_into_chunks
from desktop_app.core.documents.estimate import JobEstimate, count_tokens, estimate_tokens, parts_for
from desktop_app.core.documents.grounding import Evidence, SentenceCheck, check_text
from desktop_app.core.documents.load import Document
from desktop_app.core import texts
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.protocol import Engine
from desktop_app.core.llm.types import ChatMessage, ModelInfo, StopReason
from desktop_app.core.documents.prompts import PromptSet, prompts_for
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.storage.store import MessageStatus, Store, Summary

LENGTH_WORDS = {"short": 80, "medium": 200, "long": 400}
STYLES = ("paragraph", "bullets")
MARGIN_TOKENS = 32  # tokenising a chunk inside the prompt can add a token or two at its edges
# assumed speeds of a 135M-parameter model on two CPU cores, scaled by size until a run measures them
REFERENCE_PARAMS = 135e6
REFERENCE_PROMPT_TPS = 330.0
REFERENCE_DECODE_TPS = 60.0
EXPECTED_ANSWER_FILL = 0.7  # answers usually stop before their token limit
SECTION_CHARS = 40  # a heading quoted in a map prompt is cut to this length
# summaries sample cooler and narrower than chat, and repeat with a fixed seed; a request may change the first three
SUMMARY_SAMPLING = SamplingParams(temperature=0.2, top_p=0.9, repeat_penalty=1.15, seed=42)


class SummaryError(HearthError):
    pass


@dataclass
class SummaryRequest:
    length: str = "medium"  # "short", "medium" or "long"; ignored when target_words is set
    target_words: int | None = None
    style: str = "paragraph"  # "paragraph" or "bullets"
    focus: str = ""  # e.g. "what are the risks?"
    language: str = "auto"  # "auto" (the document's), a code such as "en"/"zh", or a language name
    temperature: float = SUMMARY_SAMPLING.temperature
    repeat_penalty: float = SUMMARY_SAMPLING.repeat_penalty
    seed: int = SUMMARY_SAMPLING.seed

    @property
    def words(self) -> int:
        if self.target_words:
            return max(10, int(self.target_words))
        try:
            return LENGTH_WORDS[self.length]
        except KeyError:
            raise SummaryError(f"Unknown summary length '{self.length}': use short, medium or long.") from None

    def validate(self) -> None:
        self.words  # noqa: B018 (raises for an unknown length)
        if self.style not in STYLES:
            raise SummaryError(f"Unknown summary form '{self.style}': use paragraph or bullets.")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Throughput:
    prompt_tps: float
    decode_tps: float
    measured: bool = False

    @classmethod
    def assumed(cls, info: ModelInfo | None, threads: int = 2) -> "Throughput":
        scale = REFERENCE_PARAMS / max(1.0, float(info.n_params if info else REFERENCE_PARAMS))
        cores = max(1, threads) / 2
        return cls(REFERENCE_PROMPT_TPS * scale * cores, REFERENCE_DECODE_TPS * scale * cores)


@dataclass
class SummaryPlan:
    chunks: list[Chunk]
    source_tokens: int
    chunk_tokens: int  # the most document tokens one map prompt holds
    map_answer_tokens: int
    final_answer_tokens: int
    prompt_overhead: int  # instruction and template tokens around a chunk
    n_ctx: int
    language: str  # the target language: a code or a name
    estimated_calls: int

    @property
    def parts(self) -> int:
        return len(self.chunks)

    def estimate_seconds(self, speed: Throughput) -> float:
        """Time to summarise on this machine: every prompt token read, every answer token written."""
        prompt_tokens, answer_tokens = self.work_tokens()
        return prompt_tokens / speed.prompt_tps + answer_tokens / speed.decode_tps

    def work_tokens(self) -> tuple[float, float]:
        """The whole run's expected (prompt tokens read, answer tokens written)."""
        map_prompt = sum(c.tokens for c in self.chunks) + self.prompt_overhead * self.parts
        map_answer = self.map_answer_tokens * EXPECTED_ANSWER_FILL * (self.parts if self.parts > 1 else 0)
        reduce_calls = self.estimated_calls - self.parts
        reduce_prompt = map_answer + self.prompt_overhead * max(0, reduce_calls)
        final_answer = self.final_answer_tokens * EXPECTED_ANSWER_FILL
        intermediate = self.map_answer_tokens * EXPECTED_ANSWER_FILL * max(0, reduce_calls - 1)
        prompt_tokens = map_prompt + (reduce_prompt if self.parts > 1 else 0)
        answer_tokens = map_answer + intermediate + final_answer
        return prompt_tokens, answer_tokens


class SummaryPhase(StrEnum):
    MAP = "map"  # summarising one part
    REDUCE = "reduce"  # combining partial summaries
    FINAL = "final"  # writing the summary (streamed)
    DONE = "done"


@dataclass
class SummaryProgress:
    phase: SummaryPhase
    step: int  # calls finished so far
    total: int  # calls expected in all (may grow by one or two as reduce rounds become known)
    part: int  # 1-based part being summarised (map) or 0
    parts: int
    elapsed_s: float
    eta_s: float | None
    partial: str | None = None  # a partial summary that just finished, with its part number in `part`
    speed: Throughput | None = None  # the rate eta_s assumes; speed.measured once a call has finished

    @property
    def eta_measured(self) -> bool:
        return self.speed is not None and self.speed.measured


@dataclass
class SummaryResult:
    summary: str
    partials: list[str]  # one per map part processed, in order
    chunks: int
    parts_done: int
    source_tokens: int
    seconds: float
    cancelled: bool
    language: str
    reduce_rounds: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_tps: float = 0.0
    decode_tps: float = 0.0
    chunk_tokens: int = 0
    n_ctx: int = 0
    tokens_per_step: float = 0.0  # over the calls that drafted speculatively; 0.0 when none did
    # sentences of the summary stating a number, date or name the document does not (grounding), flagged
    unsupported: list[SentenceCheck] = field(default_factory=list)

    def stats(self) -> dict:
        data = asdict(self)
        data.pop("summary")
        data.pop("partials")
        data["unsupported"] = [c.to_dict() for c in self.unsupported]
        return data

    def display_text(self) -> str:
        """The summary, or after a cancel in the map step the partial summaries made so far."""
        if self.summary.strip():
            return self.summary
        return "\n\n".join(p for p in self.partials if p.strip())


def save_summary(store: Store, document: Document | None, model: str, request: SummaryRequest, result: SummaryResult) -> Summary:
    """Keep a finished or cancelled summary in the history, with what made it; the CLI and the pane both call this."""
    return store.add_summary(
        document.name if document else "",
        result.display_text(),
        source_path=str(document.path or "") if document else "",
        model=model,
        settings=request.to_dict(),
        status=MessageStatus.CANCELLED if result.cancelled else MessageStatus.DONE,
        stats=result.stats(),
    )


ProgressCallback = Callable[[SummaryProgress], None]


class DocumentSummarizer:
    """Plans and runs one summary of one document with one loaded engine."""

    def __init__(self, engine: Engine, document: Document, request: SummaryRequest | None = None):
        self.engine = engine
        self.document = document
        self.request = request or SummaryRequest()
        self.request.validate()
        self.prompts: PromptSet = prompts_for(self.request.language, document.language)
        n_ctx = engine.info.n_ctx if engine.info else 2048
        self._map_answer_tokens = max(64, min(n_ctx // 8, 384))
        self._plan: SummaryPlan | None = None
        self._sized: tuple[int, int, int, int, int] | None = None

    # planning

    def plan(self) -> SummaryPlan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> SummaryPlan:
        n_ctx, final_answer, map_answer, overhead, budget = self._sizes()
        text = self.document.text
        source_tokens = count_tokens(self.engine, text)
        if source_tokens + self._prompt_tokens(self._single_messages(" ")) + final_answer + MARGIN_TOKENS <= n_ctx:
            chunks = [Chunk(0, text, source_tokens, 0, len(text))]
        else:
            chunks = split_into_chunks(text, self.engine.count_tokens, budget, overlap_tokens=max(16, budget // 20))
        return self._plan_of(chunks, source_tokens)

    def _plan_of(self, chunks: list[Chunk], source_tokens: int) -> SummaryPlan:
        n_ctx, final_answer, map_answer, overhead, budget = self._sizes()
        calls = len(chunks) + _reduce_calls(len(chunks), map_answer, n_ctx - overhead - final_answer - MARGIN_TOKENS)
        return SummaryPlan(
            chunks=chunks,
            source_tokens=source_tokens,
            chunk_tokens=budget,
            map_answer_tokens=map_answer,
            final_answer_tokens=final_answer,
            prompt_overhead=overhead,
            n_ctx=n_ctx,
            language=self.prompts.language,
            estimated_calls=calls,
        )

    def _sizes(self) -> tuple[int, int, int, int, int]:
        """n_ctx, the final and the map answers' tokens, the map prompt's overhead and the chunk budget."""
        if self._sized is None:
            info = self.engine.info
            if info is None:
                raise SummaryError("No model is loaded. Choose a model first.")
            n_ctx = info.n_ctx
            final_answer = min(self.prompts.answer_tokens(self.request.words), n_ctx // 3)
            titles = [s.title[:SECTION_CHARS] for s in self.document.sections]
            longest_title = max(titles, key=self.engine.count_tokens, default="")
            overhead = self._prompt_tokens(self._map_messages(" ", 9999, 9999, longest_title))
            budget = chunk_budget(n_ctx, overhead, self._map_answer_tokens, MARGIN_TOKENS)
            if budget < 64:
                raise SummaryError(
                    f"The model's context ({n_ctx} tokens) is too small to summarize with; choose a longer context length."
                )
            self._sized = (n_ctx, final_answer, self._map_answer_tokens, overhead, budget)
        return self._sized

    def estimate(self, speed: Throughput) -> JobEstimate:
        """Tokens (sampled), parts and time without planning the chunks: seconds, where planning a 60 MB text
        took 327 s."""
        n_ctx, final_answer, _, _, budget = self._sizes()
        tokens = estimate_tokens(self.engine, self.document.text)
        if tokens + self._prompt_tokens(self._single_messages(" ")) + final_answer + MARGIN_TOKENS <= n_ctx:
            parts = 1
        else:
            parts = parts_for(tokens, budget)
        per_part = math.ceil((tokens + max(16, budget // 20) * (parts - 1)) / parts)
        plan = self._plan_of([Chunk(i, "", per_part, 0, 0) for i in range(parts)], tokens)
        return JobEstimate(self.document.name, "summarize", tokens, parts, plan.estimate_seconds(speed), speed.measured)

    def _prompt_tokens(self, messages: list[ChatMessage]) -> int:
        return len(self.engine.tokenize(self.engine.render(messages), special=True))

    # prompts

    def _map_messages(self, chunk_text: str, part: int, parts: int, section: str) -> list[ChatMessage]:
        words = self._map_words()
        user = self.prompts.map(self.document.name, part, parts, section, words, self.request.focus, chunk_text)
        return [ChatMessage("system", self.prompts.system), ChatMessage("user", user)]

    def _map_words(self) -> int:
        # ask for a little less than the token limit allows, so answers end on their own
        return max(20, int(self.prompts.words_for_tokens(self._map_answer_tokens * 0.8)))

    def _single_messages(self, text: str) -> list[ChatMessage]:
        user = self.prompts.single(self.document.name, self.request.words, self.request.style, self.request.focus, text)
        return [ChatMessage("system", self.prompts.system), ChatMessage("user", user)]

    def _reduce_messages(self, partials: list[str], final: bool) -> list[ChatMessage]:
        words = self.request.words if final else self._map_words()
        style = self.request.style if final else "bullets"
        user = self.prompts.reduce(self.document.name, words, style, self.request.focus, partials, final)
        return [ChatMessage("system", self.prompts.system), ChatMessage("user", user)]

    # running

    def run(
        self,
        on_text: Callable[[str], None] | None = None,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        speed: Throughput | None = None,
    ) -> SummaryResult:
        """``speed``: the rate to estimate with until this run has measured its own (after one call)."""
        plan = self.plan()
        run = _Run(self, plan, on_progress, cancel or threading.Event(), speed)
        try:
            if plan.parts == 1:
                run.final(self._single_messages(plan.chunks[0].text), on_text)
            else:
                run.map_all()
                run.reduce_all(on_text)
        except _Cancelled:
            pass
        result = run.result()
        result.unsupported = unsupported_sentences(result.summary, self.document)
        return result


class _Cancelled(Exception):
    pass


class _Run:
    """The state of one summarising run: partials, counters and timing."""

    def __init__(self, owner: DocumentSummarizer, plan: SummaryPlan, on_progress, cancel: threading.Event, speed=None):
        self.owner, self.plan, self.on_progress, self.cancel = owner, plan, on_progress, cancel
        self.start_speed = speed or Throughput.assumed(owner.engine.info)
        self.started = time.perf_counter()
        self.partials: list[str] = []
        self.summary = ""
        self.calls = 0
        self.total_calls = plan.estimated_calls
        self.rounds = 0
        self.prompt_tokens = self.completion_tokens = 0
        self.prompt_seconds = self.decode_seconds = 0.0
        self.speculative_tokens = self.speculative_steps = 0  # reply tokens and forward passes of drafting calls
        self.cancelled = False
        self.last_text = ""  # what the interrupted call had written when a cancel arrived

    def sampling(self, max_tokens: int) -> SamplingParams:
        request = self.owner.request
        return replace(
            SUMMARY_SAMPLING,
            temperature=request.temperature,
            repeat_penalty=request.repeat_penalty,
            max_tokens=max_tokens,
            seed=request.seed,
        )

    def call(self, messages, max_tokens: int, on_text=None) -> str:
        if self.cancel.is_set():
            self.cancelled = True
            raise _Cancelled
        result = self.owner.engine.chat(messages, self.sampling(max_tokens), on_text=on_text, cancel=self.cancel)
        stats = result.stats
        self.calls += 1
        self.prompt_tokens += stats.prompt_tokens - stats.cached_tokens
        self.completion_tokens += stats.completion_tokens
        self.prompt_seconds += stats.ttft_s
        self.decode_seconds += max(0.0, stats.total_s - stats.ttft_s)
        if stats.speculative:
            self.speculative_tokens += stats.completion_tokens
            self.speculative_steps += stats.decode_steps
        if stats.stop_reason == StopReason.CANCELLED:
            self.cancelled = True
            self.last_text = result.text
            raise _Cancelled
        return result.text.strip()

    def speed(self) -> Throughput:
        """The rates this run measured (for its result); the assumed ones until both were seen."""
        if self.prompt_seconds > 0 and self.decode_seconds > 0 and self.completion_tokens > 1:
            return Throughput(self.prompt_tokens / self.prompt_seconds, self.completion_tokens / self.decode_seconds, True)
        return Throughput.assumed(self.owner.engine.info)

    def live_speed(self) -> Throughput:
        """The rate for the time left: measured as soon as one call has read its prompt. A machine
        busy with other work can be several times slower than any assumption, so a call that
        wrote too little to time its writing scales the assumed writing rate by the measured reading."""
        if self.calls == 0 or self.prompt_seconds <= 0 or self.prompt_tokens <= 0:
            return self.start_speed
        prompt_tps = self.prompt_tokens / self.prompt_seconds
        if self.decode_seconds > 0 and self.completion_tokens > 1:
            decode_tps = self.completion_tokens / self.decode_seconds
        else:
            decode_tps = self.start_speed.decode_tps * prompt_tps / self.start_speed.prompt_tps
        return Throughput(prompt_tps, decode_tps, measured=True)

    def eta(self, phase: SummaryPhase, speed: Throughput) -> float | None:
        """Seconds left: the plan's remaining prompt and answer tokens at ``speed``."""
        if phase == SummaryPhase.DONE:
            return 0.0
        planned_prompt, planned_answer = self.plan.work_tokens()
        prompt_left = max(0.0, planned_prompt - self.prompt_tokens)
        # answers run longer than planned at times; the final one is always still to come
        answer_left = max(planned_answer - self.completion_tokens, self.plan.final_answer_tokens * EXPECTED_ANSWER_FILL)
        return prompt_left / speed.prompt_tps + answer_left / speed.decode_tps

    def report(self, phase: SummaryPhase, part: int = 0, partial: str | None = None) -> None:
        if self.on_progress is None:
            return
        if phase == SummaryPhase.DONE:
            self.total_calls = self.calls  # the plan's count of reduce calls was an estimate
        else:
            self.total_calls = max(self.total_calls, self.calls + 1)
        speed = self.live_speed()
        self.on_progress(
            SummaryProgress(
                phase=phase,
                step=self.calls,
                total=self.total_calls,
                part=part,
                parts=self.plan.parts,
                elapsed_s=time.perf_counter() - self.started,
                eta_s=self.eta(phase, speed),
                partial=partial,
                speed=speed,
            )
        )

    def map_all(self) -> None:
        for chunk in self.plan.chunks:
            number = chunk.index + 1
            self.report(SummaryPhase.MAP, number)
            section = self.owner.document.section_at(chunk.start)
            title = section.title[:SECTION_CHARS] if section else ""  # the plan measured prompts with this much
            messages = self.owner._map_messages(chunk.text, number, self.plan.parts, title)
            text = self.call(messages, self.plan.map_answer_tokens)
            self.partials.append(text)
            self.report(SummaryPhase.MAP, number, partial=text)

    def reduce_all(self, on_text) -> None:
        current = [p for p in self.partials if p]
        if not current:
            raise SummaryError("The model produced no text for any part of the document; try another model.")
        owner, plan = self.owner, self.plan
        while True:
            needed = owner._prompt_tokens(owner._reduce_messages(current, final=True))
            if needed + plan.final_answer_tokens + MARGIN_TOKENS <= plan.n_ctx or len(current) == 1:
                break
            self.rounds += 1
            current = self.reduce_round(current)
        self.final(owner._reduce_messages(current, final=True), on_text)

    def reduce_round(self, partials: list[str]) -> list[str]:
        owner, plan = self.owner, self.plan
        budget = plan.n_ctx - plan.map_answer_tokens - MARGIN_TOKENS
        groups, group = [], []
        for text in partials:
            trial = group + [text]
            if len(group) >= 2 and owner._prompt_tokens(owner._reduce_messages(trial, final=False)) > budget:
                groups.append(group)
                group = [text]
            else:
                group = trial
        groups.append(group)
        combined = []
        for members in groups:
            if len(members) == 1:
                combined.append(members[0])
                continue
            self.report(SummaryPhase.REDUCE)
            combined.append(self.call(owner._reduce_messages(members, final=False), plan.map_answer_tokens) or members[0])
        return combined

    def final(self, messages, on_text) -> None:
        self.report(SummaryPhase.FINAL)
        try:
            self.summary = self.call(messages, self.plan.final_answer_tokens, on_text)
        except _Cancelled:
            self.summary = self.last_text.strip()
            raise
        self.report(SummaryPhase.DONE)

    def result(self) -> SummaryResult:
        speed = self.speed()
        return SummaryResult(
            summary=self.summary,
            partials=list(self.partials),
            chunks=self.plan.parts,
            parts_done=len(self.partials) if self.plan.parts > 1 else int(bool(self.summary) and not self.cancelled),
            source_tokens=self.plan.source_tokens,
            seconds=time.perf_counter() - self.started,
            cancelled=self.cancelled,
            language=self.plan.language,
            reduce_rounds=self.rounds,
            llm_calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            prompt_tps=round(speed.prompt_tps, 1) if speed.measured else 0.0,
            decode_tps=round(speed.decode_tps, 1) if speed.measured else 0.0,
            chunk_tokens=self.plan.chunk_tokens,
            n_ctx=self.plan.n_ctx,
            tokens_per_step=round(self.speculative_tokens / self.speculative_steps, 2) if self.speculative_steps else 0.0,
        )


def unsupported_sentences(summary: str, document: Document) -> list[SentenceCheck]:
    """The sentences of a summary that state a number, date or name the document does not."""
    if not summary.strip():
        return []
    return [check for check in check_text(summary, Evidence(document.text)) if not check.supported]


def flag_note(count: int):
    return texts.translate("SummaryResult", "{n} sentence(s) state a number, date or name not found in the document "
                                            "(marked)").fill(n=count)


def _reduce_calls(parts: int, partial_tokens: int, budget: int) -> int:
    """How many combining calls a run will likely make, the final one included."""
    if parts <= 1:
        return 0
    per_call = max(2, budget // max(1, int(partial_tokens * EXPECTED_ANSWER_FILL) + 8))
    calls, items = 0, parts
    while items > per_call:
        groups = -(-items // per_call)
        calls += groups
        items = groups
    return calls + 1

