"""Token counts from the server's own tokenizer where it has one, else a stated, conservative estimate.

llama.cpp's server has ``POST /tokenize``, llama-cpp-python's ``POST /extras/tokenize``, vLLM a ``/tokenize``
of its own. Only a definite answer that an endpoint is not there (a refusal such as 404) rules it out; a
passing failure (a timeout, a dropped connection, a busy server) leaves the question open and it is asked
again a little later, so one bad moment never downgrades counting for the whole session.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable

from desktop_app.core.remote.connection import Connection
from desktop_app.core.remote.errors import NotOpenAICompatible, RemoteError, RemoteUnreachable
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

ESTIMATE_BYTES_PER_TOKEN = 2  # no tokenizer endpoint: ASCII at 1 token per 2 bytes (BPE averages ~4), and
# every other UTF-8 byte as a token of its own (a vocabulary without CJK falls back to bytes)
TOKEN_CACHE = 4096
PROBE_AGAIN_S = 30.0  # after a passing failure of the probe, ask again no sooner than this
TOKENS_BASE_BYTES = 64 << 10  # a token list's bound: this, plus per byte of text (a token per byte, as digits)
TOKENS_BYTES_PER_BYTE = 12
TOKENIZE_PATHS = ("/tokenize", "/extras/tokenize", "vllm:/tokenize")
NOT_YET = False  # ServerTokenizer.path before the server answered the probe
clock = time.monotonic  # when to probe again (tests move it on)


def estimate_tokens(text: str) -> int:
    """A conservative stand-in for a token count where the server cannot count."""
    if not text:
        return 0
    data = text.encode("utf-8")
    ascii_bytes = sum(1 for b in data if b < 0x80)
    return math.ceil(ascii_bytes / ESTIMATE_BYTES_PER_TOKEN) + (len(data) - ascii_bytes)


def surely_fits(text: str, room: int) -> bool:
    """True when ``text`` fits ``room`` tokens whatever the vocabulary: no token is shorter than one
    UTF-8 byte, so its byte count bounds its token count (the server need not be asked)."""
    return len(text.encode("utf-8")) <= room


def is_absent(exc: RemoteError) -> bool:
    """A definite "not here": the server refused the endpoint or its body, or answered something else.
    Timeouts, dropped connections, 408/429 and 5xx are passing failures."""
    status = exc.status
    return isinstance(exc, NotOpenAICompatible) or (status is not None and 400 <= status < 500 and status not in (408, 429))


class ServerTokenizer:
    """The server's tokenizer for one model; ``path`` is the endpoint found, None for none, NOT_YET before."""

    def __init__(self, connection: Connection, model: Callable[[], str]):
        self._connection = connection
        self._model = model
        self.path: str | None | bool = NOT_YET
        self._added = 0  # tokens the endpoint adds to any text (llama-cpp-python's adds BOS)
        self._retry_at = 0.0
        self._cache: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    @property
    def exact(self) -> bool:
        self.probe()
        return self.path not in (None, NOT_YET)

    def source(self) -> str:
        """How counts are made: "tokenizer", "estimate", or "unknown" while the probe has no answer yet."""
        if self.path is NOT_YET:
            return "unknown"
        return "tokenizer" if self.path else "estimate"

    def probe(self) -> None:
        if self.path is not NOT_YET or clock() < self._retry_at:
            return
        for path in TOKENIZE_PATHS:
            try:
                self._post(path, "probe")
                if path == "/extras/tokenize":  # llama-cpp-python's adds BOS to any text, even to none
                    self._added = len(self._post(path, ""))
                self.path = path
                return
            except RemoteError as exc:
                if is_absent(exc):
                    continue
                log.info("%s: the tokenizer probe failed for now (%s); counts are estimated until it answers",
                         self._connection.shown, exc)
                self._retry_at = clock() + PROBE_AGAIN_S
                return
        log.info("%s has no tokenize endpoint; token counts are estimated (1 per %d bytes)",
                 self._connection.shown, ESTIMATE_BYTES_PER_TOKEN)
        self.path = None

    def _post(self, path: str, text: str) -> list[int]:
        model = self._model()
        bodies = {
            "/tokenize": {"content": text, "add_special": False},  # llama.cpp's server
            "/extras/tokenize": {"input": text, "model": model},  # llama-cpp-python's server
            "vllm:/tokenize": {"model": model, "prompt": text, "add_special_tokens": False},  # vLLM
        }
        limit = TOKENS_BASE_BYTES + TOKENS_BYTES_PER_BYTE * len(text.encode("utf-8"))
        answer = self._connection.request_json("POST", path.removeprefix("vllm:"), bodies[path], limit)
        try:
            tokens = [t if isinstance(t, int) else int(t["id"]) for t in answer["tokens"]]
        except (TypeError, KeyError, ValueError) as exc:
            raise self._connection.explain(exc) from exc
        return tokens[self._added if path == "/extras/tokenize" else 0:]

    def tokenize(self, text: str) -> list[int]:
        if not text:
            return []
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        self.probe()
        if self.path is NOT_YET:
            return [0] * estimate_tokens(text)  # stand-ins for now, not cached: the server is asked again later
        tokens = [0] * estimate_tokens(text) if self.path is None else self._post(self.path, text)
        with self._lock:
            if len(self._cache) >= TOKEN_CACHE:
                self._cache.clear()
            self._cache[text] = tokens
        return tokens

    def count_reply(self, text: str, pieces: int) -> int:
        """A reply's tokens by the server's tokenizer (the text without the prompt's BOS), else the streamed pieces
        (about one per token on llama.cpp-family servers). Re-tokenizing may split the text a little differently
        from how the model generated it: a count, not a record."""
        self.probe()
        if not self.path or not text:
            return pieces
        try:
            return len(self._post(self.path, text))
        except RemoteError as exc:  # the reply arrived; only its count is missing
            log.info("%s could not count the reply's tokens (%s); counting streamed pieces", self._connection.shown, exc)
            return pieces

    def prompt_of(self, tokens: list[int]):
        """Token ids where the server takes them as a prompt (llama.cpp's), else their text (llama-cpp-python's
        takes only strings: its /extras/detokenize gives the text back)."""
        self.probe()
        if self.path in ("/tokenize", "vllm:/tokenize"):  # OpenAI completions take token ids
            return list(tokens)
        if self.path is NOT_YET:
            raise RemoteUnreachable(translate("RemoteErrors", "{where} did not answer when asked for its tokenizer; "
                                              "try again in a moment.").fill(where=self._connection.shown))
        if self.path is None:
            raise RemoteError(translate("RemoteErrors", "{where} has no tokenizer endpoint, so prompts of an exact "
                                        "length cannot be timed there.").fill(where=self._connection.shown))
        limit = TOKENS_BASE_BYTES + 1024 * len(tokens)  # a token's text, JSON-escaped, is far below 1 KB
        answer = self._connection.request_json("POST", "/extras/detokenize", {"tokens": list(tokens), "model": self._model()}, limit)
        text = answer.get("text") if isinstance(answer, dict) else None
        if not isinstance(text, str):
            raise self._connection.explain(ValueError("no text in the detokenize answer"))
        return text
