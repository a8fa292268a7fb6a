"""The Summarize pane driven as a user would (pytest-qt, offscreen), on a tiny real GGUF."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_factory import english_paragraphs, write_docx, write_scanned_pdf, write_text
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QTextCharFormat


@pytest.fixture
def pane(open_pane, tiny_2k):
    return open_pane("summarize", {"tiny": tiny_2k}, context_length=2048)


def open_and_measure(qtbot, pane, path: Path):
    with qtbot.waitSignal(pane.plan_ready, timeout=60000) as blocker:
        pane.open_file(path)
    return blocker.args[0]


def summarize(qtbot, pane, timeout: int = 120000):
    with qtbot.waitSignal(pane.summary_finished, timeout=timeout) as blocker:
        pane.start()
    return blocker.args[0]


def visible(text: str) -> str:
    """The tiny model writes random bytes; Qt's text widgets rewrite control characters, so compare the rest."""
    return "".join(c for c in text if c.isprintable()).strip()


def long_text_file(directory: Path, paragraphs: int = 20) -> Path:
    return write_text(directory / "millbrook.txt", "\n\n".join(english_paragraphs(paragraphs)))


def test_a_slow_document_never_replaces_one_opened_after_it(qtbot, pane, tmp_path, monkeypatch):
    import threading

    from desktop_app.core.documents.load import load_document
    from desktop_app.ui import workers
    from desktop_app.ui.summarize import pane as pane_module

    slow, quick = write_text(tmp_path / "slow.txt", "The first file."), write_text(tmp_path / "quick.txt", "The second.")
    gate, loads = threading.Event(), []

    def load(path):
        loads.append(path.name)
        if path == slow:
            gate.wait(10)  # a big PDF on a slow disk
        return load_document(path)

    monkeypatch.setattr(pane_module, "load_document", load)
    shown = []
    pane.document_loaded.connect(lambda document: shown.append(document.name))
    pane.open_file(slow)
    with qtbot.waitSignal(pane.plan_ready, timeout=60000):
        pane.open_file(quick)
    gate.set()
    qtbot.waitUntil(lambda: not workers.active_jobs(), timeout=10000)  # the slow load has answered, late
    assert loads == ["slow.txt", "quick.txt"]
    assert shown == ["quick.txt"] and pane.document.name == "quick.txt"
    assert "quick.txt" in pane.source.info.text()


def test_opening_a_docx_shows_its_size_tokens_and_an_estimate(qtbot, pane, tmp_path):
    plan = open_and_measure(qtbot, pane, write_docx(tmp_path / "annual.docx"))
    assert pane.document.name == "annual.docx"
    assert "annual.docx" in pane.source.info.text() and "characters" in pane.source.info.text()
    estimate = pane.source.estimate.text()
    assert f"{plan.source_tokens:,} tokens" in estimate and "1 part(s)" in estimate and "about" in estimate


def test_summary_streams_reports_parts_and_is_kept_in_history(qtbot, pane, tmp_path):
    plan = open_and_measure(qtbot, pane, long_text_file(tmp_path, paragraphs=12))
    assert plan.parts > 2
    labels = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: labels.append(pane.progress_label.text()))
    ticker.start(5)
    result = summarize(qtbot, pane)
    ticker.stop()
    assert not result.cancelled and result.parts_done == plan.parts
    assert any(text.startswith(f"Part 1 of {plan.parts}") for text in labels)
    # the first part's time left is the estimate; from the second on it is the measured rate, and says so
    assert any(t.startswith("Part 1 of") and t.endswith("left (estimated)") for t in labels)
    assert any(t.startswith("Part 2 of") and "left (measured: " in t for t in labels)
    assert len(labels) > 10, "the GUI thread kept running its timers while the summary was written"
    shown = result.display_text().strip()  # the summary; the parts if the model wrote an empty one
    assert shown and visible(pane.output.toPlainText()) == visible(shown)
    for number in range(1, plan.parts + 1):
        assert f"— Part {number} of {plan.parts} —" in pane.parts.toPlainText()
    assert pane.progress.value() == pane.progress.maximum()
    assert pane.progress_label.text().startswith("Done")
    assert pane.history.list.count() == 1
    saved = pane.store.list_summaries()[0]
    assert saved.source_name == "millbrook.txt" and saved.model == "tiny" and saved.status == "done"
    assert pane.copy_button.isEnabled() and pane.export_md.isEnabled()

    jobs = [pane.export("markdown", tmp_path / "out.md"), pane.export("text", tmp_path / "out.txt")]
    qtbot.waitUntil(lambda: not any(job.running for job in jobs), timeout=10000)  # written off the GUI thread
    markdown = (tmp_path / "out.md").read_bytes().decode("utf-8")
    assert markdown.startswith("# Summary of millbrook.txt") and visible(shown) in visible(markdown)
    assert (tmp_path / "out.txt").read_bytes().decode("utf-8") == shown + "\n"


