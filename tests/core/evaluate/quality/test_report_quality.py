"""The quality section in the one Evaluate report: JSON round trip, CSV rows, HTML with the best marked, PDF."""

from __future__ import annotations

import pypdfium2

from desktop_app.core.evaluate import report as reports
from desktop_app.core.evaluate.html import render_html
from desktop_app.core.evaluate.pdf import write_pdf
from desktop_app.core.evaluate.quality.results import ItemScore, ModelQuality, Problem, QualityRun, QualityTask
from desktop_app.core.evaluate.quality.votes import Vote, Winner
from tests.evaluation_factory import sample_report


def quality_run() -> QualityRun:
    fast = ModelQuality("Fast", "/m/fast.gguf", {"exact": 0.5, "contains": 0.5, "chrf": 40.0, "bleu": 10.0}, items=2, seconds=2.0)
    good = ModelQuality("Good", "/m/good.gguf", {"exact": 1.0, "contains": 1.0, "chrf": 90.0, "bleu": 80.0}, items=2, seconds=6.0)
    items = [ItemScore("2", "Fast", "Paris", "Paris", {"exact": 1.0}), ItemScore("3", "Fast", "12", "13", {"exact": 0.0}),
             ItemScore("2", "Good", "Paris", "Paris", {"exact": 1.0}), ItemScore("3", "Good", "13", "13", {"exact": 1.0})]
    run = QualityRun(QualityTask.QA, "/data/set.csv", [fast, good], items, [Problem("set.csv", 4, "no expected; skipped.")])
    run.mark("Fast", "3", False)
    run.votes = [Vote("2", "Fast", "Good", Winner.B), Vote("3", "Good", "Fast", Winner.TIE)]
    return run


def test_the_report_keeps_quality_runs_with_marks_and_votes(tmp_path):
    report = sample_report()
    report.quality = [quality_run()]
    path = reports.write_json(report, tmp_path / "r.json")
    back = reports.read_report(path).quality[0]
    assert back == report.quality[0]
    assert back.best("exact") == "Good" and back.value(back.models[0], "hand") == 0.0


def test_csv_has_a_row_per_item_score_with_the_hand_mark(tmp_path):
    report = sample_report()
    report.quality = [quality_run()]
    rows = [r for r in reports.csv_rows(report) if r["kind"] == "quality"]
    assert len(rows) == 4 and rows[1]["hand_mark"] is False and rows[0]["hand_mark"] == ""


def test_html_marks_the_best_and_lists_problems_and_votes():
    report = sample_report()
    report.quality = [quality_run()]
    html = render_html(report)
    assert "Quality: answers to a question set" in html
    assert "<b>100.0 %</b>" in html and "<b>50.0 %</b>" not in html  # Good's exact match is the best
    assert "set.csv, row 4: no expected; skipped." in html
    assert "Blind votes" in html and "Bradley" in html


def test_pdf_has_a_quality_page(tmp_path):
    plain = write_pdf(sample_report(), tmp_path / "plain.pdf")
    report = sample_report()
    report.quality = [quality_run()]
    with_quality = write_pdf(report, tmp_path / "q.pdf")
    assert len(pypdfium2.PdfDocument(str(with_quality))) == len(pypdfium2.PdfDocument(str(plain))) + 1


def test_no_best_when_the_top_value_is_shared_or_only_one_model_has_it():
    run = quality_run()
    run.models[0].overall["exact"] = 1.0
    assert run.best("exact") is None and run.best("chrf") == "Good"
    assert run.best("hand") is None  # only Fast has a hand mark
    run.mark("Good", "3", True)
    assert run.best("hand") == "Good"
