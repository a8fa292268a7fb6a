"""Decoders on tiny ONNX graphs built with onnx.helper, and NMS selection."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from vision_factory import write_yolo_onnx

from desktop_app.core.vision import DetectorEngine
from desktop_app.core.vision.decoders import Candidates, class_probabilities, select, top_k

NAMES = ["apple", "pear", "fig"]
# cx, cy, w, h (input pixels of a 64x64 model), then scores for apple, pear, fig
ROWS = np.array(
    [
        [20, 30, 16, 16, 0.90, 0.01, 0.01],  # apple
        [21, 31, 16, 16, 0.80, 0.02, 0.01],  # the same apple again (IoU ~0.8)
        [48, 40, 10, 20, 0.05, 0.70, 0.10],  # pear
        [10, 10, 4, 4, 0.02, 0.01, 0.10],  # fig below any useful threshold
        [32, 32, 8, 8, 0.00, 0.00, 0.00],
    ],
    np.float32,
)


@pytest.fixture
def wide_image(tmp_path):
    """128 x 64: letterboxed into 64 x 64 at scale 0.5 with 16 pixels of padding above and below."""
    path = tmp_path / "wide.png"
    Image.new("RGB", (128, 64), (90, 120, 200)).save(path)
    return path


@pytest.mark.parametrize("layout", ["v8", "v5"])
def test_yolo_layout_boxes_labels_and_nms(tmp_path, wide_image, layout):
    rows = ROWS if layout == "v8" else np.insert(ROWS, 4, 1.0, axis=1)  # v5: objectness 1
    model = write_yolo_onnx(tmp_path / f"tiny-{layout}.onnx", rows, NAMES)
    with DetectorEngine(model) as engine:
        assert engine.spec.decoder == "yolo"
        assert engine.spec.labels == tuple(NAMES)  # from the ONNX metadata `names`
        assert (engine.spec.input.width, engine.spec.input.layout) == (64, "NCHW")
        result = engine.detect(wide_image, conf=0.25, iou=0.5)
    assert [d.label for d in result.detections] == ["apple", "pear"]
    apple = result.detections[0]
    # input (12, 22)-(28, 38) -> original ((x - 0) / 0.5, (y - 16) / 0.5)
    assert apple.box == pytest.approx((24.0, 12.0, 56.0, 44.0), abs=1e-3)
    assert apple.score == pytest.approx(0.9)
    assert len(result.refilter(0.25, 0.95)) == 3  # a looser NMS keeps the duplicate apple
    assert [d.label for d in result.refilter(0.75, 0.5)] == ["apple"]
    assert {d.label for d in result.refilter(0.05, 0.5, classes={2})} == {"fig"}


def test_select_is_per_class_nms():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]], np.float32)
    candidates = Candidates(boxes, np.array([0.9, 0.8, 0.7], np.float32), np.array([0, 0, 1], np.int32))
    assert select(candidates, 0.5, 0.5).tolist() == [0, 2]  # the overlapping box of another class survives
    assert select(candidates, 0.75, 0.5).tolist() == [0]
    assert select(Candidates.empty(), 0.1, 0.5).size == 0


def test_class_probabilities_softmax_sigmoid_and_passthrough():
    logits = np.array([[2.0, 1.0, 0.0]], np.float32)
    soft = class_probabilities(logits, "softmax")
    assert soft.sum() == pytest.approx(1.0) and soft.argmax() == 0
    assert class_probabilities(np.array([0.0]), "sigmoid")[0] == pytest.approx(0.5)
    already = np.array([0.7, 0.2, 0.1], np.float32)
    assert class_probabilities(already, "softmax") == pytest.approx(already)  # not squashed twice
    assert top_k(soft, 2) == [(0, pytest.approx(soft[0])), (1, pytest.approx(soft[1]))]
