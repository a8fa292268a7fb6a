"""Detect's sliders on many stored images: the image on screen is re-filtered at once on the GUI
thread, the rest on a worker (offscreen, synthetic candidates: no model runs)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from desktop_app.core.settings import Settings
from desktop_app.core.vision import results as results_module
from desktop_app.core.vision.decoders import Candidates
from desktop_app.core.vision.results import DetectionResult
from desktop_app.ui.app import build_context
from desktop_app.ui.detect.pane import DetectPane

LABELS = ("apple", "banana", "fig")
CANDIDATES = 2000  # the most a detector keeps per image before thresholds
STRONG = 12  # candidates above the default threshold: few boxes to draw per tick
# (PySide6 6.12 on Python 3.11 drops a reference to None on every void call; thousands of
# drawn boxes per test end the process with "none_dealloc", so the drawing is kept small)


def synthetic(image: str, seed: int) -> DetectionResult:
    rng = np.random.default_rng(seed)
    corner = rng.uniform(0, 560, (CANDIDATES, 2)).astype(np.float32)
    size = rng.uniform(10, 80, (CANDIDATES, 2)).astype(np.float32)
    scores = rng.uniform(0.05, 0.3, CANDIDATES)
    scores[rng.choice(CANDIDATES, STRONG, replace=False)] = rng.uniform(0.3, 1.0, STRONG)
    candidates = Candidates(
        np.concatenate([corner, corner + size], axis=1),
        scores.astype(np.float32),
        rng.integers(0, len(LABELS), CANDIDATES).astype(np.int32),
    )
    return DetectionResult(image, 640, 640, candidates, LABELS, 0.3, 0.5)


@pytest.fixture
def pane(qtbot, tmp_path):
    context = build_context(Settings(default_models={"detect": "no such model"}))
    pane = DetectPane(context)
    qtbot.addWidget(pane)
    pane.show()
    picture = QImage(640, 640, QImage.Format.Format_RGB32)
    picture.fill(QColor("white"))
    for number in range(30):
        path = tmp_path / f"shelf-{number:02d}.png"
        picture.save(str(path))
        pane._append(synthetic(str(path), number))
    qtbot.waitUntil(lambda: pane.view.box_count() > 0, timeout=10000)  # the first row is shown
    yield pane
    context.close()


@pytest.fixture
def nms_calls(monkeypatch):
    """Which thread ran each NMS pass: True for the GUI thread."""
    calls: list[bool] = []
    real = results_module.select

    def recording(*args, **kwargs):
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(results_module, "select", recording)
    return calls


def counts(pane) -> list[str]:
    return [pane.table_model.item(row, 1).text() for row in range(pane.table_model.rowCount())]


def test_a_slider_tick_refilters_the_shown_image_at_once_and_the_rest_on_a_worker(qtbot, pane, nms_calls):
    shown = pane._shown
    assert shown is pane.items[0]
    pane.conf_slider.setValue(50)  # no event loop turn: what is on screen must already follow
    expected = shown.filtered(0.5, 0.5)
    nms_calls.clear()
    assert [d.score for d in shown.detections] == [d.score for d in expected] and shown.conf == 0.5
    assert pane.view.box_count() == len(expected)
    assert counts(pane)[0] == str(len(expected))
    assert all(item.conf == 0.3 for item in pane.items[1:])  # not yet: that is the worker's job

    with qtbot.waitSignal(pane.filters_applied, timeout=10000):
        pass
    assert nms_calls.count(True) == 0 and nms_calls.count(False) == 29
    for row, item in enumerate(pane.items):
        assert item.conf == 0.5 and len(item.detections) == len(item.filtered(0.5, 0.5))
        assert counts(pane)[row] == str(len(item.detections))


def test_a_drag_does_one_gui_pass_per_tick_and_settles_on_the_last_value(qtbot, pane, nms_calls):
    with qtbot.waitSignal(pane.filters_applied, timeout=10000):
        for value in range(41, 51):
            pane.iou_slider.setValue(value)
    assert nms_calls.count(True) == 10  # the shown image, once per tick
    assert nms_calls.count(False) <= 29 * 2  # the rest once the drag paused (a pass may be cut short)
    assert all(item.iou == 0.5 and item.conf == 0.3 for item in pane.items)
    assert all(counts(pane)[row] == str(len(item.filtered(0.3, 0.5))) for row, item in enumerate(pane.items))


def test_export_right_after_a_tick_uses_the_new_thresholds(pane, tmp_path, qtbot):
    pane.conf_slider.setValue(60)
    job = pane.export(tmp_path / "out.csv", "csv")
    qtbot.waitUntil(lambda: not job.running, timeout=10000)  # written off the GUI thread
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert len(lines) - 1 == sum(len(item.filtered(0.6, 0.5)) for item in pane.items) > 0
