"""Writing results: CSV, JSON, COCO JSON and annotated images (boxes drawn with OpenCV)."""

from __future__ import annotations

import colorsys
import csv
import io
import json
from pathlib import Path

import cv2
import numpy as np

from desktop_app.core.errors import HearthError
from desktop_app.core.vision.images import load_image
from desktop_app.core.vision.results import ClassificationResult, DetectionResult, ImageFailure
from desktop_app.core.texts import translate


def class_color(class_id: int) -> tuple[int, int, int]:
    """A distinct, stable RGB colour per class (golden-ratio hue steps)."""
    hue = (class_id * 0.618033988749895) % 1.0
    r, g, b = colorsys.hsv_to_rgb(hue, 0.85, 0.95)
    return int(r * 255), int(g * 255), int(b * 255)


def classification_csv(results: list[ClassificationResult], failures: list[ImageFailure] = ()) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["image", "rank", "label", "score", "error"])
    for result in results:
        for rank, p in enumerate(result.predictions, 1):
            writer.writerow([result.image, rank, p.label, f"{p.score:.6f}", ""])
    for failure in failures:
        writer.writerow([failure.image, "", "", "", failure.message])
    return buffer.getvalue()


def detection_csv(results: list[DetectionResult], failures: list[ImageFailure] = ()) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["image", "width", "height", "label", "score", "x1", "y1", "x2", "y2", "error"])
    for result in results:
        for d in result.detections:
            writer.writerow([result.image, result.width, result.height, d.label, f"{d.score:.6f}", *(f"{v:.2f}" for v in d.box), ""])
    for failure in failures:
        writer.writerow([failure.image, "", "", "", "", "", "", "", "", failure.message])
    return buffer.getvalue()


def results_json(results: list, failures: list[ImageFailure] = ()) -> str:
    document = [r.to_json() for r in results] + [f.to_json() for f in failures]
    return json.dumps(document, ensure_ascii=False, indent=2)


def coco_json(results: list[DetectionResult], labels: tuple[str, ...]) -> str:
    """COCO detection format: images, categories, annotations with [x, y, w, h] boxes."""
    images, annotations = [], []
    for image_id, result in enumerate(results, 1):
        images.append({"id": image_id, "file_name": result.image, "width": result.width, "height": result.height})
        for d in result.detections:
            x1, y1, x2, y2 = d.box
            annotations.append({
                "id": len(annotations) + 1,
                "image_id": image_id,
                "category_id": d.class_id + 1,
                "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)],
                "area": round((x2 - x1) * (y2 - y1), 2),
                "score": round(d.score, 6),
                "iscrowd": 0,
            })
    categories = [{"id": i + 1, "name": name} for i, name in enumerate(labels)]
    return json.dumps({"images": images, "annotations": annotations, "categories": categories}, ensure_ascii=False, indent=2)


def draw_detections(pixels: np.ndarray, result: DetectionResult) -> np.ndarray:
    """An RGB copy with boxes and 'label 0.87' tags; line and text size follow the image size."""
    canvas = np.ascontiguousarray(pixels.copy())
    thickness = max(1, round(max(canvas.shape[:2]) / 400))
    font_scale = max(0.4, max(canvas.shape[:2]) / 1200)
    for d in result.detections:
        color = class_color(d.class_id)
        x1, y1, x2, y2 = (int(round(v)) for v in d.box)
        cv2.rectangle(canvas, (x1, y1), (x2, y2), color, thickness)
        text = f"{d.label} {d.score:.2f}"
        (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, font_scale, thickness)
        top = y1 - th - base - 2 if y1 - th - base - 2 >= 0 else y1
        cv2.rectangle(canvas, (x1, top), (x1 + tw + 4, top + th + base + 2), color, -1)
        text_color = (0, 0, 0) if sum(color) > 380 else (255, 255, 255)  # readable on light and dark tags
        cv2.putText(canvas, text, (x1 + 2, top + th + 1), cv2.FONT_HERSHEY_SIMPLEX, font_scale, text_color, thickness, cv2.LINE_AA)
    return canvas


def save_annotated(results: list[DetectionResult], folder: Path) -> list[Path]:
    """Annotated copies as PNG in ``folder``; names keep the original stem, made unique."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, used = [], set()
    for result in results:
        stem = Path(result.image).stem or "image"
        name, n = f"{stem}.png", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.png"
        used.add(name)
        pixels = load_image(result.image).pixels
        target = folder / name
        if not cv2.imwrite(str(target), cv2.cvtColor(draw_detections(pixels, result), cv2.COLOR_RGB2BGR)):
            raise HearthError(translate("VisionErrors", "Could not write {target}.").fill(target=target))
        written.append(target)
    return written
