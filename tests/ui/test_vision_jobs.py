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


class CountedEngine:
    """An engine that counts its closes and says whether it was open when the pane took it."""

    def __init__(self, name: str):
        from types import SimpleNamespace

        self.name, self.closes = name, 0
        size = SimpleNamespace(width=8, height=8)
        self.spec = SimpleNamespace(input=size, label_count=1, labels=["thing"])
        self.provider, self.notes = "CPU", []

    def close(self) -> None:
        self.closes += 1


@pytest.mark.parametrize("cls", [ClassifyPane, DetectPane])
def test_quick_model_switches_close_every_engine_exactly_once(qtbot, context, monkeypatch, cls):
    """A switch made while the previous model still opens: no session stays open, none is used closed."""
    from types import SimpleNamespace

    opened: list[CountedEngine] = []
    first_opens, go_on = threading.Event(), threading.Event()

    def open_engine(entry, threads):
        engine = CountedEngine(entry.name)
        opened.append(engine)
        if entry.name == "A":
            first_opens.set()
            go_on.wait(10)  # A takes its time: B and C are chosen meanwhile
        return engine

    pane = open_pane(qtbot, cls, context)  # its default model fails to open (context fixture): no engine yet
    monkeypatch.setattr(batch_module, "open_registry_engine", open_engine)
    taken = []
    pane.model_ready.connect(lambda engine: taken.append((engine.name, engine.closes)))
    entries = [SimpleNamespace(name=n, source="path") for n in "ABC"]
    pane.load_model(entries[0])
    assert first_opens.wait(10)
    pane.load_model(entries[1])
    pane.load_model(entries[2])
    go_on.set()
    qtbot.waitUntil(lambda: pane.engine is not None and pane.engine.name == "C", timeout=10000)
    assert taken == [("C", 0)]  # only the newest choice reached the pane, open
    assert [(e.name, e.closes) for e in opened] == [("A", 1), ("C", 0)]  # B was never opened: C was chosen first
    pane.shutdown()
    qtbot.waitUntil(lambda: opened[-1].closes == 1, timeout=10000)
    assert [e.closes for e in opened] == [1, 1]


def test_an_engine_whose_pane_went_away_is_closed(qtbot, context, monkeypatch):
    from types import SimpleNamespace

    import shiboken6

    pane = ClassifyPane(context)
    with qtbot.waitSignal(pane.model_ready, timeout=10000):
        pass  # its default model fails to open (context fixture)
    engines_opened: list[CountedEngine] = []
    monkeypatch.setattr(batch_module, "open_registry_engine",
                        lambda entry, threads: engines_opened.append(CountedEngine(entry.name)) or engines_opened[-1])
    with qtbot.waitSignal(pane.model_ready, timeout=10000):
        pane.load_model(SimpleNamespace(name="A", source="path"))
    shiboken6.delete(pane)  # no shutdown(): the window went away another way
    qtbot.waitUntil(lambda: engines_opened and engines_opened[0].closes == 1, timeout=10000)
