"""Reading evaluation data: every bad row or file is one problem line with the file and row; the rest is read."""

import json

import pytest
from openpyxl import Workbook

from desktop_app.core.evaluate.quality import datasets
from desktop_app.core.evaluate.quality.datasets import EvaluationDataError
from desktop_app.core.paths import assets_dir


def test_the_starter_question_sets_read_cleanly():
    en = datasets.load_questions(assets_dir() / "eval" / "questions" / "starter-en.csv")
    zh = datasets.load_questions(assets_dir() / "eval" / "questions" / "starter-zh.jsonl")
    assert (len(en.questions), len(zh.questions)) == (40, 40) and not en.problems and not zh.problems
    assert {q.category for q in en.questions} == {"facts", "arithmetic", "extraction", "classification"}
    assert en.questions[0].item == "2" and en.questions[0].expected == "Paris" and en.questions[0].system


def test_csv_rows_missing_a_value_are_problems_with_their_row(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("Prompt,Expected,category\nWhat is 2+2?,4,math\nNo answer here,,math\n,5,math\nCapital of Peru?,Lima,\n",
                    encoding="utf-8")
    found = datasets.load_questions(path)
    assert [q.item for q in found.questions] == ["2", "5"]
    assert [p.line() for p in found.problems] == ["set.csv, row 3: no expected; the row is skipped.",
                                                  "set.csv, row 4: no prompt; the row is skipped."]


def test_a_csv_without_the_expected_column_is_one_problem(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("prompt,answer\nWhat is 2+2?,4\n", encoding="utf-8")
    found = datasets.load_questions(path)
    assert not found.questions
    (problem,) = found.problems
    assert problem.row == 1 and "no expected column" in problem.message and "answer, prompt" in problem.message


def test_xlsx_and_jsonl(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["prompt", "expected", "system"])
    sheet.append(["Capital of Peru?", "Lima", "Be brief."])
    sheet.append([None, None, None])
    sheet.append(["Two plus two?", 4, None])
    book.save(tmp_path / "set.xlsx")
    found = datasets.load_questions(tmp_path / "set.xlsx")
    assert [(q.item, q.expected, q.system) for q in found.questions] == [("2", "Lima", "Be brief."), ("4", "4", "")]
    lines = [json.dumps({"prompt": "a?", "expected": "b"}), "{not json", "[1, 2]", json.dumps({"prompt": "c?"})]
    (tmp_path / "set.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = datasets.load_questions(tmp_path / "set.jsonl")
    assert [q.item for q in found.questions] == ["1"]
    assert [p.row for p in found.problems] == [2, 3, 4]


def test_a_file_that_is_not_a_question_set_is_an_error(tmp_path):
    with pytest.raises(EvaluationDataError, match="CSV, XLSX or JSONL"):
        datasets.load_questions(tmp_path / "missing.csv")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(EvaluationDataError, match="not a question set"):
        datasets.load_questions(tmp_path / "notes.txt")


def test_summary_folder_pairs_documents_with_references(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "a.summary.txt").write_text("Summary.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B", encoding="utf-8")
    (tmp_path / "c.summary.txt").write_text("Orphan.", encoding="utf-8")
    cases, problems = datasets.load_summary_folder(tmp_path)
    assert [c.document.name for c in cases] == ["a.txt"] and cases[0].reference == "Summary."
    assert sorted(p.file for p in problems) == ["b.md", "c.summary.txt"]


def test_an_empty_class_folder_is_a_problem_and_the_others_are_read(tmp_path):
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
    (tmp_path / "cat" / "x.jpg").write_bytes(b"not really")
    found = datasets.load_image_folder(tmp_path)
    assert found.classes == ["cat"] and len(found.images) == 1
    assert [p.line() for p in found.problems] == ["dog: is an empty class folder (no images); it is left out."]
    (tmp_path / "cat" / "x.jpg").unlink()
    with pytest.raises(EvaluationDataError, match="no class subfolders"):
        datasets.load_image_folder(tmp_path)


def coco(tmp_path, annotations, images=("a.jpg",)):
    data = {"images": [{"id": i + 1, "file_name": name, "width": 10, "height": 10} for i, name in enumerate(images)],
            "categories": [{"id": 1, "name": "cat"}], "annotations": annotations}
    (tmp_path / "truth.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_coco_missing_images_and_unknown_categories_are_problems(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"x")
    folder = coco(tmp_path, [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5]},
                             {"id": 2, "image_id": 1, "category_id": 9, "bbox": [0, 0, 5, 5]},
                             {"id": 3, "image_id": 2, "category_id": 1, "bbox": [0, 0, 5, 5]}], images=("a.jpg", "gone.jpg"))
    found = datasets.load_detection_set(folder)
    assert list(found.paths) == [1] and [a["id"] for a in found.dataset["annotations"]] == [1]
    lines = [p.line() for p in found.problems]
    assert lines == ["truth.json: image 2 points at gone.jpg, which is missing; it and its boxes are left out.",
                     "truth.json, row 2: annotation 2 has the unknown category id 9; it is left out."]


def test_yolo_labels_become_pixel_boxes_and_orphan_labels_are_problems(tmp_path):
    from PIL import Image

    Image.new("RGB", (200, 100)).save(tmp_path / "a.png")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "a.txt").write_text("0 0.5 0.5 0.5 0.2\n7 0.5 0.5 0.1 0.1\nbad line\n", encoding="utf-8")
    (tmp_path / "labels" / "b.txt").write_text("0 0.5 0.5 0.1 0.1\n", encoding="utf-8")
    (tmp_path / "data.yaml").write_text("path: .\nnames:\n  0: cat\n  1: dog\n", encoding="utf-8")
    found = datasets.load_detection_set(tmp_path)
    assert [c["name"] for c in found.dataset["categories"]] == ["cat", "dog"]
    (box,) = found.dataset["annotations"]
    assert box["bbox"] == pytest.approx([50, 40, 100, 20]) and box["category_id"] == 1
    assert [p.line() for p in found.problems] == [
        "labels/a.txt, row 2: has the unknown class 7; skipped.", "labels/a.txt, row 3: is not 'class cx cy w h'; skipped.",
        "labels/b.txt: points at an image that is missing; skipped."]
