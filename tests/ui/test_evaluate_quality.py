"""The Evaluate pane's Quality tab as a user drives it: a question set, two models side by side, hand marks,
five blind votes with the ratings moving, names revealed, the report exported with the quality section."""

from __future__ import annotations

import random
import shutil

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.evaluate import history
from desktop_app.core.evaluate.quality.results import QualityTask
from desktop_app.core.evaluate.report import read_report
from desktop_app.ui.evaluate.vote_dialog import BlindVoteDialog
from tests.gguf_factory import write_tiny_llama


@pytest.fixture
def pane(open_pane, data_dir, tiny_gguf):
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(tiny_gguf, data_dir / "tiny.gguf")
    write_tiny_llama(data_dir / "other.gguf", seed=3)
    return open_pane("evaluate", {name: data_dir / f"{name}.gguf" for name in ("tiny", "other")}, context_length=512)


@pytest.fixture
def questions(tmp_path):
    path = tmp_path / "questions.csv"
    rows = ["prompt,expected,category", "Capital of France?,Paris,facts", "Say hello,hello,chat", "Two plus two?,4,math",
            "Name a colour,red,chat", "Capital of Italy?,Rome,facts", ",missing prompt,x"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_two_models_side_by_side_marks_votes_and_export(qtbot, pane, questions, tmp_path):
    view = pane.quality
    assert pane.speed_controls.isVisible()
    pane.tabs.setCurrentWidget(view)
    assert not pane.speed_controls.isVisible()  # the speed run's choices make room for the quality ones
    assert view.current_task is QualityTask.QA and {"tiny", "other"} <= {e.name for e in view.chosen()}
    for i in range(view.models.count()):  # the bundled chat model is ticked too: these two only
        item = view.models.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in ("tiny", "other") else Qt.CheckState.Unchecked)
    view.data.setText(str(questions))
    with qtbot.waitSignal(view.run_finished, timeout=120000) as blocker:
        view.run_button.click()
    report = blocker.args[0]
    run = report.quality[0]
    assert [m.items for m in run.models] == [5, 5]
    assert view.summary.columnCount() == 2 and view.summary.rowCount() == 5  # four figures and items per second
    assert [view.summary.horizontalHeaderItem(i).text() for i in range(2)] == ["tiny", "other"]
    assert view.items.rowCount() == 10
    assert "questions.csv, row 7: no prompt" in view.problems.text()
    assert pane.report is report and pane.export_buttons["html"].isEnabled()

    view.items.selectRow(0)
    with qtbot.waitSignal(view.saved, timeout=60000):
        view.mark_right.click()
    assert view.items.item(0, 5).text() == "right"
    assert view.summary.rowCount() == 6  # "hand marked right" joins the figures
    view.items.selectRow(5)  # the other model's first answer
    with qtbot.waitSignal(view.saved, timeout=60000):
        view.mark_wrong.click()
    hand = [view.summary.item(4, column).text() for column in range(2)]
    assert hand == ["100.0 % ★", "0.0 %"] and view.summary.item(4, 0).font().bold()

    assert view.vote_button.isEnabled()
    dialog = BlindVoteDialog(view.run, view, rng=random.Random(5))
    qtbot.addWidget(dialog)
    dialog.voted.connect(lambda _v: view.save())
    assert len(dialog.pairs) == 5 and "tiny" not in dialog.ratings.text() and "other" not in dialog.ratings.text()
    ratings = [dialog.ratings.text()]
    for _ in range(5):
        shown_a = dialog.pairs[dialog.index].a
        with qtbot.waitSignal(view.saved, timeout=60000):
            (dialog.a_button if shown_a == "tiny" else dialog.b_button).click()  # the user prefers one model's style
        ratings.append(dialog.ratings.text())
    assert len(set(ratings)) == 6  # the ratings moved with every vote
    assert len(run.votes) == 5 and not dialog.a_button.isEnabled()  # all pairs voted: the names are revealed
    first, second = dialog.current_standings()
    assert (first.model, first.wins, second.wins) == ("tiny", 5, 0) and first.rating > second.rating
    assert "tiny" in dialog.ratings.text()

    kept = history.open_kept(pane.context.store, view.kept_id)  # marks and votes saved in the history
    assert len(kept.quality[0].votes) == 5 and list(kept.quality[0].marks.values()) == [True, False]

    out = tmp_path / "report.html"
    with qtbot.waitSignal(pane.exported, timeout=60000):
        pane.export("html", out)
    html = out.read_text(encoding="utf-8")
    assert "Quality: answers to a question set" in html and "Blind votes" in html and "<b>" in html
    with qtbot.waitSignal(pane.exported, timeout=60000):
        pane.export("json", tmp_path / "report.json")
    assert read_report(tmp_path / "report.json").quality[0].votes == run.votes


