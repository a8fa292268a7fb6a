"""Timing one GGUF model through the app's own engine: load, warm up, each shape several times."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from desktop_app.core import texts
from desktop_app.core.errors import HearthError
from desktop_app.core.evaluate.cost import CostInputs, estimate_cost
from desktop_app.core.evaluate.energy import EnergyMeter
from desktop_app.core.evaluate.machine import ResourceSampler, load_note
from desktop_app.core.evaluate.metrics import localscore, spread
from desktop_app.core.evaluate.report import LanguageModelResult, RowStatus, ShapeRun, ShapeStatus
from desktop_app.core.evaluate.shapes import Shape, clip_to_context
from desktop_app.core.llm import memory
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import LoadOptions, StopReason
from desktop_app.core.llm.gguf_info import read_gguf_info
from desktop_app.core.llm.host import LlamaHost, is_remote

log = logging.getLogger(__name__)

FILLER = (
    "Hearth keeps every document on this computer. The quarterly report lists revenue, costs and staff, "
    "and the summary should name the three largest changes since the previous quarter. "
)
WARMUP = Shape(32, 8)  # untimed: first-touch of the weights, thread start-up, allocator
READING_TOKENS_PER_S = 5.5  # ~250 words a minute, ~1.3 tokens a word
CHAT_PROMPT_TOKENS = 200  # a system prompt and a question
CHAT_START_S = 1.0
PDF_PAGES = 20
TOKENS_PER_PAGE = 650
SUMMARY_TOKENS_PER_PAGE = 30

OnStep = Callable[[str], None]


@dataclass
class LanguageJob:
    entry: object  # a library ModelEntry (name, path, sha256, size_bytes)
    device: str  # "GPU" or "CPU"
    options: LoadOptions
    shapes: list[Shape]
    reps: int
    cost: CostInputs


def prompt_tokens(engine: LlamaEngine, count: int) -> list[int]:
    """``count`` tokens of ordinary English (BOS first), the same text for every model."""
    tokens = engine.tokenize(FILLER, add_bos=True)
    body = tokens[1:] if len(tokens) > 1 else tokens
    while len(tokens) < count:
        tokens = tokens + body
    return tokens[:count]


def measure_language(job: LanguageJob, host: LlamaHost, on_step: OnStep, cancel: threading.Event,
                     sha256: str | None) -> LanguageModelResult:
    entry = job.entry
    if is_remote(entry):
        return _measure_remote(job, host, on_step, cancel)
    result = LanguageModelResult(
        name=entry.name, path=str(entry.path), sha256=sha256, device=job.device, threads=job.options.n_threads,
        gpu_layers=str(job.options.gpu_layers), size_bytes=Path(entry.path).stat().st_size if Path(entry.path).is_file() else 0,
        source=str((getattr(entry, "extra", None) or {}).get("url", "")),
    )
    try:
        info = read_gguf_info(entry.path)
        result.quantization, result.parameters = info.quantization, info.parameter_count
        result.kv_bytes_per_token = info.kv_bytes_per_token(memory.KV_BYTES_PER_ELEMENT)
        estimate = memory.estimate_gguf_memory(info, job.options.n_ctx, job.options.gpu_layers, job.options.n_batch)
    except HearthError as exc:
        result.status, result.reason = RowStatus.FAILED, str(exc)
        return result
    result.estimated_ram_bytes, result.n_ctx = estimate.ram_peak_bytes, estimate.n_ctx
    if not estimate.fits:  # never load what would not fit: the estimate is the row
        result.status, result.reason = RowStatus.SKIPPED, memory.explain_shortfall(Path(entry.path).name, estimate)
        return result
    meter = EnergyMeter(job.cost.watts)
    with ResourceSampler() as sampler:
        try:
            on_step(texts.translate("EvaluateSteps", "loading"))
            start = time.perf_counter()
            info = host.ensure(entry, job.options)
            result.load_s = time.perf_counter() - start
            result.n_ctx = info.n_ctx
            _time_shapes(job, host.engine, result, on_step, cancel, meter)
        except HearthError as exc:
            result.status, result.reason = RowStatus.FAILED, str(exc)
        finally:
            reading = meter.stop() if meter.started else None
    result.peak_ram_bytes = sampler.result.peak_rss_bytes
    result.peak_vram_bytes = sampler.result.peak_vram_bytes
    result.others_cpu_percent = sampler.result.others_cpu_percent
    note = load_note(result.others_cpu_percent)
    if note:
        result.notes.append(note)
    if cancel.is_set() and result.status == RowStatus.OK:
        result.status = RowStatus.CANCELLED
    _summarise(result, reading, job.cost)
    return result


def _measure_remote(job: LanguageJob, host: LlamaHost, on_step: OnStep, cancel: threading.Event) -> LanguageModelResult:
    """A model on a remote engine: the same shapes timed through the server (its speed, not this PC's;
    no file, memory or energy figures: none of that happens here)."""
    entry = job.entry
    result = LanguageModelResult(name=entry.name, path=entry.name, sha256=None, device="remote", threads=0,
                                 gpu_layers="", size_bytes=0, source="")
    meter = EnergyMeter(job.cost.watts)
    try:
        on_step("loading")
        start = time.perf_counter()
        engine = host.engine_for(entry)
        info = host.ensure(entry, job.options)
        result.load_s = time.perf_counter() - start
        result.n_ctx = info.n_ctx
        result.notes.append(f"Measured through {engine.server_root}: the server's speed, including the network.")
        _time_shapes(job, engine, result, on_step, cancel, meter)
    except HearthError as exc:
        result.status, result.reason = RowStatus.FAILED, str(exc)
    finally:
        reading = meter.stop() if meter.started else None
    if cancel.is_set() and result.status == RowStatus.OK:
        result.status = RowStatus.CANCELLED
    _summarise(result, reading, job.cost)
    result.energy = result.cost = None  # this PC's power does not run the server
    return result


def _time_shapes(job, engine, result, on_step, cancel, meter) -> None:
    n_ctx = result.n_ctx
    tokens = prompt_tokens(engine, n_ctx)
    greedy = SamplingParams(temperature=0, max_tokens=WARMUP.generate, ignore_eos=True)
    on_step(texts.translate("EvaluateSteps", "warming up"))
    engine.generate_from_tokens(tokens[: min(WARMUP.prompt, n_ctx // 2)], greedy, cancel)
    meter.start()
    for shape in job.shapes:
        fitted = clip_to_context(shape, n_ctx)
        if fitted is None:
            result.shapes.append(ShapeRun(shape.key, shape.use, shape.prompt, shape.generate, ShapeStatus.DID_NOT_FIT))
            continue
        status = ShapeStatus.MEASURED if fitted == shape else ShapeStatus.CLIPPED
        run = ShapeRun(shape.key, shape.use, fitted.prompt, fitted.generate, status)
        result.shapes.append(run)
        sampling = replace(greedy, max_tokens=fitted.generate)
        for rep in range(job.reps):
            if cancel.is_set():
                run.status = ShapeStatus.CANCELLED if not run.reps else run.status
                break
            on_step(texts.translate("EvaluateSteps", "{shape} tokens, run {i} of {n}").fill(shape=shape.key, i=rep + 1, n=job.reps))
            stats = engine.generate_from_tokens(tokens[: fitted.prompt], sampling, cancel).stats
            if stats.stop_reason == StopReason.CANCELLED:
                break
            run.reps.append({"prompt_tps": stats.prompt_tokens_per_s, "gen_tps": stats.tokens_per_s,
                             "ttft_ms": stats.ttft_s * 1000, "total_s": stats.total_s,
                             "generated": stats.completion_tokens})
        if run.reps:
            run.prompt_tps = spread([r["prompt_tps"] for r in run.reps])
            run.gen_tps = spread([r["gen_tps"] for r in run.reps])
            run.ttft_ms = spread([r["ttft_ms"] for r in run.reps])
        if cancel.is_set():
            return


def aggregate(result: LanguageModelResult) -> tuple[float, float, float] | None:
    """(prompt tok/s, generation tok/s, TTFT ms): the mean over shapes of each shape's median."""
    timed = result.timed_shapes()
    if not timed:
        return None
    n = len(timed)
    return (sum(s.prompt_tps.median for s in timed) / n, sum(s.gen_tps.median for s in timed) / n,
            sum(s.ttft_ms.median for s in timed) / n)


