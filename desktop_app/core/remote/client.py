"""A remote OpenAI-compatible engine with the local engine's surface (chat, complete, tokens, info).

The protocol goes through the maintained ``openai`` client (streaming, timeouts, retries).
Token counts come from the server's own tokenizer where it has one (llama.cpp's
``POST /tokenize``, llama-cpp-python's ``POST /extras/tokenize``); elsewhere a stated,
conservative estimate stands in, so map-reduce chunks still fit the context.
Every failure is a ``RemoteError`` sentence; nothing here ever falls back to a local model.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app.core.llm.types import (
    ChatMessage,
    GenerationResult,
    GenerationStats,
    ModelInfo,
    OnText,
    StopReason,
)
from desktop_app.core.remote.errors import (
    ConnectionDropped,
    NotOpenAICompatible,
    RemoteAuthFailed,
    RemoteError,
    RemoteModelUnknown,
    RemoteTimeout,
    RemoteUnreachable,
)
from desktop_app.core.sampling import SamplingParams

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_N_CTX = 2048  # when the server does not say its context: small, so prompts rather fit
ESTIMATE_BYTES_PER_TOKEN = 2  # no tokenizer endpoint: ASCII at 1 token per 2 bytes (BPE averages ~4), and
# every other UTF-8 byte as a token of its own (a vocabulary without CJK falls back to bytes)
TOKEN_CACHE = 4096
CONTEXT_MARGIN = 8  # tokens the server's own template may add beyond our count of the prompt
# llama-cpp-python's server says its context only in the error for a prompt that does not fit, which it
# raises after tokenizing and before decoding anything: a prompt longer than any context it can hold
# (2**19 tokens of " a", 1 MB) is refused at once. Never sent to other servers (they may decode it).
CONTEXT_PROBE_TOKENS = 1 << 19
CONTEXT_IN_ERROR = re.compile(r"maximum context length is (\d+) tokens")
_probed_contexts: dict[tuple[str, str], int | None] = {}  # (server, model) -> its context, probed once per process


def normalize_url(url: str) -> str:
    """``http://host:port`` or ``…/v1`` → ``http://host:port/v1`` (what the openai client wants)."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"{url or 'An empty address'} is not a web address. Write it like http://192.168.1.20:8080.")
    return url if parts.path.endswith("/v1") else url + "/v1"


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


