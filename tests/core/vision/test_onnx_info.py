"""ONNX metadata: the bundled vision models and tiny synthetic ones."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.errors import InvalidModelFile
from desktop_app.core.vision.onnx_info import read_onnx_info, validate_onnx
from desktop_app.core.library.registry import ModelRegistry
from vision_factory import write_dynamic_onnx, write_yolo_onnx


def test_bundled_models_are_described():
    infos = {e.name: read_onnx_info(e.path) for e in ModelRegistry().list(kind="onnx")}
    lite = infos["EfficientNet-Lite0"]
    assert (lite.opset, lite.task, lite.decoder, lite.label_count) == (17, "classify", "softmax", 1000)
    assert lite.inputs[0].shape == ["batch", 3, 224, 224] and lite.outputs[0].name == "logits"
    nano = infos["NanoDet-g"]
    assert (nano.task, nano.decoder, nano.label_count, len(nano.outputs)) == ("detect", "nanodet", 80, 6)


def test_yolo_metadata_without_sidecar(tmp_path):
    path = write_yolo_onnx(tmp_path / "y.onnx", np.zeros((3, 6)), ["cat", "dog"], size=32)
    info = validate_onnx(path)
    assert info.opset == 13 and info.task == "detect" and info.label_count == 2 and not info.has_sidecar
    assert info.inputs[0].shape == [1, 3, 32, 32] and info.inputs[0].dtype == "float32"


def test_not_onnx_and_checker_failures(tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"\x00\x01 definitely not protobuf \xff" * 50)
    with pytest.raises(InvalidModelFile):
        validate_onnx(junk)
    dynamic = write_dynamic_onnx(tmp_path / "dyn.onnx")
    assert read_onnx_info(dynamic).inputs[0].shape == [1, 3, "h", "w"]
