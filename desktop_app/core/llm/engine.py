"""The llama.cpp chat engine: load a GGUF, render its chat template, stream tokens.

Generation runs llama.cpp's native sampler chain through the low-level API, so
per-token Python work is one decode call, one sample call and one piece lookup.
The KV cache keeps the longest common prefix between requests, so the next turn
of a conversation only decodes the new tokens.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable

from desktop_app.core.errors import EngineBusy, ModelLoadError, PromptTooLong
from desktop_app.core.llm import probe
from desktop_app.core.llm.fitting import drop_oldest_turns, reply_reserve
from desktop_app.core.llm.loading import check_gguf_file, check_memory, open_context
from desktop_app.core.llm.samplers import (
    build_sampler,
    chain_sampler,
    grammar_greedy_sampler,
    grammar_sampler,
    greedy_sampler,
)
from desktop_app.core.llm.template import ChatTemplate, load_chat_template
from desktop_app.core.llm.text_stream import TextStream
from desktop_app.core.llm.threads import ThreadGovernor
from desktop_app.core.llm.types import (
    ChatMessage,
    GenerationResult,
    GenerationStats,
    LoadOptions,
    ModelInfo,
    OnText,
    StopReason,
)
from desktop_app.core.llm.verifier import DraftVerifier
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)


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
        self._threads = ThreadGovernor(1)
        self._applied_threads = 0
        self._piece_buffer = ctypes.create_string_buffer(256)
        # prompt-lookup speculative decoding (settings.speculative): greedy and sampled replies, not grammar-constrained ones
        self.speculative = True
        # what times the decodes that decide whether drafting pays (tests give a clock of their own)
        self.decode_clock: Callable[[], float] = time.perf_counter

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
                check_memory(path, options)
            self._info = self._load_locked(path, options)
            return self._info

    def _load_locked(self, path: Path, options: LoadOptions) -> ModelInfo:
        self._threads = ThreadGovernor(options.n_threads)
        opened = open_context(path, options, self._threads.most)
        stack, model, ctx = opened.stack, opened.model, opened.ctx
        self._applied_threads = self._threads.most
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
            n_ctx=opened.n_ctx,
            n_ctx_train=opened.n_ctx_train,
            n_layers=int(metadata.get(f"{arch}.block_count", 0) or 0),
            gpu_layers=opened.gpu_layers,
            gpu_offload_supported=opened.gpu_offload_supported,
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
            raise ModelLoadError(translate("ModelErrors", "No model is loaded. Choose a model first."))

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
        tokenized: dict[int, list[int]] = {}  # len(kept) -> its tokens: the kept list only ever shrinks

        def tokens_of(kept: list[ChatMessage]) -> list[int]:
            if len(kept) not in tokenized:
                tokenized[len(kept)] = self.tokenize(self.render(kept), add_bos=self._template.add_bos, special=True)
            return tokenized[len(kept)]

        kept, dropped = drop_oldest_turns(messages, lambda kept: len(tokens_of(kept)) + reserve <= n_ctx)
        tokens = tokens_of(kept)
        if len(tokens) + reserve > n_ctx:
            raise PromptTooLong(
                translate("ModelErrors", "The message is too long for this model's context: the "
                                         "prompt needs {count} tokens and the context holds {n_ctx} "
                                         "(with {reserve} kept for the reply). Shorten the message, "
                                         "or use Summarize for long documents.").fill(count=len(tokens), n_ctx=n_ctx, reserve=reserve)
            )
        return tokens, dropped

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
            tokens, dropped = self.fit_messages(messages, reply_reserve(sampling.max_tokens, self._info.n_ctx))
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
                raise PromptTooLong(translate("ModelErrors", "The prompt needs {count} tokens; the "
                                                             "context holds {n_ctx}.").fill(count=len(tokens), n_ctx=self._info.n_ctx))
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
                    translate("ModelErrors", "{count} prompt tokens plus {max_tokens} to generate do "
                                             "not fit the {n_ctx}-token context.").fill(count=len(prompt), max_tokens=sampling.max_tokens, n_ctx=self._info.n_ctx)
                )
            self._cached_tokens = []
            return self._generate(list(prompt), sampling, None, cancel, (), draft=speculative)

    # generation

    def _generate(self, prompt, sampling, on_text, cancel, stop_strings, grammar=None, draft=True) -> GenerationResult:
        import llama_cpp

        ctx, vocab = self._ctx.ctx, self._model.vocab
        n_ctx = self._info.n_ctx
        stats = GenerationStats(prompt_tokens=len(prompt), n_ctx=n_ctx)
        self._apply_threads()
        start = time.perf_counter()
        reused = self._reuse_prefix(prompt)
        stats.cached_tokens = reused
        self._decode_prompt(prompt, reused, cancel)
        # a cancel can stop the prompt part-way: then only what _decode_prompt recorded is in the cache
        prompt_decoded = len(self._cached_tokens) == len(prompt)
        if grammar:
            sampler = build_sampler(sampling, llama_cpp.llama_vocab_n_tokens(vocab), grammar_sampler(vocab, grammar))
        else:
            sampler = None if sampling.greedy else build_sampler(sampling, llama_cpp.llama_vocab_n_tokens(vocab))
        stats.seed = None if sampler is None or sampling.greedy else int(llama_cpp.llama_sampler_get_seed(sampler.sampler))
        stream = TextStream(stop_strings, on_text)
        n_past = len(prompt)
        generated: list[int] = []
        first_token_at = None
        stop_reason = StopReason.LENGTH
        is_eog, decode = llama_cpp.llama_vocab_is_eog, llama_cpp.llama_decode
        if sampler is None:
            sample = greedy_sampler(ctx, vocab)
        elif grammar and sampling.greedy:
            sample = grammar_greedy_sampler(ctx, vocab, sampler.sampler)
        else:
            sample = chain_sampler(sampler, ctx)
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
                if self._threads.due():
                    self._apply_threads()
                if verifier is not None and verifier.controller.active and verifier.controller.measured:
                    room = min(n_ctx - 2 - n_past, sampling.max_tokens - len(generated))
                    queued = verifier.step(kv_tokens, n_past, room)
                    if queued:
                        n_past += len(queued)  # the token and the accepted drafts; the last queued is not decoded
                        kv_tokens.extend(queued[:-1])
                        continue
                token_buf[0] = token
                if verifier is not None:  # what a one-token decode costs, against which drafting is judged
                    decode_started = self.decode_clock()
                    if decode(ctx, llama_cpp.llama_batch_get_one(token_buf, 1)) != 0:
                        raise ModelLoadError(translate("ModelErrors", "llama.cpp failed while "
                                                                      "generating (decode error)."))
                    verifier.controller.one_token(self.decode_clock() - decode_started)
                elif decode(ctx, llama_cpp.llama_batch_get_one(token_buf, 1)) != 0:
                    raise ModelLoadError(translate("ModelErrors", "llama.cpp failed while generating "
                                                                  "(decode error)."))
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
        stats.threads, stats.others_cores = self._applied_threads, self._threads.choice.others_cores
        stats.stop_reason = stop_reason
        return GenerationResult(text=text, stats=stats)

    def _apply_threads(self) -> None:
        """Compute with the threads other programs leave free now (threads.py says why)."""
        import llama_cpp

        threads = self._threads.choose().threads
        if threads != self._applied_threads:
            llama_cpp.llama_set_n_threads(self._ctx.ctx, threads, threads)
            log.info("llama.cpp threads: %d (other programs use %.1f cores)", threads, self._threads.choice.others_cores or 0)
            self._applied_threads = threads

    def _verifier(self, allowed: bool, sampler=None) -> "DraftVerifier | None":
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
        return DraftVerifier(self._ctx.ctx, llama_cpp.llama_vocab_n_tokens(self._model.vocab), chain, self.decode_clock)

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
            if self._threads.due():
                self._apply_threads()
            chunk = prompt[offset : offset + n_batch]
            array = (llama_cpp.llama_token * len(chunk))(*chunk)
            if llama_cpp.llama_decode(self._ctx.ctx, llama_cpp.llama_batch_get_one(array, len(chunk))) != 0:
                self._cached_tokens = []
                raise ModelLoadError(translate("ModelErrors", "llama.cpp failed to process the "
                                                              "prompt (decode error). Try a shorter "
                                                              "context."))
            self._cached_tokens = list(prompt[: offset + len(chunk)])
