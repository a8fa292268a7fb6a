"""Ask and Extract over whole documents: locations, verified citations, limits, grammar, batches, tables.

Most tests script the model's replies on top of a tiny random-weight GGUF (its
tokenizer and context are real), so what is checked is what Hearth does with a
reply: a quote that is not in its chunk is dropped and counted, a marker that
names no passage is removed, a value not in the document never fills a cell.
Two tests let the tiny model itself write under a grammar, which holds only if
the engine really constrains decoding. The slow tests use the real default model.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from document_factory import (
    chinese_paragraphs,
    english_paragraphs,
    write_contracts,
    write_docx,
    write_encrypted_pdf,
    write_pdf,
    write_scanned_pdf,
    write_text,
)

from desktop_app.core.documents.ask import AskError, DocumentQuestion
from desktop_app.core.documents.batch import ask_many, collect_files, extract_many
from desktop_app.core.documents.citations import find_passage, locate
from desktop_app.core.documents.extract import MAX_FIELDS, DocumentExtraction, ExtractError, fields_grammar, money_in, parse_fields
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.documents.load import document_from_text, load_document
from desktop_app.core.documents.reading import gbnf_literal
from desktop_app.core.documents.tables import to_csv, to_json, to_xlsx
from desktop_app.core.llm.types import GenerationResult, GenerationStats, StopReason
from desktop_app.core.storage.store import Store

FACT = "The secret vault code of the town hall is 7291."


class ScriptedEngine:
    """The tiny engine's tokenizer and context, with replies chosen by the test from the prompt."""

    def __init__(self, engine, reply):
        self.engine, self.reply = engine, reply
        self.prompts: list[str] = []
        self.grammars: list[str | None] = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def chat(self, messages, sampling=None, on_text=None, cancel=None, grammar=None):
        prompt = messages[-1].content
        self.prompts.append(prompt)
        self.grammars.append(grammar)
        if cancel is not None and cancel.is_set():
            return GenerationResult("", GenerationStats(stop_reason=StopReason.CANCELLED))
        text = self.reply(prompt, len(self.prompts))
        if on_text is not None:
            on_text(text)
        return GenerationResult(text, GenerationStats(prompt_tokens=10, completion_tokens=5, stop_reason=StopReason.STOP))


def fact_pdf(tmp_path: Path, pages: int = 40, fact_page: int = 37) -> Path:
    texts = english_paragraphs(pages, sentences=4)
    texts[fact_page - 1] += " " + FACT
    return write_pdf(tmp_path / "town.pdf", texts)


def answer_with_fact(prompt: str, _n: int) -> str:
    if prompt.startswith("Passages found"):
        return "The code is 7291 [1]. It was also in passage [9]."
    return FACT if has_fact(prompt) else "NONE"


def ranked_windows(engine) -> list[str]:
    """The prompts that offered a ranked passage's window (shorter than a chunk: a few sentences)."""
    return [p for p in engine.prompts if not p.startswith("Passages") and p.count(". ") < 8]


def has_fact(prompt: str) -> bool:
    return FACT in " ".join(prompt.split())  # PDF text breaks lines where the page wrapped them


# locations


def test_pdf_pages_and_text_lines_are_located(tmp_path):
    pdf = load_document(write_pdf(tmp_path / "three.pdf", ["First page.", "Second page holds the fact.", "Third."]))
    start = pdf.text.index("the fact")
    assert pdf.page_at(start) == 2 and pdf.page_at(0) == 1 and pdf.page_at(len(pdf.text) - 1) == 3
    assert pdf.page_at(pdf.page_starts[1]) == 2 and pdf.page_at(pdf.page_starts[1] - 1) == 1  # a page's first character
    assert locate(pdf, start, start + 8).label == "page 2"
    assert locate(pdf, 0, len(pdf.text)).label == "pages 1-3"
    txt = load_document(write_text(tmp_path / "notes.txt", "\n\nalpha\n\n\n\nbeta line\r\ngamma\n"))
    beta = txt.text.index("beta")
    assert txt.line_at(beta) == 7 and txt.line_at(txt.text.index("gamma")) == 8 and txt.line_at(0) == 3
    assert locate(txt, beta, txt.text.index("gamma") + 3).label == "lines 7-8"
    docx = load_document(write_docx(tmp_path / "report.docx"))
    assert locate(docx, docx.text.index("Bridge"), docx.text.index("Bridge") + 6).label == "Finances"


