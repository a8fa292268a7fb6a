"""Hostile evaluation data, tried as an attacker would: every case is one problem line (or one sentence when
nothing is usable), the good rows around it are kept, nothing expands before its size is known.

The files are built small: zip bombs of a few KB, 100 MB lines as sparse files (a hole on disk)."""

from __future__ import annotations

import json

import pytest
from hostile_data_factory import SHEET_HEAD, question_workbook, replace_entry, run_with_peak, sparse_line

from desktop_app.core.evaluate.quality import datasets, detection_files, question_files
from desktop_app.core.evaluate.quality.datasets import EvaluationDataError

GOOD = b'{"prompt": "Capital of Peru?", "expected": "Lima"}\n'
GOOD_2 = b'{"prompt": "Two plus two?", "expected": "4"}\n'
MB = 1024 * 1024
# in the child: its peak's growth past the imports, in MB (VmHWM only rises)
GROWTH = ("from desktop_app.core.evaluate.quality import datasets\n"
          "base = peak_kib()\n"
          "grown = lambda: (peak_kib() - base) / 1024")


def lines(found) -> list[str]:
    return [p.line() for p in found.problems]


# JSONL


def test_a_100_mb_line_is_skipped_unread_and_the_rows_around_it_are_kept(tmp_path):
    path = sparse_line(tmp_path / "set.jsonl", GOOD, 100 * MB, GOOD_2)
    found = datasets.load_questions(path)
    assert [q.item for q in found.questions] == ["1", "3"]
    assert lines(found) == ["set.jsonl, row 2: is longer than 1 MB; the line is skipped unread."]


def test_the_100_mb_line_costs_no_memory(tmp_path):
    path = sparse_line(tmp_path / "set.jsonl", GOOD, 100 * MB, GOOD_2)
    code = (f"{GROWTH}\nfound = datasets.load_questions(sys.argv[1])\n"
            "print(len(found.questions), len(found.problems), grown())")
    result, peak_mb = run_with_peak(code, str(path))
    questions, problems, grown_mb = result.stdout.split()
    assert (questions, problems) == ("2", "1"), result.stderr
    assert float(grown_mb) < 20 and peak_mb < 1500  # read in 1 MB steps and dropped, never held (nor tokenized) whole


def test_a_4_mb_line_is_refused_before_json_parses_it(tmp_path, monkeypatch):
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text, *a, **k: parsed.append(len(text)) or real_loads(text, *a, **k))
    line = b'{"prompt": "' + b"x" * (4 * MB) + b'", "expected": "y"}\n'
    (tmp_path / "set.jsonl").write_bytes(GOOD + line + GOOD_2)
    found = datasets.load_questions(tmp_path / "set.jsonl")
    assert [q.item for q in found.questions] == ["1", "3"] and max(parsed) < 100
    assert lines(found) == ["set.jsonl, row 2: is longer than 1 MB; the line is skipped unread."]


def test_a_lone_surrogate_and_deep_nesting_are_one_line_each(tmp_path):
    deep = b'{"prompt": ' + b"[" * 100_000 + b"]" * 100_000 + b', "expected": "x"}\n'
    lone = b'{"prompt": "\\ud800 hi", "expected": "x"}\n'
    (tmp_path / "set.jsonl").write_bytes(GOOD + lone + deep + GOOD_2)
    found = datasets.load_questions(tmp_path / "set.jsonl")
    assert [q.item for q in found.questions] == ["1", "4"]
    assert lines(found) == [
        "set.jsonl, row 2: holds a character that is not valid Unicode (a lone surrogate such as \\ud800); the row is skipped.",
        "set.jsonl, row 3: nests deeper than 64 levels; the line is skipped."]


def test_one_bad_byte_drops_its_line_only(tmp_path):
    (tmp_path / "set.jsonl").write_bytes(GOOD + b'{"prompt": "caf\xe9", "expected": "x"}\n' + GOOD_2)
    found = datasets.load_questions(tmp_path / "set.jsonl")
    assert [q.item for q in found.questions] == ["1", "3"]
    assert lines(found) == ["set.jsonl, row 2: is not UTF-8 text (byte 16 of the line); the line is skipped."]


# CSV


