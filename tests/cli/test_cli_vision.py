"""`hearth classify` and `hearth detect` as a script would run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from vision_factory import photo, write_bad_images, write_yolo_onnx

from desktop_app.cli import main

pytestmark = pytest.mark.slow


def test_classify_json_lists_predictions(capsys):
    assert main(["classify", str(photo("coffee.png")), str(photo("chelsea.png")), "--top-k", "3", "--json"]) == 0
    out = capsys.readouterr()
    document = json.loads(out.out)
    assert [d["image"] for d in document] == [str(photo("coffee.png")), str(photo("chelsea.png"))]
    assert document[0]["predictions"][0]["label"] == "espresso"
    assert all(len(d["predictions"]) == 3 and set(d["predictions"][0]) == {"label", "score"} for d in document)
    assert out.err == ""


def test_detect_folder_with_bad_files_reports_each_and_goes_on(tmp_path, capsys):
    folder = tmp_path / "photos"
    bad = write_bad_images(folder / "bad")
    shutil.copy(photo("astronaut.png"), folder / "astronaut.png")
    annotated = tmp_path / "annotated"
    code = main(["detect", str(folder), "--conf", "0.3", "--iou", "0.5", "--json", "--save-annotated", str(annotated)])
    out = capsys.readouterr()
    assert code == 0
    document = json.loads(out.out)
    assert len(document) == 1
    astronaut = document[0]
    assert (astronaut["width"], astronaut["height"]) == (512, 512)
    person = next(d for d in astronaut["detections"] if d["label"] == "person")
    x1, y1, x2, y2 = person["box"]
    assert 0 <= x1 < x2 <= 512 and 0 <= y1 < y2 <= 512
    lines = out.err.strip().splitlines()
    assert len(lines) == len(bad) and all(line.startswith("hearth: bad/") for line in lines)  # the subfolder too
    assert all("Traceback" not in line for line in lines)
    assert [p.name for p in annotated.iterdir()] == ["astronaut.png"]


def test_nothing_processed_exits_non_zero_without_traceback(tmp_path):
    bad = write_bad_images(tmp_path)
    env = {**os.environ, "HEARTH_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "desktop_app", "classify", *map(str, bad.values())],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert lines[-1] == "hearth: None of the 4 images could be processed."
    assert len(lines) == 5 and "Traceback" not in run.stderr


def test_detect_with_a_yolo_model_path(tmp_path, capsys):
    rows = np.array([[32, 32, 20, 20, 0.9, 0.05]], np.float32)
    model = write_yolo_onnx(tmp_path / "one-box.onnx", rows, ["dot", "dash"])
    image = tmp_path / "square.png"
    Image.new("RGB", (128, 128), (0, 0, 0)).save(image)
    assert main(["detect", str(image), "--model", str(model), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document[0]["detections"] == [{"label": "dot", "score": 0.9, "box": [44.0, 44.0, 84.0, 84.0]}]


def test_bad_thresholds_are_user_errors(capsys):
    assert main(["detect", str(photo("coffee.png")), "--conf", "2"]) == 1
    assert capsys.readouterr().err.strip() == "hearth: --conf and --iou must be between 0 and 1."
