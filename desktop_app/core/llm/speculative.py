"""Prompt-lookup speculative decoding: draft the next tokens by finding the last few tokens earlier in
the prompt or the reply, and let one batched decode check the whole draft.

Summaries, answers about a document and extractions copy spans of their input, so the tokens that
followed an earlier occurrence of the current n-gram are often the ones the model writes next (the
technique of llama.cpp's ``lookup`` example and llama-cpp-python's ``LlamaPromptLookupDecoding``).
Under greedy decoding a draft token is kept only while it equals the argmax at its position, so the
output is the plain greedy output; under sampling only while the reply's sampler draws it (engine.py's
_DraftVerifier says why that keeps the distribution). The gain is several tokens per decode when drafts hold.
"""

from __future__ import annotations

from dataclasses import dataclass

NGRAM_MAX = 3  # longest n-gram looked up; longer matches are tried first
NGRAM_MIN = 2  # a single repeated token predicts too little to pay for a batched decode
DRAFT_MIN = 2
DRAFT_START = 6
DRAFT_MAX = 16
PROBE_STEPS = 12  # verify steps before the acceptance rate can switch drafting off
MIN_ACCEPTED_PER_STEP = 0.6  # below this many accepted draft tokens per verify, drafting costs more than it saves


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
    """Adapts the draft length to recent acceptance and switches drafting off when it does not pay."""

    def __init__(self, draft_max: int = DRAFT_MAX):
        self.draft_max = draft_max
        self.n_draft = min(DRAFT_START, draft_max)
        self.active = True
        self.stats = DraftStats()
        self._recent: list[int] = []  # accepted counts of the last PROBE_STEPS verifies

    def record(self, drafted: int, accepted: int) -> None:
        self.stats.steps += 1
        self.stats.drafted += drafted
        self.stats.accepted += accepted
        if accepted == drafted:
            self.n_draft = min(self.draft_max, self.n_draft * 2)
        else:
            self.n_draft = max(DRAFT_MIN, min(self.n_draft, accepted + 2))
        self._recent.append(accepted)
        if len(self._recent) > PROBE_STEPS:
            self._recent.pop(0)
        if len(self._recent) == PROBE_STEPS and sum(self._recent) / PROBE_STEPS < MIN_ACCEPTED_PER_STEP:
            self.active = False
