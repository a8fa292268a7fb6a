"""`hearth eval quality` as a script would run it: per-model figures and per-item rows, files, one-line errors."""

from __future__ import annotations

import json

import pypdfium2

from desktop_app.cli import main
from desktop_app.core.paths import assets_dir
from tests.gguf_factory import write_tiny_llama


def test_qa_on_two_models_prints_figures_and_rows(tmp_path, tiny_gguf, capsys):
    other = write_tiny_llama(tmp_path / "other.gguf", seed=5)
    data = tmp_path / "set.jsonl"
    data.write_text('{"prompt": "Capital of France?", "expected": "Paris", "category": "facts"}\nnot json\n'
                    '{"prompt": "说你好", "expected": "你好"}\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["eval", "quality", "--task", "qa", "--data", str(data), "--models", str(tiny_gguf), str(other),
                 "--max-tokens", "8", "--json", "--html", str(out / "q.html"), "--csv", str(out / "q.csv"),
                 "--pdf", str(out / "q.pdf")])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in printed["models"]] == ["tiny-llama", "other"]
    assert set(printed["models"][0]["overall"]) == {"exact", "contains", "chrf", "bleu"}
    assert len(printed["items"]) == 4 and {i["item"] for i in printed["items"]} == {"1", "3"}
    assert printed["problems"] == ["set.jsonl, row 2: is not valid JSON; the line is skipped."]
    html = (out / "q.html").read_text(encoding="utf-8")
    assert "Quality: answers to a question set" in html and "set.jsonl, row 2" in html
    assert (out / "q.csv").read_text(encoding="utf-8").count("\n") == 1 + 4 * 4  # four scores per item
    assert len(pypdfium2.PdfDocument(str(out / "q.pdf"))) >= 3


def test_classify_the_starter_folder_as_a_table(capsys):
    code = main(["eval", "quality", "--task", "classify", "--data", str(assets_dir() / "eval" / "classify"), "--no-history"])
    assert code == 0
    out = capsys.readouterr().out
    assert "EfficientNet-Lite0" in out and "Top-1" in out and "Top-5" in out and "Macro F1" in out


def test_the_run_is_kept_in_the_history(capsys):
    main(["eval", "quality", "--task", "detect", "--data", str(assets_dir() / "eval" / "detect"), "--json"])
    captured = capsys.readouterr()
    assert "kept as run" in captured.err
    assert main(["eval", "history", "--json"]) == 0
    (kept,) = json.loads(capsys.readouterr().out)
    assert kept["title"].startswith("Quality (detect): CenterNet-MobileNetV3 on ")


def test_data_that_is_not_there_is_one_line(tmp_path, capsys):
    assert main(["eval", "quality", "--task", "classify", "--data", str(tmp_path / "nothing"), "--no-history"]) != 0
    err = capsys.readouterr().err.strip()
    assert "is not a folder" in err and "\n" not in err


def test_a_model_for_another_task_is_one_line(capsys):
    assert main(["eval", "quality", "--task", "classify", "--data", str(assets_dir() / "eval" / "classify"),
                 "--models", "NanoDet-g", "--no-history"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "NanoDet-g cannot do 'classify' (it is for detect); name classify models."
