"""Prompt-lookup speculative decoding: the drafter, the draft-length controller, and the engine's
verify-and-roll-back path on the tiny random-weight GGUF (greedy output must not change; sampled replies
draft through the reply's own sampler chain)."""

from __future__ import annotations

import itertools

import pytest

from desktop_app.core.llm import speculative
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage, LoadOptions
from desktop_app.core.llm.speculative import DraftController, PromptLookupDrafter

GREEDY = SamplingParams(temperature=0, max_tokens=64, ignore_eos=True)
# random weights fall into loops quickly, so drafts from the reply itself are often accepted
PROMPTS = ["the capital of France is Paris.", "hello hello the is of", "a b c d e f g", "Paris France capital",
           "the the the", "x y z x y z x y"]


def test_drafter_returns_what_followed_the_longest_earlier_match():
    drafter = PromptLookupDrafter(ngram_max=3, ngram_min=2)
    history = [1, 2, 3, 4, 5, 9, 2, 3, 4]
    assert drafter.draft(history, 4) == [5, 9, 2, 3]  # suffix 2,3,4 seen before, followed by 5,9,...
    assert drafter.draft(history, 1) == [5]


def test_drafter_prefers_the_latest_occurrence_and_indexes_new_tokens():
    drafter = PromptLookupDrafter(ngram_max=2, ngram_min=2)
    history = [7, 8, 1, 7, 8, 2]
    assert drafter.draft(history, 3) == []  # suffix 8,2 never seen before
    history += [7, 8]
    assert drafter.draft(history, 1) == [2]  # the newer 7,8 (followed by 2) wins over the first (followed by 1)


def test_drafter_needs_at_least_the_minimum_ngram():
    drafter = PromptLookupDrafter(ngram_max=3, ngram_min=2)
    assert drafter.draft([5, 6, 7, 8, 6], 4) == []  # only a 1-token match (6)


def test_controller_grows_on_full_acceptance_and_shrinks_on_rejection():
    controller = DraftController(draft_max=16)
    start = controller.n_draft
    controller.record(start, start)
    assert controller.n_draft == min(16, start * 2)
    controller.record(controller.n_draft, 1)
    assert controller.n_draft == 3
    assert (controller.stats.steps, controller.stats.accepted) == (2, start + 1)
    assert controller.stats.drafted == start + min(16, start * 2)


def test_controller_switches_drafting_off_when_drafts_keep_failing():
    controller = DraftController()
    for _ in range(speculative.PROBE_STEPS - 1):
        controller.record(4, 0)
    assert controller.active  # not judged before PROBE_STEPS verifies
    controller.record(4, 0)
    assert not controller.active


def test_controller_stays_on_when_drafts_pay():
    controller = DraftController()
    for _ in range(3 * speculative.PROBE_STEPS):
        controller.record(4, 2)
    assert controller.active


def timed(controller, single_s: float, extra_s: float, drafted: int, accepted: int, steps: int) -> None:
    """Verifies on a machine where one token takes single_s and each further token of a batch extra_s."""
    for _ in range(steps):
        controller.one_token(single_s)
        controller.record(drafted, accepted, single_s + extra_s * drafted)


def test_drafts_that_cost_more_than_they_keep_switch_drafting_off():
    # 2-core CPU, 135M model: a batch costs nearly in proportion; 2 of 4 kept = 3 tokens per 50 ms < 1 per 10 ms
    controller = DraftController()
    timed(controller, 0.010, 0.010, drafted=4, accepted=2, steps=speculative.TIMED_PROBE_STEPS - 1)
    assert controller.active and controller.measured  # not judged on fewer verifies
    timed(controller, 0.010, 0.010, drafted=4, accepted=2, steps=1)
    assert not controller.active  # timed verifies are judged sooner than untimed ones (PROBE_STEPS)
    # the same acceptance where further batch tokens are nearly free (a GPU, a bandwidth-bound model): it pays
    controller = DraftController()
    timed(controller, 0.010, 0.0005, drafted=4, accepted=2, steps=3 * speculative.PROBE_STEPS)
    assert controller.active


def test_verifies_that_keep_nothing_never_pay_even_when_as_cheap_as_a_decode():
    # a tiny model: a verify batch costs what one decode costs (timer noise either way); nothing kept is no gain
    controller = DraftController()
    timed(controller, 0.010, 0.0, drafted=2, accepted=0, steps=speculative.TIMED_PROBE_STEPS)
    assert not controller.active


def test_the_draft_length_is_capped_where_expected_tokens_per_second_peak():
    costly = DraftController(draft_max=16)
    timed(costly, 0.010, 0.004, drafted=6, accepted=4, steps=3)  # a = 0.67, each draft token +40% of a decode
    cheap = DraftController(draft_max=16)
    timed(cheap, 0.010, 0.0002, drafted=6, accepted=4, steps=3)  # the same acceptance, batch tokens ~free
    assert costly.cost_cap() == 2 and costly.n_draft <= 2
    assert cheap.cost_cap() >= 6  # 7: past that, the tokens a 2-in-3 acceptance still adds are too few
    assert DraftController().cost_cap() == speculative.DRAFT_MAX  # nothing measured yet: no cap


