"""Serving throughput and latency: `hearth serve` vs a plain llama-server vs llama-cpp-python's server.

Same model (the default SmolLM2 GGUF unless --model), same threads, same context per client. All
three servers run at once and each concurrency level is measured on each engine in turn
(interleaved), so a change in the machine's load hits all three alike. Then the overhead of a
remote chat through the app (RemoteEngine) against the `openai` client called directly.

    python benchmarks/bench_serve.py [--threads 2] [--requests 4] [--tokens 32] [--json out.json]
    python benchmarks/bench_serve.py --overhead-only [--rounds 10] [--per-round 4]   # the overhead alone
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


def overhead(base_url: str, model: str, rounds: int, tokens: int, per_round: int = 4) -> dict:
    """The same chat through the app's RemoteEngine and through the openai client, interleaved.

    Each round sends ``per_round`` requests down each path in A B B A order (the order flips every
    round), so a change in load or in the server's warmth hits both alike; a round's figure is the
    median of its requests, the result the median of the rounds. Wall time includes the server, so
    on a loaded machine it is noisy; this process's CPU time per request is the client-side cost alone.
    """
    import openai

    client = openai.OpenAI(base_url=base_url, api_key="none", timeout=600, max_retries=0)
    engine = RemoteEngine(base_url, model=model)
    engine.connect()
    sampling = SamplingParams(temperature=0, max_tokens=tokens, ignore_eos=True)
    extra = {"ignore_eos": True, "top_k": 1, "repeat_penalty": 1.0}  # what the app sends for greedy sampling
    serial = iter(range(1 << 30))

    def prompt() -> str:
        # a different prefix for every request, so neither path reuses the other's prompt cache
        return f"{next(serial)}: say something about the sea."

    def through_client() -> None:
        stream = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": prompt()}], max_tokens=tokens, temperature=0, top_p=1.0,
            stream=True, stream_options={"include_usage": True}, extra_body=extra,
        )
        for _chunk in stream:
            pass

    def through_app() -> None:
        engine.chat([ChatMessage("user", prompt())], sampling, on_text=lambda _t: None)

    def timed(run) -> tuple[float, float]:
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - start, time.process_time() - cpu_start

    paths = {"app": through_app, "direct": through_client}
    for run in paths.values():
        run()  # warm-up: connections, the server's first request
    per_round = max(2, per_round)
    rows = []
    for index in range(rounds):
        order = ["direct", "app", "app", "direct"] if index % 2 == 0 else ["app", "direct", "direct", "app"]
        sequence = [order[i % 4] for i in range(2 * per_round)]
        samples: dict[str, list[tuple[float, float]]] = {"app": [], "direct": []}
        for name in sequence:
            samples[name].append(timed(paths[name]))
        row = {name: {"wall_s": statistics.median(w for w, _ in got), "cpu_ms": 1000 * statistics.median(c for _, c in got)}
               for name, got in samples.items()}
        row["wall_ratio"] = row["app"]["wall_s"] / row["direct"]["wall_s"]
        rows.append(row)
    engine.close()
    client.close()

    def middle(key, field):
        return statistics.median(r[key][field] for r in rows)

    return {
        "rounds": rounds,
        "requests_per_path_per_round": per_round,
        "app_median_s": middle("app", "wall_s"),
        "direct_median_s": middle("direct", "wall_s"),
        "overhead_pct": 100 * (statistics.median(r["wall_ratio"] for r in rows) - 1),
        "overhead_pct_rounds": [round(100 * (r["wall_ratio"] - 1), 1) for r in rows],
        "app_cpu_ms": middle("app", "cpu_ms"),
        "direct_cpu_ms": middle("direct", "cpu_ms"),
        "cpu_overhead_pct": 100 * (middle("app", "cpu_ms") / middle("direct", "cpu_ms") - 1),
    }


def replayed_overhead(base_url: str, model: str, tokens: int, rounds: int = 7, per_round: int = 50) -> dict:
    """The client-side CPU of one request, free of the server and the machine's load: one real streamed reply is
    recorded, then replayed from memory (an httpx MockTransport) to the app's RemoteEngine and to the bare openai
    client, in rounds that alternate their order; the medians of the rounds' per-request CPU times."""
    import httpx
    import openai

    request = {"model": model, "messages": [{"role": "user", "content": "hello"}], "max_tokens": tokens, "temperature": 0,
               "stream": True, "stream_options": {"include_usage": True}, "ignore_eos": True}
    recorded = httpx.post(base_url + "/chat/completions", json=request, timeout=600)
    recorded.raise_for_status()
    stream_headers = {"content-type": recorded.headers["content-type"]}
    listing = {"object": "list", "data": [{"id": model, "object": "model", "owned_by": "bench"}]}

    def answer(req: httpx.Request) -> httpx.Response:
        if req.url.path.endswith("/chat/completions"):
            return httpx.Response(200, headers=stream_headers, content=recorded.content)
        if req.url.path.endswith("/models"):
            return httpx.Response(200, json=listing)
        if req.url.path == "/tokenize":
            return httpx.Response(200, json={"tokens": [1, 2]})
        return httpx.Response(404, json={"error": "absent"})

    transport = httpx.MockTransport(answer)
    client = openai.OpenAI(base_url="http://replay/v1", api_key="none", max_retries=0,
                           http_client=httpx.Client(transport=transport))
    engine = RemoteEngine("http://replay/v1", model=model, transport=transport)
    engine.connect()
    sampling = SamplingParams(temperature=0, max_tokens=tokens, ignore_eos=True)
    extra = {"ignore_eos": True, "top_k": 1, "repeat_penalty": 1.0}

    def direct() -> None:
        for _chunk in client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hello"}], max_tokens=tokens, temperature=0, top_p=1.0,
            stream=True, stream_options={"include_usage": True}, extra_body=extra,
        ):
            pass

    def app() -> None:
        engine.chat([ChatMessage("user", "hello")], sampling, on_text=lambda _t: None)

    paths = {"app": app, "direct": direct}
    samples: dict[str, list[float]] = {"app": [], "direct": []}
    for index in range(rounds):
        for name in (["direct", "app"] if index % 2 == 0 else ["app", "direct"]):
            start = time.process_time()
            for _ in range(per_round):
                paths[name]()
            samples[name].append(1000 * (time.process_time() - start) / per_round)
    engine.close()
    client.close()
    app_ms, direct_ms = statistics.median(samples["app"]), statistics.median(samples["direct"])
    return {"rounds": rounds, "requests_per_round": per_round, "chunks": recorded.content.count(b"data: "),
            "app_cpu_ms": app_ms, "direct_cpu_ms": direct_ms, "app_extra_cpu_ms": app_ms - direct_ms}


