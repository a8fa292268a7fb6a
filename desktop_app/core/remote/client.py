"""A remote OpenAI-compatible engine with the local engine's surface (chat, complete, tokens, info).

The parts, one job each: ``connection`` (HTTP within bounds, redirects, sentences), ``tokens`` (the
server's tokenizer or the stated estimate), ``context`` (the context size and notes), ``fitting``
(history and reply length), ``stream`` (a reply read within bounds). Every failure is a ``RemoteError``
sentence; nothing here ever falls back to a local model.
"""

from __future__ import annotations

import threading
from pathlib import Path

from desktop_app.core.errors import PromptTooLong
from desktop_app.core.llm.fitting import reply_reserve
from desktop_app.core.llm.types import (
    ChatMessage,
    GenerationResult,
    GenerationStats,
    ModelInfo,
    OnText,
    StopReason,
)
from desktop_app.core.remote.address import normalize_url
from desktop_app.core.remote.connection import DEFAULT_TIMEOUT_S, Connection
from desktop_app.core.remote.context import DEFAULT_N_CTX, context_size, remote_note
from desktop_app.core.remote.errors import NotOpenAICompatible, RemoteError, RemoteModelUnknown
from desktop_app.core.remote.fitting import CONTEXT_MARGIN, fit_history, fit_reply, render
from desktop_app.core.remote.stream import ReplyLimits, StreamedReply, stream_reply
from desktop_app.core.remote.tokens import ServerTokenizer, estimate_tokens, surely_fits
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.texts import translate

__all__ = ["DEFAULT_N_CTX", "DEFAULT_TIMEOUT_S", "RemoteEngine", "estimate_tokens", "normalize_url", "surely_fits"]

