"""Image loading: bad files are refused with a plain message, unusual ones are converted."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from vision_factory import photo, write_bad_images, write_huge_png, write_odd_images

from desktop_app.core.errors import ImageReadError
from desktop_app.core.vision.images import collect_images, load_image

EXPECTED_MESSAGES = {
    "truncated": "damaged or incomplete",
    "not_an_image": "not an image",
    "empty": "the file is empty",
    "huge": "too large (400 megapixels; the limit is 100 megapixels)",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED_MESSAGES))
def test_bad_files_raise_plain_messages(tmp_path, kind):
    path = write_bad_images(tmp_path)[kind]
    with pytest.raises(ImageReadError) as caught:
        load_image(path)
    message = str(caught.value)
    assert message.startswith(path.name + ":")
    assert EXPECTED_MESSAGES[kind] in message
    assert "\n" not in message


def test_size_guard_reads_only_the_header(tmp_path):
    medium = write_huge_png(tmp_path / "medium.png", 12_000, 9_000)  # 108 MP: below Pillow's own refusal
    with pytest.raises(ImageReadError, match=r"too large \(12,000 × 9,000 pixels; the limit is 100 megapixels\)"):
        load_image(medium)


def test_missing_file(tmp_path):
    with pytest.raises(ImageReadError, match="cannot be opened"):
        load_image(tmp_path / "gone.jpg")


def test_odd_files_are_converted_with_a_note(tmp_path):
    files = write_odd_images(tmp_path)
    reference = np.asarray(Image.open(photo("coffee.png")).convert("RGB"), np.int16)
    cmyk = load_image(files["cmyk"])
    assert cmyk.pixels.shape == (400, 600, 3) and cmyk.pixels.dtype == np.uint8
    assert "converted from CMYK" in cmyk.notes
    assert np.abs(cmyk.pixels.astype(np.int16) - reference).mean() < 12  # JPEG + CMYK round trip
    sixteen = load_image(files["sixteen_bit"])
    assert sixteen.pixels.dtype == np.uint8 and sixteen.pixels.shape == (400, 600, 3)
    assert "16-bit pixels scaled to 8-bit" in sixteen.notes
    gray = np.asarray(Image.open(photo("coffee.png")).convert("L"), np.int16)
    assert np.abs(sixteen.pixels[:, :, 0].astype(np.int16) - gray).max() <= 1
    alpha = load_image(files["alpha"])
    assert "transparency flattened onto white" in alpha.notes
    assert alpha.pixels.mean() > reference.mean()  # half-transparent over white is lighter


def test_exif_orientation_is_applied(tmp_path):
    rotated = load_image(write_odd_images(tmp_path)["rotated"])
    assert (rotated.width, rotated.height) == (400, 600)  # stored 600 x 400, shown portrait
    assert "rotated per EXIF orientation" in rotated.notes


def test_grayscale_becomes_three_channels():
    camera = load_image(photo("camera.png"))
    assert camera.pixels.shape == (512, 512, 3)
    assert camera.notes == []


def test_collect_images_recurses_and_keeps_named_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.jpg", "a/b/two.PNG", "a/b/readme.txt", "three.webp"):
        (tmp_path / name).write_bytes(b"x")
    named = tmp_path / "a" / "b" / "readme.txt"
    found = collect_images([tmp_path / "a", tmp_path / "three.webp", named])
    assert [p.name for p in found] == ["two.PNG", "one.jpg", "three.webp", "readme.txt"]
