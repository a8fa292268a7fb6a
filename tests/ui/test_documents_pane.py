"""The Documents pane (Summarize, Ask, Extract, Find) driven as a user would, on a tiny real GGUF."""

from __future__ import annotations

import csv

import pytest
from document_factory import english_paragraphs, write_contracts, write_pdf, write_scanned_pdf
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_app.core.documents.ask import AskResult
from desktop_app.core.documents.batch import AskRow
from desktop_app.core.documents.citations import Citation, Location
from desktop_app.core.documents.evidence import Candidate
from desktop_app.core.documents.index import RankedPassage
from desktop_app.core.documents.reading import Coverage
from desktop_app.core.settings import Settings


@pytest.fixture
def pane(open_pane, tiny_2k):
    return open_pane("summarize", {"tiny": tiny_2k}, context_length=2048)


def drop(pane, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    pane.dropEvent(event)


def test_the_pane_is_documents_with_ask_extract_and_find_beside_summarize(pane):
    assert [pane.modes.tabText(i) for i in range(pane.modes.count())] == ["Summarize", "Ask", "Extract", "Find"]
    assert pane.modes.widget(0).isAncestorOf(pane.summarize_button)


def test_a_dropped_folder_streams_one_row_per_document_and_exports(qtbot, pane, tmp_path):
    folder = tmp_path / "contracts"
    write_contracts(folder, 2)
    write_scanned_pdf(folder / "scan.pdf")
    pane.modes.setCurrentWidget(pane.extract)
    drop(pane, [folder])
    assert pane.extract.inputs.paths() == [folder]
    pane.extract.fields_edit.setText("client, start date")
    streamed = []
    pane.extract.table.model().rowsInserted.connect(lambda *_: streamed.append((pane.extract.table.rowCount(), pane.extract.busy)))
    with qtbot.waitSignal(pane.extract.finished, timeout=180000) as blocker:
        pane.extract.start()
    rows = blocker.args[0]
    assert [r.document for r in rows] == ["contract-01.txt", "contract-02.txt", "scan.pdf"]
    assert streamed == [(1, True), (2, True), (3, True)]  # rows arrived one by one while the job ran
    table = pane.extract.table
    assert [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())] == ["Document", "client", "start date", "Read"]
    assert table.item(0, 3).text() == "Read 1 of 1 parts"
    assert "no text layer" in table.item(2, 1).text()
    for row in rows[:2]:  # whatever the tiny model wrote, a cell holds only text of its document
        text = (folder / row.document).read_text()
        assert all(row.value(f) == "" or row.value(f).lower() in text.lower() for f in row.fields)
    out = tmp_path / "table.csv"
    pane.extract.export("csv", out)
    qtbot.waitUntil(lambda: "Exported to" in pane.extract.banner.text(), timeout=10000)
    lines = list(csv.reader(out.read_text().splitlines()))
    assert lines[0][:3] == ["document", "client", "client (where)"] and len(lines) == 4
    xlsx = tmp_path / "table.xlsx"
    pane.extract.export("xlsx", xlsx)
    qtbot.waitUntil(lambda: str(xlsx) in pane.extract.banner.text(), timeout=10000)
    assert xlsx.read_bytes()[:2] == b"PK"
    # the documents read are now searchable
    pane.find.query.setText("Cedar Lane")
    with qtbot.waitSignal(pane.find.searched, timeout=10000) as found:
        pane.find.search()
    assert [h.document for h in found.args[0]] == []  # contract 3 was not in the folder
    with qtbot.waitSignal(pane.find.searched, timeout=10000) as found:
        pane.find.query.setText("Borealis")
        pane.find.search()
    assert [(h.document, h.location) for h in found.args[0]] == [("contract-02.txt", "line 3")]


