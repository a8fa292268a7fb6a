"""Summarize cost against document length: time and peak memory at 10k, 50k and 200k tokens.

Each size runs in its own child process so its peak resident memory (ru_maxrss)
is its own; the Python-side peak of reading and chunking the text is measured
with tracemalloc. Map-reduce should grow linearly: every source token is read
once by the model, and the partial summaries are a fixed fraction of it.

Run: .venv/bin/python benchmarks/bench_summarize.py [--sizes 10000 50000 200000] [--ctx 4096] [--threads 2]
     .venv/bin/python benchmarks/bench_summarize.py --plan-only   # tokenising, chunking and the estimate only
Results: printed as a table and written to benchmarks/results/summarize.json.
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
    from desktop_app.core.llm.engine import LlamaEngine, LoadOptions
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--ctx", type=int, default=4096, help="context length (the app's default is 4096)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--plan-only", action="store_true", help="tokenise and chunk only; no generation")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args()
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