@pytest.fixture(autouse=True)
def _sharp_ties(monkeypatch):
    """Random weights give small, close logits: judge near ties at a finer gap than a real model needs."""
    from desktop_app.core.llm import samplers as samplers_module

    monkeypatch.setattr(samplers_module, "NEAR_TIE_LOGITS", 1e-4)


def _engine(path, spec: bool) -> LlamaEngine:
    engine = LlamaEngine()
    engine.load(path, LoadOptions(n_ctx=512, n_threads=1))
    engine.speculative = spec
    # every timed decode, one token or a batch, takes 5 ms on this clock: a verify then pays exactly when it keeps
    # a draft token, whatever the machine's load (a GPU-like cost; the real CPU's costs are for the benchmarks)
    engine.decode_clock = itertools.count(0.0, 0.005).__next__
    return engine


@pytest.fixture
def engines(tiny_gguf):
    plain, fast = _engine(tiny_gguf, False), _engine(tiny_gguf, True)
    yield plain, fast
    plain.close()
    fast.close()


def test_greedy_output_and_accounting_with_drafts(engines):
    plain, fast = engines
    accepted = 0
    for text in PROMPTS:
        expected = plain.chat([ChatMessage("user", text)], GREEDY)
        result = fast.chat([ChatMessage("user", text)], GREEDY)
        assert result.text == expected.text, text
        stats = result.stats
        assert stats.speculative and not expected.stats.speculative
        assert stats.completion_tokens == expected.stats.completion_tokens == GREEDY.max_tokens
        assert 0 <= stats.accepted_tokens <= stats.draft_tokens
        assert expected.stats.tokens_per_step == pytest.approx(1.0)
        accepted += stats.accepted_tokens
    assert accepted > 0  # the drafts were exercised, not only switched off


class _ScriptedDrafter:
    """Drafts from a known reply (right) or its tokens shifted by one (always wrong)."""

    def __init__(self, prompt_len: int, reply: list[int], wrong: bool):
        self.prompt_len, self.reply, self.wrong = prompt_len, reply, wrong

    def draft(self, history, n_draft):
        done = len(history) - self.prompt_len
        tokens = self.reply[done : done + n_draft]
        return [t + 1 for t in tokens] if self.wrong else tokens


def _scripted(monkeypatch, engine, prompt, wrong):
    from desktop_app.core.llm import verifier as verifier_module

    tokens, _ = engine.fit_messages(prompt, 0)
    engine.speculative = False
    reply = engine.chat(prompt, GREEDY)
    engine.speculative = True
    reply_tokens = engine._cached_tokens[len(tokens) :]  # the cache holds prompt + every reply token
    assert len(reply_tokens) == GREEDY.max_tokens
    monkeypatch.setattr(verifier_module, "PromptLookupDrafter", lambda: _ScriptedDrafter(len(tokens), reply_tokens, wrong))
    engine._cached_tokens = []
    return reply, engine.chat(prompt, GREEDY)


def test_right_drafts_are_counted_as_accepted(engines, monkeypatch):
    _, fast = engines
    plain, result = _scripted(monkeypatch, fast, [ChatMessage("user", "the capital of France is")], wrong=False)
    stats = result.stats
    assert result.text == plain.text
    assert stats.draft_tokens > 0 and stats.accepted_tokens >= 0.8 * stats.draft_tokens
    assert stats.decode_steps == stats.completion_tokens - stats.accepted_tokens
    assert stats.tokens_per_step == pytest.approx(stats.completion_tokens / stats.decode_steps)
    assert stats.tokens_per_step > 2


def test_wrong_drafts_are_rolled_back_and_switch_drafting_off(engines, monkeypatch):
    _, fast = engines
    plain, result = _scripted(monkeypatch, fast, [ChatMessage("user", "hello of is")], wrong=True)
    stats = result.stats
    assert result.text == plain.text
    assert stats.accepted_tokens == 0 and stats.tokens_per_step == pytest.approx(1.0)
    # each verify drafts at least DRAFT_MIN tokens; the engine times its decodes (on the test clock), so after
    # TIMED_PROBE_STEPS verifies that kept nothing no more drafts are tried
    assert speculative.TIMED_PROBE_STEPS * speculative.DRAFT_MIN <= stats.draft_tokens
    assert stats.draft_tokens <= speculative.TIMED_PROBE_STEPS * speculative.DRAFT_START


def _continue(engine: LlamaEngine, extra: list[int], spec: bool):
    """Generate after what the cache holds plus ``extra``: the prefix is reused, not decoded again."""
    engine.speculative = spec
    with engine._exclusive():
        return engine._generate(engine._cached_tokens + extra, GREEDY, None, None, ())


