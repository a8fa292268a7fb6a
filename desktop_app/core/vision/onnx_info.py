"""What an ONNX file and its sidecar say: inputs, outputs, opset, labels, decoder family.

The graph is parsed with the ``onnx`` package without external data, which reads the
protobuf (weights included) but runs nothing; ``validate_onnx`` adds the checker and a
trial onnxruntime session for files offered to the library.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from desktop_app.core.errors import HearthError, InvalidModelFile
from desktop_app.core.vision.spec import parse_names, read_sidecar, sidecar_path_for
from desktop_app.core.texts import translate

ELEM_TYPES = {1: "float32", 2: "uint8", 3: "int8", 6: "int32", 7: "int64", 9: "bool", 10: "float16", 11: "float64"}


@dataclass(frozen=True)
class TensorDesc:
    name: str
    shape: list  # ints, or the symbolic name (str) / None of a free dimension
    dtype: str


@dataclass(frozen=True)
class ONNXInfo:
    path: str
    opset: int
    producer: str
    inputs: list[TensorDesc]
    outputs: list[TensorDesc]
    task: str | None  # from the sidecar or the model's metadata
    decoder: str | None  # decoder family from the sidecar ("softmax", "yolo", ...)
    label_count: int
    license: str | None
    has_sidecar: bool
    size_bytes: int
    metadata: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ONNXInfo":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["inputs"] = [TensorDesc(**t) for t in known.get("inputs", [])]
        known["outputs"] = [TensorDesc(**t) for t in known.get("outputs", [])]
        return cls(**known)


def _load_proto(path: Path):
    import onnx
    from google.protobuf.message import DecodeError

    try:
        return onnx.load(str(path), load_external_data=False)
    except (DecodeError, ValueError, RuntimeError) as exc:
        raise InvalidModelFile(translate("VisionErrors", "{name} is not a readable ONNX model "
                                                         "({exc}).").fill(name=path.name, exc=_first_line(exc))) from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _describe_tensor(value) -> TensorDesc:
    tensor_type = value.type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in tensor_type.shape.dim]
    return TensorDesc(value.name, dims, ELEM_TYPES.get(tensor_type.elem_type, str(tensor_type.elem_type)))


def read_onnx_info(path: Path | str, sidecar: Path | str | None = None) -> ONNXInfo:
    path = Path(path)
    if not path.is_file():
        raise InvalidModelFile(translate("VisionErrors", "Model file not found: {path}").fill(path=path))
    model = _load_proto(path)
    if not model.graph.node and not model.graph.output:
        raise InvalidModelFile(translate("VisionErrors", "{name} is not an ONNX model (it has no "
                                                         "graph).").fill(name=path.name))
    initializers = {t.name for t in model.graph.initializer}
    meta = {p.key: p.value for p in model.metadata_props}
    sidecar_path = Path(sidecar) if sidecar else sidecar_path_for(path)
    try:
        raw, base_dir = read_sidecar(sidecar_path)
    except HearthError:
        raw, base_dir = {}, None
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    return ONNXInfo(
        path=str(path),
        opset=int(opset),
        producer=f"{model.producer_name} {model.producer_version}".strip(),
        inputs=[_describe_tensor(v) for v in model.graph.input if v.name not in initializers],
        outputs=[_describe_tensor(v) for v in model.graph.output],
        task=raw.get("task") or meta.get("task") or meta.get("hearth_task"),
        decoder=(raw.get("output") or {}).get("decoder"),
        label_count=_label_count(raw, base_dir, meta),
        license=raw.get("license") or meta.get("license"),
        has_sidecar=bool(raw),
        size_bytes=path.stat().st_size,
        metadata={k: v[:200] for k, v in meta.items()},
    )


def _label_count(raw: dict, base_dir: Path | None, meta: dict) -> int:
    if raw.get("labels"):
        return len(raw["labels"])
    if raw.get("labels_file"):
        labels = Path(raw["labels_file"])
        labels = labels if labels.is_absolute() or base_dir is None else base_dir / labels
        try:
            return sum(1 for line in labels.read_text(encoding="utf-8").splitlines() if line.strip())
        except OSError:
            return 0
    return len(parse_names(meta["names"])) if meta.get("names") else 0


def validate_onnx(path: Path) -> ONNXInfo:
    """The ONNX checker, then a trial CPU session: a file that passes both can be run."""
    import onnx

    from desktop_app.core.privacy import load_onnxruntime

    ort = load_onnxruntime()

    info = read_onnx_info(path)
    try:
        onnx.checker.check_model(str(path))
    except onnx.checker.ValidationError as exc:
        raise InvalidModelFile(translate("VisionErrors", "{name} fails the ONNX checker: {exc}").fill(name=path.name, exc=_first_line(exc))) from exc
    try:
        ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
        raise InvalidModelFile(translate("VisionErrors", "{name} cannot be run by onnxruntime: {exc}").fill(name=path.name, exc=_first_line(exc))) from exc
    return info
