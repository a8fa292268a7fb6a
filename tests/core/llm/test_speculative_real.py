"""Speculative decoding on the real default model: greedy output token for token the same with it on and off;
sampled output the same for a fixed seed where the logits agree, and the same distribution over seeds."""

from __future__ import annotations

import math
import statistics
from dataclasses import replace

import pytest

from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage

pytestmark = pytest.mark.slow

SOURCE = (
    "The Millbrook council met on 12 March 2024. The council approved a budget of 4.2 million pounds for the "
    "river bridge, and the mayor, Anna Weber, said the bridge would open in June 2026. The library will close "
    "on Sundays from April. Farmers asked for a new grain market near the railway station."
)
CODE = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n"
ZH = "北京是中国的首都。上海是中国最大的城市。长江是中国最长的河流，全长约六千三百公里。"
PROMPTS = [
    f"Summarize this text in two sentences:\n\n{SOURCE}",
    f"Who is the mayor and when will the bridge open? Answer from the text.\n\n{SOURCE}",
    f"List every number in this text:\n\n{SOURCE}",
    f"Repeat the first sentence of this text exactly:\n\n{SOURCE}",
    f"Extract the names of people and places:\n\n{SOURCE}",
    f"Rewrite this text for a child:\n\n{SOURCE}",
    "What is the capital of France?",
    "Write a haiku about winter.",
    "Tell me a short joke.",
    "Explain what a KV cache is in one paragraph.",
    f"Add a function `sub` to this Python code and show the whole file:\n\n{CODE}",
    f"Explain this code:\n\n{CODE}",
    "Write a Python function that reverses a string.",
    "Write a SQL query that counts the rows of a table named orders.",
    f"用一句话总结：{ZH}",
    f"根据下文回答：中国最长的河流是什么？\n\n{ZH}",
    f"把下面的文字重复一遍：{ZH}",
    "你好，请介绍一下你自己。",
    "The quick brown fox jumps over the lazy dog. Repeat the sentence above three times.",
    "Count from one to twenty in words.",
    "List the days of the week.",
    "Translate to French: The cat sleeps on the warm chair.",
]
TOKENS = SamplingParams(temperature=0, max_tokens=32)


def test_greedy_replies_are_identical_with_speculative_decoding(real_engine):
    accepted = drafted = 0
    try:
        for prompt in PROMPTS:
            messages = [ChatMessage("user", prompt)]
            real_engine.speculative = False
            plain = real_engine.chat(messages, TOKENS)
            real_engine.speculative = True
            fast = real_engine.chat(messages, TOKENS)
            assert fast.text == plain.text, prompt
            assert fast.stats.completion_tokens == plain.stats.completion_tokens
            accepted += fast.stats.accepted_tokens
            drafted += fast.stats.draft_tokens
    finally:
        real_engine.speculative = True
    assert accepted > 30  # copying prompts accept drafts: the comparison exercised the verify path
    assert accepted <= drafted


# Sampled replies (temperature > 0) draft through the reply's own sampler chain: verifier.py's DraftVerifier.

SAMPLED = SamplingParams(temperature=0.7, max_tokens=32, seed=7)
COPY = [ChatMessage("user", f"Repeat this text exactly:\n\n{SOURCE}")]
# Replies allowed to differ from plain decoding for the same seed. Batched and one-token decodes round the logits
# differently, and a draw landing near a boundary of the sampled distribution can then pick a neighbour (a cold and
# a warm cache do the same without any drafting: the same seed gave another reply for 14 of 44 prompt/seed pairs when
# only one side reused the prompt's cache, so the comparison below starts both from a cold cache). Measured on this
# CPU build at seed 7: 0 of the 22 replies differ, so none is allowed; a divergence fails the test with its prompt,
# to be looked at (rounding or a real change of the draws), not absorbed by a margin.
ALLOWED_DIVERGENT = 0
DISTRIBUTION_SEEDS = 40


def _fresh(engine, messages, sampling, spec: bool):
    """A reply from a cold cache, so drafting on and off start from the same prompt decode."""
    engine.speculative = spec
    engine._cached_tokens = []
    return engine.chat(messages, sampling)


def test_sampled_replies_match_plain_decoding_for_a_fixed_seed(real_engine):
    divergent, accepted = [], 0
    try:
        for prompt in PROMPTS:
            messages = [ChatMessage("user", prompt)]
            plain = _fresh(real_engine, messages, SAMPLED, False)
            fast = _fresh(real_engine, messages, SAMPLED, True)
            assert fast.stats.speculative and not plain.stats.speculative
            accepted += fast.stats.accepted_tokens
            if fast.text != plain.text:
                divergent.append(prompt)
            assert len(divergent) <= ALLOWED_DIVERGENT, divergent
    finally:
        real_engine.speculative = True
    assert accepted > 30  # drafts were kept: the comparison exercised the sampled verify path