def test_rejected_drafts_leave_no_trace_in_the_cache(engines):
    """Later generations reuse the cache a speculative reply left: they must match a plain engine's."""
    plain, fast = engines
    first = [ChatMessage("user", "x y z x y z x y")]
    plain.speculative, fast.speculative = False, True
    a, b = plain.chat(first, GREEDY), fast.chat(first, GREEDY)
    assert a.text == b.text
    assert b.stats.draft_tokens > b.stats.accepted_tokens  # some drafts were rejected and rolled back
    assert fast._cached_tokens == plain._cached_tokens
    extra = fast.tokenize(" the capital of France is")
    for spec in (True, False):  # the next reply, drafting or not, sees only the kept tokens
        after_plain, after_fast = _continue(plain, extra, False), _continue(fast, extra, spec)
        assert after_fast.stats.cached_tokens == after_plain.stats.cached_tokens > len(fast._cached_tokens) // 2
        assert after_fast.text == after_plain.text


SAMPLED = SamplingParams(temperature=0.8, seed=3, max_tokens=64, ignore_eos=True)


def test_sampled_replies_draft_and_count_what_the_chain_kept(engines, monkeypatch):
    """Drafts of the reply the same seed gave without drafting: the chain draws the same tokens on (nearly)
    the same logits, so most drafts are kept, and the counts add up as for greedy replies."""
    from desktop_app.core.llm import verifier as verifier_module

    _, fast = engines
    prompt = [ChatMessage("user", "the capital of France is")]
    tokens, _ = fast.fit_messages(prompt, 0)
    fast.speculative = False
    plain = fast.chat(prompt, SAMPLED)
    reply_tokens = fast._cached_tokens[len(tokens) :]
    fast.speculative, fast._cached_tokens = True, []
    monkeypatch.setattr(verifier_module, "PromptLookupDrafter", lambda: _ScriptedDrafter(len(tokens), reply_tokens, False))
    stats = fast.chat(prompt, SAMPLED).stats
    assert stats.speculative and stats.completion_tokens == plain.stats.completion_tokens == SAMPLED.max_tokens
    assert stats.draft_tokens > 0 and stats.accepted_tokens >= 0.5 * stats.draft_tokens
    assert stats.decode_steps == stats.completion_tokens - stats.accepted_tokens
    assert stats.tokens_per_step == pytest.approx(stats.completion_tokens / stats.decode_steps) and stats.tokens_per_step > 1.5


def test_sampled_replies_reject_wrong_drafts(engines, monkeypatch):
    """Drafts of tokens the chain never draws (shifted ids) are all rejected: no draw is kept for them."""
    from desktop_app.core.llm import verifier as verifier_module

    _, fast = engines
    prompt = [ChatMessage("user", "hello of is")]
    tokens, _ = fast.fit_messages(prompt, 0)
    fast.speculative = False
    fast.chat(prompt, SAMPLED)
    reply_tokens = fast._cached_tokens[len(tokens) :]
    fast.speculative, fast._cached_tokens = True, []
    monkeypatch.setattr(verifier_module, "PromptLookupDrafter", lambda: _ScriptedDrafter(len(tokens), reply_tokens, True))
    stats = fast.chat(prompt, SAMPLED).stats
    assert stats.speculative and stats.draft_tokens >= speculative.TIMED_PROBE_STEPS * speculative.DRAFT_MIN
    assert stats.accepted_tokens <= 2 and stats.tokens_per_step < 1.1  # a shifted id is drawn only by chance


def test_grammar_constrained_replies_do_not_draft(engines):
    _, fast = engines
    sampling = SamplingParams(temperature=0.8, seed=3, max_tokens=16)
    result = fast.chat([ChatMessage("user", "x y z x y z")], sampling, grammar='root ::= ("x" | " y" | " z")+')
    assert not result.stats.speculative and result.stats.draft_tokens == 0


def test_near_ties_are_left_to_one_token_decodes(engines, monkeypatch):
    """Every verified position counts as a near tie: the drafts' cache entries are dropped, the token
    decoded again on its own, and the reply and what follows it are the plain ones."""
    from desktop_app.core.llm import samplers as samplers_module

    plain, fast = engines
    prompt = [ChatMessage("user", "the capital of France is")]
    expected = plain.chat(prompt, GREEDY)
    monkeypatch.setattr(samplers_module, "NEAR_TIE_LOGITS", 1e9)
    _, result = _scripted(monkeypatch, fast, prompt, wrong=False)
    assert result.text == expected.text
    assert result.stats.draft_tokens > 0 and result.stats.accepted_tokens == 0
    extra = fast.tokenize(" hello")
    assert _continue(fast, extra, False).text == _continue(plain, extra, False).text
