"""Read a GGUF's header and vocabulary in a child process before the app loads it.

Some malformed files make llama.cpp abort the whole process (a GGML_ASSERT),
which no Python exception can catch. The child takes that hit instead; the
verdict for a file that passed is remembered by path, size and mtime.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import ModelLoadError
from desktop_app.core.llm import native_log
from desktop_app.core.llm.template import template_problem
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

PROBE_COMMAND = "_probe-gguf"
PROBE_TIMEOUT_S = 120
_passed_in_process: dict[str, str | None] = {}  # key -> the chat template's problem, if any
TEMPLATE_MARK = "template:"  # cache value for a file that loads but whose template was set aside
_lock = threading.Lock()


def _key(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def _cache_path() -> Path:
    return paths.data_dir() / "gguf-probe-cache.json"


def _load_cache() -> dict:
    try:
        return json.loads(_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remember(key: str, template_problem: str | None = None) -> None:
    _passed_in_process[key] = template_problem
    cache = _load_cache()
    cache[key] = TEMPLATE_MARK + template_problem if template_problem else "ok"
    try:
        write_text_atomic(_cache_path(), json.dumps(cache))
    except OSError as exc:  # an unwritable data dir only costs a re-probe next time
        log.info("could not save the GGUF probe cache: %s", exc)


def child_command(path: Path) -> list[str]:
    if paths.is_frozen():
        return [sys.executable, PROBE_COMMAND, str(path)]
    return [sys.executable, "-m", "desktop_app", PROBE_COMMAND, str(path)]


def ensure_loadable(path: Path) -> str | None:
    """Raise ModelLoadError if reading the file's header and vocabulary fails or crashes.

    Returns what is wrong with the embedded chat template (None when it rendered within limits).
    """
    key = _key(path)
    with _lock:
        if key in _passed_in_process:
            return _passed_in_process[key]
        cached = _load_cache().get(key)
        if cached == "ok" or (isinstance(cached, str) and cached.startswith(TEMPLATE_MARK)):
            _passed_in_process[key] = cached.removeprefix(TEMPLATE_MARK) if cached != "ok" else None
            return _passed_in_process[key]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(child_command(path), capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired as exc:
        raise ModelLoadError(translate("ModelErrors", "Reading {name} took too long; the file may be "
                                                      "damaged.").fill(name=path.name)) from exc
    except OSError as exc:
        log.warning("could not start the GGUF probe (%s); loading without it", exc)
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    verdict = json.loads(lines[-1]) if lines else None
    if done.returncode == 0 and verdict and verdict.get("ok"):
        with _lock:
            _remember(key, verdict.get("template_problem"))
        return verdict.get("template_problem")
    if verdict and verdict.get("error"):
        raise ModelLoadError(verdict["error"])
    log.error("GGUF probe of %s died with code %s: %s", path, done.returncode, done.stderr[-2000:])
    check = " (an internal check failed)" if "GGML_ASSERT" in done.stderr else ""
    raise ModelLoadError(
        translate("ModelErrors", "{name} is damaged: llama.cpp stopped while reading it{check}. "
                                 "Download the model again or choose another one.").fill(name=path.name, check=check)
    )


def probe_here(path: Path) -> dict:
    """Runs in the child: load the vocabulary only (no tensor data) and report."""
    import llama_cpp
    from llama_cpp import _internals

    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    with native_log.capture() as captured:
        try:
            model = _internals.LlamaModel(path_model=str(path), params=params, verbose=True)  # not False: see engine.py
        except ValueError:
            return {"ok": False, "error": explain_load_failure(path, captured.errors())}
    try:
        template = model.metadata().get("tokenizer.chat_template")
        problem = template_problem(template) if template else None
        return {"ok": True, "n_vocab": model.n_vocab(), "template_problem": problem}
    finally:
        model.close()


HEADER_TROUBLE = ("key-value pair", "tensor info", "exceeds maximum", "is empty", "duplicate", "header", "gguf_init")


def explain_load_failure(path: Path, errors: list[str]) -> str:
    """One plain sentence from llama.cpp's error lines; the lines themselves go to the log file only."""
    detail = " ".join(errors).strip()
    if detail:
        log.info("llama.cpp could not load %s: %s", path.name, detail[:2000])
    lowered = detail.lower()
    architecture = re.search(r"unknown model architecture:? '([^']{1,64})'", detail)
    if architecture:
        return (
            f"{path.name} uses the model architecture '{architecture.group(1)}', which this version of "
            "llama.cpp does not support. Update Hearth or choose another model."
        )
    if "unknown model architecture" in lowered:
        return f"{path.name} uses a model architecture this version of llama.cpp does not support."
    if "tensor" in lowered and ("data is not within" in lowered or "out of bounds" in lowered or "truncat" in lowered):
        return f"{path.name} is truncated or corrupt. Download it again."
    if any(mark in lowered for mark in HEADER_TROUBLE):
        return (
            f"{path.name} has a damaged or implausible header (its metadata cannot be read). "
            "Download it again or choose another model."
        )
    return translate("ModelErrors", "Could not load {name}: the file is corrupt or not a supported "
                                    "GGUF model.").fill(name=path.name)
