"""Serving throughput and latency: `hearth serve` vs a plain llama-server vs llama-cpp-python's server.

Same model (the default SmolLM2 GGUF unless --model), same threads, same context per client. All
three servers run at once and each concurrency level is measured on each engine in turn
(interleaved), so a change in the machine's load hits all three alike. Then the overhead of a
remote chat through the app (RemoteEngine) against the `openai` client called directly.

    python benchmarks/bench_serve.py [--threads 2] [--requests 4] [--tokens 32] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core import paths  # noqa: E402
from desktop_app.core.llm.engine import ChatMessage  # noqa: E402
from desktop_app.core.remote.client import RemoteEngine  # noqa: E402
from desktop_app.core.remote.serve import ServeEngine, ServeOptions, ServeProcess  # noqa: E402
from desktop_app.core.sampling import SamplingParams  # noqa: E402

LEVELS = (1, 2, 4, 8)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PlainLlamaServer:
    """llama-server as its README runs it: only model, threads, context and slots given."""

    def __init__(self, model: Path, threads: int, n_ctx: int, parallel: int):
        self.port = free_port()
        self.command = [str(paths.llama_server_binary()), "-m", str(model), "--port", str(self.port), "-t", str(threads),
                        "-tb", str(threads), "-c", str(n_ctx * parallel), "--parallel", str(parallel)]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.process = None

    def start(self) -> None:
        import httpx

        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("llama-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)


def one_request(client, model: str, prompt: str, tokens: int) -> tuple[float, int]:
    start = time.perf_counter()
    reply = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": prompt}], max_tokens=tokens, temperature=0,
        extra_body={"ignore_eos": True},
    )
    return time.perf_counter() - start, reply.usage.completion_tokens if reply.usage else tokens


def measure_level(base_url: str, model: str, clients: int, requests: int, tokens: int) -> dict:
    import openai

    client = openai.OpenAI(base_url=base_url, api_key="none", timeout=600, max_retries=0)
    prompts = [[f"Client {c}, question {r}: name a colour and a fruit." for r in range(requests)] for c in range(clients)]

    def run_client(rows):
        return [one_request(client, model, p, tokens) for p in rows]

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for rows in pool.map(run_client, prompts) for r in rows]
    wall = time.perf_counter() - start
    client.close()
    latencies = sorted(r[0] for r in results)
    generated = sum(r[1] for r in results)
    return {
        "clients": clients,
        "requests": len(results),
        "tokens_per_s": generated / wall,
        "p50_s": statistics.median(latencies),
        "p95_s": latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))],
        "wall_s": wall,
    }


def overhead(base_url: str, model: str, rounds: int, tokens: int) -> dict:
    """The same chat through the app's RemoteEngine and through the openai client, alternating."""
    import openai

    client = openai.OpenAI(base_url=base_url, api_key="none", timeout=600, max_retries=0)
    engine = RemoteEngine(base_url, model=model)
    engine.connect()
    sampling = SamplingParams(temperature=0, max_tokens=tokens, ignore_eos=True)
    app, direct = [], []
    words = ["amber", "basil", "cedar", "delta", "ember", "fjord", "grove", "heron", "iris", "juniper", "kelp", "lotus"]

    cpu = {"app": [], "direct": []}  # this process's CPU time per request: the client-side cost, free of server noise

    def through_client(prompt: str) -> float:
        start, cpu_start = time.perf_counter(), time.process_time()
        stream = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": prompt}], max_tokens=tokens, temperature=0,
            stream=True, stream_options={"include_usage": True}, extra_body={"ignore_eos": True, "top_k": 1, "repeat_penalty": 1.0},
        )
        for _chunk in stream:
            pass
        cpu["direct"].append(time.process_time() - cpu_start)
        return time.perf_counter() - start

    def through_app(prompt: str) -> float:
        start, cpu_start = time.perf_counter(), time.process_time()
        engine.chat([ChatMessage("user", prompt)], sampling, on_text=lambda _t: None)
        cpu["app"].append(time.process_time() - cpu_start)
        return time.perf_counter() - start

    for index in range(rounds):
        # a different first word for every request, so neither path reuses the other's prompt cache;
        # the order alternates, so neither always runs on a warmer machine
        first, second = words[(2 * index) % len(words)], words[(2 * index + 1) % len(words)]
        if index % 2:
            app.append(through_app(f"{first}: say something about the sea."))
            direct.append(through_client(f"{second}: say something about the sea."))
        else:
            direct.append(through_client(f"{first}: say something about the sea."))
            app.append(through_app(f"{second}: say something about the sea."))
    engine.close()
    client.close()
    return {"rounds": rounds, "app_median_s": statistics.median(app), "direct_median_s": statistics.median(direct),
            "overhead_pct": 100 * (statistics.median(app) / statistics.median(direct) - 1),
            "app_cpu_ms": 1000 * statistics.median(cpu["app"]), "direct_cpu_ms": 1000 * statistics.median(cpu["direct"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=1024, help="context per client")
    parser.add_argument("--requests", type=int, default=4, help="requests per client at each level")
    parser.add_argument("--tokens", type=int, default=32, help="tokens generated per request")
    parser.add_argument("--rounds", type=int, default=10, help="overhead rounds")
    parser.add_argument("--skip-python", action="store_true", help="leave out llama-cpp-python's server")
    parser.add_argument("--levels", default="1,2,4,8", help="client counts to measure (4 is required for the ratio)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.model is None:
        from desktop_app.core.library.registry import ModelRegistry

        args.model = ModelRegistry().default("chat").path
    model_id = "bench"
    parallel = max(LEVELS)
    hearth = ServeProcess(ServeOptions(args.model, port=free_port(), parallel=parallel, n_ctx=args.ctx,
                                       threads=args.threads, alias=model_id))
    plain = PlainLlamaServer(args.model, args.threads, args.ctx, parallel)
    servers = {"hearth serve": (hearth, hearth.base_url), "llama-server": (plain, plain.base_url)}
    if not args.skip_python:
        python = ServeProcess(ServeOptions(args.model, port=free_port(), n_ctx=args.ctx * parallel, threads=args.threads,
                                           engine=ServeEngine.LLAMA_CPP_PYTHON, alias=model_id))
        servers["llama_cpp.server"] = (python, python.base_url)
    load = os.getloadavg()
    results: dict = {"model": str(args.model), "threads": args.threads, "ctx_per_client": args.ctx,
                     "tokens_per_request": args.tokens, "load_before": load, "levels": {}}
    try:
        for server, _url in servers.values():
            server.start()
        for name, (_server, url) in servers.items():
            measure_level(url, model_id if name != "llama-server" else _first_model(url), 1, 1, 8)  # warm-up
        for clients in [int(n) for n in args.levels.split(",")]:
            for name, (_server, url) in servers.items():
                model = model_id if name != "llama-server" else _first_model(url)
                row = measure_level(url, model, clients, args.requests, args.tokens)
                results["levels"].setdefault(str(clients), {})[name] = row
                print(f"{clients} client(s)  {name:18s} {row['tokens_per_s']:7.1f} tok/s  "
                      f"p50 {row['p50_s']:.2f} s  p95 {row['p95_s']:.2f} s", flush=True)
        results["overhead"] = overhead(hearth.base_url, model_id, args.rounds, args.tokens)
        print(f"remote chat through the app vs the openai client: {results['overhead']['overhead_pct']:+.1f}% "
              f"({results['overhead']['app_median_s']:.3f} s vs {results['overhead']['direct_median_s']:.3f} s median; "
              f"client CPU {results['overhead']['app_cpu_ms']:.1f} ms vs {results['overhead']['direct_cpu_ms']:.1f} ms)")
    finally:
        for server, _url in servers.values():
            server.stop()
    results["load_after"] = os.getloadavg()
    four = results["levels"]["4"]
    results["hearth_vs_llama_server_at_4"] = four["hearth serve"]["tokens_per_s"] / four["llama-server"]["tokens_per_s"]
    print(f"hearth serve / llama-server at 4 clients: {results['hearth_vs_llama_server_at_4']:.2f}x "
          f"(load {load[0]:.1f} before, {results['load_after'][0]:.1f} after)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def _first_model(base_url: str) -> str:
    import openai

    with openai.OpenAI(base_url=base_url, api_key="none") as client:
        return client.models.list().data[0].id


if __name__ == "__main__":
    raise SystemExit(main())