def test_a_quote_is_found_exactly_loosely_or_not_at_all():
    text = "In year 1950 the council spent 5 pounds (note 0.1). The vault code is 7291. Done."
    assert find_passage(text, "the VAULT  code is 7291") == (text.index("The vault"), text.index("7291") + 4)
    assert find_passage(text, "vault code is 7291 the", offset=100)[0] == 100 + text.index("The vault")
    assert find_passage(text, "The vault code is 1234 and the mayor knows it well") is None
    assert find_passage(text, "..") is None


# Ask


def test_the_answer_cites_the_page_its_passage_is_on_and_bad_markers_are_counted(tiny_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path))
    engine = ScriptedEngine(tiny_engine, answer_with_fact)
    events = []
    result = DocumentQuestion(engine, document, "What is the secret vault code?", thorough=True).run(on_progress=events.append)
    assert [c.location.label for c in result.citations] == ["page 37"]
    assert result.citations[0].passage == FACT and result.answered
    assert "[1]" in result.answer and "[9]" not in result.answer
    assert result.dropped_citations == 1  # the [9] that named no passage
    assert result.coverage.sentence() == "Read 40 of 40 pages" and result.chunks_read == result.chunks > 1
    reads = [e.coverage.read for e in events]
    assert reads[-1] == 40 and events[-1].coverage.total == 40
    # every page was read, but the model only where a sentence holds the question's words: the fact's window,
    # the fact's chunk (the same sentence), and the merge
    grammars = [g for g in engine.grammars if g]
    assert len(grammars) == len(engine.prompts) - 1 == 2
    assert all(g == 'root ::= "NONE" | "The secret vault code of the town hall is 7291."' for g in grammars)


def test_a_quote_that_is_not_in_its_chunk_is_dropped_and_counted(tiny_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path, pages=4, fact_page=2))
    invented = "The vault code is 1234 according to the mayor of the town."
    engine = ScriptedEngine(tiny_engine, lambda p, n: invented if not p.startswith("Passages") else "x")
    result = DocumentQuestion(engine, document, "What is the vault code?", max_chunk_tokens=64).run()
    assert result.findings == [] and result.citations == [] and not result.answered
    assert result.dropped_citations == result.llm_calls >= 1  # every reading quoted what is not there
    assert "does not answer" in result.answer
    # the passage holding the question's words is not hidden: it is shown as a candidate
    assert [c.passage.where for c in result.candidates] == ["page 2"] and FACT in result.display_text()


def test_a_question_no_passage_answers_says_so_without_a_model_call(tiny_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path, pages=6, fact_page=3))
    engine = ScriptedEngine(tiny_engine, lambda p, n: "NONE")
    result = DocumentQuestion(engine, document, "Who won the 1998 football cup?", max_chunk_tokens=96).run()
    assert not result.answered and result.citations == [] and result.thorough  # no strong passage: every page
    assert result.answer == "town.pdf does not answer this question (read 6 of 6 pages)."
    assert engine.prompts == []  # no sentence holds enough of the question's words to be an answer


def test_sentences_sharing_too_little_of_the_question_are_not_offered(tiny_engine, tmp_path):
    """A small model always picks some sentence: the choices are only those that share the question's words."""
    document = load_document(fact_pdf(tmp_path, pages=8, fact_page=5))
    engine = ScriptedEngine(tiny_engine, lambda p, n: "Done [1]" if p.startswith("Passages") else choices(engine)[-1])
    result = DocumentQuestion(engine, document, "What is the secret vault code of the town?", max_chunk_tokens=96,
                              thorough=True).run()
    offered = {c for g in engine.grammars if g for c in re.findall(r'"((?:[^"\\]|\\.)*)"', g)} - {"NONE"}
    assert offered == {FACT}  # "the town" is on every page ("...of Millbrook"): not enough of the question
    assert [c.location.label for c in result.citations] == ["page 5"]


