"""CSV, JSON, COCO and annotated-image exports."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
from PIL import Image

from desktop_app.core.vision.decoders import Candidates
from desktop_app.core.vision.export import (
    class_color, classification_csv, coco_json, detection_csv, draw_detections, results_json, save_annotated,
)
from desktop_app.core.vision.results import ClassificationResult, DetectionResult, ImageFailure, Prediction

LABELS = ("person", "cat")


def detection_result(path) -> DetectionResult:
    Image.new("RGB", (200, 100), (20, 20, 20)).save(path)
    candidates = Candidates(
        np.array([[10, 10, 60, 90], [100, 20, 180, 80]], np.float32),
        np.array([0.9, 0.6], np.float32),
        np.array([0, 1], np.int32),
    )
    result = DetectionResult(str(path), 200, 100, candidates, LABELS, 0.3, 0.5)
    result.refilter(0.3, 0.5)
    return result


def test_detection_exports(tmp_path):
    result = detection_result(tmp_path / "street.png")
    failure = ImageFailure("broken.jpg", "broken.jpg: the file is empty.")
    rows = list(csv.DictReader(io.StringIO(detection_csv([result], [failure]))))
    assert [r["label"] for r in rows] == ["person", "cat", ""]
    assert rows[0]["x2"] == "60.00" and rows[2]["error"] == "broken.jpg: the file is empty."
    coco = json.loads(coco_json([result], LABELS))
    assert coco["categories"][1] == {"id": 2, "name": "cat"}
    assert coco["annotations"][1]["bbox"] == [100.0, 20.0, 80.0, 60.0]
    assert coco["images"][0]["width"] == 200
    document = json.loads(results_json([result], [failure]))
    assert document[0]["detections"][0] == {"label": "person", "score": 0.9, "box": [10.0, 10.0, 60.0, 90.0]}
    assert document[1] == {"image": "broken.jpg", "error": "broken.jpg: the file is empty."}


def test_annotated_images_have_class_coloured_boxes(tmp_path):
    result = detection_result(tmp_path / "street.png")
    drawn = draw_detections(np.full((100, 200, 3), 20, np.uint8), result)
    assert tuple(drawn[50, 10]) == class_color(0)  # left edge of the person box
    assert class_color(0) != class_color(1)
    written = save_annotated([result, result], tmp_path / "out")
    assert [p.name for p in written] == ["street.png", "street-2.png"]
    with Image.open(written[0]) as image:
        assert image.size == (200, 100)


def test_classification_csv():
    result = ClassificationResult("cup.png", 10, 10, [Prediction("espresso", 0.95, 967), Prediction("cup", 0.02, 968)])
    rows = list(csv.reader(io.StringIO(classification_csv([result]))))
    assert rows[1] == ["cup.png", "1", "espresso", "0.950000", ""]