def test_a_200_mb_csv_cell_does_not_drop_the_valid_rows(tmp_path):
    path = sparse_line(tmp_path / "set.csv", b"prompt,expected\nCapital of Peru?,Lima\n", 200 * MB,
                       b"Two plus two?,4\n")
    found = datasets.load_questions(path)
    assert [(q.item, q.expected) for q in found.questions] == [("2", "Lima"), ("4", "4")]
    assert lines(found) == ["set.csv, row 3: is longer than 1 MB; the row is skipped unread."]


def test_a_cell_over_the_csv_field_limit_and_a_bad_byte_are_one_line_each(tmp_path):
    big = b'"' + b"x" * 200_000 + b'",y\n'
    (tmp_path / "set.csv").write_bytes(b"prompt,expected\n" + big + b"caf\xe9,x\nTwo plus two?,4\n")
    found = datasets.load_questions(tmp_path / "set.csv")
    assert [q.item for q in found.questions] == ["4"]
    assert lines(found) == [
        "set.csv, row 2: cannot be read as CSV (a cell longer than 131,072 characters or a broken quote); the row is skipped.",
        "set.csv, row 3: is not UTF-8 text (byte 4 of the line); the row is skipped."]


# XLSX


def test_one_huge_cell_is_refused_on_its_declared_size(tmp_path):
    path = question_workbook(tmp_path / "set.xlsx")
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    replace_entry(path, "xl/worksheets/sheet1.xml", SHEET_HEAD + cell, b"A" * MB, 40,
                  b"</t></is></c></row></sheetData></worksheet>")
    assert path.stat().st_size < 200_000
    found = datasets.load_questions(path)
    assert not found.questions
    assert lines(found) == ["set.xlsx: unpacks to more than 32 MB in one part or 64 MB in all; Hearth does not open it "
                            "(it may be a zip bomb)."]


def test_a_shared_strings_bomb_that_lies_about_its_size_is_refused_while_inflating(tmp_path):
    path = question_workbook(tmp_path / "set.xlsx")
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    replace_entry(path, "xl/sharedStrings.xml", head, b"<si><t>lol</t></si>" * 50_000, 40, b"</sst>", declared=1000)
    code = (f"{GROWTH}\nfound = datasets.load_questions(sys.argv[1])\n"
            "print(len(found.questions)); print(found.problems[0].line()); print(grown())")
    result, peak_mb = run_with_peak(code, str(path))
    count, problem, grown_mb = result.stdout.splitlines()
    assert count == "0" and problem.startswith("set.xlsx: is not a readable XLSX workbook"), result.stderr
    assert float(grown_mb) < 20 and peak_mb < 1500  # before: the shared strings bomb drove the process to 8.4 GB


def test_a_bomb_of_rows_stops_at_the_row_limit(tmp_path):
    path = question_workbook(tmp_path / "set.xlsx")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    replace_entry(path, "xl/worksheets/sheet1.xml", SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'),
                  b'<row r="2"><c r="A2" t="inlineStr"><is><t>Capital?</t></is></c><c r="B2" t="inlineStr"><is><t>Lima</t></is></c></row>',
                  1, far + b"</sheetData></worksheet>")
    code = (f"{GROWTH}\nfound = datasets.load_questions(sys.argv[1])\n"
            "print([q.item for q in found.questions]); print([p.line() for p in found.problems])")
    # before, openpyxl padded a million rows to 16,384 columns each; a limit of 30 s (it takes one) catches a hang
    result, peak_mb = run_with_peak(code, str(path), timeout=30)
    assert result.stdout.splitlines() == ["['2']", "['set.xlsx, row 100002: the sheet has more than 100,000 rows; "
                                                   "only the first 100,000 are read.']"], result.stderr
    assert peak_mb < 1500


