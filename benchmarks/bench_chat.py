"""Chat speed, in one run on one model, prompt and thread count:

1. llama.cpp's own llama-bench (built from the llama.cpp vendored in the llama-cpp-python sdist): the ceiling
2. llama-cpp-python's high-level API (Llama.create_completion, streaming)
3. Hearth's engine path (LlamaEngine.complete / chat)
4. the worst GUI event-loop stall while the Chat pane streams a reply
5. speculative decoding off/on: greedy and sampled (chat's 0.7) on a short chat prompt, sampled on a copying one

Run: .venv/bin/python benchmarks/bench_chat.py [--threads 2] [--tokens 128] [--prompt-tokens 64]
Targets: app decode >= 0.97x llama-bench; TTFT <= raw + 30 ms; no stall > 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BENCH_DIR = ROOT / ".bench"
LLAMA_VERSION = "0.3.36"


def llama_bench_binary() -> Path:
    if os.environ.get("HEARTH_LLAMA_BENCH"):  # a worktree can point at the main checkout's build
        return Path(os.environ["HEARTH_LLAMA_BENCH"])
    source = BENCH_DIR / f"llama_cpp_python-{LLAMA_VERSION}" / "vendor" / "llama.cpp"
    binary = source / "build" / "bin" / "llama-bench"
    if binary.exists():
        return binary
    BENCH_DIR.mkdir(exist_ok=True)
    sdist = BENCH_DIR / f"llama_cpp_python-{LLAMA_VERSION}.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             f"llama-cpp-python=={LLAMA_VERSION}", "-d", str(BENCH_DIR)],
            check=True,
        )
    if not source.exists():
        with tarfile.open(sdist) as archive:
            archive.extractall(BENCH_DIR)
    subprocess.run(
        ["cmake", "-B", "build", "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
         "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=OFF", "-DLLAMA_BUILD_TOOLS=ON", "-DBUILD_SHARED_LIBS=OFF"],
        cwd=source, check=True,
    )
    subprocess.run(["cmake", "--build", "build", "--target", "llama-bench", "-j2"], cwd=source, check=True)
    return binary


def run_llama_bench(model: Path, threads: int, prompt_tokens: int, gen_tokens: int, reps: int) -> dict:
    out = subprocess.run(
        [str(llama_bench_binary()), "-m", str(model), "-t", str(threads), "-p", str(prompt_tokens),
         "-n", str(gen_tokens), "-r", str(reps), "-o", "json"],
        capture_output=True, text=True, check=True,
    ).stdout
    rows = json.loads(out)
    pp = next(r for r in rows if r["n_prompt"] > 0 and r["n_gen"] == 0)
    tg = next(r for r in rows if r["n_gen"] > 0 and r["n_prompt"] == 0)
    return {"prompt_tps": pp["avg_ts"], "decode_tps": tg["avg_ts"],
            "ttft_s": prompt_tokens / pp["avg_ts"] + 1 / tg["avg_ts"]}


def make_prompt(engine, n_tokens: int) -> str:
    words = "The quick brown fox jumps over the lazy dog while the sun sets over the quiet hills. "
    text = words
    while engine.count_tokens(text) < n_tokens:
        text += words
    tokens = engine.tokenize(text)[: n_tokens - 1]  # BOS makes it n_tokens
    return engine.detokenize(tokens)


def bench_high_level(model: Path, prompt: str, threads: int, gen_tokens: int, reps: int) -> dict:
    from llama_cpp import Llama

    llm = Llama(str(model), n_ctx=2048, n_threads=threads, n_threads_batch=threads, verbose=False)
    ttfts, decodes = [], []
    try:
        for _ in range(reps):
            llm.reset()
            start = time.perf_counter()
            first = None
            count = 0
            for _chunk in llm.create_completion(prompt, max_tokens=gen_tokens, temperature=0.0, top_k=1,
                                                repeat_penalty=1.0, stream=True, logit_bias=None):
                count += 1
                if first is None:
                    first = time.perf_counter()
            end = time.perf_counter()
            ttfts.append(first - start)
            decodes.append((count - 1) / (end - first))
    finally:
        llm.close()
    return {"ttft_s": statistics.median(ttfts), "decode_tps": statistics.median(decodes), "tokens": count}


def bench_engine(engine, prompt: str, gen_tokens: int, reps: int, speculative: bool = False, chat: bool = False,
                 temperature: float = 0.0) -> dict:
    """speculative off is the plain decode compared with llama-bench's tg (which does not draft). A sampled
    run (temperature > 0) uses seed 1..reps, so off and on draw the same replies where their logits agree."""
    from desktop_app.core.sampling import SamplingParams
    from desktop_app.core.llm.types import ChatMessage

    engine.speculative = speculative
    ttfts, decodes, prompt_rates, steps = [], [], [], []
    for rep in range(reps):
        sampling = SamplingParams(temperature=temperature, max_tokens=gen_tokens, ignore_eos=not chat, seed=rep + 1)
        engine._cached_tokens = []  # measure a cold prompt each time, like the others
        if chat:
            result = engine.chat([ChatMessage("user", prompt)], sampling, on_text=lambda _t: None)
        else:
            result = engine.complete(prompt, sampling, on_text=lambda _t: None)
        ttfts.append(result.stats.ttft_s)
        decodes.append(result.stats.tokens_per_s)
        prompt_rates.append(result.stats.prompt_tokens_per_s)
        steps.append(result.stats.tokens_per_step)
    return {"ttft_s": statistics.median(ttfts), "decode_tps": statistics.median(decodes),
            "prompt_tps": statistics.median(prompt_rates), "tokens": result.stats.completion_tokens,
            "prompt_tokens": result.stats.prompt_tokens, "tokens_per_step": statistics.median(steps)}


def bench_threadpool(engine, prompt: str, gen_tokens: int, reps: int, threads: int) -> dict:
    """The plain engine with llama-bench's explicit ggml threadpool attached (poll 50)."""
    from ggml_threadpool import AttachedThreadpool

    with AttachedThreadpool(engine, threads, poll=50):
        return bench_engine(engine, prompt, gen_tokens, reps)


