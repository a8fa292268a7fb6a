"""Quality pictures with matplotlib's object API (never pyplot, never Qt): the confusion matrix, precision–recall
curves, and small thumbnails of the worst images for the report."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from desktop_app.core.evaluate.quality.results import QualityRun, QualityTask

THUMBNAIL = 112  # pixels, the longer side


def confusion_figure(name: str, classes: list[str], matrix: list[list[int]]) -> Figure:
    data = np.asarray(matrix, dtype=float)
    size = 2.6 + 0.35 * len(classes)
    fig = Figure(figsize=(size + 1.2, size), layout="constrained")
    ax = fig.subplots()
    ax.imshow(data, cmap="Blues")
    columns = classes + ["(other)"]
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    for (row, col), value in np.ndenumerate(data):
        if value:
            ax.text(col, row, f"{value:.0f}", ha="center", va="center",
                    color="white" if value > data.max() / 2 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true class")
    ax.set_title(f"Confusion matrix: {name}")
    return fig


def pr_figure(name: str, curves: dict[str, list[float]]) -> Figure:
    fig = Figure(figsize=(5.5, 3.6), layout="constrained")
    ax = fig.subplots()
    recall = np.linspace(0, 1, 101)  # COCOeval's recall points
    for label, precision in curves.items():
        ax.plot(recall, precision, label=label)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(f"Precision–recall at IoU 0.5: {name}")
    if curves:
        ax.legend(fontsize=7)
    return fig


def quality_figures(run: QualityRun) -> list[tuple[str, Figure]]:
    made = []
    for model in run.models:
        if run.task is QualityTask.CLASSIFY and model.details.get("confusion"):
            made.append((f"Confusion matrix: {model.name}",
                         confusion_figure(model.name, model.details["classes"], model.details["confusion"])))
        if run.task is QualityTask.DETECT and model.details.get("curves"):
            made.append((f"Precision–recall: {model.name}", pr_figure(model.name, model.details["curves"])))
    return made


def thumbnail_jpeg(path: Path | str) -> bytes | None:
    """A small JPEG of the image, or None when it is gone or unreadable (the report still renders)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image = image.convert("RGB")
            image.thumbnail((THUMBNAIL, THUMBNAIL))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=80)
    except (OSError, ValueError):
        return None
    return out.getvalue()


def thumbnail_uri(path: Path | str) -> str | None:
    data = thumbnail_jpeg(path)
    return None if data is None else "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def worst_pictures(run: QualityRun) -> list[tuple[str, bytes]]:
    """(caption, image bytes) for the pane: each model's confusion matrix or PR curves, then its worst images."""
    shown = [(title, figure_png(fig)) for title, fig in quality_figures(run)]
    for model in run.models:
        for worst in model.details.get("worst", []):
            data = thumbnail_jpeg(worst["image"])
            if data is not None:
                what = (f"{worst['misses']} missed" if "misses" in worst
                        else f"{worst['truth']} → {worst['output'].split(',')[0]}")
                shown.append((f"{model.name}: {worst['name']}\n{what}", data))
    return shown
