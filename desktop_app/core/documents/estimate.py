"""What a reading job will cost, known in a second or two before it starts: tokens, parts and time.

A 60 MB text is 12.6 million tokens: counting them all took 35 s, and planning its summary took 327 s and
1.8 GB, only to learn that the summary would take 17 hours. The estimate counts a few evenly spread samples
instead and scales by characters; a job past LONG_JOB_SECONDS is started only after the user said yes
(the CLI's --yes, a question in the Documents pane).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop_app.core import texts
from desktop_app.core.errors import HearthError

LONG_JOB_SECONDS = 30 * 60
EXACT_CHARS = 256 * 1024  # below this the whole text is counted
SAMPLES = 8
SAMPLE_CHARS = 32 * 1024
COUNT_PIECE_CHARS = 1024 * 1024  # an exact count of a long text goes piece by piece: a list of 12 M tokens is 0.5 GB


def count_tokens(engine, text: str) -> int:
    """The text's tokens, counted in pieces so memory stays bounded (a cut adds a token at most)."""
    if len(text) <= COUNT_PIECE_CHARS:
        return engine.count_tokens(text)
    return sum(engine.count_tokens(text[i : i + COUNT_PIECE_CHARS]) for i in range(0, len(text), COUNT_PIECE_CHARS))


def estimate_tokens(engine, text: str) -> int:
    """Exact for a short text; for a long one, the token rate of SAMPLES evenly spread samples times its length."""
    if len(text) <= EXACT_CHARS:
        return engine.count_tokens(text)
    step = (len(text) - SAMPLE_CHARS) / (SAMPLES - 1)
    starts = [int(i * step) for i in range(SAMPLES)]
    counted = sum(engine.count_tokens(text[s : s + SAMPLE_CHARS]) for s in starts)
    return math.ceil(counted / (SAMPLES * SAMPLE_CHARS) * len(text))


def parts_for(tokens: int, chunk_tokens: int) -> int:
    """How many chunks of ``chunk_tokens`` (each repeating a twentieth of the one before) hold ``tokens``."""
    overlap = max(16, chunk_tokens // 20)
    return max(1, math.ceil(max(0, tokens - overlap) / max(1, chunk_tokens - overlap)))


JOBS = {"summarize": texts.translate("DocumentEstimate", "This summary"),
        "ask": texts.translate("DocumentEstimate", "This answer"),
        "extract": texts.translate("DocumentEstimate", "This extraction")}


@dataclass(frozen=True)
class JobEstimate:
    document: str
    job: str  # "summarize", "ask" or "extract"
    tokens: int
    parts: int
    seconds: float
    measured: bool = False  # the speed was measured on this computer, not assumed from the model's size

    @property
    def long(self) -> bool:
        return self.seconds > LONG_JOB_SECONDS

    def sentence(self) -> str:
        """"This summary would read about 12,641,709 tokens in 3,706 part(s) and take about 17 hours on this
        computer (estimated)"."""
        basis = texts.translate("DocumentEstimate", "measured") if self.measured else texts.translate("DocumentEstimate", "estimated")
        return texts.translate(
            "DocumentEstimate", "{job} would read about {tokens:,} tokens in {parts:,} part(s) and take {time} on this "
                                "computer ({basis})").fill(
            job=JOBS.get(self.job, JOBS["summarize"]), tokens=self.tokens, parts=self.parts, time=spoken(self.seconds),
            basis=basis)


def spoken(seconds: float) -> str:
    """'about 40 minutes', 'about 17 hours', 'about 14 days': a long wait in the words people plan with."""
    minutes = seconds / 60
    if minutes < 1.5:
        return texts.translate("DocumentEstimate", "about 1 minute")
    if minutes < 90:
        return texts.translate("DocumentEstimate", "about {n:,} minutes").fill(n=max(1, round(minutes)))
    if minutes < 48 * 60:
        return texts.translate("DocumentEstimate", "about {n:,} hours").fill(n=round(minutes / 60))
    return texts.translate("DocumentEstimate", "about {n:,} days").fill(n=round(minutes / 60 / 24))


class LongJobDeclined(HearthError):
    """A job past LONG_JOB_SECONDS that nobody agreed to start."""

    def __init__(self, estimate: JobEstimate, how: str):
        self.estimate = estimate
        super().__init__(texts.translate("DocumentEstimate", "{estimate}; it was not started: {how}").fill(
            estimate=estimate.sentence(), how=how))


def check_cost(job, speed, confirm) -> None:
    """``confirm(estimate)`` is asked before a job past LONG_JOB_SECONDS and raises LongJobDeclined to refuse it;
    ``job``: a DocumentSummarizer, DocumentQuestion or DocumentExtraction. No ``confirm``: no check."""
    if confirm is None:
        return
    estimate = job.estimate(speed)
    if estimate.long:
        confirm(estimate)
