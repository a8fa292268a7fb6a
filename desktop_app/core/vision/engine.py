"""onnxruntime engines for classifiers and detectors: one resident model, typed results.

Providers are chosen automatically: CUDA, DirectML or CoreML when onnxruntime offers
them, CPU always last. If an accelerator fails to start, the engine falls back to CPU
and says so in ``notes``. ``prepare`` (decode + preprocess) is thread-safe and meant to
run on prefetch workers; ``infer``/``run`` are called from one thread per engine.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.privacy import load_onnxruntime
from desktop_app.core.vision.decoders import SCORE_FLOOR, class_probabilities, decode_detections, top_k
from desktop_app.core.vision.images import LoadedImage, load_image
from desktop_app.core.vision.preprocess import Placement, prepare
from desktop_app.core.vision.results import ClassificationResult, DetectionResult, Prediction
from desktop_app.core.vision.spec import ModelIO, VisionModelSpec, build_spec, read_sidecar, sidecar_path_for
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)
ort = load_onnxruntime()

ACCELERATED_PROVIDERS = ("CUDAExecutionProvider", "DmlExecutionProvider", "CoreMLExecutionProvider")
PROVIDER_NAMES = {
    "CUDAExecutionProvider": "CUDA",
    "DmlExecutionProvider": "DirectML",
    "CoreMLExecutionProvider": "CoreML",
    "CPUExecutionProvider": "CPU",
}


@dataclass
class PreparedImage:
    source: str
    width: int
    height: int
    tensor: np.ndarray
    placement: Placement
    notes: list[str] = field(default_factory=list)


def choose_providers(available: list[str] | None = None, allow_accelerators: bool = True) -> list[str]:
    available = ort.get_available_providers() if available is None else available
    chosen = [p for p in ACCELERATED_PROVIDERS if allow_accelerators and p in available]
    return chosen + ["CPUExecutionProvider"]


def create_session(path: Path, providers: list[str], threads: int = 0) -> tuple[ort.InferenceSession, list[str]]:
    """A session on the first provider that starts; notes say what was tried and failed."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(0, int(threads))
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "provider not available": we note it below
            session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
    except Exception as exc:  # noqa: BLE001 - any provider failure means: try the CPU
        if providers == ["CPUExecutionProvider"]:
            raise ModelLoadError(translate("VisionErrors", "{name} could not be loaded by "
                                                           "onnxruntime: {exc}").fill(name=path.name, exc=_first_line(exc))) from exc
        log.warning("providers %s failed for %s: %s", providers, path, exc)
        notes.append(f"{', '.join(PROVIDER_NAMES.get(p, p) for p in providers[:-1])} failed to start; running on CPU.")
        return create_session(path, ["CPUExecutionProvider"], threads)[0], notes
    active = session.get_providers()[0]
    if providers[0] != active:
        notes.append(f"{PROVIDER_NAMES.get(providers[0], providers[0])} unavailable; running on {PROVIDER_NAMES.get(active, active)}.")
    return session, notes


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def model_io(session: ort.InferenceSession) -> ModelIO:
    meta = session.get_modelmeta()
    return ModelIO(
        inputs=[(i.name, list(i.shape), i.type) for i in session.get_inputs()],
        outputs=[(o.name, list(o.shape)) for o in session.get_outputs()],
        metadata=dict(meta.custom_metadata_map or {}),
    )


class VisionEngine:
    task: str = ""

    def __init__(
        self,
        model_path: Path | str,
        *,
        sidecar: Path | str | None = None,
        name: str | None = None,
        providers: list[str] | None = None,
        threads: int = 0,
    ):
        self.path = Path(model_path)
        if not self.path.is_file():
            raise ModelLoadError(translate("VisionErrors", "Model file not found: {path}").fill(path=self.path))
        sidecar_path = Path(sidecar) if sidecar else sidecar_path_for(self.path)
        raw, base_dir = read_sidecar(sidecar_path)
        self._session, self.notes = create_session(self.path, providers or choose_providers(), threads)
        io = model_io(self._session)
        self.spec: VisionModelSpec = build_spec(raw, base_dir, io, self.task, name or self.path.stem)
        if self.spec.task != self.task:
            raise ModelLoadError(translate("VisionErrors", "{name} is a {task} model, not a {task2} "
                                                           "model.").fill(name=self.spec.name, task=self.spec.task, task2=self.task))
        self._input_name = self.spec.input.name
        self._output_names = [o[0] for o in io.outputs]

    @property
    def provider(self) -> str:
        active = self._session.get_providers()[0] if self._session else "CPUExecutionProvider"
        return PROVIDER_NAMES.get(active, active)

    def describe(self) -> str:
        spec = self.spec
        return f"{spec.name}: {spec.input.width}×{spec.input.height} input, {spec.label_count} labels, {self.provider}"

    def prepare(self, source: Path | str | LoadedImage) -> PreparedImage:
        image = source if isinstance(source, LoadedImage) else load_image(source)
        tensor, placement = prepare(image.pixels, self.spec.input)
        return PreparedImage(image.source, image.width, image.height, tensor, placement, list(image.notes))

    def infer(self, prepared: PreparedImage) -> dict[str, np.ndarray]:
        if self._session is None:
            raise ModelLoadError(translate("VisionErrors", "The model has been closed."))
        values = self._session.run(self._output_names, {self._input_name: prepared.tensor})
        return dict(zip(self._output_names, values))

    def close(self) -> None:
        self._session = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ClassifierEngine(VisionEngine):
    task = "classify"

    def run(self, prepared: PreparedImage, k: int = 5) -> ClassificationResult:
        outputs = self.infer(prepared)
        probabilities = class_probabilities(next(iter(outputs.values())), self.spec.decoder)
        predictions = [Prediction(self.spec.label(i), score, i) for i, score in top_k(probabilities, k)]
        return ClassificationResult(prepared.source, prepared.width, prepared.height, predictions, prepared.notes)

    def classify(self, source: Path | str | LoadedImage, k: int = 5) -> ClassificationResult:
        return self.run(self.prepare(source), k)


class DetectorEngine(VisionEngine):
    task = "detect"

    def run(self, prepared: PreparedImage, conf: float = 0.3, iou: float = 0.5) -> DetectionResult:
        outputs = self.infer(prepared)
        found = decode_detections(self.spec, outputs, min(SCORE_FLOOR, conf))
        boxes = prepared.placement.to_original(found.boxes, prepared.width, prepared.height)
        candidates = type(found)(boxes, found.scores, found.class_ids)
        result = DetectionResult(
            prepared.source, prepared.width, prepared.height, candidates, self.spec.labels, conf, iou,
            notes=prepared.notes,
        )
        result.refilter(conf, iou)
        return result

    def detect(self, source: Path | str | LoadedImage, conf: float = 0.3, iou: float = 0.5) -> DetectionResult:
        return self.run(self.prepare(source), conf, iou)


ENGINES = {"classify": ClassifierEngine, "detect": DetectorEngine}


def open_engine(task: str, model_path: Path, sidecar: Path | str | None = None, name: str | None = None, **kwargs) -> VisionEngine:
    return ENGINES[task](model_path, sidecar=sidecar, name=name, **kwargs)


def open_registry_engine(entry, **kwargs) -> VisionEngine:
    """An engine for a registry ModelEntry; its sidecar is resolved next to the model file."""
    sidecar = entry.extra.get("sidecar") if entry.extra else None
    sidecar_path = entry.path.parent / sidecar if sidecar else None
    return open_engine(entry.task, entry.path, sidecar_path, name=entry.name, **kwargs)
