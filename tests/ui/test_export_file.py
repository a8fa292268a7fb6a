"""The one export path every pane uses: save dialog, atomic write, outcome in the banner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.ui.widgets.banner import MessageBanner
from desktop_app.ui.widgets.export_file import choose_export_path, write_export


def test_write_reports_where_it_went(qtbot, tmp_path):
    banner = MessageBanner()
    qtbot.addWidget(banner)
    banner.show()
    target = tmp_path / "out.md"
    job = write_export(banner, target, "# Hello\n", parent=banner)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)  # written off the GUI thread
    assert target.read_text(encoding="utf-8") == "# Hello\n"
    assert banner.level == "info" and str(target) in banner.text()


def test_a_failed_write_leaves_nothing_and_says_why(qtbot, tmp_path, job_log):
    banner = MessageBanner()
    qtbot.addWidget(banner)
    banner.show()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = blocker / "out.md"  # a file where the folder should be
    job = write_export(banner, target, "text", parent=banner)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert not target.exists() and banner.level == "error"
    assert banner.text() == f"Could not export to {target}: a part of its path is a file, not a folder. Choose another place."


def test_dialog_answer_is_a_path_or_none(qtbot, monkeypatch, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    asked = []

    def answer(*args):
        asked.append(args[1:])
        return answers.pop(0), ""

    answers = [str(tmp_path / "c.json"), ""]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    assert choose_export_path(parent, "Export", "c.json", "JSON (*.json)") == Path(tmp_path / "c.json")
    assert choose_export_path(parent, "Export", "c.json", "JSON (*.json)") is None
    assert asked[0] == ("Export", "c.json", "JSON (*.json)")
