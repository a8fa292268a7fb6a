"""Write assets/selftest-cat.jpg from scikit-image's CC0 photo of Chelsea the cat (a dev dependency)."""

from pathlib import Path

import skimage.data
from PIL import Image

SOURCE = Path(skimage.data.__file__).parent / "chelsea.png"
TARGET = Path(__file__).resolve().parents[1] / "assets" / "selftest-cat.jpg"

if __name__ == "__main__":
    Image.open(SOURCE).convert("RGB").save(TARGET, "JPEG", quality=90, optimize=True)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