class RemoteEngine:
    """One model at one OpenAI-compatible endpoint. Thread-safe: the server does the queueing."""

    is_remote = True

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        model: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = 1,
        n_ctx: int | None = None,
        transport=None,
    ):
        """``transport``: an httpx transport for every request (benchmarks replay a recorded stream with one)."""
        import openai

        self.base_url = normalize_url(base_url)
        self.server_root = self.base_url[: -len("/v1")]
        self.model = model or ""
        self.timeout = timeout
        self._api_key = api_key or ""
        self._transport = transport
        http_client = None
        if transport is not None:
            import httpx

            http_client = httpx.Client(transport=transport, timeout=timeout)
        self._client = openai.OpenAI(
            base_url=self.base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=max_retries,
            http_client=http_client,
        )
        self._http = None  # one keep-alive client for the server's own endpoints (tokenize, props), made when needed
        self._n_ctx = n_ctx
        self._info: ModelInfo | None = None
        self._tokenize_path: str | None | bool = False  # False: not probed yet; None: the server has none
        self._added_tokens = 0  # tokens the tokenize endpoint adds to any text (llama-cpp-python's adds BOS)
        self._listed: dict[str, dict] = {}  # model id -> the extra fields /v1/models gives (vLLM: max_model_len)
        self._token_cache: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    # connection

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def loaded(self) -> bool:
        return self._info is not None

    @property
    def counts_exactly(self) -> bool:
        """False when token counts are the conservative estimate (the server has no tokenizer endpoint)."""
        self._probe_tokenizer()
        return self._tokenize_path is not None

    def list_models(self) -> list[str]:
        try:
            page = self._client.models.list()
            models = [m.id for m in page.data]
            self._listed = {m.id: dict(m.model_extra or {}) for m in page.data}
        except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
            raise self._explain(exc, listing=True) from exc
        return models

    def connect(self) -> ModelInfo:
        """List the models, pick ours (or the first), read the context size: the 'load' of a remote model."""
        models = self.list_models()
        if not models:
            raise RemoteModelUnknown(f"{self.server_root} serves no models. Load a model on that server first.")
        if not self.model:
            self.model = models[0]
        elif self.model not in models:
            raise RemoteModelUnknown(
                f"{self.server_root} has no model named {self.model!r}; it serves: {', '.join(models)}."
            )
        n_ctx, source = self._context()
        self._probe_tokenizer()  # now, not on the first reply's path
        self._info = ModelInfo(
            path=Path(self.model),
            name=self.model,
            architecture="remote",
            description=f"{self.model} at {self.server_root}",
            n_params=0,
            n_ctx=n_ctx,
            n_ctx_train=n_ctx,
            n_layers=0,
            gpu_layers=0,
            gpu_offload_supported=False,
            template_source="server",
            metadata={"server": self.server_root, "n_ctx_source": source, "token_counts": self._count_source(),
                      "remote_note": self._note(source)},
        )
        return self._info

    def _context(self) -> tuple[int, str]:
        """The context size and where it came from: "given", "server" (it said so) or "assumed"."""
        if self._n_ctx:
            return self._n_ctx, "given"
        n_ctx = self._server_context()
        return (n_ctx, "server") if n_ctx else (DEFAULT_N_CTX, "assumed")

    def _server_context(self) -> int | None:
        """llama.cpp's server says its per-slot context in /props, vLLM its max_model_len in /v1/models;
        llama-cpp-python's only in the error for a prompt too long (``_context_from_error``)."""
        listed = self._listed.get(self.model, {}).get("max_model_len")
        if listed:
            return int(listed)
        try:
            props = self._get_json("/props")
            settings = props.get("default_generation_settings") or {}
            n_ctx = settings.get("n_ctx") or props.get("n_ctx")
            if n_ctx:
                return int(n_ctx)
        except Exception:  # noqa: BLE001 - an optional endpoint
            pass
        self._probe_tokenizer()
        return self._context_from_error() if self._tokenize_path == "/extras/tokenize" else None

    def _context_from_error(self) -> int | None:
        where = (self.server_root, self.model)
        if where not in _probed_contexts:
            n_ctx = None
            try:
                response = self._side().post(
                    self.server_root + "/v1/completions",
                    json={"model": self.model, "prompt": " a" * CONTEXT_PROBE_TOKENS, "max_tokens": 1},
                    timeout=min(self.timeout, 30.0),
                )
                found = CONTEXT_IN_ERROR.search(response.text) if response.status_code == 400 else None
                n_ctx = int(found.group(1)) if found else None
            except Exception as exc:  # noqa: BLE001 - then the stated assumption stands
                log.info("%s did not reveal its context size: %s", self.server_root, exc)
            _probed_contexts[where] = n_ctx
        return _probed_contexts[where]

    def _count_source(self) -> str:
        """How reply tokens are counted when the server sends no usage: "tokenizer" or "estimate"
        (whether it sends usage shows with the first reply: stats then say "usage")."""
        if self._tokenize_path is False:
            return "unknown"
        return "tokenizer" if self._tokenize_path else "estimate"

    def _note(self, n_ctx_source: str) -> str:
        """What the panes and the CLI say about figures the server does not give."""
        notes = []
        if n_ctx_source == "assumed":
            notes.append(f"{self.server_root} does not say its context size; Hearth assumes {DEFAULT_N_CTX} tokens "
                         "and fits prompts to that.")
        if self._tokenize_path == "/extras/tokenize":  # llama-cpp-python's server: never sends usage
            notes.append("This server reports no token counts; they are counted with its tokenizer.")
        return " ".join(notes)

    def close(self) -> None:
        self._client.close()
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None
        self._info = None

    def __enter__(self) -> "RemoteEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # tokens

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def _side(self):
        """The client for the non-OpenAI endpoints: one per engine, so a tokenize call reuses its connection
        instead of building a client (and its TLS context) and connecting each time."""
        with self._lock:
            if self._http is None:
                import httpx

                self._http = httpx.Client(headers=self._headers(), timeout=self.timeout, transport=self._transport)
            return self._http

    def _get_json(self, path: str) -> dict:
        response = self._side().get(self.server_root + path, timeout=min(self.timeout, 10.0))
        response.raise_for_status()
        return response.json()

    def _post_tokenize(self, path: str, text: str) -> list[int]:
        bodies = {
            "/tokenize": {"content": text, "add_special": False},  # llama.cpp's server
            "/extras/tokenize": {"input": text, "model": self.model},  # llama-cpp-python's server
            "vllm:/tokenize": {"model": self.model, "prompt": text, "add_special_tokens": False},  # vLLM
        }
        url = self.server_root + path.removeprefix("vllm:")
        response = self._side().post(url, json=bodies[path])
        response.raise_for_status()
        tokens = response.json()["tokens"]
        return [t if isinstance(t, int) else t["id"] for t in tokens][self._added_tokens if path == "/extras/tokenize" else 0:]

    def _probe_tokenizer(self) -> None:
        if self._tokenize_path is not False:
            return
        for path in ("/tokenize", "/extras/tokenize", "vllm:/tokenize"):
            try:
                self._post_tokenize(path, "probe")
                if path == "/extras/tokenize":  # llama-cpp-python's adds BOS to any text, even to none
                    self._added_tokens = len(self._post_tokenize(path, ""))
                self._tokenize_path = path
                return
            except Exception:  # noqa: BLE001 - absent endpoint: try the next, then estimate
                continue
        log.info("%s has no tokenize endpoint; token counts are estimated (1 per %d bytes)", self.server_root, ESTIMATE_BYTES_PER_TOKEN)
        self._tokenize_path = None

    def tokenize(self, text: str, add_bos: bool = False, special: bool = False) -> list[int]:
        if not text:
            return []
        cached = self._token_cache.get(text)
        if cached is not None:
            return cached
        self._probe_tokenizer()
        if self._tokenize_path is None:
            tokens = [0] * estimate_tokens(text)  # stand-ins: only the count is used remotely
        else:
            try:
                tokens = self._post_tokenize(self._tokenize_path, text)
            except Exception as exc:  # noqa: BLE001
                raise self._explain(exc) from exc
        with self._lock:
            if len(self._token_cache) >= TOKEN_CACHE:
                self._token_cache.clear()
            self._token_cache[text] = tokens
        return tokens

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text)) if text else 0

    def _count_reply(self, text: str, pieces: int) -> int:
        """A reply's tokens by the server's tokenizer (the text without the prompt's BOS), else the streamed pieces
        (about one per token on llama.cpp-family servers). Re-tokenizing may split the text a little differently
        from how the model generated it: a count, not a record."""
        self._probe_tokenizer()
        if not self._tokenize_path or not text:
            return pieces
        try:
            return len(self._post_tokenize(self._tokenize_path, text))
        except Exception as exc:  # noqa: BLE001 - the reply arrived; only its count is missing
            log.info("%s could not count the reply's tokens (%s); counting streamed pieces", self.server_root, exc)
            return pieces

    def render(self, messages: list[ChatMessage]) -> str:
        """The server applies its own template; this ChatML rendering is only for counting prompt tokens."""
        turns = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n"

    # generation

    def chat(
        self,
        messages: list[ChatMessage],
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
        grammar: str | None = None,
    ) -> GenerationResult:
        """``grammar``: GBNF the reply must match, sent as llama.cpp's server (and llama-cpp-python's) take it."""
        self._require_connected()
        sampling = sampling or SamplingParams()
        messages, dropped = self._fit_history(messages, min(max(sampling.max_tokens, 16), self._info.n_ctx // 2))
        payload = [{"role": m.role, "content": m.content} for m in messages]
        rendered = self.render(messages)
        sampling, clamped, counted = self._fit_reply(rendered, sampling)
        counted = counted if counted is not None else (lambda: self.count_tokens(rendered))
        result = self._stream("chat", payload, sampling, on_text, cancel, clamped, counted, grammar=grammar)
        result.stats.dropped_messages = dropped
        return result

    def _fits(self, text: str, room: int) -> bool:
        return surely_fits(text, room) or self.count_tokens(text) <= room

    def _fit_history(self, messages: list[ChatMessage], reserve: int) -> tuple[list[ChatMessage], int]:
        """Leave out the oldest turns (never the system prompt) until the prompt fits, as the local engine does."""
        system = [m for m in messages[:1] if m.role == "system"]
        turns = list(messages[len(system):])
        dropped = 0
        while len(turns) > 1 and not self._fits(self.render(system + turns), self._info.n_ctx - reserve - CONTEXT_MARGIN):
            cut = 1
            while cut < len(turns) - 1 and turns[cut].role != "user":
                cut += 1
            dropped += cut
            turns = turns[cut:]
        return system + turns, dropped

    def complete(
        self,
        prompt: str,
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Continue raw text (the /v1/completions endpoint, no chat template)."""
        self._require_connected()
        sampling, clamped, counted = self._fit_reply(prompt, sampling or SamplingParams())
        counted = counted if counted is not None else (lambda: self.count_tokens(prompt))
        return self._stream("complete", prompt, sampling, on_text, cancel, clamped, counted)

    def generate_from_tokens(
        self,
        prompt: list[int],
        sampling: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Generate after exactly these prompt tokens, not served from the server's prompt cache:
        the timed path of Evaluate (llama.cpp-family servers take token ids as the prompt)."""
        from desktop_app.core.errors import PromptTooLong

        self._require_connected()
        sampling = sampling or SamplingParams()
        if not prompt or len(prompt) + sampling.max_tokens > self._info.n_ctx:
            raise PromptTooLong(
                f"{len(prompt)} prompt tokens plus {sampling.max_tokens} to generate do not fit "
                f"the {self._info.n_ctx}-token context of {self.model} at {self.server_root}."
            )
        return self._stream("complete", self._prompt_of(prompt), sampling, None, cancel, False, len(prompt), cold=True)

    def _prompt_of(self, tokens: list[int]):
        """Token ids where the server takes them as a prompt (llama.cpp's), else their text (llama-cpp-python's
        takes only strings: its /extras/detokenize gives the text back)."""
        self._probe_tokenizer()
        if self._tokenize_path in ("/tokenize", "vllm:/tokenize"):  # OpenAI completions take token ids
            return list(tokens)
        if self._tokenize_path is None:
            raise RemoteError(f"{self.server_root} has no tokenizer endpoint, so prompts of an exact length cannot be timed there.")
        try:
            response = self._side().post(self.server_root + "/extras/detokenize",
                                         json={"tokens": list(tokens), "model": self.model})
            response.raise_for_status()
            return response.json()["text"]
        except Exception as exc:  # noqa: BLE001
            raise self._explain(exc) from exc

    def _fit_reply(self, prompt: str, sampling: SamplingParams) -> tuple[SamplingParams, bool, int | None]:
        """Ask for no more tokens than the context has room for, as the local engine stops at a full context
        (some servers fail the request mid-stream instead). Also: whether the reply was cut to fit, and
        the prompt's token count (for servers that send no usage)."""
        from dataclasses import replace

        from desktop_app.core.errors import PromptTooLong

        n_ctx = self._info.n_ctx
        if surely_fits(prompt, n_ctx - CONTEXT_MARGIN - sampling.max_tokens):
            return sampling, False, None  # no round trip to count a prompt that fits by its byte count
        counted = self.count_tokens(prompt)
        needed = counted + CONTEXT_MARGIN
        room = n_ctx - needed
        if room < 1:
            raise PromptTooLong(
                f"The prompt needs about {needed} tokens and {self.model} at {self.server_root} holds {n_ctx}. "
                "Shorten the message, or use Summarize for long documents."
            )
        if sampling.max_tokens <= room:
            return sampling, False, counted
        return replace(sampling, max_tokens=room), True, counted

    def _require_connected(self) -> None:
        if self._info is None:
            self.connect()

    def _request(self, kind: str, payload, sampling: SamplingParams, cold: bool = False, grammar: str | None = None):
        extra = {"top_k": int(sampling.top_k), "repeat_penalty": float(sampling.repeat_penalty)}
        if sampling.greedy:
            extra = {"top_k": 1, "repeat_penalty": 1.0}
        if cold:
            extra["cache_prompt"] = False  # llama.cpp's server: decode the whole prompt, as a timing needs
        if sampling.ignore_eos:
            extra["ignore_eos"] = True
        if grammar:
            extra["grammar"] = grammar
        args = dict(
            model=self.model,
            stream=True,
            stream_options={"include_usage": True},
            max_tokens=int(sampling.max_tokens),
            temperature=max(0.0, float(sampling.temperature)),
            top_p=1.0 if sampling.greedy else float(sampling.top_p),
            extra_body=extra,
        )
        if sampling.seed is not None and sampling.seed >= 0:
            args["seed"] = int(sampling.seed)
        if kind == "chat":
            return self._client.chat.completions.create(messages=payload, **args)
        return self._client.completions.create(prompt=payload, **args)

    def _stream(self, kind, payload, sampling, on_text, cancel, clamped=False, counted=0, cold=False,
                grammar=None) -> GenerationResult:
        stats = GenerationStats(n_ctx=self._info.n_ctx if self._info else 0)
        start = time.perf_counter()
        try:
            stream = self._request(kind, payload, sampling, cold, grammar)
        except Exception as exc:  # noqa: BLE001
            raise self._explain(exc) from exc
        parts: list[str] = []
        first_at = None
        finish = None
        usage = timings = None
        try:
            with stream:
                for chunk in stream:
                    if cancel is not None and cancel.is_set():
                        finish = StopReason.CANCELLED
                        break
                    if chunk.usage:
                        usage = chunk.usage
                    extra = chunk.model_extra  # llama.cpp's "timings" is an undeclared field: read it here, since
                    if extra:  # getattr on a missing one costs pydantic an exception per chunk (~0.5 ms a reply)
                        timings = extra.get("timings") or timings
                    for choice in chunk.choices or ():
                        text = choice.delta.content if kind == "chat" else choice.text
                        if text:
                            if first_at is None:
                                first_at = time.perf_counter()
                            parts.append(text)
                            if on_text is not None:
                                on_text(text)
                        if choice.finish_reason:
                            finish = StopReason.LENGTH if choice.finish_reason == "length" else StopReason.STOP
        except Exception as exc:  # noqa: BLE001 - the connection broke after the request was accepted
            if isinstance(exc, RemoteError):
                raise
            partial = "".join(parts)
            raise ConnectionDropped(
                f"The connection to {self.server_root} dropped in the middle of the reply "
                f"({type(exc).__name__}); the {len(partial)} characters that arrived are kept, marked as incomplete.",
                partial,
            ) from exc
        if finish is None:
            partial = "".join(parts)
            raise ConnectionDropped(
                f"{self.server_root} ended the reply without saying it was finished; "
                f"the {len(partial)} characters that arrived are kept, marked as incomplete.",
                partial,
            )
        end = time.perf_counter()
        text = "".join(parts)
        first_at = first_at or end
        stats.stop_reason = StopReason.CONTEXT if clamped and finish == StopReason.LENGTH else finish
        stats.ttft_s = first_at - start
        stats.total_s = end - start
        if usage is not None:
            stats.prompt_tokens = int(usage.prompt_tokens or 0)
            stats.completion_tokens = int(usage.completion_tokens or 0)
        else:  # no usage (llama-cpp-python's server): counted by the server's tokenizer (metadata says so)
            stats.prompt_tokens = counted() if callable(counted) else counted
            stats.completion_tokens = (
                int(sampling.max_tokens) if finish == StopReason.LENGTH  # it stopped at max_tokens: exactly that many
                else self._count_reply(text, len(parts))
            )
        if self._info is not None:
            self._info.metadata["token_counts"] = "usage" if usage is not None else self._count_source()
        if isinstance(timings, dict) and timings.get("predicted_per_second"):
            stats.tokens_per_s = float(timings["predicted_per_second"])
            stats.prompt_tokens_per_s = float(timings.get("prompt_per_second") or 0.0)
            stats.cached_tokens = int(timings.get("cache_n") or 0)
        else:
            decode_s = end - first_at
            n = stats.completion_tokens
            stats.tokens_per_s = (n - 1) / decode_s if n > 1 and decode_s > 0 else 0.0
            stats.prompt_tokens_per_s = stats.prompt_tokens / stats.ttft_s if stats.ttft_s > 0 else 0.0
        stats.context_used = stats.prompt_tokens + stats.completion_tokens
        return GenerationResult(text=text, stats=stats)

    # errors

    def _explain(self, exc: BaseException, listing: bool = False) -> RemoteError:
        import openai

        where = self.server_root
        if isinstance(exc, RemoteError):
            return exc
        if isinstance(exc, openai.APITimeoutError):
            return RemoteTimeout(
                f"{where} did not answer within {self.timeout:g} seconds. The server may be overloaded; "
                "try again, or raise the timeout."
            )
        if isinstance(exc, openai.APIConnectionError):
            return RemoteUnreachable(
                f"Could not reach {where}. Check the address, that the server is running and that this "
                "computer can reach it on the network."
            )
        if isinstance(exc, openai.AuthenticationError) or _status(exc) in (401, 403):
            return RemoteAuthFailed(f"{where} refused the API key (wrong or missing). Enter the key its owner gave you.")
        if isinstance(exc, openai.NotFoundError) or _status(exc) == 404:
            if listing:
                return NotOpenAICompatible(
                    f"{where} answered, but it is not an OpenAI-compatible server (no /v1/models). "
                    "Check the address and port."
                )
            return RemoteModelUnknown(f"{where} does not know the model {self.model!r}. Choose one it lists.")
        if isinstance(exc, (openai.APIResponseValidationError, ValueError, KeyError, TypeError, AttributeError)):
            return NotOpenAICompatible(
                f"{where} answered with something that is not the OpenAI protocol. Check the address and port."
            )
        if isinstance(exc, openai.APIStatusError):
            detail = _error_detail(exc)
            return RemoteError(f"{where} refused the request ({exc.status_code}: {detail}).")
        log.warning("unexpected remote failure at %s", where, exc_info=exc)
        return RemoteError(f"{where} failed: {type(exc).__name__}: {exc}")


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _error_detail(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            return str(error.get("message") or error)[:200]
    return str(exc)[:200]