def choices(engine) -> list[str]:
    """The sentences the last grammar allowed (after NONE)."""
    return [c for c in re.findall(r'"((?:[^"\\]|\\.)*)"', engine.grammars[-1]) if c != "NONE"]


def test_cancel_keeps_the_findings_so_far(tiny_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path, pages=10, fact_page=1))
    cancel = threading.Event()

    def reply(prompt, n):
        if n == 5:
            cancel.set()
        return choices(engine)[0]

    engine = ScriptedEngine(tiny_engine, reply)
    result = DocumentQuestion(engine, document, "What did the council spend on the river?", max_chunk_tokens=96,
                              thorough=True).run(cancel=cancel)
    assert result.cancelled and not result.answered and result.llm_calls == 5
    assert result.chunks_read < result.chunks and len(result.findings) >= 1  # the ranked passages come first
    assert result.coverage.read < result.coverage.total == 10


def test_questions_are_checked(tiny_engine):
    document = document_from_text("One sentence here.", "a.txt")
    with pytest.raises(AskError, match="The question is empty"):
        DocumentQuestion(tiny_engine, document, "   ")
    with pytest.raises(AskError, match="the limit is 2000"):
        DocumentQuestion(tiny_engine, document, "why " * 600)


def test_chinese_documents_are_asked_in_chinese(tiny_engine):
    document = document_from_text("\n\n".join(chinese_paragraphs(6)), "zh.txt")
    engine = ScriptedEngine(tiny_engine, lambda p, n: "NONE")
    result = DocumentQuestion(engine, document, "图书馆在哪里？").run()
    assert all("问题：图书馆在哪里？" in p and "请逐字摘录" in p for p in engine.prompts)
    assert result.answer.startswith("《zh.txt》中没有")


class RecordingEngine:
    """The real engine, with each map call's grammar and raw reply kept."""

    def __init__(self, engine):
        self.engine, self.calls = engine, []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def chat(self, messages, sampling=None, on_text=None, cancel=None, grammar=None):
        result = self.engine.chat(messages, sampling, on_text=on_text, cancel=cancel, grammar=grammar)
        self.calls.append((grammar, result.text))
        return result


def test_the_engine_grammar_holds_the_tiny_model_to_the_chunks_sentences(tiny_engine, tmp_path):
    """Random weights write noise unless the grammar constrains them: every reply is NONE or one of its chunk's
    sentences, word for word, and the grammar lets it choose a sentence (not NONE every time)."""
    document = load_document(fact_pdf(tmp_path, pages=3, fact_page=2))
    engine = RecordingEngine(tiny_engine)
    result = DocumentQuestion(engine, document, "What is the vault code?", max_chunk_tokens=96, thorough=True).run()
    mapped = [(grammar, reply) for grammar, reply in engine.calls if grammar is not None]
    assert mapped and len(mapped) <= result.chunks_read == result.chunks
    for grammar, reply in mapped:
        assert reply == "NONE" or f" | {gbnf_literal(reply)}" in grammar, reply
    quoted = [reply for _grammar, reply in mapped if reply != "NONE"]
    assert quoted and result.dropped_citations == 0
    assert all(f.passage in document.text for f in result.findings)
    assert result.chunks_read == result.chunks


# Extract


def test_field_lists_are_parsed_and_limited():
    assert parse_fields("party, start date;end date\n amount，期限、party") == ["party", "start date", "end date", "amount", "期限"]
    with pytest.raises(ExtractError, match=f"200 fields is more than one extraction can fill \\(the limit is {MAX_FIELDS}\\)"):
        parse_fields(",".join(f"field {i}" for i in range(200)))
    with pytest.raises(ExtractError, match="No fields"):
        parse_fields(" , ;")


