"""The llama.cpp chat engine: load a GGUF, render its chat template, stream tokens.

Generation runs llama.cpp's native sampler chain through the low-level API, so
per-token Python work is one decode call, one sample call and one piece lookup.
The KV cache keeps the longest common prefix between requests, so the next turn
of a conversation only decodes the new tokens.
"""

from __future__ import annotations

import codecs
import ctypes
import logging
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Callable

from desktop_app.core import paths
from desktop_app.core.llm import memory, native_log, probe
from desktop_app.core.llm.probe import explain_load_failure
from desktop_app.core.llm.speculative import DraftController, PromptLookupDrafter
from desktop_app.core.llm.template import ChatTemplate, load_chat_template
from desktop_app.core.errors import EngineBusy, ModelLoadError, PromptTooLong
from desktop_app.core.sampling import SamplingParams

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
MIN_GGUF_BYTES = 32
OnText = Callable[[str], None]


@dataclass
class LoadOptions:
    n_ctx: int = 4096  # capped by the model's training context
    gpu_layers: str | int = "auto"  # "auto", 0 or a layer count
    n_threads: int = 0  # 0: let llama.cpp choose
    n_batch: int = 512  # tokens per llama_decode call while reading a prompt
    n_ubatch: int = 0  # tokens per compute pass inside one call; 0: the same as n_batch
    flash_attn: str = "auto"  # "auto" (llama.cpp decides per device), "on" or "off"
    check_memory: bool = True
    probe: bool = True  # read the header in a child process first (malformed files can abort llama.cpp)


class StopReason(StrEnum):
    """Why a generation ended; the values are what JSON outputs and stored stats say."""

    STOP = "stop"  # end of turn or a stop string
    LENGTH = "length"  # max_tokens reached
    CONTEXT = "context"  # the context window is full
    CANCELLED = "cancelled"


@dataclass
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass
class ModelInfo:
    path: Path
    name: str
    architecture: str
    description: str
    n_params: int
    n_ctx: int
    n_ctx_train: int
    n_layers: int
    gpu_layers: int
    gpu_offload_supported: bool
    template_source: str  # "embedded" or "fallback"
    template_note: str = ""  # why the model's own template was set aside, when it was
    metadata: dict = field(default_factory=dict, repr=False)


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens reused from the KV cache
    ttft_s: float = 0.0
    prompt_tokens_per_s: float = 0.0
    tokens_per_s: float = 0.0
    total_s: float = 0.0
    context_used: int = 0
    n_ctx: int = 0
    stop_reason: StopReason = StopReason.STOP
    dropped_messages: int = 0  # oldest turns left out to fit the context
    seed: int | None = None
    speculative: bool = False  # prompt-lookup drafts were tried for this reply
    decode_steps: int = 0  # reply tokens the model chose itself, one forward pass each (drafts accepted ride along)
    draft_tokens: int = 0  # drafted tokens checked by batched decodes
    accepted_tokens: int = 0  # drafted tokens that matched the model's own choice
    tokens_per_step: float = 0.0  # reply tokens per forward pass: 1.0 without speculation

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GenerationResult:
    text: str
    stats: GenerationStats


def resolve_gpu_layers(requested: str | int, supported: bool) -> int:
    """'auto' offloads every layer when the build can, otherwise none."""
    if requested in ("auto", None, ""):
        return -1 if supported else 0
    layers = int(requested)
    return layers if supported else 0


def check_gguf_file(path: Path) -> None:
    """Cheap checks that turn llama.cpp's silent failures into plain sentences."""
    problem = paths.model_file_problem(path)
    if problem:
        raise ModelLoadError(problem)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            f"{path.name} is not a GGUF model file. Hearth's chat needs a .gguf file "
            "(for example from a 'GGUF' repository on Hugging Face)."
        )
    if size < MIN_GGUF_BYTES:
        raise ModelLoadError(f"{path.name} is truncated ({size} bytes). Download it again.")