def _summarise(result: LanguageModelResult, reading, cost_inputs: CostInputs) -> None:
    figures = aggregate(result)
    if figures is None:
        return
    prompt_tps, gen_tps, ttft_ms = figures
    result.score = localscore(prompt_tps, gen_tps, ttft_ms)
    result.verdicts = verdicts(prompt_tps, gen_tps)
    watts, source = None, "none"
    if reading is not None:
        result.energy = reading.to_json()
        watts, source = reading.watts, reading.source
    if watts is None and cost_inputs.watts:
        watts, source = cost_inputs.watts, f"typed-in {cost_inputs.watts:g} W"
    result.cost = estimate_cost(prompt_tps, gen_tps, watts, source, cost_inputs).to_json()


def verdicts(prompt_tps: float, gen_tps: float) -> list[str]:
    start_s = CHAT_PROMPT_TOKENS / prompt_tps + 1 / gen_tps
    if start_s <= CHAT_START_S and gen_tps >= READING_TOKENS_PER_S:
        chat = texts.translate("EvaluateVerdicts", "Chat: replies start within {start:.1f} s and are written faster than a "
                               "person reads.").fill(start=max(start_s, 0.1))
    elif gen_tps >= READING_TOKENS_PER_S:
        chat = texts.translate("EvaluateVerdicts", "Chat: replies take {start:.1f} s to start, then are written faster "
                               "than a person reads.").fill(start=start_s)
    else:
        chat = texts.translate("EvaluateVerdicts", "Chat: replies are written at {speed:.1f} tokens/s, slower than a "
                               "person reads (about {reading:g}).").fill(speed=gen_tps, reading=READING_TOKENS_PER_S)
    minutes = (PDF_PAGES * TOKENS_PER_PAGE / prompt_tps + PDF_PAGES * SUMMARY_TOKENS_PER_PAGE / gen_tps) / 60
    if minutes < 1:
        summary = texts.translate("EvaluateVerdicts", "Summarize: a {pages}-page PDF takes under a minute.")
    else:
        summary = texts.translate("EvaluateVerdicts", "Summarize: a {pages}-page PDF takes about {minutes:.0f} min.")
    return [chat, summary.fill(pages=PDF_PAGES, minutes=minutes)]
