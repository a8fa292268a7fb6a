"""Ask finds by the question's words first and answers only what its passages say (issue 21, part 1).

Scripted replies on the tiny GGUF's tokenizer decide what the "model" says, so each test checks what Hearth
does with it: which passages it offers first, when it stops, what it shows when the model finds nothing, and
which written sentences it removes. The slow test asks the real default model a subset of the grounding set.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from document_factory import english_paragraphs, grounding_set, write_cjk_pdf, write_pdf, wrap_cjk
from gguf_factory import write_tiny_llama

from desktop_app.core.documents.ask import MARKER, DocumentQuestion, answer_sentences
from desktop_app.core.documents.grounding import Evidence, check_sentence
from desktop_app.core.documents.load import load_document
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.types import GenerationResult, GenerationStats, LoadOptions, StopReason

BOAT = "The harbour master's own boat is called Aurelia Seven."
BOILER = "The library plans to replace the boiler in 2024 at an estimated cost of 90,000 dollars."


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory):
    path = write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-2k.gguf", context_length=2048)
    engine = LlamaEngine()
    engine.load(path, LoadOptions(n_ctx=2048, n_threads=2, check_memory=False))
    yield engine
    engine.close()


class ScriptedEngine:
    """The tiny engine's tokenizer and context; ``reply(prompt, n)`` says what the model writes."""

    def __init__(self, engine, reply):
        self.engine, self.reply = engine, reply
        self.prompts: list[str] = []
        self.grammars: list[str | None] = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def chat(self, messages, sampling=None, on_text=None, cancel=None, grammar=None):
        self.prompts.append(messages[-1].content)
        self.grammars.append(grammar)
        text = self.reply(messages[-1].content, len(self.prompts))
        return GenerationResult(text, GenerationStats(prompt_tokens=10, completion_tokens=5, stop_reason=StopReason.STOP))


def choices(engine) -> list[str]:
    """The sentences the last grammar allowed (after NONE)."""
    return [c for c in choices_of(engine.grammars[-1]) if c != "NONE"]


def harbour_pdf(tmp_path, extra: dict[int, str] | None = None):
    """The issue's 40 pages: "harbour" on every tenth page and in many filler sentences, the boat on page 37."""
    texts = english_paragraphs(40, sentences=4)
    texts[36] += " " + BOAT
    for page, sentence in (extra or {}).items():
        texts[page - 1] += " " + sentence
    return load_document(write_pdf(tmp_path / "harbour.pdf", texts))


def quote_or_none(engine, wanted: str, merged: str):
    """The wanted sentence where the grammar offers it, else NONE; ``merged`` for the answer (the call without one)."""
    return lambda prompt, n: merged if engine.grammars[-1] is None else (wanted if wanted in choices(engine) else "NONE")


def test_page_37_of_40_is_offered_first_and_reading_stops_at_its_answer(tiny_engine, tmp_path):
    document = harbour_pdf(tmp_path)
    engine = ScriptedEngine(tiny_engine, None)
    engine.reply = quote_or_none(engine, BOAT, "The harbour master's boat is called Aurelia Seven [1].")
    result = DocumentQuestion(engine, document, "What is the harbour master's boat called?").run()
    assert BOAT in choices_of(engine.grammars[0])  # the first reading is the passage on page 37
    assert result.llm_calls == 2 and not result.thorough  # its window, then the answer: 38 pages never sent
    assert result.coverage.read <= 3 and result.coverage.total == 40
    assert result.answered and [c.location.label for c in result.citations] == ["page 37"]
    assert result.answer == "The harbour master's boat is called Aurelia Seven [1]." and result.unsupported == 0