def print_overhead(result: dict) -> None:
    print(f"remote chat through the app vs the openai client: {result['overhead_pct']:+.1f}% wall "
          f"(median of {result['rounds']} rounds: {result['app_median_s']:.3f} s vs {result['direct_median_s']:.3f} s; "
          f"rounds {result['overhead_pct_rounds']}); client CPU per request {result['app_cpu_ms']:.2f} ms vs "
          f"{result['direct_cpu_ms']:.2f} ms ({result['cpu_overhead_pct']:+.1f}%); load {os.getloadavg()[0]:.1f}")
    replayed = result.get("replayed")
    if replayed:
        print(f"replayed stream ({replayed['chunks']} chunks, no server): client CPU per request {replayed['app_cpu_ms']:.2f} ms "
              f"through the app vs {replayed['direct_cpu_ms']:.2f} ms direct ({replayed['app_extra_cpu_ms']:+.2f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=1024, help="context per client")
    parser.add_argument("--requests", type=int, default=4, help="requests per client at each level")
    parser.add_argument("--tokens", type=int, default=32, help="tokens generated per request")
    parser.add_argument("--rounds", type=int, default=10, help="overhead rounds")
    parser.add_argument("--per-round", type=int, default=4, help="overhead requests per path in each round")
    parser.add_argument("--overhead-only", action="store_true",
                        help="only the app-vs-openai-client overhead, against `hearth serve` (quick to rerun)")
    parser.add_argument("--skip-python", action="store_true", help="leave out llama-cpp-python's server")
    parser.add_argument("--levels", default="1,2,4,8", help="client counts to measure (4 is required for the ratio)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.model is None:
        from desktop_app.core.library.registry import ModelRegistry

        args.model = ModelRegistry().default("chat").path
    model_id = "bench"
    if args.overhead_only:
        return run_overhead_only(args, model_id)
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
        results["overhead"] = overhead(hearth.base_url, model_id, args.rounds, args.tokens, args.per_round)
        results["overhead"]["replayed"] = replayed_overhead(hearth.base_url, model_id, args.tokens)
        print_overhead(results["overhead"])
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


def run_overhead_only(args, model_id: str) -> int:
    server = ServeProcess(ServeOptions(args.model, port=free_port(), parallel=1, n_ctx=args.ctx, threads=args.threads,
                                       alias=model_id))
    load = os.getloadavg()
    server.start()
    try:
        result = overhead(server.base_url, model_id, args.rounds, args.tokens, args.per_round)
        result["replayed"] = replayed_overhead(server.base_url, model_id, args.tokens)
    finally:
        server.stop()
    result.update(load_before=load, load_after=os.getloadavg(), threads=args.threads, tokens_per_request=args.tokens)
    print_overhead(result)
    if args.json:
        args.json.write_text(json.dumps({"overhead": result}, indent=2))
    return 0


def _first_model(base_url: str) -> str:
    import openai

    with openai.OpenAI(base_url=base_url, api_key="none") as client:
        return client.models.list().data[0].id


if __name__ == "__main__":
    raise SystemExit(main())