def test_cells_hold_only_values_found_in_the_document(tiny_engine, tmp_path):
    document = load_document(write_docx(tmp_path / "report.docx"))
    reply = json.dumps({"bridge cost": "1200", "growth": "FOUR PERCENT", "mayor": "John Smith", "outlook": None})
    engine = ScriptedEngine(tiny_engine, lambda p, n: reply)
    row = DocumentExtraction(engine, document, "bridge cost, growth, mayor, outlook").run()
    assert row.value("bridge cost") == "1200" and row.cells["bridge cost"].location.label == "Finances"
    assert row.value("growth") == "four percent"  # as the document writes it
    assert row.cells["growth"].passage == "Millbrook grew by four percent this year."
    assert row.value("mayor") == "" and row.value("outlook") == ""  # invented: dropped; absent: empty
    assert row.dropped_values == 1
    assert engine.grammars[0] == fields_grammar(["bridge cost", "growth", "mayor", "outlook"], document.text)
    assert '"\\"1200\\""' in engine.grammars[0]  # a cost may only be one of the figures the text writes


def test_sums_a_text_writes_are_the_only_choices_for_a_money_field():
    text = "Signed 2025-06-05. The fee is EUR 75,159.00, or $12.5 a day; 90 days notice. Table | 1200 |"
    assert money_in(text) == ["EUR 75,159.00", "75,159.00", "$12.5", "12.5", "90", "1200"]
    grammar = fields_grammar(["total fee", "client"], text)
    assert '"\\"EUR 75,159.00\\""' in grammar and "2025" not in grammar
    assert 'field0-kv ::= "\\"total fee\\"" space ":" space field0' in grammar
    assert "field1 ::= string | null" in grammar


def test_a_number_inside_another_number_is_not_a_match(tiny_engine):
    document = document_from_text("The works ran from 2012 to 2015.", "years.txt")
    engine = ScriptedEngine(tiny_engine, lambda p, n: json.dumps({"amount": "12"}))
    row = DocumentExtraction(engine, document, "amount").run()
    assert row.value("amount") == "" and row.dropped_values == 1


@pytest.mark.parametrize(
    "fields, text",
    [
        (["party", "start date", "amount"], "Acme Ltd signs on 2025-01-02 for EUR 100."),
        (["甲方", "开始日期", "金额"], "甲方是米尔布鲁克公司，合同从2025年1月2日开始，金额为一百元。"),
    ],
)
def test_the_tiny_model_under_the_schema_grammar_returns_a_valid_row(tiny_engine, fields, text):
    """Noise from random weights still parses as an object with exactly the fields: the grammar is applied."""
    document = document_from_text(text, "c.txt")
    replies = []

    class Keep(ScriptedEngine):
        def chat(self, messages, sampling=None, on_text=None, cancel=None, grammar=None):
            result = self.engine.chat(messages, sampling, on_text=on_text, cancel=cancel, grammar=grammar)
            replies.append(result)
            return result

    row = DocumentExtraction(Keep(tiny_engine, None), document, fields).run()
    assert len(replies) == 1
    if replies[0].stats.stop_reason == StopReason.STOP:
        assert list(json.loads(replies[0].text)) == fields
    else:  # cut at the token limit: still a prefix the grammar allows
        assert replies[0].text.replace(" ", "").startswith('{"' + fields[0] + '"')
    assert all(row.value(f) == "" or row.value(f).lower() in document.text.lower() for f in fields)


HOSTILE_FIELDS = ['say "hi"', "{braces}", "back\\slash", "$ref", "type", "properties", "金额"]


def test_field_names_with_quotes_braces_backslashes_and_schema_keywords_reach_the_grammar_escaped(tiny_engine):
    """The tiny model writes under the grammar: llama.cpp must parse it, and every reply key is the field's name."""
    document = document_from_text("Acme Ltd signs on 2025-01-02 for EUR 100. Bob says hi.", "lease.txt")
    replies = []

    class Keep(ScriptedEngine):
        def chat(self, messages, sampling=None, on_text=None, cancel=None, grammar=None):
            result = self.engine.chat(messages, sampling, on_text=on_text, cancel=cancel, grammar=grammar)
            replies.append(result)
            return result

    row = DocumentExtraction(Keep(tiny_engine, None), document, HOSTILE_FIELDS).run()
    assert row.fields == HOSTILE_FIELDS and not row.error and len(replies) == 1
    grammar = fields_grammar(HOSTILE_FIELDS, document.text)
    assert '"\\"say \\\\\\"hi\\\\\\"\\""' in grammar and '"\\"back\\\\\\\\slash\\""' in grammar
    if replies[0].stats.stop_reason == StopReason.STOP:
        assert list(json.loads(replies[0].text)) == HOSTILE_FIELDS


