"""The Linux bundle replaces OpenCV's FFmpeg and OpenBLAS with stubs that abort (packaging/shrink.py).
That is safe only for the cv2 functions checked in the bundle: a new call fails here until it is
checked there (the frozen self-test and `hearth detect --save-annotated` run every listed one)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_shrink():
    spec = importlib.util.spec_from_file_location("shrink", ROOT / "packaging" / "shrink.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cv2_uses(source: str) -> set[str]:
    """'dnn.NMSBoxesBatched', 'resize', ...: every cv2 attribute chain that is not a constant."""
    tree = ast.parse(source)
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cv2":
            found.add(f"from-import of {node.module}")  # cannot be followed: always fails the check
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        parts, base = [], node
        while isinstance(base, ast.Attribute):
            parts.insert(0, base.attr)
            base = base.value
        if isinstance(base, ast.Name) and base.id == "cv2" and not parts[-1].isupper():
            found.add(".".join(parts))
    return found


def test_cv2_uses_finds_calls_and_skips_constants():
    source = "import cv2\nx = cv2.resize(a, b, interpolation=cv2.INTER_LINEAR)\ncv2.dnn.NMSBoxesBatched(1)\nf = cv2.solve\n"
    assert cv2_uses(source) == {"resize", "dnn.NMSBoxesBatched", "solve"}
    assert cv2_uses("from cv2 import dnn\n") == {"from-import of cv2"}


def test_hearth_calls_only_opencv_functions_checked_against_the_bundle_stubs():
    used = set()
    for path in (ROOT / "desktop_app").rglob("*.py"):
        used |= cv2_uses(path.read_text(encoding="utf-8"))
    assert used, "no cv2 use found: the scan is broken"
    unchecked = used - load_shrink().OPENCV_CALLS
    assert not unchecked, (
        f"cv2 functions not checked against the bundle's OpenCV stubs: {sorted(unchecked)}. Run them in the "
        "frozen bundle (they must not reach FFmpeg or BLAS/LAPACK), then add them to OPENCV_CALLS in packaging/shrink.py."
    )