class _FixedDrafter:
    """Drafts the greedy reply's next tokens wherever the reply stands: the draft is offered at every step."""

    def __init__(self, prompt_len: int, reply: list[int]):
        self.prompt_len, self.reply = prompt_len, reply

    def draft(self, history, n_draft):
        done = len(history) - self.prompt_len
        return self.reply[done : done + n_draft]


def _agreement(reply: list[int], draft: list[int]) -> int:
    """How many leading reply tokens equal the drafted (greedy) reply: the first divergence from the draft."""
    return next((i for i, (a, b) in enumerate(zip(reply, draft)) if a != b), min(len(reply), len(draft)))


def test_sampled_drafting_keeps_the_reply_distribution(real_engine, monkeypatch):
    """Drafts of the greedy reply offered at every step, independent seeds with drafting on and off: the mean
    first divergence from the draft agrees within a two-sample z bound. A rule that keeps drafts the chain did
    not draw (always accept) follows the draft far longer and fails."""
    from desktop_app.core.llm import verifier as verifier_module

    sampling = SamplingParams(temperature=0.7, max_tokens=16)
    prompt_tokens, _ = real_engine.fit_messages(COPY, 0)
    greedy = _fresh(real_engine, COPY, replace(sampling, temperature=0), False)
    draft = real_engine._cached_tokens[len(prompt_tokens) :]
    assert greedy.stats.completion_tokens == len(draft) == sampling.max_tokens
    monkeypatch.setattr(verifier_module, "PromptLookupDrafter", lambda: _FixedDrafter(len(prompt_tokens), draft))
    agreement: dict[bool, list[int]] = {False: [], True: []}
    accepted = 0
    try:
        for spec, first_seed in ((False, 1000), (True, 1)):
            real_engine.speculative = spec
            for seed in range(first_seed, first_seed + DISTRIBUTION_SEEDS):
                stats = real_engine.chat(COPY, replace(sampling, seed=seed)).stats
                accepted += stats.accepted_tokens
                agreement[spec].append(_agreement(real_engine._cached_tokens[len(prompt_tokens) :], draft))
    finally:
        real_engine.speculative = True
    assert accepted > DISTRIBUTION_SEEDS  # drafts were kept: the verify rule decided what the replies say
    off, on = agreement[False], agreement[True]
    mean_off, mean_on = statistics.fmean(off), statistics.fmean(on)
    spread = math.sqrt(statistics.variance(off) / len(off) + statistics.variance(on) / len(on))
    assert abs(mean_on - mean_off) <= 3.3 * spread, (mean_off, mean_on, spread)  # two-sided p ~ 0.001


def test_sampled_accounting_on_a_copying_prompt(real_engine):
    stats = _fresh(real_engine, COPY, replace(SAMPLED, max_tokens=64), True).stats
    assert stats.speculative and stats.draft_tokens >= stats.accepted_tokens > 10
    assert stats.decode_steps == stats.completion_tokens - stats.accepted_tokens
    assert stats.tokens_per_step == pytest.approx(stats.completion_tokens / stats.decode_steps)
    assert stats.tokens_per_step > 1.3


def test_a_reply_after_a_sampled_speculative_reply_equals_one_on_a_fresh_context(real_engine):
    """The rejected drafts' cache entries are gone: the cache holds exactly the prompt and the reply, and the
    next turn, which reuses that cache, gives the reply the same conversation gives from a cold cache."""
    import llama_cpp

    first = _fresh(real_engine, COPY, replace(SAMPLED, max_tokens=64), True)
    assert first.stats.draft_tokens > first.stats.accepted_tokens  # some drafts were rejected and rolled back
    memory = llama_cpp.llama_get_memory(real_engine._ctx.ctx)
    assert llama_cpp.llama_memory_seq_pos_max(memory, 0) == len(real_engine._cached_tokens) - 1
    follow_up = [*COPY, ChatMessage("assistant", first.text), ChatMessage("user", "Who is the mayor?")]
    greedy = SamplingParams(temperature=0, max_tokens=24)
    real_engine.speculative = False
    later = real_engine.chat(follow_up, greedy)
    assert later.stats.cached_tokens > first.stats.prompt_tokens  # the first reply's cache was reused
    cold = _fresh(real_engine, follow_up, greedy, False)
    real_engine.speculative = True
    assert later.text == cold.text