def test_cancel_keeps_partial_results_visible(qtbot, pane, tmp_path):
    open_and_measure(qtbot, pane, long_text_file(tmp_path, paragraphs=40))
    with qtbot.waitSignal(pane.summary_finished, timeout=120000) as blocker:
        pane.start()
        qtbot.waitUntil(lambda: "— Part 1 of" in pane.parts.toPlainText(), timeout=60000)
        pane.cancel()
    result = blocker.args[0]
    assert result.cancelled and 1 <= result.parts_done < result.chunks
    assert visible(pane.output.toPlainText()) == visible(result.display_text()) != ""
    assert "Cancelled" in pane.banner.text()
    assert pane.progress_label.text().startswith("Cancelled")
    assert pane.store.list_summaries()[0].status == "cancelled"
    assert pane.summarize_button.isEnabled() and not pane.cancel_button.isEnabled()


def test_bad_document_is_explained_in_the_pane(qtbot, pane, tmp_path):
    with qtbot.waitSignal(pane.document_loaded, timeout=30000) as blocker:
        pane.open_file(write_scanned_pdf(tmp_path / "scan.pdf"))
    assert isinstance(blocker.args[0], Exception)
    assert "no text layer" in pane.banner.text() and "OCR" in pane.banner.text()
    pane.start()
    assert "Open a document" in pane.banner.text()


def test_pasted_text_is_measured_and_summarized(qtbot, pane):
    with qtbot.waitSignal(pane.plan_ready, timeout=60000):
        pane.source.paste.setPlainText("The bridge opened in May. It cost 1200 pounds. The mayor thanked the workers.")
    assert pane.document.name == "Pasted text"
    result = summarize(qtbot, pane)
    assert result.chunks == 1 and visible(pane.output.toPlainText()) == visible(result.display_text())


def test_dropping_a_file_opens_it(qtbot, pane, tmp_path):
    path = write_text(tmp_path / "dropped.md", "# Notes\n\nThe river flooded in March.")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(pane.plan_ready, timeout=60000):
        pane.dropEvent(event)
    assert pane.document.name == "dropped.md"


def test_history_entries_reopen_and_delete(qtbot, pane):
    first = pane.store.add_summary("old.pdf", "An older summary.", model="tiny", settings={"length": "short"})
    pane.store.add_summary("newer.txt", "A newer summary.", model="tiny", settings={"style": "bullets"})
    pane.refresh_history()
    assert pane.history.list.count() == 2
    pane.history.list.setCurrentRow(1)
    pane.history.opened.emit(first.id)
    assert pane.output.toPlainText() == "An older summary."
    assert "old.pdf" in pane.progress_label.text()
    pane.history.delete.click()
    assert [s.source_name for s in pane.store.list_summaries()] == ["newer.txt"]
    assert pane.history.list.count() == 1 and pane.shown is None


def test_options_build_the_request(pane):
    options = pane.options
    options.length.setCurrentIndex(options.length.findData("custom"))
    options.words.setValue(120)
    options.style.setCurrentIndex(options.style.findData("bullets"))
    options.focus.setText("risks")
    options.language.setCurrentIndex(options.language.findData("zh"))
    request = options.request()
    assert (request.target_words, request.style, request.focus, request.language) == (120, "bullets", "risks", "zh")
    options.language.setEditText("Italian")
    assert options.request().language == "Italian"


def test_sentences_stating_what_the_document_does_not_are_marked(pane):
    pane.output.setPlainText("The fee is 90,000 dollars. It was approved on 2 February 2024. The mayor agreed.")
    assert pane.mark_unsupported(["It was approved on 2 February 2024.", "not in the output"]) == 1
    [marked] = pane.output.extraSelections()
    assert marked.cursor.selectedText() == "It was approved on 2 February 2024."
    assert marked.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert pane.mark_unsupported([]) == 0 and pane.output.extraSelections() == []
