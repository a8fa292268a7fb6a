"""Two reports from two machines side by side, with ratios."""

from __future__ import annotations

import pytest
from evaluation_factory import sample_report

from desktop_app.core.evaluate.compare import compare_reports
from desktop_app.core.evaluate.report import EvaluationReport


def test_two_machines_side_by_side_with_ratios(tmp_path):
    slow, fast = sample_report("Old laptop", gen=(10.0, 11.0, 12.0)), sample_report("New desktop", gen=(40.0, 44.0, 42.0))
    fast.vision = []  # the second machine did not run the vision model
    fast = EvaluationReport.from_json(fast.to_json())  # as loaded from another PC's JSON
    rows = {(r.model, r.metric): r for r in compare_reports(slow, fast)}
    gen = rows[("Chatty [CPU]", "generation tok/s")]
    assert (gen.left, gen.right) == (11.0, 42.0) and gen.ratio == pytest.approx(42.0 / 11.0)
    assert rows[("Chatty [CPU]", "prompt tok/s")].ratio == pytest.approx(1.0)
    seer = rows[("Seer [CPU]", "images/s (folder)")]
    assert seer.left == 250.0 and seer.right is None and seer.ratio is None
    skipped = rows[("Huge [CPU]", "LocalScore")]
    assert skipped.left is None and skipped.ratio is None