def test_field_limits_and_templates(qtbot, pane, data_dir):
    panel = pane.extract
    pane.modes.setCurrentWidget(panel)
    panel.inputs.add([data_dir])
    panel.fields_edit.setText(",".join(f"f{i}" for i in range(200)))
    panel.start()
    assert not panel.busy and "the limit is 50" in panel.banner.text()
    panel.fields_edit.setText("party, start date, penalty")
    panel.save_template("Contracts")
    assert pane.context.settings.extract_templates == {"Contracts": "party, start date, penalty"}
    qtbot.waitUntil(lambda: Settings.load().extract_templates == {"Contracts": "party, start date, penalty"})
    panel.fields_edit.clear()
    panel.use_template(panel.templates.findText("Contracts"))
    assert panel.fields_edit.text() == "party, start date, penalty"


def test_an_empty_question_is_refused_in_one_sentence(pane, tmp_path):
    pane.modes.setCurrentWidget(pane.ask)
    pane.ask.inputs.add([tmp_path])
    pane.ask.question.setText("   ")
    pane.ask.start()
    assert not pane.ask.busy and pane.ask.banner.text() == "The question is empty. Type what you want to know about the document."


def test_asking_a_pdf_shows_the_coverage_and_a_citation_opens_its_passage(qtbot, pane, tmp_path):
    pdf = write_pdf(tmp_path / "town.pdf", english_paragraphs(3, sentences=3))
    pane.modes.setCurrentWidget(pane.ask)
    pane.ask.inputs.add([pdf])
    pane.ask.question.setText("What did the council spend on the river?")
    pane.ask.every_page.setChecked(True)  # not only the passages sharing the question's words
    with qtbot.waitSignal(pane.ask.finished, timeout=180000) as blocker:
        pane.ask.start()
    [row] = blocker.args[0]
    assert row.result.thorough and row.result.coverage.sentence() == "Read 3 of 3 pages" and not row.result.cancelled
    assert pane.ask.table.item(0, 2).text() == "Read 3 of 3 pages"
    assert "Read 3 of 3 pages" in pane.ask.answer.toPlainText()
    kept = pane.store.list_summaries()[0]  # the answer is in the history, beside summaries
    assert kept.source_name == "town.pdf" and kept.settings == {"question": "What did the council spend on the river?"}
    assert kept.summary == row.result.display_text() and pane.history.list.count() >= 1
    # a cited answer: each [n] is a link that shows its passage and page
    location = Location("page", "page 2", 2, 10, 40)
    result = AskResult("town.pdf", "q", "It spent 40 pounds [1].", [Citation(1, "town.pdf", location, "It spent 40 pounds.")],
                       [], Coverage("pages", 3, 3), 1, 1, 0, False, 1.0, 2, 10, 5, "en")
    pane.ask.add_row(AskRow(str(pdf), "town.pdf", result))
    pane.ask.show_row(1)
    assert 'href="cite:1:1"' in pane.ask.answer.toHtml()
    pane.ask.open_citation(QUrl("cite:1:1"))
    assert pane.ask.passage.toPlainText() == "town.pdf · page 2\n\nIt spent 40 pounds."


def test_an_answer_shows_what_was_removed_and_the_passages_the_model_passed_over(pane, tmp_path):
    ranked = RankedPassage(120, 170, "The harbour master's own boat is called Aurelia Seven.", "page 37", 9.5)
    result = AskResult("town.pdf", "q", "town.pdf does not answer this question.", [], [], Coverage("pages", 1, 40), 9, 0,
                       0, False, 1.0, 2, 10, 5, "en", answered=False, unsupported=2, candidates=[Candidate(ranked, 1.0)])
    pane.ask.add_row(AskRow(str(tmp_path / "town.pdf"), "town.pdf", result))
    shown = pane.ask.answer.toPlainText()
    assert "page 37: The harbour master's own boat is called Aurelia Seven." in shown
    assert "Passages that share the question's words" in shown
    assert "2 sentence(s) of the written answer said what the cited passages do not" in shown


