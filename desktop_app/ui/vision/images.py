"""numpy <-> QImage, and reading the images the panes drop, paste and preview."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from desktop_app.core.vision.images import LoadedImage, from_array, load_image


def to_qimage(pixels: np.ndarray) -> QImage:
    """RGB uint8 H x W x 3 -> a QImage that owns its memory (safe to build on a worker thread)."""
    pixels = np.ascontiguousarray(pixels)
    height, width = pixels.shape[:2]
    return QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def from_qimage(image: QImage, source: str) -> LoadedImage:
    """A pasted QImage as an RGB LoadedImage (alpha flattened onto white)."""
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height = converted.width(), converted.height()
    buffer = np.frombuffer(converted.constBits(), np.uint8, count=converted.sizeInBytes())
    rows = buffer.reshape(height, converted.bytesPerLine())[:, : width * 4]
    return from_array(rows.reshape(height, width, 4).copy(), source)


def preview_image(source: str, pasted: dict[str, LoadedImage]) -> QImage:
    """For the detail view: runs on a worker, never on the GUI thread."""
    image = pasted.get(source) or load_image(source)
    return to_qimage(image.pixels)