def test_a_reply_keyed_by_hostile_names_fills_their_cells(tiny_engine):
    document = document_from_text('The note says "hi" twice. The type is lease.', "note.txt")
    reply = json.dumps({'say "hi"': "twice", "$ref": None, "type": "lease", "{braces}": None, "back\\slash": None,
                        "properties": None, "金额": None})
    row = DocumentExtraction(ScriptedEngine(tiny_engine, lambda p, n: reply), document, HOSTILE_FIELDS).run()
    assert row.value('say "hi"') == "twice" and row.value("type") == "lease" and row.value("$ref") == ""


def test_fifty_fields_are_read_and_the_fifty_first_is_one_sentence(tiny_engine):
    names = [f"field {i}" for i in range(MAX_FIELDS)]
    document = document_from_text("Acme Ltd signs on 2025-01-02.", "short.txt")
    row = DocumentExtraction(ScriptedEngine(tiny_engine, lambda p, n: "{}"), document, names).run()
    assert row.fields == names and not row.error and row.coverage.read == 1
    with pytest.raises(ExtractError, match=r"^51 fields is more than one extraction can fill \(the limit is 50\)"):
        parse_fields(names + ["one more"])
    with pytest.raises(ExtractError, match="longer than 60 characters"):
        parse_fields(["x" * 61])


# folders, tables, index


def test_a_folder_batch_keeps_going_past_bad_files(tiny_engine, tmp_path):
    folder = tmp_path / "in"
    write_contracts(folder, 3)
    write_scanned_pdf(folder / "scan.pdf")
    write_encrypted_pdf(folder / "locked.pdf")
    (folder / "junk.docx").write_bytes(b"not a zip at all" * 20)
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    files = collect_files([folder])
    assert [f.name for f in files] == ["contract-01.txt", "contract-02.txt", "contract-03.txt", "junk.docx", "locked.pdf", "scan.pdf"]
    engine = ScriptedEngine(tiny_engine, lambda p, n: json.dumps({"client": re.search(r"and (.+?) \(the Client", p).group(1)}))
    streamed = []
    rows = extract_many(engine, files, "client", on_row=streamed.append)
    assert streamed == rows and len(rows) == 6
    assert [r.value("client") for r in rows[:3]] == ["Acme Widgets Ltd", "Borealis Trading GmbH", "Cedar Lane Bakery"]
    assert "not a readable Word document" in rows[3].error
    assert "password-protected" in rows[4].error and "no text layer" in rows[5].error
    csv_text = to_csv(rows, ["client"])
    assert csv_text.splitlines()[0] == "document,client,client (where),read,error"
    assert "contract-01.txt,Acme Widgets Ltd,line 3,Read 1 of 1 parts," in csv_text
    assert json.loads(to_json(rows, ["client"]))["rows"][0]["cells"]["client"]["value"] == "Acme Widgets Ltd"
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(to_xlsx(rows, ["client"]))).active
    assert [c.value for c in sheet[2]][:3] == ["contract-01.txt", "Acme Widgets Ltd", "line 3"]
    asked = ask_many(ScriptedEngine(tiny_engine, lambda p, n: "NONE"), files[2:4], "Who is the client?")
    assert asked[0].result is not None and "not a readable Word document" in asked[1].error


def test_find_in_documents_finds_english_and_chinese_passages_with_their_place(tmp_path):
    store = Store(tmp_path / "hearth.db")
    index = DocumentIndex(store)
    assert index.available
    index.add(load_document(fact_pdf(tmp_path)))
    index.add(document_from_text("\n\n".join(chinese_paragraphs(4)), "town-zh.txt"))
    hits = index.search("vault code")
    assert [(h.document, h.location) for h in hits] == [("town.pdf", "page 37")]
    assert "[vault code]" in hits[0].snippet
    zh = index.search("图书馆")
    assert [h.document for h in zh] == ["town-zh.txt"]
    index.add(load_document(fact_pdf(tmp_path)))  # re-adding replaces, never duplicates
    assert len(index.search("vault code")) == 1 and len(index.documents()) == 2
    assert index.search("ab") == []
    store.close()


