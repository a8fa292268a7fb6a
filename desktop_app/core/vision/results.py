"""What classification and detection produce, as plain dataclasses with a JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.vision.decoders import Candidates, select


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    class_id: int

    def to_json(self) -> dict:
        return {"label": self.label, "score": round(self.score, 6)}


@dataclass
class ClassificationResult:
    image: str
    width: int
    height: int
    predictions: list[Prediction]
    notes: list[str] = field(default_factory=list)

    @property
    def top(self) -> Prediction | None:
        return self.predictions[0] if self.predictions else None

    def to_json(self) -> dict:
        data = {"image": self.image, "predictions": [p.to_json() for p in self.predictions]}
        if self.notes:
            data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Detection:
    label: str
    score: float
    class_id: int
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in original image pixels

    def to_json(self) -> dict:
        return {"label": self.label, "score": round(self.score, 6), "box": [round(v, 2) for v in self.box]}


@dataclass
class DetectionResult:
    """Detections after thresholds and NMS, plus the raw candidates they were chosen from."""

    image: str
    width: int
    height: int
    candidates: Candidates  # original image pixels, before thresholds and NMS
    labels: tuple[str, ...]
    conf: float
    iou: float
    detections: list[Detection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refilter(self, conf: float, iou: float, classes: set[int] | None = None) -> list[Detection]:
        """Apply new thresholds to the stored candidates; the model is not run again."""
        return self.use(conf, iou, self.filtered(conf, iou, classes))

    def filtered(self, conf: float, iou: float, classes: set[int] | None = None) -> list[Detection]:
        """What these thresholds keep, leaving this result as it is (so a worker thread may call it)."""
        return [self._detection(int(i)) for i in select(self.candidates, conf, iou, classes)]

    def use(self, conf: float, iou: float, detections: list[Detection]) -> list[Detection]:
        """Adopt detections that ``filtered(conf, iou, ...)`` chose."""
        self.conf, self.iou, self.detections = conf, iou, detections
        return detections

    def _detection(self, i: int) -> Detection:
        class_id = int(self.candidates.class_ids[i])
        label = self.labels[class_id] if 0 <= class_id < len(self.labels) else f"class {class_id}"
        box = tuple(float(v) for v in self.candidates.boxes[i])
        return Detection(label, float(self.candidates.scores[i]), class_id, box)

    def to_json(self) -> dict:
        data = {
            "image": self.image,
            "width": self.width,
            "height": self.height,
            "detections": [d.to_json() for d in self.detections],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class ImageFailure:
    image: str
    message: str

    def to_json(self) -> dict:
        return {"image": self.image, "error": self.message}


def class_counts(detections: list[Detection]) -> dict[str, int]:
    labels, counts = np.unique([d.label for d in detections], return_counts=True) if detections else ([], [])
    return {str(label): int(count) for label, count in zip(labels, counts)}