CHAT_PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
# a reply that copies its prompt, where prompt-lookup drafts hold
COPY_PROMPT = (
    "Repeat this notice word for word:\n\nThe Millbrook council met on 12 March 2024. The council approved a budget "
    "of 4.2 million pounds for the river bridge, and the mayor, Anna Weber, said the bridge would open in June 2026. "
    "The library will close on Sundays from April. Farmers asked for a new grain market near the railway station."
)


GUI_PROBE = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context, create_application
from desktop_app.ui.main_window import MainWindow
app = create_application(sys.argv)
settings = Settings(); settings.n_threads = int(sys.argv[1]); settings.sampling.max_tokens = int(sys.argv[2])
settings.sampling.temperature = 0.8; settings.sampling.seed = 5
context = build_context(settings)
window = MainWindow(context); window.show()
pane = window.panes["chat"]
gaps, last = [], [None]
def tick():
    now = time.perf_counter()
    if last[0] is not None and pane.busy:
        gaps.append(now - last[0])
    last[0] = now
timer = QTimer(); timer.timeout.connect(tick); timer.start(5)
def finished(reply):
    print(json.dumps({"max_stall_ms": max(gaps) * 1000 if gaps else None, "ticks": len(gaps),
                      "p99_gap_ms": sorted(gaps)[int(len(gaps) * 0.99)] * 1000 if gaps else None,
                      "tokens": reply.result.stats.completion_tokens, "tps": reply.result.stats.tokens_per_s}))
    app.quit()
pane.reply_finished.connect(finished)
start = lambda: pane.send("Tell me a long story about a brave knight and a dragon.")
if context.llm.info is not None:
    QTimer.singleShot(200, start)
else:
    pane.model_loaded.connect(lambda _i: QTimer.singleShot(200, start))
