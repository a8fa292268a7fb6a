"""Chunk boundaries: along structure, within the token budget, never mid-word, with overlap."""

from __future__ import annotations

import re

import pytest
from document_factory import chinese_paragraphs, english_paragraphs

from desktop_app.core.documents.chunking import chunk_budget, split_into_chunks


def count_words(text: str) -> int:
    """A stand-in tokenizer: one token per word, one per CJK character or punctuation mark."""
    return len(re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", text))


def assert_word_boundaries(text: str, chunks) -> None:
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        before = text[chunk.start - 1] if chunk.start else " "
        after = text[chunk.end] if chunk.end < len(text) else " "
        assert not (before.isalnum() and chunk.text[0].isalnum()), f"chunk {chunk.index} starts mid-word"
        assert not (after.isalnum() and chunk.text[-1].isalnum()), f"chunk {chunk.index} ends mid-word"


def test_chunk_budget_leaves_room_for_prompt_and_answer():
    assert chunk_budget(2048, prompt_tokens=150, answer_tokens=256, margin=32) == 1610


def test_english_chunks_fit_cover_and_overlap():
    paragraphs = english_paragraphs(40)
    text = "\n\n".join(paragraphs)
    chunks = split_into_chunks(text, count_words, max_tokens=200, overlap_tokens=20)
    assert len(chunks) > 5
    assert all(c.tokens <= 200 and c.tokens == count_words(c.text) for c in chunks)
    assert_word_boundaries(text, chunks)
    # every paragraph's sentences appear, in order, and nothing is skipped between chunks
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for previous, chunk in zip(chunks, chunks[1:]):
        assert chunk.start <= previous.end, "a gap between chunks loses text"
        assert chunk.start > previous.start, "no progress"
        assert chunk.overlap_chars == previous.end - chunk.start
    overlapping = [c for c in chunks[1:] if c.overlap_chars > 0]
    assert overlapping, "consecutive chunks share their boundary sentence"
    for chunk in overlapping:
        shared = chunk.text[: chunk.overlap_chars]
        assert count_words(shared) <= 200 // 4
        assert shared.rstrip()[-1] in ".)"  # overlap is whole sentences


def test_chunks_end_at_sentence_ends():
    text = "\n\n".join(english_paragraphs(30))
    for chunk in split_into_chunks(text, count_words, max_tokens=150, overlap_tokens=10):
        assert chunk.text.rstrip()[-1] in ".)", chunk.text[-40:]


def test_headings_start_new_chunks():
    sections = [f"## Section {i}\n\n" + "\n\n".join(english_paragraphs(3, seed=i)) for i in range(8)]
    text = "\n\n".join(sections)
    chunks = split_into_chunks(text, count_words, max_tokens=400, overlap_tokens=20)
    starts = [c for c in chunks if c.text.startswith("## Section")]
    assert len(starts) >= 6
    # no heading is stranded at the end of a chunk
    for chunk in chunks:
        assert not re.search(r"## Section \d+\s*$", chunk.text)
        # a chunk that starts with a heading carries no overlap from the previous section
        if chunk.text.startswith("## "):
            assert chunk.overlap_chars == 0


def test_chinese_splits_at_full_width_sentence_ends():
    text = "\n\n".join(chinese_paragraphs(30))
    chunks = split_into_chunks(text, count_words, max_tokens=120, overlap_tokens=12)
    assert len(chunks) > 4
    assert all(c.tokens <= 120 for c in chunks)
    for chunk in chunks:
        assert chunk.text[-1] in "。！；", chunk.text[-10:]
    assert chunks[-1].end == len(text)


def test_unpunctuated_cjk_run_is_split_between_characters():
    text = "汉" * 500
    chunks = split_into_chunks(text, count_words, max_tokens=64)
    assert all(c.tokens <= 64 for c in chunks)
    assert "".join(c.text for c in chunks) == text


def test_a_sentence_longer_than_a_chunk_is_split_between_words():
    words = [f"word{i}" for i in range(300)]
    text = " ".join(words) + "."
    chunks = split_into_chunks(text, count_words, max_tokens=50)
    assert all(c.tokens <= 50 for c in chunks)
    assert_word_boundaries(text, chunks)
    rebuilt = " ".join(" ".join(c.text.split()) for c in chunks)
    assert rebuilt == text


def test_one_enormous_word_is_cut_to_fit():
    text = "Start. " + "x" * 5000 + " End."
    counter = lambda s: max(1, len(s) // 4) if s.strip() else 0  # noqa: E731 (a byte-pair-ish counter)
    chunks = split_into_chunks(text, counter, max_tokens=100)
    assert all(c.tokens <= 100 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_small_text_is_one_chunk():
    chunks = split_into_chunks("Just one sentence.", count_words, max_tokens=100, overlap_tokens=10)
    assert len(chunks) == 1 and chunks[0].text == "Just one sentence." and chunks[0].overlap_chars == 0


def test_too_small_budget_is_a_programming_error():
    with pytest.raises(ValueError):
        split_into_chunks("Some text.", count_words, max_tokens=4)


@pytest.mark.slow  # loads the real default model
def test_with_the_real_tokenizer(real_engine):
    text = "\n\n".join(english_paragraphs(60) + chinese_paragraphs(20))
    chunks = split_into_chunks(text, real_engine.count_tokens, max_tokens=300, overlap_tokens=30)
    assert all(c.tokens == real_engine.count_tokens(c.text) <= 300 for c in chunks)
    assert_word_boundaries(text, chunks)
    assert chunks[-1].end == len(text)
