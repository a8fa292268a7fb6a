"""Detection scores from pycocotools' COCOeval, the reference evaluator (maintained, wheels for Python 3.11;
faster-coco-eval reimplements it and says so): mAP@0.5, mAP@[.5:.95], per-class AP and recall, PR curves."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import numpy as np

IOU_50 = 0  # index of IoU 0.5 in COCOeval's thresholds (.5:.05:.95)
AREA_ALL = 0
MAX_DETS = 2  # index of maxDets=100


@dataclass
class DetectionScores:
    map50: float
    map: float  # mAP@[.5:.95]
    recall: float  # mean over classes of recall at IoU .5 (100 detections per image)
    per_class: list[dict] = field(default_factory=list)  # name, ap50, ap, recall, boxes
    curves: dict[str, list[float]] = field(default_factory=dict)  # class -> precision at recall 0, .01, … 1 (IoU .5)
    misses: dict[int, int] = field(default_factory=dict)  # image id -> true boxes no detection matched (IoU .5)

    def to_json(self) -> dict:
        return {"map50": self.map50, "map": self.map, "recall": self.recall, "per_class": self.per_class,
                "curves": self.curves, "misses": {str(k): v for k, v in self.misses.items()}}


def _ground_truth(dataset: dict):
    from pycocotools.coco import COCO

    coco = COCO()
    coco.dataset = {"images": dataset["images"], "categories": dataset["categories"],
                    "annotations": [dict(a, area=a.get("area", a["bbox"][2] * a["bbox"][3]), iscrowd=a.get("iscrowd", 0),
                                         id=a.get("id", i + 1)) for i, a in enumerate(dataset["annotations"])]}
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints progress on stdout
        coco.createIndex()
    return coco


def _mean(values: np.ndarray) -> float:
    valid = values[values > -1]
    return float(valid.mean()) if valid.size else 0.0


def coco_scores(dataset: dict, detections: list[dict]) -> DetectionScores:
    """``dataset``: COCO ground truth (images, categories, annotations); ``detections``: COCO results
    (image_id, category_id, bbox [x, y, w, h], score). No detections at all scores 0, as COCOeval would
    if it accepted an empty result list (loadRes does not).

    COCOeval runs once per category, over the images that have a box or a detection of it: a category's AP
    depends on nothing else, and COCOeval's mAP is the mean over categories of equally sized precision
    arrays, so the figures are the same as one run over all, while memory holds one category's matches at a
    time (one run over 100,000 boxes and 200,000 detections peaked at 1.35 GB)."""
    gt = _ground_truth(dataset)
    names = {c["id"]: c["name"] for c in dataset["categories"]}
    counted = {}
    for a in dataset["annotations"]:
        counted[a["category_id"]] = counted.get(a["category_id"], 0) + 1
    if not detections or not dataset["annotations"]:
        per = [{"name": names[c], "ap50": 0.0, "ap": 0.0, "recall": 0.0, "boxes": counted.get(c, 0)} for c in names]
        misses = {}
        for a in dataset["annotations"]:
            misses[int(a["image_id"])] = misses.get(int(a["image_id"]), 0) + 1
        return DetectionScores(0.0, 0.0, 0.0, per, {}, misses)
    by_category: dict[int, list[dict]] = {}
    for d in detections:
        by_category.setdefault(d["category_id"], []).append(d)
    truth_images: dict[int, list[int]] = {}
    for a in dataset["annotations"]:
        truth_images.setdefault(a["category_id"], []).append(int(a["image_id"]))
    per, curves, misses = [], {}, {}
    ap50s, aps, recalls = [], [], []
    for cat in sorted(gt.getCatIds()):
        precision, recall, missed = _one_category(gt, cat, truth_images.get(cat, []), by_category.get(cat, []))
        for image_id, n in missed.items():
            misses[image_id] = misses.get(image_id, 0) + n
        p50 = precision[IOU_50]  # [recall thresholds]
        per.append({"name": names[cat], "ap50": _mean(p50), "ap": _mean(precision),
                    "recall": max(0.0, float(recall[IOU_50])), "boxes": counted.get(cat, 0)})
        if counted.get(cat):
            curves[names[cat]] = [max(0.0, float(v)) for v in p50]
            ap50s.append(_mean(p50))
            aps.append(_mean(precision))
            recalls.append(max(0.0, float(recall[IOU_50])))
    mean = lambda values: float(np.mean(values)) if values else 0.0  # noqa: E731
    return DetectionScores(mean(ap50s), mean(aps), mean(recalls), per, curves, misses)


def _one_category(gt, cat: int, truth_images: list[int], detections: list[dict]) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """COCOeval on one category: precision [iou, recall thresholds] and recall [iou] (all areas, 100
    detections), and the true boxes per image no detection matched at IoU .5. ``truth_images``: the image
    of each true box of the category."""
    from pycocotools.cocoeval import COCOeval

    if not detections:  # loadRes refuses an empty list; nothing found is precision and recall 0
        missed: dict[int, int] = {}
        for image_id in truth_images:
            missed[image_id] = missed.get(image_id, 0) + 1
        zeros = np.zeros(len(COCOeval(iouType="bbox").params.iouThrs))
        return np.zeros((len(zeros), 101)), zeros, missed
    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes([dict(d) for d in detections])
        evaluator = COCOeval(gt, dt, "bbox")
        evaluator.params.catIds = [cat]
        evaluator.params.imgIds = sorted(set(truth_images) | {d["image_id"] for d in detections})
        evaluator.evaluate()
        evaluator.accumulate()
    precision = evaluator.eval["precision"][:, :, 0, AREA_ALL, MAX_DETS]  # [iou, recall, class, area, maxDets]
    recall = evaluator.eval["recall"][:, 0, AREA_ALL, MAX_DETS]  # [iou, class, area, maxDets]
    return precision, recall, _misses(evaluator)


def _misses(evaluator) -> dict[int, int]:
    """True boxes per image that no detection matched at IoU .5 (all areas, 100 detections)."""
    misses: dict[int, int] = {}
    for record in evaluator.evalImgs:
        if record is None or record["aRng"] != evaluator.params.areaRng[AREA_ALL]:
            continue
        matched = record["gtMatches"][IOU_50]
        ignored = np.asarray(record["gtIgnore"], dtype=bool)
        missed = int(((matched == 0) & ~ignored).sum())
        if missed:
            misses[int(record["image_id"])] = misses.get(int(record["image_id"]), 0) + missed
    return misses