class LlamaEngine:
    """One loaded GGUF model and its context. One generation at a time."""

    def __init__(self) -> None:
        self._stack: ExitStack | None = None
        self._model = None
        self._ctx = None
        self._template: ChatTemplate | None = None
        self._info: ModelInfo | None = None
        self._busy = threading.Lock()
        self._cached_tokens: list[int] = []
        self._piece_buffer = ctypes.create_string_buffer(256)
        # prompt-lookup speculative decoding (settings.speculative): greedy and sampled replies, not grammar-constrained ones
        self.speculative = True

    @contextmanager
    def _exclusive(self, busy_message: str = "A reply is already being generated. Wait for it to finish or stop it first."):
        """One call into llama.cpp at a time; a second caller is refused, never queued behind."""
        if not self._busy.acquire(blocking=False):
            raise EngineBusy(busy_message)
        try:
            yield
        finally:
            self._busy.release()

    # lifecycle

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def loaded(self) -> bool:
        return self._ctx is not None

    def load(self, path: Path | str, options: LoadOptions | None = None) -> ModelInfo:
        options = options or LoadOptions()
        path = Path(path)
        with self._exclusive("The model is busy generating; stop the reply before loading another model."):
            self._close_locked()
            check_gguf_file(path)
            self._template_problem = probe.ensure_loadable(path) if options.probe else None
            if options.check_memory:
                _check_memory(path, options)
            self._info = self._load_locked(path, options)
            return self._info

    def _load_locked(self, path: Path, options: LoadOptions) -> ModelInfo:
        import llama_cpp
        from llama_cpp import _internals

        supported = bool(llama_cpp.llama_supports_gpu_offload())
        gpu_layers = resolve_gpu_layers(options.gpu_layers, supported)
        stack = ExitStack()
        model_params = llama_cpp.llama_model_default_params()
        model_params.n_gpu_layers = 0x7FFFFFFF if gpu_layers < 0 else gpu_layers
        with native_log.capture() as captured:
            try:
                # verbose=True: llama-cpp-python's verbose=False points the whole process's stdout and stderr at
                # /dev/null while it loads (every thread's output is lost, and two loads at once can leave them
                # there for good); llama.cpp's own log goes through native_log instead
                model = _internals.LlamaModel(path_model=str(path), params=model_params, verbose=True)
            except ValueError as exc:
                raise ModelLoadError(explain_load_failure(path, captured.errors())) from exc
        stack.callback(model.close)
        n_ctx_train = model.n_ctx_train()
        n_ctx = max(64, min(options.n_ctx or n_ctx_train, n_ctx_train))
        ctx_params = llama_cpp.llama_context_default_params()
        ctx_params.n_ctx = n_ctx
        ctx_params.n_batch = min(options.n_batch, n_ctx)
        ctx_params.n_ubatch = min(options.n_ubatch or options.n_batch, ctx_params.n_batch)
        ctx_params.flash_attn_type = {
            "on": llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED, "off": llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        }.get(options.flash_attn, llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO)
        if options.n_threads > 0:
            ctx_params.n_threads = options.n_threads
            ctx_params.n_threads_batch = options.n_threads
        ctx_params.no_perf = True
        with native_log.capture() as captured:
            try:
                ctx = _internals.LlamaContext(model=model, params=ctx_params, verbose=True)
            except ValueError as exc:
                stack.close()
                detail = "; ".join(captured.errors()) or "llama.cpp could not allocate it"
                raise ModelLoadError(
                    f"Could not create a {n_ctx}-token context for {path.name} ({detail}). "
                    "Try a shorter context length or fewer GPU layers."
                ) from exc
        stack.callback(ctx.close)
        metadata = model.metadata()
        self._stack, self._model, self._ctx = stack, model, ctx
        self._template = load_chat_template(metadata, self._token_text, getattr(self, "_template_problem", None))
        self._cached_tokens = []
        arch = metadata.get("general.architecture", "unknown")
        return ModelInfo(
            path=path,
            name=metadata.get("general.name") or path.stem,
            architecture=arch,
            description=model.desc(),
            n_params=int(model.n_params()),
            n_ctx=n_ctx,
            n_ctx_train=n_ctx_train,
            n_layers=int(metadata.get(f"{arch}.block_count", 0) or 0),
            gpu_layers=gpu_layers,
            gpu_offload_supported=supported,
            template_source=self._template.source,
            template_note=self._template.note,
            metadata=metadata,
        )

    def close(self) -> None:
        with self._busy:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._model = self._ctx = self._template = self._info = None
        self._cached_tokens = []

    def __enter__(self) -> "LlamaEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # tokens

    def _require_loaded(self) -> None:
        if self._ctx is None:
            raise ModelLoadError("No model is loaded. Choose a model first.")

    def tokenize(self, text: str, add_bos: bool = False, special: bool = False) -> list[int]:
        self._require_loaded()
        return self._model.tokenize(text.encode("utf-8"), add_bos, special)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text)) if text else 0

    def detokenize(self, tokens: list[int]) -> str:
        self._require_loaded()
        return b"".join(self._piece(t, special=False) for t in tokens).decode("utf-8", errors="replace")

    def _token_text(self, token: int) -> str:
        return self._piece(token, special=True).decode("utf-8", errors="replace") if token >= 0 else ""

    def _piece(self, token: int, special: bool) -> bytes:
        import llama_cpp

        buf = self._piece_buffer
        n = llama_cpp.llama_token_to_piece(self._model.vocab, token, buf, len(buf), 0, special)
        if n < 0:  # buffer too small: grow once and retry
            self._piece_buffer = buf = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self._model.vocab, token, buf, len(buf), 0, special)
        return buf.raw[:n]

    # prompting

    def render(self, messages: list[ChatMessage]) -> str:
        self._require_loaded()
        return self._template.render([{"role": m.role, "content": m.content} for m in messages])

    def fit_messages(self, messages: list[ChatMessage], reserve: int) -> tuple[list[int], int]:
        """Tokenize the prompt, leaving out the oldest turns (never the system prompt) to fit."""
        n_ctx = self._info.n_ctx
        system = [m for m in messages[:1] if m.role == "system"]
        turns = messages[len(system) :]
        dropped = 0
        while True:
            tokens = self.tokenize(self.render(system + turns), add_bos=self._template.add_bos, special=True)
            if len(tokens) + reserve <= n_ctx:
                return tokens, dropped
            if len(turns) <= 1:
                raise PromptTooLong(
                    f"The message is too long for this model's context: the prompt needs {len(tokens)} tokens "
                    f"and the context holds {n_ctx} (with {reserve} kept for the reply). "
                    "Shorten the message, or use Summarize for long documents."
                )
            # drop the oldest user turn and the replies that followed it
            cut = 1
            while cut < len(turns) - 1 and turns[cut].role != "user":
                cut += 1
            dropped += cut
            turns = turns[cut:]

    def chat(
        self,
        messages: list[ChatMessage],
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
        grammar: str | None = None,
    ) -> GenerationResult:
        """``grammar``: GBNF text (root rule ``root``) the reply must match, e.g. from a JSON schema."""
        sampling = sampling or SamplingParams()
        with self._exclusive():
            self._require_loaded()
            reserve = min(max(sampling.max_tokens, 16), self._info.n_ctx // 2)
            tokens, dropped = self.fit_messages(messages, reserve)
            result = self._generate(tokens, sampling, on_text, cancel, self._template.stop_strings, grammar)
            result.stats.dropped_messages = dropped
            return result

    def complete(
        self,
        prompt: str,
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Continue raw text (no chat template)."""
        sampling = sampling or SamplingParams()
        with self._exclusive():
            self._require_loaded()
            tokens = self.tokenize(prompt, add_bos=self._template.add_bos, special=False)
            if len(tokens) >= self._info.n_ctx:
                raise PromptTooLong(f"The prompt needs {len(tokens)} tokens; the context holds {self._info.n_ctx}.")
            return self._generate(tokens, sampling, on_text, cancel, ())

    def generate_from_tokens(
        self,
        prompt: list[int],
        sampling: SamplingParams | None = None,
        cancel: threading.Event | None = None,
        speculative: bool = False,
    ) -> GenerationResult:
        """Generate after exactly these prompt tokens, the KV cache cleared first so the whole prompt
        is decoded: the timed path of Evaluate and the benchmarks (a fixed shape, a cold prompt). It decodes
        one token at a time unless ``speculative``: the figures are then llama-bench's and LocalScore's kind
        (a repetitive filler prompt would otherwise be copied by prompt-lookup drafts and read as speed)."""
        sampling = sampling or SamplingParams()
        with self._exclusive():
            self._require_loaded()
            if not prompt or len(prompt) + sampling.max_tokens > self._info.n_ctx:
                raise PromptTooLong(
                    f"{len(prompt)} prompt tokens plus {sampling.max_tokens} to generate do not fit "
                    f"the {self._info.n_ctx}-token context."
                )
            self._cached_tokens = []
            return self._generate(list(prompt), sampling, None, cancel, (), draft=speculative)

    # generation

    def _generate(self, prompt, sampling, on_text, cancel, stop_strings, grammar=None, draft=True) -> GenerationResult:
        import llama_cpp

        ctx, vocab = self._ctx.ctx, self._model.vocab
        n_ctx = self._info.n_ctx
        stats = GenerationStats(prompt_tokens=len(prompt), n_ctx=n_ctx)
        start = time.perf_counter()
        reused = self._reuse_prefix(prompt)
        stats.cached_tokens = reused
        self._decode_prompt(prompt, reused, cancel)
        # a cancel can stop the prompt part-way: then only what _decode_prompt recorded is in the cache
        prompt_decoded = len(self._cached_tokens) == len(prompt)
        if grammar:
            sampler = _build_sampler(sampling, llama_cpp.llama_vocab_n_tokens(vocab), _grammar_sampler(vocab, grammar))
        else:
            sampler = None if sampling.greedy else _build_sampler(sampling, llama_cpp.llama_vocab_n_tokens(vocab))
        stats.seed = None if sampler is None or sampling.greedy else int(llama_cpp.llama_sampler_get_seed(sampler.sampler))
        stream = _TextStream(stop_strings, on_text)
        n_past = len(prompt)
        generated: list[int] = []
        first_token_at = None
        stop_reason = StopReason.LENGTH
        is_eog, decode = llama_cpp.llama_vocab_is_eog, llama_cpp.llama_decode
        if sampler is None:
            sample = _greedy_sampler(ctx, vocab)
        elif grammar and sampling.greedy:
            sample = _grammar_greedy_sampler(ctx, vocab, sampler.sampler)
        else:
            sample = _chain_sampler(sampler, ctx)
        token_buf = (llama_cpp.llama_token * 1)()
        # grammar-constrained replies never draft: a grammar's state would have to be rolled back with the cache
        verifier = self._verifier(prompt_decoded and draft and not grammar, sampler)
        stats.speculative = verifier is not None
        kv_tokens = list(prompt)  # what the KV cache holds, drafts accepted ahead of the reply included
        queued: list[int] = []  # tokens a verify decode already chose: accepted drafts, then the model's own
        try:
            while len(generated) < sampling.max_tokens:
                if cancel is not None and cancel.is_set():
                    stop_reason = StopReason.CANCELLED
                    break
                token = queued.pop(0) if queued else sample()
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                if is_eog(vocab, token) and not sampling.ignore_eos:
                    stop_reason = StopReason.STOP
                    break
                generated.append(token)
                if stream.feed(self._piece(token, special=False)):
                    stop_reason = StopReason.STOP
                    break
                if len(generated) + len(prompt) <= n_past:
                    continue  # an accepted draft token: already in the cache
                if n_past + 1 >= n_ctx:
                    stop_reason = StopReason.CONTEXT
                    break
                kv_tokens.append(token)
                if verifier is not None and verifier.controller.active and verifier.controller.measured:
                    room = min(n_ctx - 2 - n_past, sampling.max_tokens - len(generated))
                    queued = verifier.step(kv_tokens, n_past, room)
                    if queued:
                        n_past += len(queued)  # the token and the accepted drafts; the last queued is not decoded
                        kv_tokens.extend(queued[:-1])
                        continue
                token_buf[0] = token
                if verifier is not None:  # what a one-token decode costs, against which drafting is judged
                    decode_started = time.perf_counter()
                    if decode(ctx, llama_cpp.llama_batch_get_one(token_buf, 1)) != 0:
                        raise ModelLoadError("llama.cpp failed while generating (decode error).")
                    verifier.controller.one_token(time.perf_counter() - decode_started)
                elif decode(ctx, llama_cpp.llama_batch_get_one(token_buf, 1)) != 0:
                    raise ModelLoadError("llama.cpp failed while generating (decode error).")
                n_past += 1
        finally:
            if sampler is not None:
                sampler.close()
            if verifier is not None:
                verifier.close()
                stats.draft_tokens = verifier.controller.stats.drafted
                stats.accepted_tokens = verifier.controller.stats.accepted
            # the cache holds the prompt and what was decoded after it (accepted drafts included)
            if prompt_decoded:
                self._cached_tokens = kv_tokens[:n_past]
        # each reply token the model chose itself cost a forward pass; accepted drafts rode along on one
        stats.decode_steps = len(generated) - min(stats.accepted_tokens, len(generated))
        stats.tokens_per_step = len(generated) / stats.decode_steps if stats.decode_steps else 0.0
        text = stream.finish()
        end = time.perf_counter()
        first_token_at = first_token_at or end
        stats.completion_tokens = len(generated)
        stats.ttft_s = first_token_at - start
        decoded_prompt = len(prompt) - reused
        stats.prompt_tokens_per_s = decoded_prompt / stats.ttft_s if stats.ttft_s > 0 else 0.0
        decode_time = end - first_token_at
        stats.tokens_per_s = (len(generated) - 1) / decode_time if len(generated) > 1 and decode_time > 0 else 0.0
        stats.total_s = end - start
        stats.context_used = n_past + (1 if generated else 0)
        stats.stop_reason = stop_reason
        return GenerationResult(text=text, stats=stats)

    def _verifier(self, allowed: bool, sampler=None) -> "_DraftVerifier | None":
        """A draft checker for this reply, or None: grammar-constrained replies, models whose cache cannot drop
        a tail (recurrent and hybrid ones), and speculation switched off all decode one token at a time.
        ``sampler``: the reply's native chain for sampled replies, None for greedy ones."""
        import llama_cpp

        model = self._model.model
        if not (allowed and self.speculative):
            return None
        if llama_cpp.llama_model_is_recurrent(model) or llama_cpp.llama_model_is_hybrid(model):
            return None
        chain = None if sampler is None else sampler.sampler
        return _DraftVerifier(self._ctx.ctx, llama_cpp.llama_vocab_n_tokens(self._model.vocab), chain)

    def _reuse_prefix(self, prompt: list[int]) -> int:
        """Keep the KV cache for the common prefix; at least one token is always re-decoded."""
        import llama_cpp

        common = 0
        for cached, new in zip(self._cached_tokens, prompt):
            if cached != new:
                break
            common += 1
        common = min(common, len(prompt) - 1)
        if common < len(self._cached_tokens) // 2:
            # Keeping a short prefix of a long cache leaves it fragmented, and llama.cpp's CPU path then
            # decoded garbage after a long summary (a 4-token system-prompt prefix kept out of 777 gave French
            # nonsense instead of "Paris"). Reuse pays only when most of the cache is kept (chat turns,
            # regenerate), so anything less starts from a clean cache.
            common = 0
        self._cached_tokens = []  # stays empty if we are interrupted while the cache changes
        memory = llama_cpp.llama_get_memory(self._ctx.ctx)
        if common <= 0 or not llama_cpp.llama_memory_seq_rm(memory, 0, common, -1):
            llama_cpp.llama_memory_clear(memory, True)
            common = 0
        self._cached_tokens = list(prompt[:common])
        return common

    def _decode_prompt(self, prompt: list[int], start: int, cancel: threading.Event | None) -> None:
        import llama_cpp

        n_batch = llama_cpp.llama_n_batch(self._ctx.ctx)
        for offset in range(start, len(prompt), n_batch):
            if cancel is not None and cancel.is_set():
                break
            chunk = prompt[offset : offset + n_batch]
            array = (llama_cpp.llama_token * len(chunk))(*chunk)
            if llama_cpp.llama_decode(self._ctx.ctx, llama_cpp.llama_batch_get_one(array, len(chunk))) != 0:
                self._cached_tokens = []
                raise ModelLoadError("llama.cpp failed to process the prompt (decode error). Try a shorter context.")
            self._cached_tokens = list(prompt[: offset + len(chunk)])


class _DraftVerifier:
    """Checks a prompt-lookup draft in one batched decode and rolls the cache back past the rejected part.

    Greedy replies keep a draft token while it is the clear argmax at its position. Sampled replies use the
    rule of llama.cpp's ``common_sampler_sample_and_accept_n``: draw from the reply's own sampler chain on
    each verified position's logits in turn, keep the draw while it equals the draft token, and stop at the
    first draw that differs (that draw is the next token). A prompt-lookup draft is deterministic (q is
    one-hot on the drafted token), and for a one-hot q the standard speculative rule (accept d with
    probability min(1, p(d)/q(d)) = p(d), else sample from norm(max(0, p - q))) is exactly this: the kept
    or drawn token is one draw from p either way. Every emitted token is one ``llama_sampler_sample`` call
    on the same prefix as plain decoding, and that call both applies the chain (the dist sampler's RNG
    advances once per apply) and accepts the token (the penalties sampler's history takes it): so the chain
    sees the same calls in the same order with the same accepted tokens as without drafts, and draws made
    past the point where a reply stops (end of turn, stop string, token limit) belong to no emitted token.
    A fixed seed therefore gives the plain reply wherever batched logits equal one-token logits; where they
    differ (other matmul kernels, up to ~1 logit on this CPU build) a draw that lands near a boundary of the
    top-k/top-p/temperature distribution can pick another, equally likely token: the distribution is
    unchanged, the exact reply for that seed is not guaranteed (tests/core/llm/test_speculative_real.py
    measures how often)."""

    def __init__(self, ctx, n_vocab: int, chain=None):
        import llama_cpp

        self._ctx, self._n_vocab, self._chain = ctx, n_vocab, chain
        self.drafter = PromptLookupDrafter()
        self.controller = DraftController()
        self._capacity = self.controller.draft_max + 1
        self._batch = llama_cpp.llama_batch_init(self._capacity, 0, 1)
        self._memory = llama_cpp.llama_get_memory(ctx)

    def step(self, history: list[int], n_past: int, room: int) -> list[int]:
        """Decode history[-1] at n_past with a draft behind it. Returns the accepted draft tokens followed
        by the model's own next token (all but that last one are now in the cache), or [] when there was
        no draft and nothing was decoded."""
        import llama_cpp

        draft = self.drafter.draft(history, min(self.controller.n_draft, room))
        if not draft:
            return []
        batch, tokens = self._batch, [history[-1], *draft]
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = n_past + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = 1
        batch.n_tokens = len(tokens)
        started = time.perf_counter()
        if llama_cpp.llama_decode(self._ctx, batch) != 0:
            raise ModelLoadError("llama.cpp failed while generating (decode error).")
        seconds = time.perf_counter() - started
        accepted, choice = self._sampled(draft) if self._chain is not None else self._greedy(draft)
        self.controller.record(len(draft), accepted, seconds)
        if choice < 0:
            # A near tie: a batched decode rounds differently from a one-token decode (other matmul kernels),
            # so the last kept token is decoded again on its own and the plain path picks between the two.
            llama_cpp.llama_memory_seq_rm(self._memory, 0, n_past + accepted, -1)
            return list(draft[:accepted])
        if accepted < len(draft):  # drop the rejected drafts' cache entries
            llama_cpp.llama_memory_seq_rm(self._memory, 0, n_past + 1 + accepted, -1)
        return [*draft[:accepted], choice]

    def _greedy(self, draft: list[int]) -> tuple[int, int]:
        """Accepted draft count and the next token (-1: a near tie, left to a one-token decode)."""
        import llama_cpp
        import numpy as np

        rows = np.ctypeslib.as_array(llama_cpp.llama_get_logits(self._ctx), shape=(len(draft) + 1, self._n_vocab))
        accepted, choice = 0, _clear_argmax(rows[0])
        while accepted < len(draft) and choice == draft[accepted]:
            accepted += 1
            choice = _clear_argmax(rows[accepted])
        return accepted, choice

    def _sampled(self, draft: list[int]) -> tuple[int, int]:
        """Accepted draft count and the next token: one chain draw per position until a draw differs."""
        import llama_cpp

        sample, chain, ctx = llama_cpp.llama_sampler_sample, self._chain, self._ctx
        accepted, choice = 0, sample(chain, ctx, 0)  # batch index i holds the logits after tokens[i]
        while accepted < len(draft) and choice == draft[accepted]:
            accepted += 1
            choice = sample(chain, ctx, accepted)
        return accepted, choice

    def close(self) -> None:
        import llama_cpp

        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None


# Top-two logit gaps below this are left to a one-token decode: batched and one-token decodes of SmolLM2-135M Q4_1
# differ (max |diff| over the vocabulary up to ~1 logit, the top-two gap far less). Measured at 96 tokens (load 2.4):
# 0.3 kept 2.3-3.6 tokens/step and the plain text; 1.0 left ~1.0 tokens/step and was 0.7-0.8x slower than plain.
NEAR_TIE_LOGITS = 0.3


def _clear_argmax(logits) -> int:
    """The argmax of one row of logits, or -1 when another token comes within NEAR_TIE_LOGITS of it."""
    import numpy as np

    best = int(logits.argmax())
    return best if np.count_nonzero(logits >= logits[best] - NEAR_TIE_LOGITS) == 1 else -1


def _chain_sampler(sampler, ctx) -> Callable[[], int]:
    import llama_cpp

    return lambda: llama_cpp.llama_sampler_sample(sampler.sampler, ctx, -1)


def _greedy_sampler(ctx, vocab) -> Callable[[], int]:
    """Argmax straight off the logits: the token llama.cpp's greedy sampler picks (first maximum
    on ties), without building its 49k-entry candidate array each step (~55 us per token)."""
    import llama_cpp
    import numpy as np

    n_vocab = llama_cpp.llama_vocab_n_tokens(vocab)
    get_logits = llama_cpp.llama_get_logits_ith
    view: dict[int, np.ndarray] = {}  # logits buffer address -> numpy view (the buffer rarely moves)

    def sample() -> int:
        pointer = get_logits(ctx, -1)
        address = ctypes.cast(pointer, ctypes.c_void_p).value
        logits = view.get(address)
        if logits is None:
            view.clear()
            logits = view[address] = np.ctypeslib.as_array(pointer, shape=(n_vocab,))
        return int(logits.argmax())

    return sample


def _grammar_greedy_sampler(ctx, vocab, grammar) -> Callable[[], int]:
    """Greedy under a grammar the way llama.cpp's common sampler does it: the argmax token is checked
    against the grammar alone, and only a token the grammar rejects costs a pass over the whole
    vocabulary (on SmolLM2's 49k tokens inside a JSON string that pass took 0.3-0.6 s of CPU a token).
    The token is the one grammar-then-greedy would pick: the most likely allowed one."""
    import llama_cpp
    import numpy as np

    argmax = _greedy_sampler(ctx, vocab)
    n_vocab = llama_cpp.llama_vocab_n_tokens(vocab)
    one = (llama_cpp.llama_token_data * 1)()
    every = (llama_cpp.llama_token_data * n_vocab)()
    fields = np.ctypeslib.as_array(every)  # a structured view: id, logit, p
    ids = np.arange(n_vocab, dtype=fields["id"].dtype)

    def allowed(data, size) -> None:
        array = llama_cpp.llama_token_data_array(data, size, -1, False)
        llama_cpp.llama_sampler_apply(grammar, ctypes.byref(array))

    def sample() -> int:
        token = argmax()
        one[0].id, one[0].logit, one[0].p = token, 0.0, 0.0
        allowed(one, 1)
        if one[0].logit == -np.inf:
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(n_vocab,))
            fields["id"], fields["logit"], fields["p"] = ids, logits, 0.0
            allowed(every, n_vocab)
            token = int(fields["id"][int(fields["logit"].argmax())])
        llama_cpp.llama_sampler_accept(grammar, token)
        return token

    return sample


def _grammar_sampler(vocab, grammar: str):
    """llama.cpp's grammar sampler for GBNF text; a grammar it cannot parse is a plain error, not a crash."""
    import llama_cpp

    native = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not native:
        raise ValueError("llama.cpp could not parse the grammar for constrained output.")
    return native


def _build_sampler(sampling: SamplingParams, n_vocab: int, grammar=None):
    """llama.cpp's native chain for temperature > 0 (temperature 0 is plain greedy: _greedy_sampler).
    With ``grammar`` (a native grammar sampler) it leads the chain, so only tokens the grammar allows
    remain, and temperature 0 picks the most likely of those."""
    import llama_cpp
    from llama_cpp import _internals

    sampler = _internals.LlamaSampler()
    if grammar is not None:
        llama_cpp.llama_sampler_chain_add(sampler.sampler, grammar)
        if sampling.greedy:
            return sampler  # the grammar alone: _grammar_greedy_sampler picks the token
    if sampling.repeat_penalty and sampling.repeat_penalty != 1.0:
        sampler.add_penalties(n_vocab, 64, sampling.repeat_penalty, 0.0, 0.0)
    if sampling.top_k > 0:
        sampler.add_top_k(int(sampling.top_k))
    if 0 < sampling.top_p < 1:
        sampler.add_top_p(float(sampling.top_p), 1)
    sampler.add_temp(float(sampling.temperature))
    seed = 0xFFFFFFFF if sampling.seed is None or sampling.seed < 0 else int(sampling.seed) & 0xFFFFFFFF
    sampler.add_dist(seed)
    return sampler


class _TextStream:
    """Bytes in, text out: whole UTF-8 characters only, stop strings held back and cut."""

    def __init__(self, stop_strings, on_text: OnText | None):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._stops = tuple(s for s in stop_strings if s)
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._on_text = on_text
        self._text = ""
        self._emitted = 0

    def feed(self, piece: bytes) -> bool:
        """Add a piece; True when a stop string has appeared."""
        self._text += self._decoder.decode(piece)
        if self._stops:
            window_start = max(0, self._emitted - self._hold)
            for stop in self._stops:
                at = self._text.find(stop, window_start)
                if at >= 0:
                    self._text = self._text[:at]
                    self._flush(len(self._text))
                    return True
        self._flush(len(self._text) - self._hold if self._stops else len(self._text))
        return False

    def _flush(self, upto: int) -> None:
        if upto > self._emitted:
            chunk = self._text[self._emitted : upto]
            self._emitted = upto
            if self._on_text is not None:
                self._on_text(chunk)

    def finish(self) -> str:
        # Bytes still held here are the start of a character the generation stopped inside (token
        # limit, stop string, cancel): a split, not something the model wrote, so they are dropped
        # rather than shown as U+FFFD. Invalid bytes mid-stream were the model's own; those stay.
        self._decoder.reset()
        self._flush(len(self._text))
        return self._text


def _check_memory(path: Path, options: LoadOptions) -> None:
    """Refuse loads that will not fit (InsufficientMemory says what to change)."""
    memory.check_gguf_fits(path, options.n_ctx, options.gpu_layers)
