"""Serve a GGUF over the OpenAI protocol from a child process (a crash there never takes the app down).

The engine is llama.cpp's own ``llama-server`` (continuous batching over ``--parallel`` slots),
chosen by measurement over llama-cpp-python's ``llama_cpp.server`` (benchmarks/bench_serve.py);
the latter stays available for tests and for machines without the binary.
Binding anything but loopback needs an API key: a shared model is never open to the whole network.
"""

from __future__ import annotations

import enum
import ipaddress
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.remote.errors import PortInUse, ServeError

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080
START_TIMEOUT_S = 120.0
STDERR_LINES = 40


class ServeEngine(enum.StrEnum):
    LLAMA_SERVER = "llama-server"
    LLAMA_CPP_PYTHON = "llama-cpp-python"


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServeOptions:
    model: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    api_key: str | None = None
    parallel: int = 4  # concurrent slots (llama-server); each gets n_ctx tokens
    n_ctx: int = 2048  # context per client
    threads: int = 0  # 0: the engine's own choice
    gpu_layers: int = 0  # -1: all
    engine: ServeEngine = ServeEngine.LLAMA_SERVER
    alias: str = ""  # the model id clients see; default the file's stem

    @property
    def model_id(self) -> str:
        return self.alias or Path(self.model).stem

    @property
    def shared(self) -> bool:
        return not is_loopback(self.host)

    def validate(self) -> None:
        if not Path(self.model).is_file():
            raise ServeError(f"Model file not found: {self.model}")
        if self.shared and not self.api_key:
            raise ServeError(
                "Sharing a model on the network needs an API key, so only the people you give it to can use it. "
                "Pass --api-key, or let Hearth generate one."
            )
        if not 1 <= self.parallel <= 64:
            raise ServeError("The number of parallel clients must be between 1 and 64.")


@dataclass
class ServeStats:
    requests_served: int = 0
    active_clients: int = 0
    tokens_per_s: float = 0.0  # generated tokens per second over the last interval, all clients together
    tokens_generated: int = 0
    available: bool = True  # False when the engine has no metrics endpoint


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUse(
                f"Port {port} on {host} is already in use (another server, or Hearth serving already). "
                "Stop that one or choose another port."
            ) from exc


def serve_command(options: ServeOptions) -> list[str]:
    threads = [str(options.threads)] if options.threads > 0 else []
    if options.engine is ServeEngine.LLAMA_SERVER:
        binary = paths.llama_server_binary()
        if binary is None:
            raise ServeError(
                "llama-server is not installed. Run `make setup` (it builds it once), "
                "or serve with the llama-cpp-python engine."
            )
        command = [
            str(binary), "-m", str(options.model), "--host", options.host, "--port", str(options.port),
            "--parallel", str(options.parallel), "-c", str(options.n_ctx * options.parallel),
            "--alias", options.model_id, "--metrics", "--no-webui", "-ngl", str(options.gpu_layers),
        ]
        if threads:
            command += ["-t", *threads, "-tb", *threads]
        if options.api_key:
            command += ["--api-key", options.api_key]
        return command
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(options.model), "--host", options.host,
        "--port", str(options.port), "--n_ctx", str(options.n_ctx), "--model_alias", options.model_id,
        "--n_gpu_layers", str(options.gpu_layers),
    ]
    if threads:
        command += ["--n_threads", *threads, "--n_threads_batch", *threads]
    if options.api_key:
        command += ["--api_key", options.api_key]
    return command


class ServeProcess:
    """One serving child process: start, wait until it answers, poll its stats, stop."""

    def __init__(self, options: ServeOptions):
        options.validate()
        self.options = options
        self._process: subprocess.Popen | None = None
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._served = 0
        self._lock = threading.Lock()
        self._last_sample: tuple[float, int] | None = None
        self._readers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host = self.options.host
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        return f"http://{shown}:{self.options.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = START_TIMEOUT_S, cancel: threading.Event | None = None) -> None:
        check_port_free(self.options.host, self.options.port)
        command = serve_command(self.options)
        log.info("serving %s: %s", self.options.model, " ".join(c if c != self.options.api_key else "***" for c in command))
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors="replace", env=env,
        )
        reader = threading.Thread(target=self._read_output, name="serve-output", daemon=True)
        reader.start()
        self._readers.append(reader)
        try:
            self._wait_ready(timeout, cancel)
        except BaseException:
            self.stop()
            raise

    def _read_output(self) -> None:
        process = self._process
        for line in process.stdout:
            line = line.rstrip()
            self._stderr.append(line)
            # llama-server logs 'stop processing' once per finished request; llama_cpp.server one access line
            if "stop processing:" in line or '"POST /v1/' in line:
                with self._lock:
                    self._served += 1

    def _wait_ready(self, timeout: float, cancel: threading.Event | None) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        path = "/health" if self.options.engine is ServeEngine.LLAMA_SERVER else "/v1/models"
        headers = {"Authorization": f"Bearer {self.options.api_key}"} if self.options.api_key else {}
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServeError(f"The server stopped while starting (exit code {self._process.returncode}): {self.output_tail()}")
            if cancel is not None and cancel.is_set():
                raise ServeError("Serving was cancelled before the server was ready.")
            try:
                if httpx.get(self.url + path, headers=headers, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if cancel is not None:
                cancel.wait(0.1)
            else:
                threading.Event().wait(0.1)
        raise ServeError(f"The server did not become ready within {timeout:g} seconds: {self.output_tail()}")

    def output_tail(self, lines: int = 5) -> str:
        return " | ".join(list(self._stderr)[-lines:]) or "no output"

    def stats(self) -> ServeStats:
        with self._lock:
            served = self._served
        if self.options.engine is not ServeEngine.LLAMA_SERVER:
            return ServeStats(requests_served=served, available=False)
        import httpx

        headers = {"Authorization": f"Bearer {self.options.api_key}"} if self.options.api_key else {}
        try:
            text = httpx.get(self.url + "/metrics", headers=headers, timeout=2.0).text
        except httpx.HTTPError:
            return ServeStats(requests_served=served, available=False)
        metrics = parse_metrics(text)
        generated = int(metrics.get("llamacpp:tokens_predicted_total", 0))
        now = time.monotonic()
        rate = 0.0
        if self._last_sample is not None and now > self._last_sample[0]:
            rate = max(0.0, (generated - self._last_sample[1]) / (now - self._last_sample[0]))
        self._last_sample = (now, generated)
        return ServeStats(
            requests_served=served,
            active_clients=int(metrics.get("llamacpp:requests_processing", 0)),
            tokens_per_s=rate,
            tokens_generated=generated,
        )

    def stop(self, timeout: float = 10.0) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        if process.stdout:
            process.stdout.close()
        self._readers.clear()

    def __enter__(self) -> "ServeProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text format, unlabelled samples only (what llama-server's /metrics has)."""
    values: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition(" ")
        try:
            values[name] = float(value.split()[0])
        except (ValueError, IndexError):
            continue
    return values