def test_a_file_that_is_not_a_workbook_is_one_line(tmp_path):
    (tmp_path / "set.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    found = datasets.load_questions(tmp_path / "set.xlsx")
    assert lines(found) == ["set.xlsx: is not a readable XLSX workbook (it may be damaged or another format); "
                            "no question was read."]


# COCO


def coco(tmp_path, images, annotations, categories=({"id": 1, "name": "cat"},), name="truth.json"):
    (tmp_path / "a.jpg").write_bytes(b"x")
    (tmp_path / "b.jpg").write_bytes(b"x")
    data = {"images": images, "categories": list(categories), "annotations": annotations}
    (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / name


def test_every_bad_coco_entry_is_one_line_with_its_index_and_the_rest_is_scored(tmp_path):
    images = [{"id": 1, "file_name": "a.jpg"}, {"id": "2", "file_name": "b.jpg"}, {"file_name": "b.jpg"},
              {"id": 3}, "not an object", {"id": float("nan"), "file_name": "b.jpg"}, {"id": 4, "file_name": "b.jpg"}]
    box = [1, 1, 5, 5]
    annotations = [
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": box},
        {"id": 2, "image_id": 1, "category_id": 1, "bbox": [1, 1, 5]},
        {"id": 3, "image_id": 1, "category_id": 1, "bbox": ["1", "1", "5", "5"]},
        {"id": 4, "image_id": 1, "category_id": 1},
        [1, 2, 3],
        {"id": 6, "image_id": "1", "category_id": 1, "bbox": box},
        {"id": 7, "image_id": 1, "category_id": 1, "bbox": [float("nan"), 1, 5, 5]},
        {"id": 8, "image_id": 1, "category_id": 1, "bbox": [-3, 1, 5, 5]},
        {"id": 9, "image_id": 1, "category_id": 1, "bbox": [1, 1, -5, 5]},
        {"id": 10, "image_id": 4, "category_id": [1], "bbox": box},
        {"id": 11, "image_id": 4, "category_id": 1, "bbox": box},
    ]
    found = datasets.load_detection_set(coco(tmp_path, images, annotations))
    assert sorted(found.paths) == [1, 4]
    assert [(a["id"], a["image_id"]) for a in found.dataset["annotations"]] == [(1, 1), (2, 4)]  # renumbered
    assert lines(found) == [
        "truth.json: image entry 2 has no whole-number id (it has \"2\"); it and its boxes are left out.",
        "truth.json: image entry 3 has no whole-number id (it has null); it and its boxes are left out.",
        "truth.json: image entry 4 has no file_name; it and its boxes are left out.",
        "truth.json: image entry 5 is not an object; it and its boxes are left out.",
        "truth.json: image entry 6 has no whole-number id (it has nan); it and its boxes are left out.",
        "truth.json, row 2: annotation 2 has the box [1, 1, 5], not four finite numbers x, y, width, height with x "
        "and y at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 3: annotation 3 has the box [\"1\", \"1\", \"5\", \"5\"], not four finite numbers x, y, width, "
        "height with x and y at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 4: annotation 4 has the box null, not four finite numbers x, y, width, height with x and y "
        "at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 5: annotation 5 is not an object; it is left out.",
        "truth.json, row 6: annotation 6 has no whole-number image_id (it has \"1\"); it is left out.",
        "truth.json, row 7: annotation 7 has the box [NaN, 1, 5, 5], not four finite numbers x, y, width, height with "
        "x and y at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 8: annotation 8 has the box [-3, 1, 5, 5], not four finite numbers x, y, width, height with "
        "x and y at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 9: annotation 9 has the box [1, 1, -5, 5], not four finite numbers x, y, width, height with "
        "x and y at least 0 and a width and height above 0; it is left out.",
        "truth.json, row 10: annotation 10 has the unknown category id [1]; it is left out.",
    ]


@pytest.mark.parametrize("name", ["../outside.jpg", "/etc/passwd", "sub/../../outside.jpg", "..\\outside.jpg"])
def test_a_file_name_outside_the_dataset_folder_is_never_opened(tmp_path, name):
    folder = tmp_path / "set"
    folder.mkdir()
    (tmp_path / "outside.jpg").write_bytes(b"x")
    found = datasets.load_detection_set(coco(folder, [{"id": 1, "file_name": name}, {"id": 2, "file_name": "a.jpg"}], []))
    assert list(found.paths) == [2]
    assert lines(found) == [f"truth.json: image entry 1 points outside the dataset folder ({json.dumps(name)}); "
                            "it and its boxes are left out."]


@pytest.mark.parametrize("top, why", [
    ([], "its top level is not an object"),
    ({"images": {}, "categories": []}, "its images, categories and annotations must be lists"),
    ({"images": [], "categories": [], "annotations": "x"}, "its images, categories and annotations must be lists"),
    ({"images": [], "categories": [{"id": "1", "name": "cat"}]}, "it has no usable category"),
])
def test_a_coco_file_of_the_wrong_shape_is_one_sentence(tmp_path, top, why):
    (tmp_path / "truth.json").write_text(json.dumps(top), encoding="utf-8")
    with pytest.raises(EvaluationDataError, match=f"^truth.json is not a COCO file with images and categories: {why}"):
        datasets.load_detection_set(tmp_path / "truth.json")


def test_a_500_mb_coco_file_is_refused_before_it_is_read(tmp_path):
    path = sparse_line(tmp_path / "truth.json", b"{", 500 * MB, b"}")
    with pytest.raises(EvaluationDataError) as error:
        datasets.load_detection_set(path)
    assert str(error.value) == "truth.json is 500 MB; a COCO file for Hearth holds at most 96 MB: split the set."


def test_too_many_annotations_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(detection_files, "MAX_ANNOTATIONS", 3)
    box = {"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2]}
    path = coco(tmp_path, [{"id": 1, "file_name": "a.jpg"}], [box] * 4)
    with pytest.raises(EvaluationDataError, match="^truth.json lists 4 annotations; Hearth scores at most 3 in one run"):
        datasets.load_detection_set(path)


# YOLO


def yolo(tmp_path, label: bytes, names: bytes = b"cat\n", names_file: str = "classes.txt", label_name: str = "a.txt"):
    from PIL import Image

    Image.new("RGB", (100, 100)).save(tmp_path / "a.png")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / label_name).write_bytes(label)
    (tmp_path / names_file).write_bytes(names)
    return tmp_path


def test_a_label_file_that_is_not_utf8_is_one_line(tmp_path):
    found = datasets.load_detection_set(yolo(tmp_path, b"0 0.5 0.5 0.2 0.2\n\xff\xfe junk\n"))
    assert lines(found) == ["labels/a.txt: is not UTF-8 text (byte 19); its image is skipped."]


def test_nan_negative_and_out_of_range_yolo_boxes_are_one_line_each(tmp_path):
    found = datasets.load_detection_set(yolo(tmp_path, b"0 0.5 0.5 0.2 0.2\n0 nan 0.5 0.2 0.2\n0 0.5 0.5 -0.2 0.2\n0 0.5 7 0.2 0.2\n"))
    assert len(found.dataset["annotations"]) == 1
    assert [p.row for p in found.problems] == [2, 3, 4]
    assert all(p.message == "has a box outside 0-1 (or empty, or not a number); skipped." for p in found.problems)


BILLION_LAUGHS = b"""names: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("data_yaml", [
    BILLION_LAUGHS,
    b"names: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n",
    b"names: !!python/object:builtins.dict {}\n",
    b"names: [" + b"a, " * 30_000 + b"b]\n",
], ids=["billion-laughs", "python-apply", "python-object", "too-many-nodes"])
def test_a_hostile_data_yaml_is_refused_by_the_safe_loader(tmp_path, data_yaml):
    folder = yolo(tmp_path, b"0 0.5 0.5 0.2 0.2\n", data_yaml, "data.yaml")
    with pytest.raises(EvaluationDataError) as error:
        datasets.load_detection_set(folder)
    assert str(error.value) == ("data.yaml is not plain YAML Hearth reads safely (it uses aliases, tags such as "
                                "!!python/object, or more than 20,000 nodes, or it is not YAML); list the class names "
                                "in classes.txt instead.")
    assert not (tmp_path / "pwned.txt").exists()


def test_data_yaml_names_as_a_list_or_a_map(tmp_path):
    folder = yolo(tmp_path, b"1 0.5 0.5 0.2 0.2\n", b"path: .\nnames:\n  0: cat\n  1: 'dog'\n", "data.yaml")
    found = datasets.load_detection_set(folder)
    assert [c["name"] for c in found.dataset["categories"]] == ["cat", "dog"] and not found.problems


def test_control_characters_in_file_names_never_reach_a_line_raw(tmp_path):
    found = datasets.load_detection_set(yolo(tmp_path, b"0 0.5 0.5 0.2 0.2\n", label_name="\x1b[31mred\u202e.txt"))
    (line,) = lines(found)
    assert line == "labels/\\x1b[31mred\\u202e.txt: points at an image that is missing; skipped."
    assert "\x1b" not in line and "\u202e" not in line


def test_the_line_limit_is_the_one_the_problems_name():
    assert question_files.MAX_LINE_BYTES == MB
