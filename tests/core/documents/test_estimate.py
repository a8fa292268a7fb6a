"""What a reading job will cost, known before it starts: sampled tokens, parts and time, close to the full plan,
and a job past LONG_JOB_SECONDS is started only after a yes."""

from __future__ import annotations

import pytest
from document_factory import english_paragraphs
from gguf_factory import write_tiny_llama

from desktop_app.core.documents import estimate as estimate_module
from desktop_app.core.documents.ask import DocumentQuestion
from desktop_app.core.documents.evidence import MAX_CANDIDATES
from desktop_app.core.documents.estimate import JobEstimate, LongJobDeclined, check_cost, count_tokens, estimate_tokens
from desktop_app.core.documents.extract import DocumentExtraction
from desktop_app.core.documents.load import document_from_text
from desktop_app.core.documents.summarize import DocumentSummarizer, Throughput
from desktop_app.core.llm.tokenizer import LlamaTokenizer


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    path = write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-2k.gguf", context_length=2048)
    with LlamaTokenizer(path, n_ctx=2048) as tokenizer:
        yield tokenizer


class Counting:
    """The tokenizer, recording how many characters each count was asked for."""

    def __init__(self, tokenizer):
        self.tokenizer, self.sizes = tokenizer, []

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)

    def count_tokens(self, text: str) -> int:
        self.sizes.append(len(text))
        return self.tokenizer.count_tokens(text)


@pytest.fixture(scope="module")
def long_document():
    return document_from_text("\n\n".join(english_paragraphs(900)), "millbrook.txt")  # 358 KB: sampled, not counted


def test_sampled_tokens_are_close_to_the_exact_count_and_never_count_the_whole_text(tokenizer, long_document):
    counting = Counting(tokenizer)
    sampled = estimate_tokens(counting, long_document.text)
    exact = tokenizer.count_tokens(long_document.text)
    assert abs(sampled - exact) / exact < 0.03
    assert max(counting.sizes) <= 32 * 1024 and len(counting.sizes) == 8


def test_an_exact_count_of_a_long_text_goes_piece_by_piece(tokenizer, long_document):
    text = long_document.text * 4  # 1.4 MB: two pieces, so memory holds one piece's tokens at a time
    counting = Counting(tokenizer)
    counted = count_tokens(counting, text)
    assert max(counting.sizes) == 1024 * 1024 and len(counting.sizes) == 2
    assert abs(counted - tokenizer.count_tokens(text)) <= 1  # a cut can split one token in two


def test_a_summarys_estimate_matches_its_plan_without_planning(tokenizer, long_document, monkeypatch):
    summarizer = DocumentSummarizer(tokenizer, long_document)
    speed = Throughput.assumed(tokenizer.info, 2)
    planned = summarizer.plan()
    monkeypatch.setattr("desktop_app.core.documents.summarize.split_into_chunks", lambda *a, **k: pytest.fail("planned"))
    estimate = DocumentSummarizer(tokenizer, long_document).estimate(speed)
    assert estimate.job == "summarize" and abs(estimate.parts - planned.parts) / planned.parts < 0.05
    assert abs(estimate.seconds - planned.estimate_seconds(speed)) / planned.estimate_seconds(speed) < 0.05


def test_ask_and_extract_estimates_count_every_part(tokenizer, long_document):
    speed = Throughput.assumed(tokenizer.info, 2)
    question = DocumentQuestion(tokenizer, long_document, "What did the council spend?", thorough=True)
    estimate = question.estimate(speed)
    assert estimate.job == "ask" and abs(estimate.parts - len(question.chunks())) / len(question.chunks()) < 0.05
    # asked as it is by default, only the passages that share the question's words are read
    ranked = DocumentQuestion(tokenizer, long_document, "What did the council spend?").estimate(speed)
    assert 1 <= ranked.parts <= MAX_CANDIDATES and ranked.seconds < estimate.seconds / 10
    extraction = DocumentExtraction(tokenizer, long_document, "date, amount")
    assert abs(extraction.estimate(speed).parts - len(extraction.chunks())) / len(extraction.chunks()) < 0.05


def test_a_long_job_is_asked_about_and_refused_without_a_yes(tokenizer, monkeypatch):
    document = document_from_text("The bridge opened in May.", "short.txt")
    asked = []
    job = DocumentSummarizer(tokenizer, document)
    check_cost(job, Throughput.assumed(tokenizer.info, 2), asked.append)
    assert asked == []  # seconds: nobody is asked
    monkeypatch.setattr(estimate_module, "LONG_JOB_SECONDS", 0)
    check_cost(job, Throughput.assumed(tokenizer.info, 2), asked.append)
    assert len(asked) == 1 and asked[0].long

    def refuse(estimate):
        raise LongJobDeclined(estimate, "run it again with --yes.")

    with pytest.raises(LongJobDeclined, match=r"^This summary would read about \d+ tokens in 1 part\(s\) and take about"):
        check_cost(job, Throughput.assumed(tokenizer.info, 2), refuse)


@pytest.mark.parametrize("seconds, words", [(40, "about 1 minute"), (45 * 60, "about 45 minutes"), (17.3 * 3600, "about 17 hours"),
                                            (325 * 3600, "about 14 days")])
def test_long_waits_are_said_in_the_words_people_plan_with(seconds, words):
    sentence = JobEstimate("x.txt", "ask", 12_641_709, 3706, seconds).sentence()
    assert sentence == (f"This answer would read about 12,641,709 tokens in 3,706 part(s) and take {words} on this "
                        "computer (estimated)")
