"""Prompt-lookup speculative decoding: draft the next tokens by finding the last few tokens earlier in
the prompt or the reply, and let one batched decode check the whole draft.

Summaries, answers about a document and extractions copy spans of their input, so the tokens that
followed an earlier occurrence of the current n-gram are often the ones the model writes next (the
technique of llama.cpp's ``lookup`` example and llama-cpp-python's ``LlamaPromptLookupDecoding``).
Under greedy decoding a draft token is kept only while it equals the argmax at its position, so the
output is the plain greedy output; under sampling only while the reply's sampler draws it (verifier.py's
verifier.py's DraftVerifier says why that keeps the distribution). The gain is several tokens per decode when drafts hold.
"""

from __future__ import annotations

from dataclasses import dataclass

NGRAM_MAX = 3  # longest n-gram looked up; longer matches are tried first
NGRAM_MIN = 2  # a single repeated token predicts too little to pay for a batched decode
DRAFT_MIN = 2
DRAFT_START = 2  # a failed verify of b tokens can cost ~b decodes on a CPU: start short, double while drafts hold
DRAFT_MAX = 16
PROBE_STEPS = 12  # verify steps before the acceptance rate can switch drafting off
TIMED_PROBE_STEPS = 3  # with timings, fewer: a verify that keeps nothing costs more than a decode, measurably
MIN_ACCEPTED_PER_STEP = 0.6  # untimed: below this many accepted draft tokens per verify, drafting costs more than it saves


class PromptLookupDrafter:
    """n-gram index over the token history (prompt and reply), grown as tokens are added."""

    def __init__(self, ngram_max: int = NGRAM_MAX, ngram_min: int = NGRAM_MIN):
        self._sizes = range(ngram_max, ngram_min - 1, -1)
        self._index: dict[int, dict[tuple, int]] = {n: {} for n in self._sizes}
        self._indexed = 0  # n-grams ending (exclusive) at positions below this are indexed

    def draft(self, history: list[int], n_draft: int) -> list[int]:
        """The tokens that followed the latest earlier occurrence of the longest matching suffix."""
        length = len(history)
        # index every n-gram whose continuation exists (ends before the last token), most recent wins
        for end in range(max(self._indexed, 1), length):
            for n in self._sizes:
                if end >= n:
                    self._index[n][tuple(history[end - n : end])] = end
        self._indexed = max(self._indexed, length)
        for n in self._sizes:
            if length < n:
                continue
            end = self._index[n].get(tuple(history[length - n :]))
            if end is not None:
                return history[end : min(end + n_draft, length)]
        return []


@dataclass
class DraftStats:
    steps: int = 0  # batched verify decodes
    drafted: int = 0
    accepted: int = 0


class DraftController:
    """Adapts the draft length to recent acceptance and to what a batched decode costs on this machine, and
    switches drafting off when it does not pay.

    A verify decode of b tokens costs more than a one-token decode, by how much depends on the hardware: on a
    2-core CPU with a 135M model nearly in proportion (9.4 ms for 1 token, 24.7 for 5, 79.9 for 17), on a GPU
    or with a model bound by memory bandwidth hardly at all. With timings (``record(..., seconds)`` and
    ``one_token``) the draft length is capped where the expected tokens per second peak, and drafting stops
    when verifies have made fewer tokens per second than one-token decodes; without them (no clock in unit
    tests), the accepted tokens per verify decide.
    """

    def __init__(self, draft_max: int = DRAFT_MAX):
        self.draft_max = draft_max
        self.n_draft = min(DRAFT_START, draft_max)
        self.active = True
        self.stats = DraftStats()
        self._recent: list[tuple[int, float | None]] = []  # (tokens made, seconds) of the last PROBE_STEPS verifies
        self._single_s: float | None = None  # one-token decode time (moving average)
        self._extra_s: float | None = None  # what each further token of a verify batch adds (moving average)

    @property
    def measured(self) -> bool:
        """A one-token decode has been timed (the engine decodes one before drafting, to judge drafts by)."""
        return self._single_s is not None

    def one_token(self, seconds: float) -> None:
        """A plain one-token decode took ``seconds``."""
        self._single_s = seconds if self._single_s is None else 0.8 * self._single_s + 0.2 * seconds

    def record(self, drafted: int, accepted: int, seconds: float | None = None) -> None:
        """A verify decode of the last token and ``drafted`` draft tokens kept ``accepted`` of them."""
        self.stats.steps += 1
        self.stats.drafted += drafted
        self.stats.accepted += accepted
        if seconds is not None and self._single_s is not None and drafted:
            extra = max(0.0, seconds - self._single_s) / drafted
            self._extra_s = extra if self._extra_s is None else 0.8 * self._extra_s + 0.2 * extra
        if accepted == drafted:
            self.n_draft = min(self.draft_max, self.n_draft * 2)
        else:
            self.n_draft = max(DRAFT_MIN, min(self.n_draft, accepted + 2))
        self.n_draft = min(self.n_draft, self.cost_cap())
        self._recent.append((accepted + 1, seconds))
        if len(self._recent) > PROBE_STEPS:
            self._recent.pop(0)
        timed = self._single_s is not None and all(s is not None for _, s in self._recent)
        if len(self._recent) >= (TIMED_PROBE_STEPS if timed else PROBE_STEPS) and not self._pays():
            self.active = False

    def cost_cap(self) -> int:
        """The draft length with the most expected tokens per second, for this reply's acceptance rate so
        far (each draft token kept with probability a: 1 + a + ... + a^n tokens per verify of n + 1)."""
        if self._single_s is None or self._extra_s is None or not self.stats.drafted:
            return self.draft_max
        a = min(0.99, self.stats.accepted / self.stats.drafted)
        def rate(n: int) -> float:
            return (1 - a ** (n + 1)) / (1 - a) / (self._single_s + self._extra_s * n)
        return max(range(DRAFT_MIN, self.draft_max + 1), key=rate)

    def _pays(self) -> bool:
        timed = [(made, s) for made, s in self._recent if s is not None]
        if self._single_s is not None and len(timed) == len(self._recent):
            if all(made == 1 for made, _ in timed):
                return False  # nothing kept: each verify made what a one-token decode makes, never cheaper
            made, seconds = sum(m for m, _ in timed), sum(s for _, s in timed)
            return made / seconds >= 1 / self._single_s
        return sum(m - 1 for m, _ in self._recent) / len(self._recent) >= MIN_ACCEPTED_PER_STEP
