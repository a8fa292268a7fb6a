"""Model outputs -> scores (classify) or candidate boxes (detect), one function per family.

Detection decoders return every candidate above a low score floor, in input-tensor
pixels, before NMS. Thresholds and NMS are applied later by :func:`select`, so a
pane can re-filter stored candidates when a slider moves, without running the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.vision.spec import VisionModelSpec
from desktop_app.core.texts import translate

SCORE_FLOOR = 0.05  # lowest confidence a user can ask for; candidates below are dropped
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Candidates:
    boxes: np.ndarray  # [N, 4] float32, x1 y1 x2 y2
    scores: np.ndarray  # [N] float32
    class_ids: np.ndarray  # [N] int32

    @classmethod
    def empty(cls) -> "Candidates":
        return cls(np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int32))

    def __len__(self) -> int:
        return int(self.scores.shape[0])

    def take(self, index: np.ndarray) -> "Candidates":
        return Candidates(self.boxes[index], self.scores[index], self.class_ids[index])


# ---------------------------------------------------------------- classify


def class_probabilities(output: np.ndarray, decoder: str) -> np.ndarray:
    scores = np.asarray(output, np.float32).reshape(-1)
    if decoder == "sigmoid":
        return 1.0 / (1.0 + np.exp(-scores))
    if decoder == "probabilities" or _looks_normalised(scores):
        return scores
    shifted = np.exp(scores - scores.max())
    return shifted / shifted.sum()


def _looks_normalised(scores: np.ndarray) -> bool:
    return bool(scores.min() >= 0.0 and abs(float(scores.sum()) - 1.0) < 1e-3)


def top_k(probabilities: np.ndarray, k: int) -> list[tuple[int, float]]:
    k = max(1, min(k, probabilities.shape[0]))
    index = np.argpartition(-probabilities, k - 1)[:k]
    index = index[np.argsort(-probabilities[index], kind="stable")]
    return [(int(i), float(probabilities[i])) for i in index]


# ---------------------------------------------------------------- detect


def decode_detections(spec: VisionModelSpec, outputs: dict[str, np.ndarray], floor: float = SCORE_FLOOR) -> Candidates:
    decoder = DETECT_DECODERS[spec.decoder]
    found = decoder(spec, outputs, floor)
    if len(found) > MAX_CANDIDATES:
        found = found.take(np.argsort(-found.scores, kind="stable")[:MAX_CANDIDATES])
    return found


def _yolo(spec: VisionModelSpec, outputs: dict[str, np.ndarray], floor: float) -> Candidates:
    """Ultralytics ONNX layouts: v8/v11 [1, 4+nc, N], v5 [1, N, 5+nc], end-to-end [1, N, 6]."""
    raw = _named(outputs, spec.decoder_options.get("output"))
    raw = np.asarray(raw, np.float32).reshape(raw.shape[-2], raw.shape[-1])
    rows, version = _yolo_rows(raw, spec.label_count, spec.decoder_options.get("version", "auto"))
    if version == "end2end":
        return _rows_xyxy_score_class(rows, floor, _input_scale(spec, rows[:, :4]))
    if version == "v5":
        class_scores = rows[:, 5:] * rows[:, 4:5]
    elif version in ("v8", "v11"):
        class_scores = rows[:, 4:]
    else:
        raise ModelLoadError(translate("VisionErrors", "Unknown YOLO output layout version "
                                                       "'{version}'.").fill(version=version))
    boxes = rows[:, :4]
    class_ids = class_scores.argmax(axis=1)
    scores = class_scores[np.arange(class_scores.shape[0]), class_ids]
    keep = scores >= floor
    boxes, scores, class_ids = boxes[keep], scores[keep], class_ids[keep]
    xyxy = _cxcywh_to_xyxy(boxes) * _input_scale(spec, boxes)
    return Candidates(xyxy.astype(np.float32), scores.astype(np.float32), class_ids.astype(np.int32))


def _yolo_rows(raw: np.ndarray, nc: int, version: str) -> tuple[np.ndarray, str]:
    """One row per anchor, and the layout version (known labels make the channel count exact)."""
    extras = {"v8": 4, "v11": 4, "v5": 5, "end2end": 2}
    candidates = [version] if version != "auto" else ["v8", "v5"]
    if nc:
        for v in candidates:
            channels = extras.get(v, 4) + nc if v != "end2end" else 6
            if raw.shape[1] == channels:
                return raw, v
            if raw.shape[0] == channels:
                return raw.T, v
    if version == "auto" and raw.shape[1] == 6 and raw.shape[0] <= 1000:
        return raw, "end2end"
    rows_first = raw.shape[0] > raw.shape[1]  # anchors outnumber channels
    rows = raw if rows_first else raw.T
    if version != "auto":
        return rows, version
    return rows, "v5" if rows_first else "v8"


def _input_scale(spec: VisionModelSpec, boxes: np.ndarray) -> np.ndarray:
    """Some exports give boxes normalised to 0-1; scale those to input pixels."""
    normalised = spec.decoder_options.get("normalized")
    if normalised is None:
        normalised = boxes.size > 0 and float(np.abs(boxes).max()) <= 1.5
    if not normalised:
        return np.ones(4, np.float32)
    w, h = spec.input.width, spec.input.height
    return np.array([w, h, w, h], np.float32)


def _cxcywh_to_xyxy(boxes: np.ndarray) -> np.ndarray:
    half = boxes[:, 2:4] / 2.0
    return np.concatenate([boxes[:, :2] - half, boxes[:, :2] + half], axis=1)


def _rows_xyxy_score_class(rows: np.ndarray, floor: float, scale: np.ndarray) -> Candidates:
    rows = rows[np.isfinite(rows).all(axis=1) & (rows[:, 4] >= floor)]
    return Candidates(
        (rows[:, :4] * scale).astype(np.float32), rows[:, 4].astype(np.float32), rows[:, 5].astype(np.int32)
    )


def _centernet(spec: VisionModelSpec, outputs: dict[str, np.ndarray], floor: float) -> Candidates:
    """Rows of x1, y1, x2, y2, score, class in input pixels (peaks already extracted in-graph)."""
    names = spec.decoder_options.get("outputs") or [None]
    raw = np.asarray(_named(outputs, names[0]), np.float32)
    rows = raw.reshape(-1, raw.shape[-1])
    if spec.decoder_options.get("box_format", "xyxy") == "yxyx":
        rows = rows[:, [1, 0, 3, 2, 4, 5]]
    return _rows_xyxy_score_class(rows, floor, np.ones(4, np.float32))


def _nanodet(spec: VisionModelSpec, outputs: dict[str, np.ndarray], floor: float) -> Candidates:
    """NanoDet (GFL head): per stride, sigmoid class scores and 4 x (reg_max+1) distance bins."""
    options = spec.decoder_options
    strides = options.get("strides", [8, 16, 32])
    reg_max = int(options.get("reg_max", 7))
    bins = np.arange(reg_max + 1, dtype=np.float32)
    found = []
    for stride, score_name, box_name in zip(strides, options["score_outputs"], options["box_outputs"]):
        scores = np.asarray(outputs[score_name], np.float32).reshape(-1, spec.label_count or outputs[score_name].shape[-1])
        class_ids = scores.argmax(axis=1)
        best = scores[np.arange(scores.shape[0]), class_ids]
        keep = np.nonzero(best >= floor)[0]
        if keep.size == 0:
            continue
        logits = np.asarray(outputs[box_name], np.float32).reshape(-1, 4, reg_max + 1)[keep]
        logits = np.exp(logits - logits.max(axis=2, keepdims=True))
        distances = (logits / logits.sum(axis=2, keepdims=True)) @ bins * stride  # [K, 4]: l, t, r, b
        grid_w = int(np.ceil(spec.input.width / stride))
        cx = (keep % grid_w + 0.5).astype(np.float32) * stride  # cell centres
        cy = (keep // grid_w + 0.5).astype(np.float32) * stride
        boxes = np.stack([cx - distances[:, 0], cy - distances[:, 1], cx + distances[:, 2], cy + distances[:, 3]], 1)
        found.append(Candidates(boxes.astype(np.float32), best[keep], class_ids[keep].astype(np.int32)))
    if not found:
        return Candidates.empty()
    return Candidates(*(np.concatenate([getattr(c, f) for c in found]) for f in ("boxes", "scores", "class_ids")))


def _ssd(spec: VisionModelSpec, outputs: dict[str, np.ndarray], floor: float) -> Candidates:
    """SSD-style: boxes [1, N, 4] with either per-class scores [1, N, C] or classes + scores [1, N]."""
    options = spec.decoder_options
    names = options.get("outputs") or list(outputs)
    arrays = [np.asarray(outputs[n], np.float32) for n in names]
    boxes = next(a for a in arrays if a.ndim >= 2 and a.shape[-1] == 4).reshape(-1, 4)
    n = boxes.shape[0]
    per_class = [a for a in arrays if a.ndim == 3 and a.shape[1] == n and a.shape[-1] != 4]
    if per_class:
        scores = per_class[0].reshape(n, -1)
        if options.get("score_activation") == "sigmoid":
            scores = 1.0 / (1.0 + np.exp(-scores))
        elif options.get("score_activation") == "softmax":
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            scores /= scores.sum(axis=1, keepdims=True)
        background = options.get("background_class")
        if background is not None:
            scores = scores.copy()
            scores[:, int(background)] = 0.0
        class_ids = scores.argmax(axis=1)
        best = scores[np.arange(n), class_ids]
    else:
        flat = [a.reshape(-1) for a in arrays if a.size == n]
        class_ids, best = flat[0], flat[1]  # order as the outputs are named: classes, scores
    class_ids = class_ids.astype(np.int32) - int(options.get("label_offset", 0))
    fmt = options.get("box_format", "yxyx")
    if fmt == "yxyx":
        boxes = boxes[:, [1, 0, 3, 2]]
    elif fmt == "cxcywh":
        boxes = _cxcywh_to_xyxy(boxes)
    boxes = boxes * _input_scale(spec, boxes)
    keep = best >= floor
    return Candidates(boxes[keep].astype(np.float32), best[keep].astype(np.float32), class_ids[keep])


def _named(outputs: dict[str, np.ndarray], name: str | None) -> np.ndarray:
    if name is not None:
        return outputs[name]
    return next(iter(outputs.values()))


DETECT_DECODERS = {"yolo": _yolo, "centernet": _centernet, "nanodet": _nanodet, "ssd": _ssd}


# ---------------------------------------------------------------- selection


def select(
    candidates: Candidates,
    conf: float,
    iou: float,
    classes: set[int] | None = None,
    max_detections: int = 300,
) -> np.ndarray:
    """Indices of the candidates kept by score threshold, class filter and per-class NMS."""
    mask = candidates.scores >= conf
    if classes is not None:
        mask &= np.isin(candidates.class_ids, np.fromiter(classes, np.int32, len(classes)))
    index = np.nonzero(mask)[0]
    if index.size == 0:
        return index
    boxes = candidates.boxes[index]
    xywh = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1)
    kept = cv2.dnn.NMSBoxesBatched(
        xywh.tolist(), candidates.scores[index].tolist(), candidates.class_ids[index].tolist(), conf, iou
    )
    kept = index[np.asarray(kept, np.int64).reshape(-1)]
    kept = kept[np.argsort(-candidates.scores[kept], kind="stable")]
    return kept[:max_detections]
