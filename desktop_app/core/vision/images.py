"""Reading images from disk into RGB uint8 arrays, whatever the file throws at us.

EXIF orientation is applied; CMYK, 16-bit, float, palette, grayscale and alpha images
are converted (alpha composited over white) and say so in ``notes``. Images above
:data:`MAX_PIXELS` are refused from the header alone, before any pixel is decoded.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from desktop_app.core.errors import ImageReadError
from desktop_app.core.texts import translate

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
MAX_PIXELS = 100_000_000  # 100 megapixels: a 20,000 x 20,000 image would need 1.2 GB as RGB


@dataclass
class LoadedImage:
    pixels: np.ndarray  # H x W x 3, uint8, RGB
    source: str  # file path, or a name such as "clipboard"
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def load_image(path: Path | str, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageReadError(translate("VisionErrors", "{name}: cannot be opened ({value}).").fill(name=path.name, value=exc.strerror or exc)) from exc
    if size == 0:
        raise ImageReadError(translate("VisionErrors", "{name}: the file is empty.").fill(name=path.name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                _check_size(path.name, image.size, max_pixels)
                image.load()
                return from_pil(image, str(path))
    except Image.DecompressionBombError as exc:
        # Pillow refuses far-too-large images in open(), before we see the size
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:,.0f} megapixels; " if found else ""
        raise ImageReadError(
            translate("VisionErrors", "{name}: the image is too large ({size}the limit is "
                                      "{value:.0f} megapixels).").fill(name=path.name, size=size, value=max_pixels / 1000000.0)
        ) from exc
    except UnidentifiedImageError as exc:
        raise ImageReadError(translate("VisionErrors", "{name}: not an image Hearth can read.").fill(name=path.name)) from exc
    except ImageReadError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageReadError(translate("VisionErrors", "{name}: the image is damaged or incomplete.").fill(
            name=path.name)) from exc


def _check_size(name: str, size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageReadError(
            translate("VisionErrors", "{name}: the image is too large ({width:,} × {height:,} "
                                      "pixels; the limit is {value:.0f} megapixels).").fill(name=name, width=width, height=height, value=max_pixels / 1000000.0)
        )


def from_pil(image: Image.Image, source: str) -> LoadedImage:
    """Convert any PIL image to RGB uint8, applying EXIF orientation."""
    notes: list[str] = []
    orientation = image.getexif().get(0x0112, 1)  # EXIF Orientation tag
    if orientation not in (1, None):
        image = ImageOps.exif_transpose(image)
        notes.append("rotated per EXIF orientation")
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        notes.append(f"{_depth_name(mode)} pixels scaled to 8-bit")
        return LoadedImage(np.repeat(_to_uint8(np.asarray(image))[:, :, None], 3, axis=2), source, notes)
    if mode == "CMYK":
        notes.append("converted from CMYK")
        image = image.convert("RGB")
    elif mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        notes.append("transparency flattened onto white")
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    elif mode != "RGB":
        image = image.convert("RGB")
    return LoadedImage(np.ascontiguousarray(np.asarray(image, dtype=np.uint8)), source, notes)


def from_array(pixels: np.ndarray, source: str) -> LoadedImage:
    """An RGB(A) or grayscale array (e.g. pasted from the clipboard)."""
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    if pixels.shape[2] == 4:
        return from_pil(Image.fromarray(pixels, "RGBA"), source)
    return LoadedImage(np.ascontiguousarray(pixels[:, :, :3].astype(np.uint8, copy=False)), source)


def _depth_name(mode: str) -> str:
    return {"F": "32-bit float", "I": "32-bit integer"}.get(mode, "16-bit")


def _to_uint8(array: np.ndarray) -> np.ndarray:
    array = array.astype(np.float32)
    low, high = float(array.min()), float(array.max())
    if array.dtype.kind == "f" and high <= 1.0 and low >= 0.0:
        return (array * 255.0 + 0.5).astype(np.uint8)
    top = 65535.0 if high > 255 else 255.0
    if high > 65535:
        top = high
    return np.clip(array * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)


def is_image_path(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def collect_images(sources: list[Path | str], recursive: bool = True) -> list[Path]:
    """Files named directly (whatever their extension) plus image files inside folders."""
    found: list[Path] = []
    seen: set[Path] = set()
    for source in map(Path, sources):
        if source.is_dir():
            pattern = source.rglob("*") if recursive else source.glob("*")
            candidates = sorted(p for p in pattern if p.is_file() and is_image_path(p))
        else:
            candidates = [source]
        for path in candidates:
            if path not in seen:
                seen.add(path)
                found.append(path)
    return found
