"""Extreme aspect ratios: the intermediate image stays bounded whatever the shape."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.vision import preprocess
from desktop_app.core.vision.preprocess import MAX_INTERMEDIATE_PIXELS, prepare
from desktop_app.core.vision.spec import InputSpec

CROP = InputSpec(name="x", layout="NCHW", width=224, height=224, resize="center_crop", crop_pct=0.875)


@pytest.fixture
def resizes(monkeypatch):
    """The size of every image cv2.resize is asked to produce."""
    asked, real = [], preprocess.cv2.resize

    def spy(image, size, *args, **kwargs):
        asked.append(size)
        return real(image, size, *args, **kwargs)

    monkeypatch.setattr(preprocess.cv2, "resize", spy)
    return asked


@pytest.mark.parametrize("height, width", [(1, 10_000), (10_000, 1), (1, 40_000), (3, 100_000), (1, 1)])
@pytest.mark.parametrize("resize", ["center_crop", "letterbox", "stretch"])
def test_a_thin_image_never_builds_a_huge_intermediate(resizes, height, width, resize):
    pixels = np.full((height, width, 3), (200, 100, 50), np.uint8)
    spec = InputSpec(name="x", layout="NCHW", width=224, height=224, resize=resize, crop_pct=0.875, pad_value=200)
    tensor, placement = prepare(pixels, spec)
    assert tensor.shape == (1, 3, 224, 224)
    assert max(w * h for w, h in resizes) <= MAX_INTERMEDIATE_PIXELS
    if resize != "letterbox":  # a uniform image stays uniform: the crop came from inside it
        assert np.allclose(tensor[0, 0], 200 / 255) and np.allclose(tensor[0, 2], 50 / 255)
        assert placement.scale_x > 0 and placement.scale_y > 0


def test_a_normal_photo_keeps_the_resize_then_crop_path(resizes):
    pixels = np.random.default_rng(0).integers(0, 255, (480, 640, 3), np.uint8)
    prepare(pixels, CROP)
    assert resizes == [(341, 256)]  # the short side to 224 / 0.875, then the centre crop