@pytest.mark.parametrize("tab", ["ask", "extract"])
def test_nothing_to_read_and_a_folder_without_documents_each_end_in_one_sentence(qtbot, pane, tmp_path, tab):
    panel = getattr(pane, tab)
    pane.modes.setCurrentWidget(panel)
    if tab == "ask":
        panel.question.setText("When does the contract end?")
    else:
        panel.fields_edit.setText("party, end date")
    panel.start()  # nothing chosen yet
    assert not panel.busy and panel.banner.text().startswith("Add a document or a folder to")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.png").write_bytes(b"\x89PNG\r\n")
    panel.inputs.add([tmp_path / "photos"])
    panel.start()
    assert panel.busy and not panel.run_button.isEnabled() and panel.cancel_button.isEnabled()
    with qtbot.waitSignal(panel.finished, timeout=60000) as blocker:
        pass
    assert isinstance(blocker.args[0], Exception)
    assert panel.banner.text() == "The folders hold no PDF, DOCX, HTML, TXT or Markdown documents."
    assert not panel.busy and panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert panel.progress_label.text() == "" and panel.progress.value() == 0


@pytest.fixture
def every_job_is_long(monkeypatch):
    """The tiny model is fast; a zero threshold makes every job one to ask about. Records the questions."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core.documents import estimate

    monkeypatch.setattr(estimate, "LONG_JOB_SECONDS", 0)
    asked = {"texts": [], "answer": QMessageBox.StandardButton.No}

    def question(parent, title, text, buttons, default):
        asked["texts"].append((title, text, default))
        return asked["answer"]

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_a_long_summary_is_asked_about_before_it_starts(qtbot, pane, tmp_path, every_job_is_long):
    from PySide6.QtWidgets import QMessageBox

    text = tmp_path / "minutes.txt"
    text.write_text("The committee met on Tuesday. The bridge opened in May.\n", encoding="utf-8")
    with qtbot.waitSignal(pane.plan_ready, timeout=60000):
        pane.open_file(text)
    pane.start()
    [(title, question, default)] = every_job_is_long["texts"]
    assert title == "A long job" and default == QMessageBox.StandardButton.No
    assert question.startswith("minutes.txt: This summary would read about ") and question.endswith("Start it anyway?")
    assert not pane.busy and pane.job is None  # No: nothing started
    every_job_is_long["answer"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(pane.summary_finished, timeout=120000) as blocker:
        pane.start()
    assert not isinstance(blocker.args[0], Exception) and len(every_job_is_long["texts"]) == 2


def test_a_long_document_shows_the_sampled_estimate_instead_of_a_plan(qtbot, pane, tmp_path, monkeypatch):
    from desktop_app.ui.summarize import pane as pane_module

    monkeypatch.setattr(pane_module, "PLANNED_IN_PANE_TOKENS", 10)
    text = tmp_path / "minutes.txt"
    text.write_text("The committee met on Tuesday. The bridge opened in May.\n" * 40, encoding="utf-8")
    with qtbot.waitSignal(pane.plan_ready, timeout=60000) as blocker:
        pane.open_file(text)
    estimate = blocker.args[0]
    assert pane.plan is None and pane.estimate is estimate and estimate.job == "summarize"
    assert pane.source.estimate.text() == (f"about {estimate.tokens:,} tokens · about {estimate.parts:,} part(s) · "
                                           "about 1 minute on this computer (estimated)")


@pytest.mark.parametrize("tab", ["ask", "extract"])
def test_a_long_document_in_ask_or_extract_is_asked_about_on_the_gui_thread(qtbot, pane, tmp_path, every_job_is_long, tab):
    from PySide6.QtWidgets import QMessageBox

    text = tmp_path / "minutes.txt"
    text.write_text("The committee met on Tuesday. The bridge opened in May.\n", encoding="utf-8")
    panel = getattr(pane, tab)
    pane.modes.setCurrentWidget(panel)
    panel.inputs.add([text])
    if tab == "ask":
        panel.question.setText("When did the bridge open?")
    else:
        panel.fields_edit.setText("date")
    with qtbot.waitSignal(panel.finished, timeout=120000) as blocker:
        panel.start()
    [row] = blocker.args[0]
    assert row.error.endswith("it was not started: you chose not to start it.") and len(every_job_is_long["texts"]) == 1
    every_job_is_long["answer"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(panel.finished, timeout=120000) as blocker:
        panel.start()
    [row] = blocker.args[0]
    assert not row.error and len(every_job_is_long["texts"]) == 2
