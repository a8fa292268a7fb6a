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


def test_eval_compare_two_report_files(tmp_path, capsys):
    from evaluation_factory import sample_report

    from desktop_app.core.evaluate.report import write_json

    slow, fast = sample_report("Old laptop", gen=(10.0, 11.0, 12.0)), sample_report("New desktop", gen=(40.0, 44.0, 42.0))
    write_json(slow, tmp_path / "a.json")
    write_json(fast, tmp_path / "b.json")
    assert main(["eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["left"]["machine"]["cpu_model"] == "Old laptop" and printed["right"]["machine"]["cpu_model"] == "New desktop"
    gen = next(r for r in printed["rows"] if r["model"] == "Chatty [CPU]" and r["metric"] == "generation tok/s")
    assert (gen["left"], gen["right"]) == (11.0, 42.0) and abs(gen["ratio"] - 42 / 11) < 1e-9
    assert main(["eval", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 0
    table = capsys.readouterr().out
    assert "first:  Old laptop" in table and "3.82x" in table


def test_eval_speed_keeps_the_run_and_compare_opens_it_by_number(tmp_path, tiny_gguf, capsys):
    from evaluation_factory import sample_report

    from desktop_app.core.evaluate.report import write_json

    assert main(["eval", "speed", "--models", str(tiny_gguf), "--shapes", "64/8", "--reps", "1", "--ctx", "512",
                 "--threads", "2", "--json"]) == 0
    assert "kept as run 1" in capsys.readouterr().err
    assert main(["eval", "history", "--json"]) == 0
    (kept,) = json.loads(capsys.readouterr().out)
    assert kept["id"] == 1 and kept["title"].startswith("tiny-llama on ")
    write_json(sample_report("Other PC"), tmp_path / "other.json")
    assert main(["eval", "compare", "1", str(tmp_path / "other.json"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert any(r["model"] == "tiny-llama [CPU]" and r["left"] and r["right"] is None for r in rows)
    assert main(["eval", "speed", "--models", str(tiny_gguf), "--shapes", "64/8", "--reps", "1", "--ctx", "512",
                 "--no-history", "--json"]) == 0
    assert "kept as run" not in capsys.readouterr().err
    assert main(["eval", "history", "--json"]) == 0 and len(json.loads(capsys.readouterr().out)) == 1


def test_eval_compare_a_file_that_is_not_a_report_is_one_line(tmp_path, capsys):
    (tmp_path / "x.json").write_text("[1, 2]")
    assert main(["eval", "compare", str(tmp_path / "x.json"), str(tmp_path / "x.json")]) != 0
    err = capsys.readouterr().err.strip()
    assert err == "hearth: This file is not a Hearth evaluation report."
