"""Image -> input tensor, vectorised with OpenCV and numpy; no Python loops over pixels."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from desktop_app.core.vision.spec import InputSpec

INTERPOLATION = {
    "nearest": cv2.INTER_NEAREST,
    "linear": cv2.INTER_LINEAR,
    "bilinear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
    "bicubic": cv2.INTER_CUBIC,
    "area": cv2.INTER_AREA,
}


# Resize-then-crop of a 10000x1 image would build a 2,560,000x256 intermediate (2.4 GB):
# above this many pixels the crop window is cut from the original first.
MAX_INTERMEDIATE_PIXELS = 4_000_000


@dataclass(frozen=True)
class Placement:
    """Where the original image landed in the input tensor: input = original * scale + offset."""

    scale_x: float
    scale_y: float
    offset_x: float
    offset_y: float

    def to_original(self, boxes: np.ndarray, width: int, height: int) -> np.ndarray:
        """Map xyxy boxes in input pixels back to original pixels, clipped to the image."""
        if boxes.size == 0:
            return boxes.reshape(0, 4).astype(np.float32)
        out = np.empty_like(boxes, dtype=np.float32)
        out[:, 0::2] = (boxes[:, 0::2] - self.offset_x) / self.scale_x
        out[:, 1::2] = (boxes[:, 1::2] - self.offset_y) / self.scale_y
        np.clip(out[:, 0::2], 0, width, out=out[:, 0::2])
        np.clip(out[:, 1::2], 0, height, out=out[:, 1::2])
        return out


def prepare(pixels: np.ndarray, spec: InputSpec) -> tuple[np.ndarray, Placement]:
    """RGB uint8 H x W x 3 -> a [1, ...] float tensor in the model's layout, and its placement."""
    fitted, placement = _fit(pixels, spec)
    if spec.color == "BGR":
        fitted = fitted[:, :, ::-1]
    # (x * scale - mean) / std folded into one multiply-add per element
    gain = (np.float32(spec.scale) / np.asarray(spec.std, np.float32)).astype(np.float32)
    bias = (-np.asarray(spec.mean, np.float32) / np.asarray(spec.std, np.float32)).astype(np.float32)
    tensor = fitted.astype(np.float32)
    if not (np.all(gain == 1.0) and np.all(bias == 0.0)):
        tensor *= gain  # in place: no full-size temporaries
        tensor += bias
    if spec.layout == "NCHW":
        tensor = tensor.transpose(2, 0, 1)
    tensor = np.ascontiguousarray(tensor[None])
    if spec.dtype == "float16":
        tensor = tensor.astype(np.float16)
    return tensor, placement


def _fit(pixels: np.ndarray, spec: InputSpec) -> tuple[np.ndarray, Placement]:
    height, width = pixels.shape[:2]
    interpolation = INTERPOLATION.get(spec.interpolation, cv2.INTER_LINEAR)
    if spec.resize == "stretch":
        resized = cv2.resize(pixels, (spec.width, spec.height), interpolation=interpolation)
        return resized, Placement(spec.width / width, spec.height / height, 0.0, 0.0)
    if spec.resize == "center_crop":
        return _center_crop(pixels, spec, interpolation)
    return _letterbox(pixels, spec, interpolation)


def _letterbox(pixels: np.ndarray, spec: InputSpec, interpolation: int) -> tuple[np.ndarray, Placement]:
    # letterbox keeps aspect; boxes are mapped back to original pixels through the placement
    height, width = pixels.shape[:2]
    scale = min(spec.width / width, spec.height / height)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(pixels, (new_w, new_h), interpolation=interpolation) if (new_w, new_h) != (width, height) else pixels
    left, top = (spec.width - new_w) // 2, (spec.height - new_h) // 2
    canvas = cv2.copyMakeBorder(
        resized, top, spec.height - new_h - top, left, spec.width - new_w - left,
        cv2.BORDER_CONSTANT, value=(spec.pad_value,) * 3,
    )
    return canvas, Placement(new_w / width, new_h / height, float(left), float(top))


def _center_crop(pixels: np.ndarray, spec: InputSpec, interpolation: int) -> tuple[np.ndarray, Placement]:
    height, width = pixels.shape[:2]
    target_w, target_h = spec.width / spec.crop_pct, spec.height / spec.crop_pct
    scale = max(target_w / width, target_h / height)
    new_w, new_h = max(spec.width, round(width * scale)), max(spec.height, round(height * scale))
    if new_w * new_h > MAX_INTERMEDIATE_PIXELS:
        return _crop_then_resize(pixels, spec, interpolation, scale)
    resized = cv2.resize(pixels, (new_w, new_h), interpolation=interpolation)
    left, top = (new_w - spec.width) // 2, (new_h - spec.height) // 2
    cropped = resized[top : top + spec.height, left : left + spec.width]
    return cropped, Placement(new_w / width, new_h / height, -float(left), -float(top))


def _crop_then_resize(pixels: np.ndarray, spec: InputSpec, interpolation: int, scale: float) -> tuple[np.ndarray, Placement]:
    """The same centred window, cut in original pixels (at least one) and resized straight to the input."""
    height, width = pixels.shape[:2]
    window_w, window_h = min(width, max(1, round(spec.width / scale))), min(height, max(1, round(spec.height / scale)))
    left, top = (width - window_w) // 2, (height - window_h) // 2
    window = pixels[top : top + window_h, left : left + window_w]
    fitted = cv2.resize(window, (spec.width, spec.height), interpolation=interpolation)
    scale_x, scale_y = spec.width / window_w, spec.height / window_h
    return fitted, Placement(scale_x, scale_y, -left * scale_x, -top * scale_y)
