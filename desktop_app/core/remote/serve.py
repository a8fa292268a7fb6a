"""Serve a GGUF over the OpenAI protocol from a child process (a crash there never takes the app down).

The engine is llama.cpp's own ``llama-server`` (continuous batching over ``--parallel`` slots),
chosen by measurement over llama-cpp-python's ``llama_cpp.server`` (benchmarks/bench_serve.py);
the latter stays available for tests and for machines without the binary.
Binding anything but loopback needs an API key: a shared model is never open to the whole network.
The key reaches the child through its environment (readable by this user only), never its command line
(which ``ps`` shows to every user). The child is tied to this process's life (lifetime.py) and recorded
(strays.py), so a Hearth that is killed leaves no server behind, or one that the next Hearth finds.
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
from desktop_app.core.remote import lifetime, strays
from desktop_app.core.remote.connection import read_limited
from desktop_app.core.remote.errors import PortInUse, ServeError, StrayServer
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080
START_TIMEOUT_S = 120.0
STDERR_LINES = 40
METRICS_LIMIT = 1 << 20
# where each engine reads its key: llama-server's own variable, llama-cpp-python's settings (pydantic, any case)
KEY_VARIABLES = {"llama-server": "LLAMA_API_KEY", "llama-cpp-python": "API_KEY"}
# variables of the user's environment that would change the child's key, address or port behind Hearth's back
CLEARED_VARIABLES = ("LLAMA_API_KEY", "LLAMA_ARG_API_KEY_FILE", "LLAMA_ARG_HOST", "LLAMA_ARG_PORT", "API_KEY", "HOST",
                     "PORT")


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
        if self.api_key is not None and (not self.api_key or any(c.isspace() or c == "," for c in self.api_key)):
            raise ServeError(translate("ServeErrors", "An API key may not be empty nor contain spaces, commas or line "
                                       "breaks. Use letters, digits and - _ . only."))


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
            raise port_taken(host, port) from exc


def port_taken(host: str, port: int) -> PortInUse:
    """Why ``port`` is in use, as far as Hearth knows: a server an ended Hearth left, one another Hearth runs, or other."""
    server = strays.on_port(port)
    if server is not None and not server.owner_alive:
        return StrayServer(translate(
            "ServeErrors", "Port {port} on {host} is in use by a server that an earlier Hearth started and left running "
            "(process {pid}). Stop it with `hearth serve --stop-stray`, or choose another port.").fill(
            port=port, host=host, pid=server.pid), server)
    if server is not None:
        return PortInUse(translate(
            "ServeErrors", "Port {port} on {host} is in use by the server that another Hearth (process {owner}) runs. "
            "Stop serving there, or choose another port.").fill(port=port, host=host, owner=server.owner))
    return PortInUse(translate(
        "ServeErrors", "Port {port} on {host} is already in use (another server, or Hearth serving already). "
        "Stop that one or choose another port.").fill(port=port, host=host))


def stop_stray(server: strays.StartedServer) -> bool:
    """End a server an earlier Hearth left running; False when it had ended already."""
    stopped = lifetime.stop_process(server.pid, server.started)
    strays.forget(server.pid)
    return stopped


def serve_environment(options: ServeOptions) -> dict[str, str]:
    """The child's environment: the key in the variable its engine reads, none of the user's that would interfere."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in CLEARED_VARIABLES}
    env["PYTHONUNBUFFERED"] = "1"
    if options.api_key:
        env[KEY_VARIABLES[options.engine]] = options.api_key
    return env


def serve_command(options: ServeOptions) -> list[str]:
    threads = [str(options.threads)] if options.threads > 0 else []
    if options.engine is ServeEngine.LLAMA_SERVER:
        binary = paths.llama_server_binary()
        if binary is None and paths.llama_server_being_built():
            raise ServeError(translate(
                "ServeErrors", "llama-server is still being built (`make run` started it in the background; "
                "about two minutes on two cores). Try again shortly, or serve with the llama-cpp-python engine."))
        if binary is None:
            raise ServeError(translate(
                "ServeErrors", "llama-server is not installed. Run `make server` (it builds it once), "
                "or serve with the llama-cpp-python engine."))
        command = [
            str(binary), "-m", str(options.model), "--host", options.host, "--port", str(options.port),
            "--parallel", str(options.parallel), "-c", str(options.n_ctx * options.parallel),
            "--alias", options.model_id, "--metrics", "--no-webui", "-ngl", str(options.gpu_layers),
        ]
        if threads:
            command += ["-t", *threads, "-tb", *threads]
        return command  # the key, if any, is in the environment (serve_environment)
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(options.model), "--host", options.host,
        "--port", str(options.port), "--n_ctx", str(options.n_ctx), "--model_alias", options.model_id,
        "--n_gpu_layers", str(options.gpu_layers),
    ]
    if threads:
        command += ["--n_threads", *threads, "--n_threads_batch", *threads]
    return command


class ServeProcess:
    """One serving child process: start, wait until it answers, poll its stats, stop."""

    def __init__(self, options: ServeOptions, tie: lifetime.TieMode | None = None):
        options.validate()
        self.options = options
        self._tie_mode = tie  # None: what this system offers (tests choose one)
        self._process: subprocess.Popen | None = None
        self._tie: lifetime.Tie | None = None
        self._spawn_error: Exception | None = None
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._served = 0
        self._lock = threading.Lock()
        self._last_sample: tuple[float, int] | None = None
        self._child_thread: threading.Thread | None = None

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
        log.info("serving %s: %s", self.options.model, " ".join(command))
        spawned = threading.Event()
        # the child's tie (PR_SET_PDEATHSIG) is to the thread that forks it: this one lives as long as the child
        self._child_thread = threading.Thread(target=self._run_child, args=(command, spawned), name="serve-child",
                                              daemon=True)
        self._child_thread.start()
        spawned.wait()
        if self._process is None:
            raise ServeError(translate("ServeErrors", "The server could not be started ({problem}).").fill(
                problem=getattr(self._spawn_error, "strerror", None) or "the program could not be run"))
        strays.remember(self._process.pid, self.options.port, self.options.host)
        try:
            self._wait_ready(timeout, cancel)
        except BaseException:
            self.stop()
            raise

    def _run_child(self, command: list[str], spawned: threading.Event) -> None:
        try:
            self._process, self._tie = lifetime.spawn(
                command, self._tie_mode, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, errors="replace", env=serve_environment(self.options),
            )
        except Exception as exc:  # noqa: BLE001 - said by start(), on the caller's thread
            log.warning("could not start %s: %s", command[0], exc)
            self._spawn_error = exc
            return
        finally:
            spawned.set()
        process = self._process
        for line in process.stdout:
            line = line.rstrip()
            self._stderr.append(line)
            # llama-server logs 'stop processing' once per finished request; llama_cpp.server one access line
            if "stop processing:" in line or '"POST /v1/' in line:
                with self._lock:
                    self._served += 1
        process.wait()  # the thread outlives the child, never the other way round

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
            with httpx.stream("GET", self.url + "/metrics", headers=headers, timeout=2.0) as response:
                text = read_limited(response, METRICS_LIMIT, None, self.url).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - no figures this time (a refusal, a timeout, an answer too large)
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
        if self._child_thread is not None:
            self._child_thread.join(timeout)
        if process.stdout:
            process.stdout.close()
        if self._tie is not None:
            self._tie.release()
        strays.forget(process.pid)

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
