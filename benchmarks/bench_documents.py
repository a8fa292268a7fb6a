"""Ask and Extract cost: pages per minute on long PDFs and folders, peak memory, growth with pages.

Each case runs in its own child process so its peak resident memory (ru_maxrss)
is its own. Every chunk is read by the model once, so time should grow linearly
with pages: the table shows seconds per page for each size. "grammar" compares
one extraction call with and without the JSON-schema grammar, interleaved, to
show what constrained decoding costs per call.

Run: .venv/bin/python benchmarks/bench_documents.py                       # everything (long on 2 cores)
     .venv/bin/python benchmarks/bench_documents.py --cases ask-pdf:10 ask-pdf:40 extract-folder:20 grammar
Results: printed as a table and appended to benchmarks/results/documents.json as each case finishes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
RESULTS = ROOT / "benchmarks" / "results" / "documents.json"
DEFAULT_CASES = ["ask-pdf:25", "ask-pdf:50", "ask-pdf:100", "extract-pdf:25", "extract-pdf:50", "extract-pdf:100",
                 "ask-folder:20", "extract-folder:20", "grammar"]
QUESTION = "What is the secret vault code of the town hall?"
FIELDS = ["client", "start date", "end date", "total fee"]


def load_engine(ctx: int, threads: int):
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

    engine = LlamaEngine()
    engine.load(ModelRegistry().default("chat").path, LoadOptions(n_ctx=ctx, n_threads=threads))
    return engine


def make_pdf(folder: Path, pages: int) -> Path:
    from document_factory import english_paragraphs, write_pdf

    texts = english_paragraphs(pages, sentences=4)
    texts[int(pages * 0.9)] += " The secret vault code of the town hall is 7291."
    return write_pdf(folder / f"report-{pages}.pdf", texts)


def run_case(case: str, ctx: int, threads: int) -> dict:
    from document_factory import write_contracts

    from desktop_app.core.documents.batch import ask_many, extract_many

    kind, _, size = case.partition(":")
    folder = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    engine = load_engine(ctx, threads)
    if kind == "grammar":
        return grammar_overhead(engine)
    if kind.endswith("pdf"):
        files = [make_pdf(folder, int(size))]
    else:
        files = [p for p, _ in write_contracts(folder / "folder", int(size), kind="pdf")]
    start = time.perf_counter()
    if kind.startswith("ask"):
        rows = ask_many(engine, files, QUESTION)
        results = [r.result for r in rows]
        pages = sum(r.coverage.read for r in results)
        calls = sum(r.llm_calls for r in results)
        tokens = sum(r.prompt_tokens for r in results), sum(r.completion_tokens for r in results)
        extra = {"cited": sorted({c.location.label for r in results for c in r.citations})[:5]}
    else:
        rows = extract_many(engine, files, FIELDS)
        pages = sum(r.coverage.read for r in rows)
        calls = sum(r.llm_calls for r in rows)
        tokens = 0, 0
        extra = {"filled_cells": sum(1 for r in rows for f in FIELDS if r.value(f))}
    seconds = time.perf_counter() - start
    engine.close()
    return {
        "case": case, "documents": len(files), "pages": pages, "seconds": round(seconds, 1),
        "pages_per_min": round(pages / seconds * 60, 1), "seconds_per_page": round(seconds / max(1, pages), 2),
        "llm_calls": calls, "prompt_tokens": tokens[0], "completion_tokens": tokens[1],
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), **extra,
    }


def grammar_overhead(engine, repeats: int = 3) -> dict:
    """One contract's extraction call with and without the grammar, interleaved so load changes hit both."""
    from document_factory import contract_text, contract_values

    from desktop_app.core.documents.extract import DocumentExtraction, fields_grammar
    from desktop_app.core.documents.load import document_from_text
    from desktop_app.core.documents.reading import CONSTRAINED_SAMPLING
    from desktop_app.core.sampling import SamplingParams

    extraction = DocumentExtraction(engine, document_from_text(contract_text(contract_values(1)[0], 1), "c.txt"), FIELDS)
    messages = extraction._messages(extraction.document.text)
    sampling = SamplingParams(**{**CONSTRAINED_SAMPLING.to_dict(), "max_tokens": 60, "ignore_eos": True})
    timings = {"with": [], "without": []}
    for _ in range(repeats):
        for label, grammar in (("with", fields_grammar(FIELDS, extraction.document.text)), ("without", None)):
            result = engine.chat(messages, sampling, grammar=grammar)
            decode = max(1e-9, result.stats.total_s - result.stats.ttft_s)
            timings[label].append(max(1, result.stats.completion_tokens - 1) / decode)
    best = {k: round(max(v), 1) for k, v in timings.items()}
    return {"case": "grammar", "decode_tokens_per_s_with_grammar": best["with"],
            "decode_tokens_per_s_without": best["without"], "repeats": repeats}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=DEFAULT_CASES)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.ctx, args.threads)))
        return 0
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.1f}", flush=True)
    for case in args.cases:
        child = subprocess.run(
            [sys.executable, __file__, "--child", case, "--ctx", str(args.ctx), "--threads", str(args.threads)],
            capture_output=True, text=True,
        )
        if child.returncode != 0:
            print(f"{case}: failed\n{child.stderr[-2000:]}", flush=True)
            continue
        row = json.loads(child.stdout.strip().splitlines()[-1])
        row["load_average"] = round(os.getloadavg()[0], 1)
        print(json.dumps(row), flush=True)
        with RESULTS.open("a") as out:
            out.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
