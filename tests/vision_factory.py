"""Real image files (good and bad) and tiny ONNX detectors for the vision tests."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

import skimage

SKIMAGE_DATA = Path(skimage.__file__).parent / "data"


def photo(name: str) -> Path:
    """A real photo shipped with scikit-image (astronaut.png, chelsea.png, coffee.png, ...)."""
    return SKIMAGE_DATA / name


def write_huge_png(path: Path, width: int = 20_000, height: int = 20_000) -> Path:
    """A PNG whose header claims width x height; only the header is valid, which is all a guard may read."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def write_bad_images(folder: Path) -> dict[str, Path]:
    """Files that must be reported and skipped, never stop a batch."""
    folder.mkdir(parents=True, exist_ok=True)
    jpeg = folder / "truncated.jpg"
    Image.open(photo("chelsea.png")).convert("RGB").save(jpeg, quality=90)
    jpeg.write_bytes(jpeg.read_bytes()[:600])
    text = folder / "notes.png"
    text.write_text("this is a shopping list, not a picture\n")
    empty = folder / "empty.jpg"
    empty.write_bytes(b"")
    huge = write_huge_png(folder / "huge.png")
    return {"truncated": jpeg, "not_an_image": text, "empty": empty, "huge": huge}


def write_odd_images(folder: Path) -> dict[str, Path]:
    """Unusual but valid files that must be converted: CMYK, 16-bit, RGBA, grayscale, EXIF-rotated."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Image.open(photo("coffee.png")).convert("RGB")
    cmyk = folder / "cmyk.jpg"
    base.convert("CMYK").save(cmyk)
    sixteen = folder / "sixteen.png"
    gray16 = (np.asarray(base.convert("L"), np.uint16) * 257).astype(np.uint16)
    Image.fromarray(gray16).save(sixteen)
    rgba = folder / "alpha.png"
    with_alpha = base.convert("RGBA")
    with_alpha.putalpha(128)
    with_alpha.save(rgba)
    rotated = folder / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90 degrees clockwise
    base.save(rotated, exif=exif)
    return {"cmyk": cmyk, "sixteen_bit": sixteen, "alpha": rgba, "rotated": rotated}


def write_yolo_onnx(path: Path, rows: np.ndarray, names: list[str], size: int = 64, layout: str = "v8") -> Path:
    """A tiny 'detector' whose output is ``rows`` whatever the input, in an Ultralytics layout.

    rows: [N, 4 + nc] (v8: cx, cy, w, h, class scores) or [N, 5 + nc] (v5: with objectness).
    v8 is exported channels-first ([1, 4 + nc, N]) as Ultralytics does.
    """
    value = rows.T[None] if layout == "v8" else rows[None]
    value = value.astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["images"], ["mean"], axes=[0, 1, 2, 3], keepdims=0),
            helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
            helper.make_node("Add", ["table", "nothing"], ["output0"]),
        ],
        "tiny_yolo",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(value.shape))],
        initializer=[numpy_helper.from_array(np.float32(0), "zero"), numpy_helper.from_array(value, "table")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    helper.set_model_props(model, {"names": repr(dict(enumerate(names))), "task": "detect", "imgsz": f"[{size}, {size}]"})
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def write_dynamic_onnx(path: Path) -> Path:
    """A model with a dynamic-size input and two outputs: nothing about it can be inferred."""
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["a"]), helper.make_node("Identity", ["x"], ["b"])],
        "unknown",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "h", "w"])],
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, None), helper.make_tensor_value_info("b", TensorProto.FLOAT, None)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def write_constant_onnx(path: Path, outputs: dict[str, np.ndarray], input_shape: list[int]) -> Path:
    """A model whose named outputs are fixed arrays whatever the input (for decoder tests)."""
    nodes = [helper.make_node("ReduceMean", ["input"], ["mean"], axes=list(range(len(input_shape))), keepdims=0)]
    nodes.append(helper.make_node("Mul", ["mean", "zero"], ["nothing"]))
    initializers = [numpy_helper.from_array(np.float32(0), "zero")]
    graph_outputs = []
    for name, value in outputs.items():
        value = value.astype(np.float32)
        initializers.append(numpy_helper.from_array(value, f"{name}_value"))
        nodes.append(helper.make_node("Add", [f"{name}_value", "nothing"], [name]))
        graph_outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(value.shape)))
    graph = helper.make_graph(
        nodes, "constant", [helper.make_tensor_value_info("input", TensorProto.FLOAT, input_shape)], graph_outputs,
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path