QTimer.singleShot(120000, app.quit)
app.exec()
context.close()
"""


def bench_gui_stall(threads: int, gen_tokens: int) -> dict:
    data_dir = tempfile.mkdtemp(prefix="hearth-bench-")  # fresh: no saved conversation settings
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEARTH_DATA_DIR": data_dir}
    out = subprocess.run([sys.executable, "-c", GUI_PROBE, str(threads), str(gen_tokens)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": out.stderr[-500:]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--prompt-tokens", type=int, default=64)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved llama-bench/engine rounds")
    parser.add_argument("--model", help="path to a GGUF (default: the default chat model)")
    parser.add_argument("--no-gui", action="store_true", help="skip the GUI stall probe")
    parser.add_argument("--no-high-level", action="store_true", help="skip llama-cpp-python's high-level API")
    args = parser.parse_args()

    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.library.registry import ModelRegistry

    model = Path(args.model) if args.model else ModelRegistry().default("chat").path
    engine = LlamaEngine()
    engine.load(model, LoadOptions(n_ctx=2048, n_threads=args.threads))
    prompt = make_prompt(engine, args.prompt_tokens)

    results = {"model": model.name, "threads": args.threads, "prompt_tokens": args.prompt_tokens,
               "gen_tokens": args.tokens}
    # interleave rounds so drift in the machine's speed hits both alike; report medians
    # plain chat (a short prompt, nothing to copy): speculative on must not be slower than off
    rounds = [(run_llama_bench(model, args.threads, args.prompt_tokens, args.tokens, args.reps),
               bench_engine(engine, prompt, args.tokens, args.reps),
               bench_engine(engine, CHAT_PROMPT, args.tokens, args.reps, speculative=False, chat=True),
               bench_engine(engine, CHAT_PROMPT, args.tokens, args.reps, speculative=True, chat=True),
               bench_threadpool(engine, prompt, args.tokens, args.reps, args.threads),
               # chat's default sampling (0.7): drafts are accepted less often, so the controller must switch off in time
               bench_engine(engine, CHAT_PROMPT, args.tokens, args.reps, speculative=False, chat=True, temperature=0.7),
               bench_engine(engine, CHAT_PROMPT, args.tokens, args.reps, speculative=True, chat=True, temperature=0.7),
               bench_engine(engine, COPY_PROMPT, args.tokens, args.reps, speculative=False, chat=True, temperature=0.7),
               bench_engine(engine, COPY_PROMPT, args.tokens, args.reps, speculative=True, chat=True, temperature=0.7))
              for _ in range(args.rounds)]
    results["engine_threadpool"] = {k: statistics.median(r[4][k] for r in rounds) for k in rounds[0][4]}
    results["rounds_threadpool_decode_ratio"] = [round(r[4]["decode_tps"] / r[0]["decode_tps"], 3) for r in rounds]
    results["llama_bench"] = {k: statistics.median(r[0][k] for r in rounds) for k in rounds[0][0]}
    results["engine"] = {k: statistics.median(r[1][k] for r in rounds) for k in rounds[0][1]}
    results["chat_speculative_off"] = {k: statistics.median(r[2][k] for r in rounds) for k in rounds[0][2]}
    results["chat_speculative_on"] = {k: statistics.median(r[3][k] for r in rounds) for k in rounds[0][3]}
    for i, name in enumerate(("chat_sampled_off", "chat_sampled_on", "copy_sampled_off", "copy_sampled_on"), start=5):
        results[name] = {k: statistics.median(r[i][k] for r in rounds) for k in rounds[0][i]}
    results["rounds_chat_sampled_ratio"] = [round(r[6]["decode_tps"] / r[5]["decode_tps"], 3) for r in rounds]
    results["rounds_copy_sampled_ratio"] = [round(r[8]["decode_tps"] / r[7]["decode_tps"], 3) for r in rounds]
    results["rounds_decode_ratio"] = [round(r[1]["decode_tps"] / r[0]["decode_tps"], 3) for r in rounds]
    results["rounds_chat_speculative_ratio"] = [round(r[3]["decode_tps"] / r[2]["decode_tps"], 3) for r in rounds]
    results["load_average"] = os.getloadavg()
    engine.close()
    if not args.no_high_level:
        results["high_level"] = bench_high_level(model, prompt, args.threads, args.tokens, args.reps)
    if not args.no_gui:
        results["gui"] = bench_gui_stall(args.threads, 1024)
    ceiling = results["llama_bench"]
    results["high_level"] = results.get("high_level") or {"decode_tps": float("nan")}
    results["ratios"] = {
        "engine_decode_vs_llama_bench": results["engine"]["decode_tps"] / ceiling["decode_tps"],
        "engine_threadpool_decode_vs_llama_bench": results["engine_threadpool"]["decode_tps"] / ceiling["decode_tps"],
        "chat_speculative_on_vs_off": results["chat_speculative_on"]["decode_tps"] / results["chat_speculative_off"]["decode_tps"],
        "chat_sampled_on_vs_off": results["chat_sampled_on"]["decode_tps"] / results["chat_sampled_off"]["decode_tps"],
        "copy_sampled_on_vs_off": results["copy_sampled_on"]["decode_tps"] / results["copy_sampled_off"]["decode_tps"],
        "copy_sampled_on_vs_llama_bench": results["copy_sampled_on"]["decode_tps"] / ceiling["decode_tps"],
        "high_level_decode_vs_llama_bench": results["high_level"]["decode_tps"] / ceiling["decode_tps"],
        "engine_ttft_minus_raw_ms": (results["engine"]["ttft_s"] - ceiling["ttft_s"]) * 1000,
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
