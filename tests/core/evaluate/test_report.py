"""Report JSON round-trip, CSV of every raw measurement, one clear sentence for a bad file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from evaluation_factory import sample_report

from desktop_app.core.evaluate.errors import ReportUnreadable
from desktop_app.core.evaluate.report import RowStatus, ShapeStatus, read_report, to_csv_text, write_json


def test_json_round_trip_keeps_every_field(tmp_path):
    report = sample_report()
    path = write_json(report, tmp_path / "r.json")
    again = read_report(path)
    assert again == report
    assert again.language[0].shapes[0].status is ShapeStatus.MEASURED and again.language[1].status is RowStatus.SKIPPED
    assert json.loads(path.read_text())["format"] == "hearth-evaluation"


def test_csv_has_one_row_per_raw_measurement():
    rows = list(csv.DictReader(io.StringIO(to_csv_text(sample_report()))))
    timed = [r for r in rows if r["rep"]]
    assert len(timed) == 3 + 2  # three language repetitions, two vision latencies
    assert [float(r["gen_tps"]) for r in timed[:3]] == [20.0, 22.0, 21.0]
    assert any(r["shape_status"] == "did not fit" for r in rows)
    assert any(r["model"] == "Huge" and r["status"] == "skipped" and "90 GB" in r["reason"] for r in rows)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b'{"format": "something-else"}', "not a Hearth evaluation report"),
        (b'{"format": "hearth-evaluation", "version": 1, "machine": {}}', "damaged"),
        (b'{"format": "hearth-evaluation", "version": 99}', "newer Hearth"),
    ],
)
def test_an_unreadable_report_is_one_clear_sentence(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ReportUnreadable, match=message) as caught:
        read_report(path)
    assert "\n" not in str(caught.value)


def test_a_missing_report_says_so(tmp_path):
    with pytest.raises(ReportUnreadable, match="does not exist"):
        read_report(tmp_path / "gone.json")


def test_html_lists_what_to_download_next():
    from evaluation_factory import sample_report

    from desktop_app.core.evaluate.html import render_html

    report = sample_report()
    report.predictions = [{"name": "Big <1.5B>", "size_bytes": 1.1e9, "fits": False, "note": "needs about 1.7 GB",
                           "prompt_tps": 41.2, "gen_tps": 6.25, "basis": "8.0 GB/s effective"}]
    html = render_html(report)
    assert "Big &lt;1.5B&gt;" in html and "no: needs about 1.7 GB" in html and "<td class=\"n\">6.2</td>" in html
    assert "Predicted from this run: 8.0 GB/s effective" in html
    assert 'id="predictions"' not in render_html(sample_report())