def test_class_folders_with_an_edited_label_mapping_that_is_remembered(qtbot, pane, tmp_path):
    view = pane.quality
    view.task.setCurrentIndex(view.task.findData(QualityTask.CLASSIFY.value))
    assert view.labels_button.isVisibleTo(view) and [e.name for e in view.chosen()] == ["EfficientNet-Lite0"]
    view.use_starter()
    with qtbot.waitSignal(view.labels_opened, timeout=30000) as opened:
        view.labels_button.click()
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.mapping()["cat"] == ["tabby", "tiger cat", "Egyptian cat"]  # the folder's hearth-labels.json
    dialog.table.item(rows["rocket"], 1).setText("no such label")
    dialog._accept()
    assert dialog.isVisible() and "no such label" in dialog.unknown.text()  # refused: the model has no such label
    dialog.table.item(rows["rocket"], 1).setText("traffic light")  # a deliberately wrong mapping
    dialog._accept()
    assert view.label_overrides["EfficientNet-Lite0"]["rocket"] == ["traffic light"]
    with qtbot.waitSignal(view.run_finished, timeout=120000) as blocker:
        view.run_button.click()
    run = blocker.args[0].quality[0]
    assert run.labels["EfficientNet-Lite0"]["rocket"] == ["traffic light"]
    assert not any(i.scores["top1"] for i in run.items if i.expected == "rocket")  # every rocket now counts as wrong
    assert view.summary.rowCount() == 4 and view.items.rowCount() == 9
    with qtbot.waitSignal(view.pictures_shown, timeout=60000) as shown:
        pass  # drawn on a worker: the confusion matrix, then the three rockets that counted as wrong
    assert shown.args[0] == 4 and view.pictures.count() == 4
    assert view.pictures.item(0).text() == "Confusion matrix: EfficientNet-Lite0"
    assert view.pictures.item(1).text().startswith("EfficientNet-Lite0: rocket/")

    view.label_overrides.clear()  # a new session: the mapping comes back from the history
    with qtbot.waitSignal(view.labels_opened, timeout=30000) as opened:
        view.labels_button.click()
    again = opened.args[0]
    qtbot.addWidget(again)
    assert again.mapping()["rocket"] == ["traffic light"]
    again.reject()
    with qtbot.waitSignal(view.run_finished, timeout=120000) as blocker:
        view.run_button.click()  # and the next run uses it without the dialog
    assert blocker.args[0].quality[0].labels["EfficientNet-Lite0"]["rocket"] == ["traffic light"]
    with qtbot.waitSignal(view.pictures_shown, timeout=60000):
        pass


def test_summaries_show_length_and_time_per_page_beside_rouge(pane):
    from desktop_app.core.evaluate.quality.results import ModelQuality, QualityRun

    figures = {"rouge1": 0.5, "rouge2": 0.25, "rougeL": 0.4, "words": 120.0, "s_per_page": 33.0}
    slow = ModelQuality("slow", "/m/slow.gguf", dict(figures, rouge1=0.6, s_per_page=99.0), items=3, seconds=300.0)
    run = QualityRun(QualityTask.SUMMARY, "/docs", [ModelQuality("fast", "/m/fast.gguf", figures, items=3, seconds=100.0), slow])
    pane.quality.show_run(run)
    table = pane.quality.summary
    labels = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert labels == ["ROUGE-1", "ROUGE-2", "ROUGE-L", "Items per second", "Words per summary", "Seconds per page"]
    assert [table.item(0, c).text() for c in range(2)] == ["50.0 %", "60.0 % ★"]
    assert [table.item(3, c).text() for c in range(2)] == ["0.03", "0.01"]
    assert [table.item(5, c).text() for c in range(2)] == ["33.0", "99.0"]
