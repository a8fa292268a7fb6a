"""Image classification and object detection with ONNX models (onnxruntime), no Qt."""

from desktop_app.core.vision.batch import BatchProgress, BatchSummary, run_batch
from desktop_app.core.vision.engine import ClassifierEngine, DetectorEngine, VisionEngine, open_engine, open_registry_engine
from desktop_app.core.vision.images import collect_images, load_image
from desktop_app.core.vision.results import ClassificationResult, Detection, DetectionResult, ImageFailure, Prediction

__all__ = [
    "BatchProgress",
    "BatchSummary",
    "ClassificationResult",
    "ClassifierEngine",
    "Detection",
    "DetectionResult",
    "DetectorEngine",
    "ImageFailure",
    "Prediction",
    "VisionEngine",
    "collect_images",
    "load_image",
    "open_engine",
    "open_registry_engine",
    "run_batch",
]
