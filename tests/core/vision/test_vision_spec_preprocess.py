"""Sidecar specs, what is inferred from the ONNX file, and preprocessing geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest
from vision_factory import write_dynamic_onnx, write_yolo_onnx

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.vision import ClassifierEngine, DetectorEngine
from desktop_app.core.vision.preprocess import prepare
from desktop_app.core.vision.spec import InputSpec, SidecarNeeded, parse_names


def test_model_without_enough_information_asks_for_a_sidecar(tmp_path):
    model = write_dynamic_onnx(tmp_path / "mystery.onnx")
    with pytest.raises(SidecarNeeded) as caught:
        DetectorEngine(model)
    message = str(caught.value)
    assert "mystery" in message and '"width"' in message and '"decoder"' in message


def test_sidecar_completes_a_model(tmp_path):
    model = write_yolo_onnx(tmp_path / "fruit.onnx", np.zeros((3, 6), np.float32), ["a", "b"])
    (tmp_path / "fruit.json").write_text(json.dumps({
        "name": "Fruit finder",
        "input": {"color": "BGR", "mean": [0.5], "std": 0.25, "resize": "stretch"},
        "labels": ["apple", "banana"],
    }))
    with DetectorEngine(model) as engine:
        spec = engine.spec
    assert spec.name == "Fruit finder" and spec.labels == ("apple", "banana")
    assert (spec.input.color, spec.input.mean, spec.input.std, spec.input.resize) == ("BGR", (0.5,) * 3, (0.25,) * 3, "stretch")


def test_wrong_task_is_refused(tmp_path):
    model = write_yolo_onnx(tmp_path / "det.onnx", np.zeros((3, 6), np.float32), ["a", "b"])
    with pytest.raises(ModelLoadError, match="is a detect model, not a classify model"):
        ClassifierEngine(model)


def test_parse_ultralytics_names():
    assert parse_names("{0: 'person', 1: 'bicycle', 10: 'fire hydrant'}") == ["person", "bicycle", "fire hydrant"]
    assert parse_names('["a", "b"]') == ["a", "b"]
    assert parse_names("not names") == []


def test_letterbox_placement_maps_boxes_back():
    pixels = np.zeros((100, 200, 3), np.uint8)
    pixels[:, :100] = 255  # left half white
    spec = InputSpec(name="x", layout="NCHW", width=64, height=64, pad_value=114)
    tensor, placement = prepare(pixels, spec)
    assert tensor.shape == (1, 3, 64, 64) and tensor.dtype == np.float32
    assert (placement.scale_x, placement.offset_x, placement.offset_y) == (0.32, 0.0, 16.0)
    assert tensor[0, 0, 0, 0] == pytest.approx(114 / 255)  # padding row
    assert tensor[0, 0, 32, 10] == pytest.approx(1.0) and tensor[0, 0, 32, 50] == pytest.approx(0.0)
    boxes = placement.to_original(np.array([[0, 16, 32, 48]], np.float32), 200, 100)
    assert boxes.tolist() == [[0.0, 0.0, 100.0, 100.0]]


def test_nhwc_bgr_mean_std_and_center_crop():
    pixels = np.zeros((300, 400, 3), np.uint8)
    pixels[..., 0] = 200  # red
    spec = InputSpec(name="x", layout="NHWC", width=32, height=32, color="BGR", scale=1.0,
                     mean=(10.0, 20.0, 30.0), std=(2.0, 2.0, 2.0), resize="center_crop", crop_pct=0.5)
    tensor, placement = prepare(pixels, spec)
    assert tensor.shape == (1, 32, 32, 3)
    assert tensor[0, 5, 5].tolist() == pytest.approx([-5.0, -10.0, 85.0])  # B, G, R after (x - mean) / std
    assert placement.scale_y == pytest.approx(64 / 300, rel=1e-3)  # short side resized to 32 / 0.5
