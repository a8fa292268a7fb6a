"""Classify and Detect jobs against a GUI that moves on: stale previews, re-filtering during a save.

No model is loaded: the engine load is replaced by a failure, items are built by hand."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtGui import QImage

import desktop_app.ui.detect.pane as detect_module
import desktop_app.ui.vision.batch_pane as batch_module
from desktop_app.core.errors import HearthError
from desktop_app.core.settings import Settings
from desktop_app.core.vision.decoders import Candidates
from desktop_app.core.vision.results import ClassificationResult, DetectionResult, Prediction
from desktop_app.ui.app import build_context
from desktop_app.ui.classify.pane import ClassifyPane
from desktop_app.ui.detect.pane import DetectPane


@pytest.fixture
def context(monkeypatch):
    def no_model(entry, threads):
        raise HearthError("No model in this test.")

    monkeypatch.setattr(batch_module, "open_registry_engine", no_model)
    context = build_context(Settings())
    yield context
    context.close()


def open_pane(qtbot, cls, context):
    pane = cls(context)
    qtbot.addWidget(pane)
    if pane.chooser.current() is not None:
        with qtbot.waitSignal(pane.model_ready, timeout=10000):
            pass
    return pane


def test_a_slow_classify_preview_never_replaces_the_row_chosen_after_it(qtbot, context, monkeypatch):
    gate = threading.Event()
    wide, tall = QImage(60, 20, QImage.Format.Format_RGB32), QImage(20, 60, QImage.Format.Format_RGB32)

    def preview(source, pasted):
        if source == "wide.png":
            gate.wait(10)  # the first row's image decodes slowly
            return wide
        return tall

    monkeypatch.setattr(batch_module, "preview_image", preview)
    pane = open_pane(qtbot, ClassifyPane, context)
    first = ClassificationResult("wide.png", 60, 20, [Prediction("espresso", 0.9, 1)])
    second = ClassificationResult("tall.png", 20, 60, [Prediction("cat", 0.8, 2)])
    with qtbot.waitSignal(pane.preview_ready, timeout=10000, check_params_cb=lambda s: s == "tall.png"):
        pane.show_item(first)
        pane.show_item(second)
    gate.set()
    with qtbot.waitSignal(pane.preview_ready, timeout=10000, check_params_cb=lambda s: s == "wide.png"):
        pass
    shown = pane.preview.pixmap()
    assert shown.height() > shown.width()  # still the second row's (tall) image
    assert pane.preview_name.text() == "tall.png"


def detection(image: str) -> DetectionResult:
    boxes = np.array([[0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 50, 50]], np.float32)
    candidates = Candidates(boxes, np.array([0.9, 0.6, 0.4], np.float32), np.zeros(3, np.int32))
    result = DetectionResult(image, 64, 64, candidates, ("cat",), 0.3, 0.5)
    result.refilter(0.3, 0.5)
    return result


def test_saving_annotated_images_works_on_its_own_copy_while_sliders_refilter(qtbot, context, monkeypatch, tmp_path):
    gate, seen = threading.Event(), []

    def save_annotated(results, folder):
        gate.wait(10)  # still drawing while the user moves the slider
        seen.extend((r.image, len(r.detections)) for r in results)
        return [folder / f"{r.image}" for r in results]

    monkeypatch.setattr(detect_module, "save_annotated", save_annotated)
    pane = open_pane(qtbot, DetectPane, context)
    item = detection("a.png")
    pane._append(item)
    assert len(item.detections) == 3
    pane.save_annotated(tmp_path)
    with qtbot.waitSignal(pane.filters_applied, timeout=5000):
        pane.conf_slider.setValue(80)
    assert len(item.detections) == 1  # the pane's own result was re-filtered meanwhile
    with qtbot.waitSignal(pane.exported, timeout=10000):
        gate.set()
    assert seen == [("a.png", 3)]
