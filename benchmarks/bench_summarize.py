"""Summarize cost against document length: time and peak memory at 10k, 50k and 200k tokens.

Each size runs in its own child process so its peak resident memory (ru_maxrss)
is its own; the Python-side peak of reading and chunking the text is measured
with tracemalloc. Map-reduce should grow linearly: every source token is read
once by the model, and the partial summaries are a fixed fraction of it.

Run: .venv/bin/python benchmarks/bench_summarize.py [--sizes 10000 50000 200000] [--ctx 4096] [--threads 2]
     .venv/bin/python benchmarks/bench_summarize.py --plan-only   # tokenising, chunking and the estimate only
     .venv/bin/python benchmarks/bench_summarize.py --map-step [--rounds 3]   # one map call, speculative off/on
Results: printed as a table and written to benchmarks/results/summarize.json.

--map-step times one map call (the first part of the 10k-token document) with speculative decoding off and on,
greedy and sampled at the summaries' default temperature (seed = round number, the same for off and on), interleaved with llama-bench on the same prompt and answer lengths, and prints the floor those rates put
on ms per source token (prompt tokens / pp + answer tokens / tg) beside the engine's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "summarize.json"

WORDS = (
    "council river bridge library harvest railway market school orchard harbour mill budget mayor vote "
    "road water winter summer trade wool grain farmers workers families report plan cost year town"
).split()


def make_text(count_tokens, target_tokens: int, seed: int = 0) -> str:
    """Readable-ish prose with headings every dozen paragraphs, grown until it holds target_tokens."""
    rng = random.Random(seed)
    paragraphs, total, index = [], 0, 0
    while total < target_tokens:
        if index % 12 == 0:
            heading = f"## Chapter {index // 12 + 1}: the {rng.choice(WORDS)} of Millbrook"
            paragraphs.append(heading)
            total += count_tokens(heading)
        sentences = []
        for _ in range(rng.randint(4, 8)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
            sentences.append(f"In {1850 + rng.randrange(170)} the {' '.join(words)} cost {rng.randrange(10, 9000)} pounds.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += count_tokens(paragraph)
        index += 1
    return "\n\n".join(paragraphs)


def load_engine(ctx: int, threads: int):
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.library.registry import ModelRegistry

    entry = ModelRegistry().default("chat")
    engine = LlamaEngine()
    engine.load(entry.path, LoadOptions(n_ctx=ctx, n_threads=threads))
    return entry, engine


def run_one(size: int, ctx: int, threads: int, plan_only: bool) -> dict:
    from desktop_app.core.documents.load import document_from_text
    from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest, Throughput

    entry, engine = load_engine(ctx, threads)
    text = make_text(engine.count_tokens, size)
    tracemalloc.start()
    started = time.perf_counter()
    document = document_from_text(text, f"bench-{size}.md")
    summarizer = DocumentSummarizer(engine, document, SummaryRequest(length="medium"))
    plan = summarizer.plan()
    plan_seconds = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = {
        "target_tokens": size,
        "source_tokens": plan.source_tokens,
        "characters": len(text),
        "model": entry.name,
        "n_ctx": engine.info.n_ctx,
        "threads": threads,
        "chunks": plan.parts,
        "chunk_tokens": plan.chunk_tokens,
        "plan_seconds": round(plan_seconds, 3),
        "python_peak_mb": round(python_peak / 2**20, 1),
        "estimate_assumed_s": round(plan.estimate_seconds(Throughput.assumed(engine.info, threads)), 1),
    }
    if not plan_only:
        result = summarizer.run()
        row.update(
            seconds=round(result.seconds, 1),
            llm_calls=result.llm_calls,
            reduce_rounds=result.reduce_rounds,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            prompt_tps=result.prompt_tps,
            decode_tps=result.decode_tps,
            ms_per_source_token=round(1000 * result.seconds / plan.source_tokens, 2),
            estimate_measured_s=round(plan.estimate_seconds(Throughput(result.prompt_tps, result.decode_tps)), 1),
            summary_chars=len(result.summary),
        )
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    engine.close()
    return row


def run_map_step(size: int, ctx: int, threads: int, rounds: int) -> dict:
    import os
    import statistics
    from dataclasses import replace

    from bench_chat import run_llama_bench
    from desktop_app.core.documents.load import document_from_text
    from desktop_app.core.documents.summarize import SUMMARY_SAMPLING, DocumentSummarizer, SummaryRequest
    from desktop_app.core.sampling import SamplingParams

    entry, engine = load_engine(ctx, threads)
    document = document_from_text(make_text(engine.count_tokens, size), f"bench-{size}.md")
    summarizer = DocumentSummarizer(engine, document, SummaryRequest(length="medium", temperature=0))
    plan = summarizer.plan()
    chunk = plan.chunks[0]
    messages = summarizer._map_messages(chunk.text, 1, plan.parts, "")
    sampling = SamplingParams(temperature=0, max_tokens=plan.map_answer_tokens)
    runs: dict[str, list[dict]] = {"llama_bench": [], "off": [], "on": [], "sampled_off": [], "sampled_on": []}
    for round_no in range(rounds):
        sampled = replace(SUMMARY_SAMPLING, max_tokens=plan.map_answer_tokens, seed=round_no + 1)
        for mode in ("off", "on", "sampled_off", "sampled_on"):
            engine.speculative = mode.endswith("on")
            engine._cached_tokens = []
            stats = engine.chat(messages, sampled if mode.startswith("sampled") else sampling).stats
            runs[mode].append({"decode_tps": stats.tokens_per_s, "prompt_tps": stats.prompt_tokens_per_s,
                               "tokens_per_step": stats.tokens_per_step, "completion_tokens": stats.completion_tokens,
                               "prompt_tokens": stats.prompt_tokens, "total_s": stats.total_s})
        answer = runs["off"][-1]["completion_tokens"]
        runs["llama_bench"].append(run_llama_bench(entry.path, threads, runs["off"][-1]["prompt_tokens"], max(answer, 1), 1))
        print(json.dumps({mode: rows[-1] for mode, rows in runs.items()}), file=sys.stderr, flush=True)  # a round
    engine.close()
    median = {mode: {k: statistics.median(r[k] for r in rows) for k in rows[0]} for mode, rows in runs.items()}
    lb, off, on = median["llama_bench"], median["off"], median["on"]
    s_off, s_on = median["sampled_off"], median["sampled_on"]
    floor_s = off["prompt_tokens"] / lb["prompt_tps"] + off["completion_tokens"] / lb["decode_tps"]
    return {
        "source_tokens": chunk.tokens, "prompt_tokens": off["prompt_tokens"], "answer_tokens": off["completion_tokens"],
        "threads": threads, "load_average": os.getloadavg(), **{f"{m}": median[m] for m in median},
        "speculative_vs_plain_decode": on["decode_tps"] / off["decode_tps"],
        "speculative_vs_llama_bench_tg": on["decode_tps"] / lb["decode_tps"],
        "plain_vs_llama_bench_tg": off["decode_tps"] / lb["decode_tps"],
        "sampled_speculative_vs_plain_decode": s_on["decode_tps"] / s_off["decode_tps"],
        "sampled_speculative_vs_llama_bench_tg": s_on["decode_tps"] / lb["decode_tps"],
        "sampled_plain_vs_llama_bench_tg": s_off["decode_tps"] / lb["decode_tps"],
        "floor_ms_per_source_token": 1000 * floor_s / chunk.tokens,
        "plain_ms_per_source_token": 1000 * off["total_s"] / chunk.tokens,
        "speculative_ms_per_source_token": 1000 * on["total_s"] / chunk.tokens,
        "rounds_speculative_vs_plain": [round(b["decode_tps"] / a["decode_tps"], 3) for a, b in zip(runs["off"], runs["on"])],
        "rounds_sampled_speculative_vs_plain": [
            round(b["decode_tps"] / a["decode_tps"], 3) for a, b in zip(runs["sampled_off"], runs["sampled_on"])
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--ctx", type=int, default=4096, help="context length (the app's default is 4096)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--plan-only", action="store_true", help="tokenise and chunk only; no generation")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    parser.add_argument("--map-step", action="store_true", help="one map call: speculative off/on beside llama-bench")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds for --map-step")
    args = parser.parse_args()
    if args.map_step:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        print(json.dumps(run_map_step(args.sizes[0], args.ctx, args.threads, args.rounds), indent=2))
        return 0
    if args.one:
        print(json.dumps(run_one(args.one, args.ctx, args.threads, args.plan_only)))
        return 0
    rows = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--ctx", str(args.ctx), "--threads", str(args.threads)]
        if args.plan_only:
            command.append("--plan-only")
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(previous + rows, indent=2))
    return 0


def print_table(rows: list[dict]) -> None:
    print(f"\n{'tokens':>8} {'chunks':>6} {'calls':>5} {'seconds':>8} {'ms/token':>8} {'plan s':>7} {'py MB':>6} {'RSS MB':>7}")
    for row in rows:
        print(
            f"{row['source_tokens']:>8} {row['chunks']:>6} {row.get('llm_calls', '-'):>5} {row.get('seconds', '-'):>8} "
            f"{row.get('ms_per_source_token', '-'):>8} {row['plan_seconds']:>7} {row['python_peak_mb']:>6} {row['peak_rss_mb']:>7}"
        )


if __name__ == "__main__":
    sys.exit(main())
