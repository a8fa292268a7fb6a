"""`hearth eval quality` on hostile data, as a user would run it: one sentence and a non-zero exit when nothing
can be scored (never a table of 0.000), the valid rows scored when some are, and the process's own peak
memory far under 1.5 GB. Each file is built small (sparse files, zip bombs of a few KB)."""

from __future__ import annotations

import json

import pytest
from hostile_data_factory import HEARTH, SHEET_HEAD, question_workbook, replace_entry, run_with_peak, sparse_line

MB = 1024 * 1024
GOOD = b'{"prompt": "Capital of Peru?", "expected": "Lima"}\n'


def hearth(*args: str):
    return run_with_peak(HEARTH, *args, "--no-history", timeout=300)


def qa_bomb(tmp_path):
    path = question_workbook(tmp_path / "set.xlsx")
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    return replace_entry(path, "xl/worksheets/sheet1.xml", SHEET_HEAD + cell, b"A" * MB, 40, b"</t></is></c></row></sheetData></worksheet>")


def test_a_question_file_with_nothing_usable_is_one_sentence_and_no_table(tmp_path, tiny_gguf):
    path = sparse_line(tmp_path / "set.jsonl", b"", 100 * MB, b"")
    result, peak_mb = hearth("eval", "quality", "--task", "qa", "--data", str(path), "--models", str(tiny_gguf))
    assert result.returncode == 1 and result.stdout == ""  # no table of 0.000 scores
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["problem: set.jsonl, row 1: is longer than 1 MB; the line is skipped unread.",
                     f"hearth: nothing in {path} could be scored (the problems above say why); no result was kept."]
    assert peak_mb < 400


def test_an_xlsx_bomb_is_one_sentence(tmp_path, tiny_gguf):
    result, peak_mb = hearth("eval", "quality", "--task", "qa", "--data", str(qa_bomb(tmp_path)), "--models", str(tiny_gguf))
    assert result.returncode == 1 and result.stdout == ""
    assert "problem: set.xlsx: unpacks to more than 32 MB in one part or 64 MB in all" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("hearth: nothing in ")
    assert peak_mb < 400  # before: 8.4 GB


@pytest.mark.parametrize("build, sentence", [
    (lambda d: sparse_line(d / "truth.json", b"{", 500 * MB, b"}"),
     "hearth: truth.json is 500 MB; a COCO file for Hearth holds at most 96 MB: split the set."),
    (lambda d: (d / "truth.json").write_text(json.dumps({"images": [], "categories": {}})) and d / "truth.json",
     "hearth: truth.json is not a COCO file with images and categories: its images, categories and annotations must be lists."),
])
def test_a_detection_set_that_cannot_be_used_is_one_sentence(tmp_path, build, sentence):
    result, peak_mb = hearth("eval", "quality", "--task", "detect", "--data", str(build(tmp_path)))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == sentence
    assert peak_mb < 400  # before: the 500 MB file took 3.3 GB


def test_valid_rows_beside_a_100_mb_line_are_scored(tmp_path, tiny_gguf):
    path = sparse_line(tmp_path / "set.jsonl", GOOD, 100 * MB, b'{"prompt": "Two plus two?", "expected": "4"}\n')
    result, peak_mb = hearth("eval", "quality", "--task", "qa", "--data", str(path), "--models", str(tiny_gguf),
                             "--max-tokens", "8", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert {i["item"] for i in printed["items"]} == {"1", "3"}
    assert printed["problems"] == ["set.jsonl, row 2: is longer than 1 MB; the line is skipped unread."]
    assert peak_mb < 1500


def test_a_yaml_bomb_is_one_sentence(tmp_path):
    from PIL import Image

    Image.new("RGB", (10, 10)).save(tmp_path / "a.png")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "a.txt").write_text("0 0.5 0.5 0.2 0.2\n", encoding="utf-8")
    laughs = "names: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi"))
    (tmp_path / "data.yaml").write_text(laughs, encoding="utf-8")
    result, peak_mb = hearth("eval", "quality", "--task", "detect", "--data", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("hearth: data.yaml is not plain YAML Hearth reads safely")
    assert peak_mb < 400