MODELS_LIMIT = 8 << 20  # /v1/models: thousands of models fit in far less


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
        login: str | None = None,
    ):
        """``timeout``: for connecting, for an answer's head, and the longest silence inside a reply.
        ``login``: ``user:password`` (one written in ``base_url`` is taken out of it and used the same way).
        ``transport``: an httpx transport for every request (benchmarks replay a recorded stream with one)."""
        self._connection = Connection(base_url, api_key, login, timeout, max_retries, transport)
        self.base_url = self._connection.base_url  # never with the login: shown in messages
        self.server_root = self._connection.shown
        self.model = model or ""
        self.timeout = timeout
        self._n_ctx = n_ctx
        self._info: ModelInfo | None = None
        self._listed: dict[str, dict] = {}  # model id -> the extra fields /v1/models gives (vLLM: max_model_len)
        self._tokenizer = ServerTokenizer(self._connection, lambda: self.model)

    @property
    def login(self) -> str | None:
        """The ``user:password`` this engine sends (kept where keys are kept; never shown)."""
        return self._connection.login

    # connection

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def loaded(self) -> bool:
        return self._info is not None

    @property
    def counts_exactly(self) -> bool:
        """False when token counts are the conservative estimate (no tokenizer endpoint, or none answered yet)."""
        return self._tokenizer.exact

    def list_models(self) -> list[str]:
        where = self.server_root
        missing = translate("RemoteErrors", "{where} answered, but it is not an OpenAI-compatible server (no /v1/models). "
                            "Check the address and port.").fill(where=where)
        try:
            page = self._connection.get_json("/v1/models", MODELS_LIMIT, missing)
            listed = {str(m["id"]): {k: v for k, v in m.items() if k != "id"} for m in page["data"]}
        except RemoteError as exc:
            if exc.status == 404:
                raise NotOpenAICompatible(exc.args[0]) from exc
            raise
        except Exception as exc:  # noqa: BLE001 - an answer of another shape
            raise self._connection.explain(exc) from exc
        self._listed = listed
        return list(listed)

    def connect(self) -> ModelInfo:
        """List the models, pick ours (or the first), read the context size: the 'load' of a remote model."""
        models = self.list_models()
        if not models:
            raise RemoteModelUnknown(translate("RemoteErrors", "{where} serves no models. Load a model on that server "
                                               "first.").fill(where=self.server_root))
        if not self.model:
            self.model = models[0]
        elif self.model not in models:
            raise RemoteModelUnknown(translate("RemoteErrors", "{where} has no model named {model!r}; it serves: "
                                               "{models}.").fill(where=self.server_root, model=self.model,
                                                                 models=", ".join(models[:20])))
        n_ctx, source = context_size(self._connection, self.model, self._listed, self._tokenizer, self._n_ctx)
        self._tokenizer.probe()  # now, not on the first reply's path
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
            metadata={"server": self.server_root, "n_ctx_source": source, "token_counts": self._tokenizer.source(),
                      "remote_note": remote_note(self.server_root, source, self._tokenizer.path)},
        )
        return self._info

    def close(self) -> None:
        self._connection.close()
        self._info = None

    def __enter__(self) -> "RemoteEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # tokens

    def tokenize(self, text: str, add_bos: bool = False, special: bool = False) -> list[int]:
        return self._tokenizer.tokenize(text)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text)) if text else 0

    def render(self, messages: list[ChatMessage]) -> str:
        """The server applies its own template; this ChatML rendering is only for counting prompt tokens."""
        return render(messages)

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
        info = self._require_connected()
        sampling = sampling or SamplingParams()
        reserve = reply_reserve(sampling.max_tokens, info.n_ctx)
        messages, dropped = fit_history(messages, info.n_ctx - reserve - CONTEXT_MARGIN, self.count_tokens)
        payload = [{"role": m.role, "content": m.content} for m in messages]
        rendered = self.render(messages)
        sampling, clamped, counted = fit_reply(rendered, sampling, info.n_ctx, self.count_tokens, self._where())
        counted = counted if counted is not None else (lambda: self.count_tokens(rendered))
        result = self._generate("chat", payload, sampling, on_text, cancel, clamped, counted, grammar=grammar)
        result.stats.dropped_messages = dropped
        return result

    def complete(
        self,
        prompt: str,
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Continue raw text (the /v1/completions endpoint, no chat template)."""
        info = self._require_connected()
        sampling, clamped, counted = fit_reply(prompt, sampling or SamplingParams(), info.n_ctx, self.count_tokens,
                                               self._where())
        counted = counted if counted is not None else (lambda: self.count_tokens(prompt))
        return self._generate("complete", prompt, sampling, on_text, cancel, clamped, counted)

    def generate_from_tokens(
        self,
        prompt: list[int],
        sampling: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Generate after exactly these prompt tokens, not served from the server's prompt cache:
        the timed path of Evaluate (llama.cpp-family servers take token ids as the prompt)."""
        info = self._require_connected()
        sampling = sampling or SamplingParams()
        if not prompt or len(prompt) + sampling.max_tokens > info.n_ctx:
            raise PromptTooLong(translate(
                "RemoteErrors", "{prompt} prompt tokens plus {reply} to generate do not fit the {n_ctx}-token context of "
                "{where}.").fill(prompt=len(prompt), reply=sampling.max_tokens, n_ctx=info.n_ctx, where=self._where()))
        return self._generate("complete", self._tokenizer.prompt_of(prompt), sampling, None, cancel, False, len(prompt),
                              cold=True)

    def _where(self) -> str:
        return translate("RemoteErrors", "{model} at {where}").fill(model=self.model, where=self.server_root)

    def _require_connected(self) -> ModelInfo:
        if self._info is None:
            self.connect()
        return self._info

    def _body(self, kind: str, payload, sampling: SamplingParams, cold: bool, grammar: str | None) -> dict:
        body = {
            "model": self.model,
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": int(sampling.max_tokens),
            "temperature": max(0.0, float(sampling.temperature)),
            "top_p": 1.0 if sampling.greedy else float(sampling.top_p),
            "top_k": 1 if sampling.greedy else int(sampling.top_k),
            "repeat_penalty": 1.0 if sampling.greedy else float(sampling.repeat_penalty),
        }
        if cold:
            body["cache_prompt"] = False  # llama.cpp's server: decode the whole prompt, as a timing needs
        if sampling.ignore_eos:
            body["ignore_eos"] = True
        if grammar:
            body["grammar"] = grammar
        if sampling.seed is not None and sampling.seed >= 0:
            body["seed"] = int(sampling.seed)
        body["messages" if kind == "chat" else "prompt"] = payload
        return body

    def _generate(self, kind, payload, sampling, on_text, cancel, clamped=False, counted=0, cold=False,
                  grammar=None) -> GenerationResult:
        body = self._body(kind, payload, sampling, cold, grammar)
        path = "/v1/chat/completions" if kind == "chat" else "/v1/completions"
        limits = ReplyLimits.for_reply(sampling.max_tokens, self.timeout)
        try:
            reply = stream_reply(self._connection, path, body, kind == "chat", limits, on_text, cancel)
        except RemoteError as exc:
            if exc.status != 404:
                raise
            raise RemoteModelUnknown(translate("RemoteErrors", "{where} does not know the model {model!r}. Choose one it "
                                               "lists.").fill(where=self.server_root, model=self.model)) from exc
        return GenerationResult(text=reply.text, stats=self._stats(reply, sampling, clamped, counted))

    def _stats(self, reply: StreamedReply, sampling: SamplingParams, clamped: bool, counted) -> GenerationStats:
        stats = GenerationStats(n_ctx=self._info.n_ctx if self._info else 0)
        finish = {"cancelled": StopReason.CANCELLED, "length": StopReason.LENGTH}.get(reply.finish, StopReason.STOP)
        first_at = reply.first_at or reply.ended
        stats.stop_reason = StopReason.CONTEXT if clamped and finish == StopReason.LENGTH else finish
        stats.ttft_s = first_at - reply.started
        stats.total_s = reply.ended - reply.started
        usage = reply.usage if isinstance(reply.usage, dict) else None
        if usage is not None:
            stats.prompt_tokens = _count(usage.get("prompt_tokens"))
            stats.completion_tokens = _count(usage.get("completion_tokens"))
        else:  # no usage (llama-cpp-python's server): counted by the server's tokenizer (metadata says so)
            stats.prompt_tokens = counted() if callable(counted) else counted
            stats.completion_tokens = (
                int(sampling.max_tokens) if finish == StopReason.LENGTH  # it stopped at max_tokens: exactly that many
                else self._tokenizer.count_reply(reply.text, len(reply.parts))
            )
        if self._info is not None:
            self._info.metadata["token_counts"] = "usage" if usage is not None else self._tokenizer.source()
        timings = reply.timings or {}
        if _rate(timings.get("predicted_per_second")):
            stats.tokens_per_s = _rate(timings["predicted_per_second"])
            stats.prompt_tokens_per_s = _rate(timings.get("prompt_per_second"))
            stats.cached_tokens = _count(timings.get("cache_n"))
        else:
            decode_s = reply.ended - first_at
            n = stats.completion_tokens
            stats.tokens_per_s = (n - 1) / decode_s if n > 1 and decode_s > 0 else 0.0
            stats.prompt_tokens_per_s = stats.prompt_tokens / stats.ttft_s if stats.ttft_s > 0 else 0.0
        stats.context_used = stats.prompt_tokens + stats.completion_tokens
        return stats


def _count(value) -> int:
    """A count the server sent, or 0 when it sent something else."""
    return value if isinstance(value, int) and value >= 0 else 0


def _rate(value) -> float:
    return float(value) if isinstance(value, (int, float)) and value > 0 else 0.0
