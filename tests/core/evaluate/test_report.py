"""Report JSON round-trip, CSV of every raw measurement, one clear sentence for a bad file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from desktop_app.core.evaluate.errors import ReportUnreadable
from desktop_app.core.evaluate.machine import MachineFingerprint
from desktop_app.core.evaluate.metrics import spread
from desktop_app.core.evaluate.report import (
    EvaluationReport, LanguageModelResult, RowStatus, ShapeRun, ShapeStatus, VisionModelResult, read_report,
    to_csv_text, write_json,
)


def machine(cpu="Test CPU 9000") -> MachineFingerprint:
    return MachineFingerprint(cpu, 4, 8, 16 * 10**9, [], "Linux", "3.11", "CPU", ["AVX2"], ["CPUExecutionProvider"], "0.1.0")


def sample_report(cpu="Test CPU 9000", gen=(20.0, 22.0, 21.0)) -> EvaluationReport:
    reps = [{"prompt_tps": 500.0 + i, "gen_tps": g, "ttft_ms": 300.0 - i, "total_s": 1.0, "generated": 16}
            for i, g in enumerate(gen)]
    shape = ShapeRun("1024/16", "title", 1024, 16, ShapeStatus.MEASURED, spread([r["prompt_tps"] for r in reps]),
                     spread([r["gen_tps"] for r in reps]), spread([r["ttft_ms"] for r in reps]), reps)
    unfit = ShapeRun("16/1536", "long answer", 16, 1536, ShapeStatus.DID_NOT_FIT)
    llm = LanguageModelResult("Chatty", "/m/chatty.gguf", sha256="ab" * 32, quantization="Q4_K_M", shapes=[shape, unfit],
                              score=123.4, verdicts=["Chat: fine."], peak_ram_bytes=10**9)
    skipped = LanguageModelResult("Huge", "/m/huge.gguf", status=RowStatus.SKIPPED, reason="Huge needs 90 GB.")
    vision = VisionModelResult("Seer", "/m/seer.onnx", "classify", provider="CPU", latency_ms=spread([5.0, 6.0]),
                               latencies_ms=[5.0, 6.0], single_ips=181.8, folder_ips=250.0, p95_ms=5.95)
    return EvaluationReport(machine(cpu), settings={"reps": 3}, language=[llm, skipped], vision=[vision])


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
