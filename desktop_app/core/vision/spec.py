"""What a vision model expects and returns: the sidecar file, plus what the ONNX file says.

A sidecar is a small JSON file next to the model (``model.onnx`` -> ``model.json``)::

    {"task": "detect",
     "input": {"layout": "NCHW", "width": 640, "height": 640, "color": "RGB",
               "scale": 0.0039215686, "mean": [0, 0, 0], "std": [1, 1, 1],
               "resize": "letterbox", "pad_value": 114},
     "output": {"decoder": "yolo"},
     "labels_file": "labels.txt"}

Anything missing is inferred from the ONNX graph (input shape and layout, Ultralytics
metadata ``names``/``imgsz``/``task``, the output layout); what cannot be inferred is
asked for in a :class:`SidecarNeeded` error that names the missing fields.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.texts import translate

DECODERS = {
    "classify": ("softmax", "sigmoid", "probabilities"),
    "detect": ("yolo", "ssd", "centernet", "nanodet"),
}
RESIZE_MODES = ("letterbox", "stretch", "center_crop")


class SidecarNeeded(ModelLoadError):
    """The model file alone does not say how to run it; the message lists what to add."""


@dataclass(frozen=True)
class InputSpec:
    name: str
    layout: str  # "NCHW" or "NHWC"
    width: int
    height: int
    color: str = "RGB"  # channel order the model wants
    scale: float = 1 / 255  # applied before mean/std: x = (pixel * scale - mean) / std
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    resize: str = "letterbox"
    crop_pct: float = 1.0  # center_crop: resize the short side to size / crop_pct first
    pad_value: int = 114
    interpolation: str = "linear"
    dtype: str = "float32"


@dataclass(frozen=True)
class ModelIO:
    """The parts of an ONNX file a spec is inferred from (read from an onnxruntime session)."""

    inputs: list[tuple[str, list, str]]  # name, shape (ints or None), element type
    outputs: list[tuple[str, list]]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VisionModelSpec:
    name: str
    task: str  # "classify" or "detect"
    input: InputSpec
    decoder: str
    decoder_options: dict
    labels: tuple[str, ...]
    license: str | None = None
    source: str | None = None
    inferred: tuple[str, ...] = ()  # fields not given by a sidecar, for display

    @property
    def label_count(self) -> int:
        return len(self.labels)

    def label(self, index: int) -> str:
        return self.labels[index] if 0 <= index < len(self.labels) else f"class {index}"


def sidecar_path_for(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".json")


def read_sidecar(path: Path | None) -> tuple[dict, Path | None]:
    """The sidecar as a dict ({} when there is none) and the folder its relative paths use."""
    if path is None or not Path(path).is_file():
        return {}, None
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(translate("VisionErrors", "The model description {name} could not be read: it is "
                                                       "missing, unreadable or not valid JSON.").fill(name=Path(path).name)) from exc
    if not isinstance(raw, dict):
        raise ModelLoadError(translate("VisionErrors", "The model description {name} must be a JSON "
                                                       "object.").fill(name=Path(path).name))
    return raw, Path(path).parent


def parse_names(value: str) -> list[str]:
    """Ultralytics stores ``names`` as a Python dict literal: "{0: 'person', 1: 'bicycle'}"."""
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        try:
            parsed = json.loads(value)
        except ValueError:
            return []
    if isinstance(parsed, dict):
        return [str(parsed[k]) for k in sorted(parsed, key=lambda k: int(k))]
    if isinstance(parsed, (list, tuple)):
        return [str(v) for v in parsed]
    return []


def build_spec(sidecar: dict, base_dir: Path | None, io: ModelIO, task: str | None, name: str) -> VisionModelSpec:
    inferred: list[str] = []
    missing: list[str] = []
    meta = io.metadata
    task = sidecar.get("task") or _task_from_metadata(meta) or task
    if task not in DECODERS:
        missing.append('"task" ("classify" or "detect")')
        task = "detect"
    input_spec = _input_spec(sidecar.get("input", {}), io, meta, task, inferred, missing)
    labels = _labels(sidecar, base_dir, meta)
    if not sidecar.get("labels") and not sidecar.get("labels_file") and labels:
        inferred.append("labels")
    output = dict(sidecar.get("output", {}))
    decoder = output.pop("decoder", None) or _guess_decoder(task, io)
    if decoder is None:
        missing.append('"output": {"decoder": ...} (one of ' + ", ".join(DECODERS[task]) + ")")
    elif "output" not in sidecar:
        inferred.append("decoder")
    if decoder is not None and decoder not in DECODERS[task]:
        raise ModelLoadError(translate("VisionErrors", "Unknown {task} decoder '{decoder}'. Known: "
                                                       "{value}.").fill(task=task, decoder=decoder, value=', '.join(DECODERS[task])))
    if missing:
        raise SidecarNeeded(
            translate("VisionErrors", "Hearth cannot tell how to run {name} from the model file "
                                      "alone. Add a sidecar JSON next to it with: {value}.").fill(name=name, value='; '.join(missing))
        )
    return VisionModelSpec(
        name=sidecar.get("name") or name,
        task=task,
        input=input_spec,
        decoder=decoder,
        decoder_options=output,
        labels=tuple(labels),
        license=sidecar.get("license") or meta.get("license"),
        source=sidecar.get("source") or meta.get("description"),
        inferred=tuple(inferred),
    )


def _task_from_metadata(meta: dict) -> str | None:
    task = meta.get("task") or meta.get("hearth_task")
    return {"detect": "detect", "classify": "classify"}.get(task or "")


def _input_spec(raw: dict, io: ModelIO, meta: dict, task: str, inferred: list, missing: list) -> InputSpec:
    if not io.inputs:
        raise ModelLoadError(translate("VisionErrors", "The model has no inputs."))
    wanted = raw.get("name")
    name, shape, elem_type = next((i for i in io.inputs if i[0] == wanted), io.inputs[0])
    layout = raw.get("layout") or _layout_from_shape(shape)
    if layout is None:
        missing.append('"input": {"layout": "NCHW" or "NHWC"}')
        layout = "NCHW"
    elif "layout" not in raw:
        inferred.append("layout")
    height, width = _size_from_shape(shape, layout)
    if not (height and width) and meta.get("imgsz"):
        size = ast.literal_eval(meta["imgsz"])
        height, width = (size, size) if isinstance(size, int) else size[:2]
    width, height = raw.get("width") or width, raw.get("height") or height
    if not (width and height):
        missing.append('"input": {"width": ..., "height": ...}')
        width = height = 1
    ultralytics = "names" in meta or "ultralytics" in (meta.get("author", "") + meta.get("description", "")).lower()
    defaults = {"resize": "letterbox" if task == "detect" else "center_crop"}
    if not raw and not ultralytics:
        inferred.append("normalisation (0-1 RGB assumed)")
    resize = raw.get("resize", defaults["resize"])
    if resize not in RESIZE_MODES:
        raise ModelLoadError(translate("VisionErrors", "Unknown resize mode '{resize}'. Known: "
                                                       "{value}.").fill(resize=resize, value=', '.join(RESIZE_MODES)))
    return InputSpec(
        name=name,
        layout=layout,
        width=int(width),
        height=int(height),
        color=str(raw.get("color", "RGB")).upper(),
        scale=float(raw.get("scale", 1 / 255)),
        mean=_triple(raw.get("mean", 0.0)),
        std=_triple(raw.get("std", 1.0)),
        resize=resize,
        crop_pct=float(raw.get("crop_pct", 1.0)),
        pad_value=int(raw.get("pad_value", 114)),
        interpolation=str(raw.get("interpolation", "linear")),
        dtype="float16" if "float16" in elem_type else "float32",
    )


def _triple(value) -> tuple[float, float, float]:
    if isinstance(value, (int, float)):
        return (float(value),) * 3
    values = [float(v) for v in value]
    return tuple(values * 3)[:3] if len(values) == 1 else tuple(values[:3])


def _layout_from_shape(shape: list) -> str | None:
    if len(shape) != 4:
        return None
    if shape[1] in (1, 3):
        return "NCHW"
    if shape[3] in (1, 3):
        return "NHWC"
    return None


def _size_from_shape(shape: list, layout: str) -> tuple[int | None, int | None]:
    if len(shape) != 4:
        return None, None
    h, w = (shape[2], shape[3]) if layout == "NCHW" else (shape[1], shape[2])
    as_int = lambda d: d if isinstance(d, int) and d > 0 else None  # noqa: E731
    return as_int(h), as_int(w)


def _labels(sidecar: dict, base_dir: Path | None, meta: dict) -> list[str]:
    if sidecar.get("labels"):
        return [str(x) for x in sidecar["labels"]]
    if sidecar.get("labels_file"):
        path = Path(sidecar["labels_file"])
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        except OSError as exc:
            raise ModelLoadError(translate("VisionErrors", "The labels file {name} could not be "
                                                           "read: {strerror}.").fill(name=path.name, strerror=exc.strerror)) from exc
    if meta.get("names"):
        return parse_names(meta["names"])
    return []


def _guess_decoder(task: str, io: ModelIO) -> str | None:
    if task == "classify":
        return "softmax" if len(io.outputs) == 1 else None
    if len(io.outputs) == 1 and len(io.outputs[0][1]) == 3:
        return "yolo"  # Ultralytics v5/v8/v11 (and end-to-end [1, N, 6]) all give one 3-D tensor
    return None
