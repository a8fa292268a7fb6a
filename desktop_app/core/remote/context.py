"""How many tokens a remote model holds, and where that figure came from ("given", "server", "assumed").

llama.cpp's server says its per-slot context in /props, vLLM its max_model_len in /v1/models;
llama-cpp-python's says it only in the error for a prompt that does not fit, which it raises after
tokenizing and before decoding anything: a prompt longer than any context it can hold (2**19 tokens
of " a", 1 MB) is refused at once. That probe is never sent to other servers (they may decode it).
"""

from __future__ import annotations

import logging
import re

from desktop_app.core.remote.connection import Connection
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.remote.tokens import ServerTokenizer
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

DEFAULT_N_CTX = 2048  # when the server does not say its context: small, so prompts rather fit
LARGEST_N_CTX = 1 << 24  # a figure above this is not a context size: the server's word is not taken
CONTEXT_PROBE_TOKENS = 1 << 19
CONTEXT_PROBE_TIMEOUT_S = 30.0
CONTEXT_IN_ERROR = re.compile(r"maximum context length is (\d+) tokens")
_probed_contexts: dict[tuple[str, str], int | None] = {}  # (server, model) -> its context, probed once per process


def _sane(value) -> int | None:
    try:
        n_ctx = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return n_ctx if 0 < n_ctx <= LARGEST_N_CTX else None


def context_size(connection: Connection, model: str, listed: dict, tokenizer: ServerTokenizer,
                 given: int | None) -> tuple[int, str]:
    """The context size and where it came from: "given", "server" (it said so) or "assumed"."""
    if given:
        return given, "given"
    n_ctx = server_context(connection, model, listed, tokenizer)
    return (n_ctx, "server") if n_ctx else (DEFAULT_N_CTX, "assumed")


def server_context(connection: Connection, model: str, listed: dict, tokenizer: ServerTokenizer) -> int | None:
    n_ctx = _sane(listed.get(model, {}).get("max_model_len"))
    if n_ctx:
        return n_ctx
    try:
        props = connection.get_json("/props")
        if isinstance(props, dict):
            settings = props.get("default_generation_settings")
            n_ctx = _sane((settings if isinstance(settings, dict) else {}).get("n_ctx") or props.get("n_ctx"))
            if n_ctx:
                return n_ctx
    except RemoteError:  # an optional endpoint
        pass
    tokenizer.probe()
    return context_from_error(connection, model) if tokenizer.path == "/extras/tokenize" else None


def context_from_error(connection: Connection, model: str) -> int | None:
    where = (connection.server_root, model)
    if where not in _probed_contexts:
        n_ctx = None
        try:
            connection.request_json("POST", "/v1/completions",
                                    {"model": model, "prompt": " a" * CONTEXT_PROBE_TOKENS, "max_tokens": 1},
                                    timeout=min(connection.timeout, CONTEXT_PROBE_TIMEOUT_S))
        except RemoteError as exc:
            found = CONTEXT_IN_ERROR.search(exc.detail) if exc.status == 400 else None
            n_ctx = _sane(found.group(1)) if found else None
            if n_ctx is None:
                log.info("%s did not reveal its context size: %s", connection.shown, exc)
        _probed_contexts[where] = n_ctx
    return _probed_contexts[where]


def remote_note(shown: str, n_ctx_source: str, tokenizer_path) -> str:
    """What the panes and the CLI say about figures the server does not give."""
    notes = []
    if n_ctx_source == "assumed":
        notes.append(translate("RemoteNotes", "{where} does not say its context size; Hearth assumes {n_ctx} tokens and "
                               "fits prompts to that.").fill(where=shown, n_ctx=DEFAULT_N_CTX))
    if tokenizer_path == "/extras/tokenize":  # llama-cpp-python's server: never sends usage
        notes.append(translate("RemoteNotes", "This server reports no token counts; they are counted with its tokenizer."))
    return " ".join(notes)
