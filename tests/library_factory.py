"""Tiny model files for the library tests."""

from __future__ import annotations

from pathlib import Path

import onnx
from onnx import TensorProto, helper


def write_mystery_onnx(path: Path) -> Path:
    """Valid and runnable, but its input size is free and it has two outputs: nothing says how to use it."""
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["x"], ["a"], axes=[2, 3], keepdims=0), helper.make_node("Identity", ["a"], ["b"])],
        "mystery",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "h", "w"])],
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [1, 3]), helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 3])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return Path(path)
