"""Token choice for the local engine: llama.cpp's native sampler chain, a fast greedy argmax, and grammars."""

from __future__ import annotations

import ctypes
from typing import Callable

from desktop_app.core.sampling import SamplingParams
from desktop_app.core.texts import translate


# Top-two logit gaps below this are left to a one-token decode: batched and one-token decodes of SmolLM2-135M Q4_1
# differ (max |diff| over the vocabulary up to ~1 logit, the top-two gap far less). Measured at 96 tokens (load 2.4):
# 0.3 kept 2.3-3.6 tokens/step and the plain text; 1.0 left ~1.0 tokens/step and was 0.7-0.8x slower than plain.
NEAR_TIE_LOGITS = 0.3


def clear_argmax(logits) -> int:
    """The argmax of one row of logits, or -1 when another token comes within NEAR_TIE_LOGITS of it."""
    import numpy as np

    best = int(logits.argmax())
    return best if np.count_nonzero(logits >= logits[best] - NEAR_TIE_LOGITS) == 1 else -1


def chain_sampler(sampler, ctx) -> Callable[[], int]:
    import llama_cpp

    return lambda: llama_cpp.llama_sampler_sample(sampler.sampler, ctx, -1)


def greedy_sampler(ctx, vocab) -> Callable[[], int]:
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


def grammar_greedy_sampler(ctx, vocab, grammar) -> Callable[[], int]:
    """Greedy under a grammar the way llama.cpp's common sampler does it: the argmax token is checked
    against the grammar alone, and only a token the grammar rejects costs a pass over the whole
    vocabulary (on SmolLM2's 49k tokens inside a JSON string that pass took 0.3-0.6 s of CPU a token).
    The token is the one grammar-then-greedy would pick: the most likely allowed one."""
    import llama_cpp
    import numpy as np

    argmax = greedy_sampler(ctx, vocab)
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


def grammar_sampler(vocab, grammar: str):
    """llama.cpp's grammar sampler for GBNF text; a grammar it cannot parse is a plain error, not a crash."""
    import llama_cpp

    native = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not native:
        raise ValueError(translate("ModelErrors", "llama.cpp could not parse the grammar for "
                                                  "constrained output."))
    return native


def build_sampler(sampling: SamplingParams, n_vocab: int, grammar=None):
    """llama.cpp's native chain for temperature > 0 (temperature 0 is plain greedy: greedy_sampler).
    With ``grammar`` (a native grammar sampler) it leads the chain, so only tokens the grammar allows
    remain, and temperature 0 picks the most likely of those."""
    import llama_cpp
    from llama_cpp import _internals

    sampler = _internals.LlamaSampler()
    if grammar is not None:
        llama_cpp.llama_sampler_chain_add(sampler.sampler, grammar)
        if sampling.greedy:
            return sampler  # the grammar alone: grammar_greedy_sampler picks the token
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
