"""`hearth eval speed` as a script would run it: the report as JSON, files written, one-line errors."""

from __future__ import annotations

import json

import pypdfium2

from desktop_app.cli import main
from desktop_app.core.evaluate.report import read_report


def test_eval_speed_json_and_every_file(tmp_path, tiny_gguf, capsys):
    out = tmp_path / "out"
    code = main(["eval", "speed", "--models", str(tiny_gguf), "EfficientNet-Lite0", "--shapes", "64/8,1024/8", "--reps", "2",
                 "--ctx", "512", "--threads", "2", "--json", "--html", str(out / "r.html"), "--pdf", str(out / "r.pdf"),
                 "--csv", str(out / "r.csv"), "--save", str(out / "r.json"), "--watts", "20", "--cloud-price", "1.5"])
    assert code == 0
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    (llm,) = printed["language"]
    (vision,) = printed["vision"]
    assert llm["name"] == "tiny-llama" and [s["status"] for s in llm["shapes"]] == ["measured", "clipped"]
    assert llm["score"] > 0 and llm["cost"]["local_per_mtok"] > 0 and llm["cost"]["cloud_per_mtok"] == 1.5
    assert vision["name"] == "EfficientNet-Lite0" and vision["folder_ips"] > 0
    assert read_report(out / "r.json").language[0].score == llm["score"]  # the saved report is the printed one
    assert "tiny-llama" in (out / "r.html").read_text() and (out / "r.csv").read_text().count("\n") == 1 + 4 + 20
    assert len(pypdfium2.PdfDocument(str(out / "r.pdf"))) >= 3
    assert "[2/2] EfficientNet-Lite0" in captured.err


def test_a_bad_shape_is_one_line(capsys):
    assert main(["eval", "speed", "--shapes", "12x4"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("hearth: '12x4' is not a shape") and "\n" not in err
