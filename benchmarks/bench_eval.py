"""Evaluate's own figures against the references, and how long a full default evaluation takes.

1. llama-bench (built as bench_chat.py builds it) on the default chat model, same shape and threads, its
   generation timed at the shape's depth (-d PROMPT) as the runner's is: the Evaluate runner's prompt and
   generation tokens/s must be >= 0.95x of it
2. bench_chat.py's engine measurement (LlamaEngine.complete) for the same shape: the runner's
   generation tokens/s must match it within 5%
3. wall time of a full default evaluation (every installed model, 'quick' shapes 1024/16 + 512/128, 2 repetitions):
   target under 2 minutes on the 2-core reference machine
The machine's load (other processes' CPU share, psutil) is printed with the figures.

Run: .venv/bin/python benchmarks/bench_eval.py [--threads 2] [--prompt 512] [--gen 128] [--reps 3] [--rounds 3]
     [--no-llama-bench] [--no-full]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def runner_figures(model, threads: int, prompt: int, gen: int, reps: int) -> dict:
    from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
    from desktop_app.core.evaluate.shapes import Shape
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.llm.host import LlamaHost

    request = EvaluationRequest(language=[model], shapes=[Shape(prompt, gen)], reps=reps,
                                load=LoadOptions(n_ctx=2048, n_threads=threads))
    host = LlamaHost()
    try:
        row = EvaluationRunner(request, host).run().language[0]
    finally:
        host.close()
    shape = row.shapes[0]
    return {"prompt_tps": shape.prompt_tps.median, "decode_tps": shape.gen_tps.median, "ttft_ms": shape.ttft_ms.median,
            "decode_spread": [shape.gen_tps.low, shape.gen_tps.high], "others_cpu_percent": row.others_cpu_percent}


def engine_figures(model_path, threads: int, prompt: int, gen: int, reps: int) -> dict:
    from bench_chat import bench_engine, make_prompt

    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

    engine = LlamaEngine()
    engine.load(model_path, LoadOptions(n_ctx=2048, n_threads=threads))
    try:
        return bench_engine(engine, make_prompt(engine, prompt), gen, reps)
    finally:
        engine.close()


def full_evaluation(threads: int) -> dict:
    import psutil

    from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.llm.host import LlamaHost

    entries = [e for e in ModelRegistry().list() if e.exists]
    request = EvaluationRequest(language=[e for e in entries if e.kind == "gguf"], vision=[e for e in entries if e.kind == "onnx"],
                                load=LoadOptions(n_threads=threads))
    psutil.cpu_percent()
    start = time.perf_counter()
    host = LlamaHost()
    try:
        report = EvaluationRunner(request, host).run()
    finally:
        host.close()
    return {"models": len(entries), "seconds": time.perf_counter() - start, "machine_cpu_percent": psutil.cpu_percent(),
            "others_cpu_percent": statistics.mean([m.others_cpu_percent for m in report.language + report.vision] or [0]),
            "rows": {m.key: {"score": m.score, "status": m.status.value} for m in report.language}
            | {v.key: {"folder_ips": v.folder_ips, "p50_ms": v.latency_ms.median if v.latency_ms else None} for v in report.vision}}


def llama_bench_at_depth(model, threads: int, prompt: int, gen: int, reps: int) -> dict:
    """llama-bench for the same work as one shape: pp<prompt> from an empty context, and tg<gen> at depth
    <prompt> (-d), because the runner generates after its prompt and decode slows as the context fills
    (SmolLM2-135M, 2 threads: tg128 ~130 tok/s from an empty context, ~94 at depth 512)."""
    import subprocess

    from bench_chat import llama_bench_binary

    def run(*extra: str) -> dict:
        out = subprocess.run([str(llama_bench_binary()), "-m", str(model), "-t", str(threads), "-r", str(reps),
                              "-o", "json", *extra], capture_output=True, text=True, check=True).stdout
        return json.loads(out)[0]

    pp = run("-p", str(prompt), "-n", "0")
    tg = run("-p", "0", "-n", str(gen), "-d", str(prompt))
    return {"prompt_tps": pp["avg_ts"], "decode_tps": tg["avg_ts"], "depth": prompt}


def machine_load() -> dict:
    """How busy the machine is before the run: the load average and the CPU share in use over one second."""
    import os

    import psutil

    return {"loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()], "cpu_percent_1s": psutil.cpu_percent(interval=1.0),
            "cpus": psutil.cpu_count()}


def _partial(stage: str, figures: dict) -> None:
    """Each stage as it finishes (stderr), so a run stopped on a busy machine still leaves its figures."""
    print(json.dumps({stage: figures}), file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--gen", type=int, default=128)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of runner, engine and llama-bench")
    parser.add_argument("--no-full", action="store_true", help="skip the full default evaluation")
    parser.add_argument("--no-llama-bench", action="store_true", help="skip building and running llama-bench")
    args = parser.parse_args()

    from desktop_app.core.library.registry import ModelRegistry

    model = ModelRegistry().default("chat")
    results = {"model": model.name, "threads": args.threads, "shape": f"{args.prompt}/{args.gen}", "reps": args.reps,
               "load_before": machine_load()}
    _partial("load_before", results["load_before"])
    # interleaved rounds (runner, engine, llama-bench; the order turning each round) so a load change on a
    # shared machine hits all three alike; each figure is the median over rounds of each round's median
    rounds: dict[str, list[dict]] = {"evaluate": [], "engine": [], "llama_bench": []}
    stages = {
        "evaluate": lambda: runner_figures(model, args.threads, args.prompt, args.gen, args.reps),
        "engine": lambda: engine_figures(model.path, args.threads, args.prompt, args.gen, args.reps),
    }
    if not args.no_llama_bench:
        stages["llama_bench"] = lambda: llama_bench_at_depth(model.path, args.threads, args.prompt, args.gen, args.reps)
    names = list(stages)
    for index in range(args.rounds):
        for name in names[index % len(names):] + names[: index % len(names)]:
            figures = stages[name]()
            rounds[name].append(figures)
            _partial(f"{name} round {index + 1}", figures)
    for name in names:
        runs = rounds[name]
        results[name] = {key: statistics.median(r[key] for r in runs) for key in ("prompt_tps", "decode_tps")}
        results[name]["decode_by_round"] = [round(r["decode_tps"], 1) for r in runs]
        results[name]["prompt_by_round"] = [round(r["prompt_tps"], 1) for r in runs]
    results["evaluate"]["others_cpu_percent"] = [r["others_cpu_percent"] for r in rounds["evaluate"]]
    results["evaluate_vs_engine_decode"] = results["evaluate"]["decode_tps"] / results["engine"]["decode_tps"]
    if "llama_bench" in stages:
        ceiling = results["llama_bench"]
        ratios = {"prompt": results["evaluate"]["prompt_tps"] / ceiling["prompt_tps"],
                  "decode": results["evaluate"]["decode_tps"] / ceiling["decode_tps"]}
        results["evaluate_vs_llama_bench"] = {**ratios, "pass_0.95": min(ratios.values()) >= 0.95}
    results["evaluate_vs_engine_decode_within_5pct"] = abs(results["evaluate_vs_engine_decode"] - 1) <= 0.05
    if not args.no_full:
        results["full_default_evaluation"] = full_evaluation(args.threads)
        results["full_default_evaluation"]["under_2_min"] = results["full_default_evaluation"]["seconds"] < 120
    results["load_after"] = machine_load()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
