"""`hearth ask` and `hearth extract` as a script would run them: JSON on stdout, one-line errors, a CSV file."""

from __future__ import annotations

import csv
import json

import pytest
from document_factory import write_contracts, write_encrypted_pdf, write_pdf

from desktop_app.cli import main


def test_extract_over_a_folder_prints_json_rows_and_writes_csv(tmp_path, tiny_2k, capsys):
    folder = tmp_path / "in"
    write_contracts(folder, 2)
    write_encrypted_pdf(folder / "locked.pdf")
    out = tmp_path / "table.csv"
    code = main(["extract", str(folder), "--fields", "client, start date", "--model", str(tiny_2k), "--json", "--csv", str(out)])
    captured = capsys.readouterr()
    assert code == 0  # one file of three unreadable: the batch still succeeds, and says so
    assert "1 of 3 document(s) could not be read" in captured.err
    table = json.loads(captured.out)
    assert table["fields"] == ["client", "start date"]
    assert [r["document"] for r in table["rows"]] == ["contract-01.txt", "contract-02.txt", "locked.pdf"]
    assert table["rows"][0]["read"] == "Read 1 of 1 parts" and "password-protected" in table["rows"][2]["error"]
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["document", "client", "client (where)", "start date", "start date (where)", "read", "error"]
    assert len(rows) == 4


def test_ask_prints_each_documents_answer_with_what_was_read(tmp_path, tiny_2k, capsys):
    pdf = write_pdf(tmp_path / "town.pdf", ["The river flooded in March.", "The bridge was repaired in May."])
    code = main(["ask", str(pdf), "--question", "When was the bridge repaired?", "--model", str(tiny_2k), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    [document] = result["documents"]
    assert document["read"] == "Read 2 of 2 pages" and document["document"] == "town.pdf"
    assert all(c["kind"] == "page" and c["passage"] in "The river flooded in March.\n\nThe bridge was repaired in May."
               for c in document["citations"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", "x.txt", "--question", "  "], "hearth: The question is empty. Type what you want to know about the document."),
        (["extract", "x.txt", "--fields", ",".join(f"f{i}" for i in range(200))],
         "hearth: 200 fields is more than one extraction can fill (the limit is 50); split them into several extractions."),
    ],
)
def test_bad_requests_are_one_line_before_any_model_loads(args, message, capsys):
    assert main(args) != 0
    assert capsys.readouterr().err.strip() == message


@pytest.mark.parametrize("command", [["ask", "--question", "When did it open?"], ["extract", "--fields", "date"]])
def test_a_document_estimated_past_30_minutes_is_not_read_without_yes(tmp_path, tiny_2k, capsys, monkeypatch, command):
    from desktop_app.core.documents import estimate

    monkeypatch.setattr(estimate, "LONG_JOB_SECONDS", 0)
    text = tmp_path / "minutes.txt"
    text.write_text("The committee met on Tuesday. The bridge opened in May.\n", encoding="utf-8")
    verb, *rest = command
    assert main([verb, str(text), *rest, "--model", str(tiny_2k)]) == 1
    captured = capsys.readouterr()
    first = captured.out.splitlines()[0]
    assert first.startswith("minutes.txt: This ") and first.endswith(
        "it was not started: run it again with --yes to start it anyway, or give it a shorter document.")
    assert main([verb, str(text), *rest, "--model", str(tiny_2k), "--yes", "--json"]) == 0
    capsys.readouterr()


def test_ask_every_page_reads_every_page_and_says_what_it_checked(tmp_path, tiny_2k, capsys):
    pdf = write_pdf(tmp_path / "town.pdf", ["The river flooded in March.", "Nothing here.", "The bridge was repaired in May."])
    code = main(["ask", str(pdf), "-q", "When was the bridge repaired?", "--model", str(tiny_2k), "--json", "--every-page"])
    assert code == 0
    [document] = json.loads(capsys.readouterr().out)["documents"]
    assert document["thorough"] and document["read"] == "Read 3 of 3 pages"
    assert {"unsupported_sentences_removed", "answer_is_quotes", "candidates"} <= set(document)


def written_by_the_model(text: str):
    """LlamaEngine.chat replaced: every call "writes" ``text`` (the tiny model writes noise)."""
    from desktop_app.core.llm.types import GenerationResult, GenerationStats, StopReason

    def chat(self, messages, sampling=None, on_text=None, cancel=None, **kwargs):
        if on_text is not None:
            on_text(text)
        return GenerationResult(text, GenerationStats(prompt_tokens=10, completion_tokens=5, stop_reason=StopReason.STOP))

    return chat


def test_summarize_flags_sentences_stating_what_the_document_does_not(tmp_path, tiny_2k, capsys, monkeypatch):
    from desktop_app.core.llm.engine import LlamaEngine

    source = tmp_path / "minutes.txt"
    source.write_text("The library will replace the boiler at an estimated cost of 90,000 dollars.\n"
                      "The council approved the new roof on 12 February 2024.\n", encoding="utf-8")
    monkeypatch.setattr(LlamaEngine, "chat", written_by_the_model(
        "The boiler will cost 90,000 dollars. The roof was approved on 2 February 2024."))
    assert main(["summarize", str(source), "--model", str(tiny_2k), "--no-history"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The boiler will cost 90,000 dollars. The roof was approved on 2 February 2024.")
    assert out.endswith("1 sentence(s) state a number, date or name not found in the document (marked):\n"
                        "- The roof was approved on 2 February 2024. [not in the document: 2 February 2024]\n")
    assert main(["summarize", str(source), "--model", str(tiny_2k), "--no-history", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["unsupported_count"] == 1
    assert result["unsupported_sentences"] == [
        {"sentence": "The roof was approved on 2 February 2024.", "not_in_source": ["2 February 2024"]}]
