"""Decoders on tiny ONNX graphs built with onnx.helper, and NMS selection."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from vision_factory import write_constant_onnx, write_yolo_onnx

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


def test_ssd_style_outputs_with_a_sidecar(tmp_path, wide_image):
    boxes = np.array([[[0.25, 0.0, 0.75, 0.5], [0.0, 0.0, 0.1, 0.1]]], np.float32)  # y1 x1 y2 x2, normalised
    scores = np.array([[[0.05, 0.9, 0.05], [0.9, 0.05, 0.05]]], np.float32)  # column 0 is background
    model = write_constant_onnx(tmp_path / "ssd.onnx", {"boxes": boxes, "scores": scores}, [1, 64, 64, 3])
    (tmp_path / "ssd.json").write_text(json.dumps({
        "task": "detect",
        "input": {"resize": "stretch"},
        "output": {"decoder": "ssd", "outputs": ["boxes", "scores"], "box_format": "yxyx", "background_class": 0},
        "labels": ["background", "kite", "boat"],
    }))
    with DetectorEngine(model) as engine:
        assert engine.spec.input.layout == "NHWC"  # inferred from the ONNX input shape
        result = engine.detect(wide_image, conf=0.3, iou=0.5)
    assert [(d.label, d.score) for d in result.detections] == [("kite", pytest.approx(0.9))]
    assert result.detections[0].box == pytest.approx((0.0, 16.0, 64.0, 48.0))  # stretched 128 x 64 image


def test_end_to_end_yolo_rows_are_read_as_boxes(tmp_path, wide_image):
    rows = np.zeros((1, 300, 6), np.float32)
    rows[0, 0] = [8, 24, 24, 40, 0.8, 1]  # x1 y1 x2 y2 score class, input pixels
    model = write_constant_onnx(tmp_path / "v10.onnx", {"output0": rows}, [1, 3, 64, 64])
    (tmp_path / "v10.json").write_text(json.dumps({"task": "detect", "labels": ["a", "b", "c"]}))
    with DetectorEngine(model) as engine:
        result = engine.detect(wide_image, conf=0.3, iou=0.5)
    assert [(d.label, d.box) for d in result.detections] == [("b", pytest.approx((16.0, 16.0, 48.0, 48.0)))]


def test_missing_accelerator_falls_back_to_cpu_with_a_note(tmp_path):
    from desktop_app.core.vision.engine import choose_providers, create_session

    model = write_yolo_onnx(tmp_path / "tiny.onnx", ROWS, NAMES)
    assert choose_providers(["CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    assert choose_providers(["CUDAExecutionProvider", "CPUExecutionProvider"])[0] == "CUDAExecutionProvider"
    session, notes = create_session(model, ["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert session.get_providers() == ["CPUExecutionProvider"]
    assert notes == ["CUDA unavailable; running on CPU."]