# the real default model


@pytest.mark.slow
def test_real_model_answer_cites_page_37_of_40(real_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path))
    for thorough in (False, True):
        result = DocumentQuestion(real_engine, document, "What is the secret vault code of the town hall?",
                                  thorough=thorough).run()
        print(f"\nanswer: {result.answer!r} citations: {[c.location.label for c in result.citations]} "
              f"{result.coverage.sentence()} in {result.seconds:.0f} s, {result.llm_calls} calls")
        assert result.answered and [c.location.label for c in result.citations] == ["page 37"]
        assert "7291" in result.citations[0].passage
        # ranked: the passage's window (a few pages) and the merge; thorough: every page
        assert result.coverage.read == 40 if thorough else result.coverage.read <= 3 and result.llm_calls == 2


@pytest.mark.slow
def test_real_model_says_when_no_document_answers(real_engine, tmp_path):
    document = load_document(fact_pdf(tmp_path, pages=6, fact_page=3))
    result = DocumentQuestion(real_engine, document, "Who won the 1998 football cup final?").run()
    print(f"\nanswer: {result.answer!r}")
    assert not result.answered and result.citations == []
    assert "does not answer" in result.answer


@pytest.mark.slow
def test_real_model_extracts_dates_and_amounts_from_ten_contracts(real_engine, tmp_path):
    contracts = write_contracts(tmp_path / "contracts", 10)
    # "total fee" is what the contracts call it; named "amount", the 135M model picked the notice
    # period ("90") for 4 of 6 contracts in a probe: a model limit, not a copying one
    fields = ["client", "start date", "end date", "total fee"]
    rows = extract_many(real_engine, [p for p, _ in contracts], fields)
    right = {f: 0 for f in fields}
    for row, (_, values) in zip(rows, contracts):
        right["client"] += row.value("client") == values["party"]
        right["start date"] += row.value("start date") == values["start date"]
        right["end date"] += row.value("end date") == values["end date"]
        # the figure is what a copy must get right: "EUR 56,528.00" or "56,528.00"
        right["total fee"] += values["amount"].split()[-1] in row.value("total fee")
    print("\nextraction accuracy per field (of 10): " + ", ".join(f"{f} {n}" for f, n in right.items()))
    print("dropped (not in the document):", sum(r.dropped_values for r in rows))
    assert all(not r.error for r in rows)
    assert right["start date"] >= 8 and right["end date"] >= 8 and right["total fee"] >= 8


def test_extraction_stops_once_every_field_is_found_and_says_so(tiny_engine, tmp_path):
    pages = english_paragraphs(6, sentences=3)
    pages[0] += " The client is Acme Widgets Ltd."
    document = load_document(write_pdf(tmp_path / "long.pdf", pages))
    engine = ScriptedEngine(tiny_engine, lambda p, n: json.dumps({"client": "Acme Widgets Ltd" if "Acme" in p else None}))
    row = DocumentExtraction(engine, document, "client", max_chunk_tokens=96).run()
    assert row.value("client") == "Acme Widgets Ltd" and row.cells["client"].location.label == "page 1"
    assert row.llm_calls == len(engine.prompts) < len(DocumentExtraction(engine, document, "client", max_chunk_tokens=96).chunks())
    assert row.coverage.read < row.coverage.total == 6
    assert row.read_text() == f"Read {row.coverage.read} of 6 pages (every field found)"


@pytest.mark.slow
def test_real_model_extracts_from_a_docx_table(real_engine, tmp_path):
    """The figures stand only in a table row ("| Bridge | 1200 |") under the heading Finances."""
    document = load_document(write_docx(tmp_path / "report.docx"))
    row = DocumentExtraction(real_engine, document, "bridge cost, school cost").run()
    print({f: (row.value(f), row.cells[f].location.label if row.cells[f].location else "") for f in row.fields})
    assert row.value("bridge cost") == "1200" and row.value("school cost") == "800"
    assert row.cells["bridge cost"].location.label == "Finances"
