"""Reading a long prompt: where a map call's time goes, and the batch sizes and attention kernel to read it with.

A map call of the summarizer reads one chunk (~3,500 tokens at the default 4,096 context) and writes up to
384 tokens after it. Attention work grows with the depth in the context, so llama-bench's pp512 (read from
an empty context) and tg128 (written from an empty context) overstate how fast the same tokens can go: the
fair floor for one map call is llama-bench reading the *same* prompt length (-p P) and writing the same answer
at that depth (-n N -d P). This benchmark prints, in one run with interleaved rounds (medians):

1. llama-bench's prompt rate at depths 0, 1k, 2k and 3k (why deep prompts are slower per token);
2. the engine's prompt rate on the map prompt for each n_batch / n_ubatch / flash-attention setting, beside
   llama-bench's for the same setting and length;
3. one greedy map call (plain decoding) in ms per source token beside both floors: the naive one from
   pp512/tg128 and the same-shape one;
4. how much of consecutive map prompts is a shared prefix (what keeping it in the KV cache could save).

Run: .venv/bin/python benchmarks/bench_prefill.py [--threads 2] [--rounds 3] [--ctx 4096] [--size 10000]
Results: printed as JSON and appended to benchmarks/results/prefill.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results" / "prefill.json"

# (n_batch, n_ubatch, flash attention): the engine's default first
SETTINGS = [(512, 512, "auto"), (512, 256, "auto"), (512, 128, "auto"), (2048, 512, "auto"), (512, 512, "off")]


def llama_bench(model: Path, threads: int, *extra: str) -> dict:
    from bench_chat import llama_bench_binary

    out = subprocess.run([str(llama_bench_binary()), "-m", str(model), "-t", str(threads), "-r", "1", "-o", "json",
                          *extra], capture_output=True, text=True, check=True).stdout
    return json.loads(out)[0]


def map_prompts(ctx: int, threads: int, size: int):
    """The token lists of the summarizer's first two map calls on the benchmark document, and the answer length."""
    from bench_summarize import load_engine, make_text
    from desktop_app.core.documents.load import document_from_text
    from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest

    entry, engine = load_engine(ctx, threads)
    document = document_from_text(make_text(engine.count_tokens, size), f"bench-{size}.md")
    summarizer = DocumentSummarizer(engine, document, SummaryRequest(length="medium", temperature=0))
    plan = summarizer.plan()
    prompts = []
    for chunk in plan.chunks[:2]:
        messages = summarizer._map_messages(chunk.text, chunk.index + 1, plan.parts, "")
        prompts.append(engine.fit_messages(messages, plan.map_answer_tokens)[0])
    engine.close()
    return entry, prompts, plan.chunks[0].tokens, plan.map_answer_tokens


def engine_prefill(model: Path, ctx: int, threads: int, setting: tuple, prompt: list[int]) -> float:
    """Prompt tokens per second of the engine reading ``prompt`` from an empty cache with one setting."""
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.sampling import SamplingParams

    n_batch, n_ubatch, flash = setting
    with LlamaEngine() as engine:
        engine.load(model, LoadOptions(n_ctx=ctx, n_threads=threads, n_batch=n_batch, n_ubatch=n_ubatch,
                                       flash_attn=flash, probe=False))
        stats = engine.generate_from_tokens(prompt, SamplingParams(temperature=0, max_tokens=1)).stats
    return stats.prompt_tokens_per_s


def engine_map_call(model: Path, ctx: int, threads: int, prompt: list[int], answer: int) -> dict:
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.sampling import SamplingParams

    with LlamaEngine() as engine:
        engine.load(model, LoadOptions(n_ctx=ctx, n_threads=threads, probe=False))
        started = time.perf_counter()
        stats = engine.generate_from_tokens(prompt, SamplingParams(temperature=0, max_tokens=answer)).stats
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "prompt_tps": stats.prompt_tokens_per_s, "decode_tps": stats.tokens_per_s,
            "answer_tokens": stats.completion_tokens}


