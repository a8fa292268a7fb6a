"""Checks prompt-lookup drafts (speculative.py) in one batched llama.cpp decode."""

from __future__ import annotations

import time
from typing import Callable

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.llm.samplers import clear_argmax
from desktop_app.core.llm.speculative import DraftController, PromptLookupDrafter
from desktop_app.core.texts import translate


class DraftVerifier:
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

    def __init__(self, ctx, n_vocab: int, chain=None, clock: Callable[[], float] = time.perf_counter):
        import llama_cpp

        self._ctx, self._n_vocab, self._chain, self._clock = ctx, n_vocab, chain, clock
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
        started = self._clock()
        if llama_cpp.llama_decode(self._ctx, batch) != 0:
            raise ModelLoadError(translate("ModelErrors", "llama.cpp failed while generating (decode "
                                                          "error)."))
        seconds = self._clock() - started
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
        accepted, choice = 0, clear_argmax(rows[0])
        while accepted < len(draft) and choice == draft[accepted]:
            accepted += 1
            choice = clear_argmax(rows[accepted])
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