def choices_of(grammar: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', grammar)


def test_a_strong_passage_the_model_says_none_to_is_shown_not_hidden(tiny_engine, tmp_path):
    document = harbour_pdf(tmp_path)
    engine = ScriptedEngine(tiny_engine, lambda p, n: "NONE")
    result = DocumentQuestion(engine, document, "What is the harbour master's boat called?").run()
    assert not result.answered and result.citations == [] and not result.thorough
    assert [c.passage.where for c in result.candidates] == ["page 37"] and result.candidates[0].strong
    assert result.answer.endswith("The passages below share its words.")
    assert f"- page 37: {BOAT}" in result.display_text()
    assert result.to_dict()["candidates"][0]["where"] == "page 37"


def test_an_invented_amount_is_removed_and_the_answer_becomes_the_quote(tiny_engine, tmp_path):
    document = harbour_pdf(tmp_path, {12: BOILER})
    engine = ScriptedEngine(tiny_engine, None)
    invented = "The library plans to replace the boiler in 2024 at an estimated cost of $1.5 million [1]."
    engine.reply = quote_or_none(engine, BOILER, invented)
    result = DocumentQuestion(engine, document, "How much did the boiler replacement cost?").run()
    assert result.unsupported == 1 and result.quoted and result.answered
    assert result.answer == f"“{BOILER}” [1]" and [c.location.label for c in result.citations] == ["page 12"]
    assert "1.5" not in result.display_text()
    assert result.to_dict()["unsupported_sentences_removed"] == 1 and result.to_dict()["answer_is_quotes"]
    assert "1 sentence(s) of the written answer said what the cited passages do not" in result.display_text()


def test_a_supported_sentence_stays_beside_a_removed_one(tiny_engine, tmp_path):
    document = harbour_pdf(tmp_path, {12: BOILER})
    engine = ScriptedEngine(tiny_engine, None)
    written = "The boiler replacement will cost 90,000 dollars [1]. It was approved on 2 February 2024 [1]."
    engine.reply = quote_or_none(engine, BOILER, written)
    result = DocumentQuestion(engine, document, "How much did the boiler replacement cost?").run()
    assert result.answer == "The boiler replacement will cost 90,000 dollars [1]." and result.unsupported == 1
    assert not result.quoted


def test_a_chinese_question_finds_its_planted_page_in_a_wrapped_chinese_pdf(tiny_engine, tmp_path):
    filler = "镇议会在会议上讨论了预算！居民们提出了很多问题；最后大家同意了这个方案。" * 6
    fact = "港务长自己的船叫做“极光七号”。"
    pages = [wrap_cjk(filler) for _ in range(12)]
    cut = filler.index("。", 80) + 1  # after a sentence, 80 characters in: the fact wraps across two lines
    pages[8] = wrap_cjk(filler[:cut] + fact + filler[cut:])
    document = load_document(write_cjk_pdf(tmp_path / "zh.pdf", pages))
    engine = ScriptedEngine(tiny_engine, None)
    engine.reply = quote_or_none(engine, fact, "这就是我们提到在文档中找出来说明的东西太害。")  # the 135M model's Chinese
    result = DocumentQuestion(engine, document, "港务长的船叫什么名字？").run()
    assert [c.location.label for c in result.citations] == ["page 9"] and result.llm_calls == 2
    assert not result.thorough and result.coverage.read <= 3  # found by BM25 over pairs of characters, not by reading all
    assert result.quoted and result.answer == f"“{fact}” [1]" and result.unsupported == 1


# the real default model


@pytest.mark.slow
def test_real_model_finds_planted_facts_and_states_nothing_their_passages_do_not(real_engine, tmp_path):
    questions = grounding_set(tmp_path, english=1, chinese=1, pages=12, chinese_pages=8)
    subset = questions[:3] + questions[8:10]  # three English, two Chinese: names, amounts, dates
    documents = {}
    for item in subset:
        document = documents.setdefault(item["path"], load_document(item["path"]))
        result = DocumentQuestion(real_engine, document, item["question"]).run()
        print(f"\n{item['question']} -> {result.answer!r} {[c.location.label for c in result.citations]} "
              f"{result.seconds:.1f} s, {result.llm_calls} calls")
        assert item["page"] in [c.location.page for c in result.citations]
        passages = {c.number: c.passage for c in result.citations}
        for sentence in answer_sentences(result.answer):
            cited = "\n".join(passages[int(n)] for n in MARKER.findall(sentence)) or "\n".join(passages.values())
            labels = tuple(c.location.label for c in result.citations) + (document.name,)
            assert check_sentence(sentence, Evidence(cited), item["question"], labels) == [], sentence


def test_a_long_documents_private_index_is_a_temporary_file_removed_after(monkeypatch):
    from desktop_app.core.documents import evidence
    from desktop_app.core.documents.load import document_from_text

    monkeypatch.setattr(evidence, "IN_MEMORY_CHARS", 10)  # "long" from ten characters on
    document = document_from_text(f"Filler about the town hall. {BOAT} The bridge is old.", "x.txt")
    ranking = evidence.PassageRanking(document, "What is the harbour master's boat called?")
    folder = Path(ranking._folder.name)
    assert (folder / "ranking.db").is_file() and ranking.index.store.path == folder / "ranking.db"
    assert [c.passage.text for c in ranking.candidates()] == [document.text] and ranking.candidates()[0].strong
    ranking.close()
    assert not folder.exists()
