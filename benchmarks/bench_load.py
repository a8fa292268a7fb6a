"""Speed beside a busy program: chat tokens/s and a summary's time, quiet and with one CPU-bound program running.

Users always have other programs running. llama.cpp's threads spin at a barrier after every operation, so on
2 cores a program that takes one core stalls a 2-thread decode at every barrier. Hearth's engine reads what other
programs use and computes with the cores they leave free (core/llm/threads.py). This measures, on the default
chat model, each case in its own order-balanced rounds:

  quiet      nothing else running, threads chosen by the engine (all cores)
  busy       one CPU-bound program beside it (a Python busy loop), threads chosen by the engine
  busy-all   the same program, threads fixed at every core (what Hearth did before)

Target (issue 20): busy within 2.5x of quiet, for both the chat reply and the summary.

Run with nothing else on the machine: .venv/bin/python benchmarks/bench_load.py [--rounds 2] [--summary-tokens 6000]
Results: printed, and written to benchmarks/results/load.json.
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
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."


def busy_program() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def measure(case: str, summary_tokens: int, ctx: int) -> dict:
    from bench_summarize import make_text

    from desktop_app.core.documents.load import document_from_text
    from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.threads import physical_cores
    from desktop_app.core.llm.types import ChatMessage, LoadOptions
    from desktop_app.core.sampling import SamplingParams

    entry = ModelRegistry().default("chat")
    engine = LlamaEngine()
    fixed = physical_cores() if case == "busy-all" else 0
    engine.load(entry.path, LoadOptions(n_ctx=ctx, n_threads=fixed))
    engine.speculative = False  # the thread count alone, not how well drafts copy the prompt
    other = busy_program() if case.startswith("busy") else None
    try:
        time.sleep(0.5)  # the busy program is running before the first reading
        chat = engine.chat([ChatMessage("user", PROMPT)], SamplingParams(temperature=0, max_tokens=128)).stats
        document = document_from_text(make_text(engine.count_tokens, summary_tokens), "bench-load.md")
        engine._cached_tokens = []
        summary = DocumentSummarizer(engine, document, SummaryRequest(length="short", temperature=0)).run()
        return {"case": case, "chat_tokens_per_s": round(chat.tokens_per_s, 2), "chat_ttft_s": round(chat.ttft_s, 3),
                "chat_threads": chat.threads, "others_cores": chat.others_cores,
                "summary_s": round(summary.seconds, 2), "summary_calls": summary.llm_calls}
    finally:
        if other is not None:
            other.kill()
            other.wait()
        engine.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--summary-tokens", type=int, default=6000)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one measurement, in a child process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case, args.summary_tokens, args.ctx)))
        return 0
    cases = ["quiet", "busy", "busy-all"]
    rows = []
    for round_no in range(args.rounds):
        order = cases if round_no % 2 == 0 else cases[::-1]
        for case in order:
            done = subprocess.run([sys.executable, __file__, "--case", case, "--summary-tokens", str(args.summary_tokens),
                                   "--ctx", str(args.ctx)], capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["round"] = round_no
            rows.append(row)
            print(row, flush=True)
    summary = {}
    for case in cases:
        mine = [r for r in rows if r["case"] == case]
        summary[case] = {"chat_tokens_per_s": statistics.median(r["chat_tokens_per_s"] for r in mine),
                         "summary_s": statistics.median(r["summary_s"] for r in mine),
                         "threads": sorted({r["chat_threads"] for r in mine})}
    quiet = summary["quiet"]
    for case in ("busy", "busy-all"):
        s = summary[case]
        s["chat_slowdown"] = round(quiet["chat_tokens_per_s"] / s["chat_tokens_per_s"], 2)
        s["summary_slowdown"] = round(s["summary_s"] / quiet["summary_s"], 2)
    print(json.dumps(summary, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"rows": rows, "summary": summary, "load_before": os.getloadavg()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