def shared_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--size", type=int, default=10_000, help="document tokens (the first map call is timed)")
    parser.add_argument("--quick", action="store_true", help="only the default setting and the map call")
    args = parser.parse_args()

    entry, prompts, chunk_tokens, answer = map_prompts(args.ctx, args.threads, args.size)
    model, prompt = entry.path, prompts[0]
    settings = SETTINGS[:1] if args.quick else SETTINGS
    rows: dict[str, list] = {}

    def add(key: str, value) -> None:
        rows.setdefault(key, []).append(value)

    for index in range(args.rounds):
        started = time.perf_counter()
        if not args.quick:
            for depth in (0, 1024, 2048, 3072):
                add(f"llama_bench_pp512_d{depth}", llama_bench(model, args.threads, "-p", "512", "-n", "0",
                                                               "-d", str(depth))["avg_ts"])
        order = settings[index % len(settings):] + settings[: index % len(settings)]  # a different first each round
        for setting in order:
            n_batch, n_ubatch, flash = setting
            key = f"b{n_batch}_ub{n_ubatch}_fa-{flash}"
            add(f"engine_pp_{key}", engine_prefill(model, args.ctx, args.threads, setting, prompt))
            add(f"llama_bench_pp_{key}", llama_bench(
                model, args.threads, "-p", str(len(prompt)), "-n", "0", "-b", str(n_batch), "-ub", str(n_ubatch),
                "-fa", flash)["avg_ts"])
        call = engine_map_call(model, args.ctx, args.threads, prompt, answer)
        answer_tokens = max(call["answer_tokens"], 1)
        for key in ("seconds", "prompt_tps", "decode_tps", "answer_tokens"):
            add(f"map_call_{key}", call[key])
        add("llama_bench_pp512", llama_bench(model, args.threads, "-p", "512", "-n", "0")["avg_ts"])
        add("llama_bench_tg128", llama_bench(model, args.threads, "-p", "0", "-n", "128")["avg_ts"])
        add("llama_bench_tg_at_depth", llama_bench(model, args.threads, "-p", "0", "-n", str(answer_tokens),
                                                   "-d", str(len(prompt)))["avg_ts"])
        print(json.dumps({k: round(v[-1], 2) for k, v in rows.items()}), f"({time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)

    median = {k: statistics.median(v) for k, v in rows.items()}
    default_key = "b512_ub512_fa-auto"
    answer_tokens = median["map_call_answer_tokens"]
    naive_floor = len(prompt) / median["llama_bench_pp512"] + answer_tokens / median["llama_bench_tg128"]
    shape_floor = len(prompt) / median[f"llama_bench_pp_{default_key}"] + answer_tokens / median["llama_bench_tg_at_depth"]
    common = shared_prefix(prompts[0], prompts[1]) if len(prompts) > 1 else 0
    result = {
        "model": entry.name, "threads": args.threads, "ctx": args.ctx, "load_average": os.getloadavg(),
        "map_prompt_tokens": len(prompt), "chunk_source_tokens": chunk_tokens, "answer_tokens": answer_tokens,
        "medians": {k: round(v, 2) for k, v in median.items()},
        "rounds": {k: [round(x, 2) for x in v] for k, v in rows.items()},
        "engine_vs_llama_bench_prompt": {
            key.removeprefix("engine_pp_"): round(median[key] / median["llama_bench_pp_" + key.removeprefix("engine_pp_")], 3)
            for key in median if key.startswith("engine_pp_")},
        "ms_per_source_token": {
            "map_call": round(1000 * median["map_call_seconds"] / chunk_tokens, 2),
            "floor_pp512_tg128": round(1000 * naive_floor / chunk_tokens, 2),
            "floor_same_shape": round(1000 * shape_floor / chunk_tokens, 2),
        },
        "map_call_vs_same_shape_floor": round(median["map_call_seconds"] / shape_floor, 3),
        "shared_prefix_tokens_between_map_calls": common,
        "shared_prefix_share_of_map_prompt": round(common / len(prompt), 4),
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(previous + [result], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
