"""The Classify and Detect panes driven as a user would (offscreen, pytest-qt, real models)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage
from vision_factory import photo, write_bad_images

from desktop_app.core.settings import Settings
from desktop_app.core.vision import DetectionResult, ImageFailure
from desktop_app.ui.app import build_context
from desktop_app.ui.classify.pane import ClassifyPane
from desktop_app.ui.detect.pane import DetectPane

pytestmark = pytest.mark.slow


@pytest.fixture
def context():
    context = build_context(Settings())
    yield context
    context.close()


def open_pane(qtbot, cls, context):
    pane = cls(context)
    qtbot.addWidget(pane)
    qtbot.waitUntil(lambda: pane.engine is not None, timeout=60000)
    pane.show()
    return pane


def drop(pane, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    pane.dropEvent(event)


def photo_folder(tmp_path):
    folder = tmp_path / "holiday"
    (folder / "day2").mkdir(parents=True)
    shutil.copy(photo("astronaut.png"), folder / "astronaut.png")
    shutil.copy(photo("chelsea.png"), folder / "day2" / "chelsea.png")
    shutil.copy(photo("coffee.png"), folder / "coffee.png")
    write_bad_images(folder / "broken")
    return folder


def test_detect_drop_folder_progress_and_slider_refilter(qtbot, context, tmp_path):
    pane = open_pane(qtbot, DetectPane, context)
    assert "512×512 input · 80 labels · CPU" in pane.chooser.info.text()
    seen_progress = []
    pane.progress.valueChanged.connect(seen_progress.append)
    with qtbot.waitSignal(pane.batch_finished, timeout=120000) as finished:
        drop(pane, photo_folder(tmp_path))
    summary = finished.args[0]
    assert summary.processed == 3 and len(summary.failures) == 4
    assert seen_progress[-1] == 7 and seen_progress == sorted(seen_progress)
    assert pane.status.text().startswith("7 images in ") and pane.status.text().endswith(", 4 failed")  # the end's line
    assert pane.table_model.rowCount() == 7
    failures = [i for i in pane.items if isinstance(i, ImageFailure)]
    assert {f.image.rsplit("/", 1)[-1] for f in failures} == {"truncated.jpg", "notes.png", "empty.jpg", "huge.png"}
    # rows name each image by its path inside the dropped folder, as the CLI does
    names = {pane.table_model.item(r, 0).text() for r in range(7)}
    assert names == {"astronaut.png", "day2/chelsea.png", "coffee.png", "broken/truncated.jpg", "broken/notes.png",
                     "broken/empty.jpg", "broken/huge.png"}
    notes = [pane.table_model.item(r, pane.table_model.columnCount() - 1).text() for r in range(7)]
    assert any(n.startswith("broken/empty.jpg") for n in notes)
    runs = pane.inference_runs
    assert runs == 3

    row = next(i for i, item in enumerate(pane.items) if getattr(item, "image", "").endswith("astronaut.png"))
    pane.table.selectRow(pane.proxy.mapFromSource(pane.table_model.index(row, 0)).row())
    qtbot.waitUntil(lambda: pane.view.box_count() > 0, timeout=30000)
    astronaut: DetectionResult = pane.items[row]
    assert "person" in {d.label for d in astronaut.detections}
    at_default = pane.view.box_count()

    with qtbot.waitSignal(pane.filters_applied, timeout=5000):
        pane.conf_slider.setValue(5)
    loose = pane.view.box_count()
    with qtbot.waitSignal(pane.filters_applied, timeout=5000):
        pane.conf_slider.setValue(90)
    strict = pane.view.box_count()
    assert loose > at_default > strict
    assert pane.table_model.item(row, 1).text() == str(strict)
    assert pane.inference_runs == runs  # the sliders never ran the model again

    with qtbot.waitSignal(pane.filters_applied, timeout=5000):
        pane.conf_slider.setValue(30)
        pane.class_filter.setCurrentIndex(pane.class_filter.findText("cat"))
    assert pane.view.box_count() == 0
    assert all(d.label == "cat" for item in pane.results() for d in item.detections)

    job = pane.export(tmp_path / "out.coco.json", "coco")
    qtbot.waitUntil(lambda: not job.running, timeout=10000)  # written off the GUI thread
    coco = json.loads((tmp_path / "out.coco.json").read_text())
    assert len(coco["images"]) == 3 and {c["name"] for c in coco["categories"]} >= {"person", "cat"}
    with qtbot.waitSignal(pane.exported, timeout=30000) as written:
        pane.save_annotated(tmp_path / "annotated")
    assert sorted(p.name for p in written.args[0]) == ["astronaut.png", "chelsea.png", "coffee.png"]
    pane.shutdown()


def test_classify_drop_paste_sort_filter_and_export(qtbot, context, tmp_path):
    pane = open_pane(qtbot, ClassifyPane, context)
    assert "224×224 input · 1000 labels" in pane.chooser.info.text()
    with qtbot.waitSignal(pane.batch_finished, timeout=120000):
        drop(pane, photo("coffee.png"), photo("chelsea.png"))
    assert [pane.table_model.item(r, 1).text() for r in range(2)][0] == "espresso"
    QGuiApplication.clipboard().setImage(QImage(str(photo("coffee.png"))))
    with qtbot.waitSignal(pane.batch_finished, timeout=120000):
        pane.paste()
    pasted = pane.items[-1]
    assert pasted.image == "pasted image 1" and pasted.top.label == "espresso"

    pane.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    confidences = [pane.proxy.index(r, 2).data(Qt.ItemDataRole.UserRole) for r in range(pane.proxy.rowCount())]
    assert confidences == sorted(confidences, reverse=True)
    pane.filter_edit.setText("CAT")
    assert pane.proxy.rowCount() == 1

    pane.table.selectRow(0)
    qtbot.waitUntil(lambda: len(pane.bars.bars) == 5, timeout=10000)
    assert "cat" in pane.bars.labels()[0].lower()
    job = pane.export(tmp_path / "results.csv", "csv")
    qtbot.waitUntil(lambda: not job.running, timeout=10000)  # written off the GUI thread
    with (tmp_path / "results.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 15 and rows[0]["label"] == "espresso"
    pane.shutdown()


def test_cancel_stops_a_long_batch(qtbot, context, tmp_path):
    pane = open_pane(qtbot, ClassifyPane, context)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        shutil.copy(photo("coffee.png"), folder / f"cup{i:02d}.png")
    with qtbot.waitSignal(pane.batch_finished, timeout=120000) as finished:
        pane.add_sources([folder])
        qtbot.waitUntil(lambda: pane.table_model.rowCount() >= 2, timeout=60000)
        pane.cancel_button.click()
    summary = finished.args[0]
    assert summary.cancelled and summary.processed < 60
    assert "Cancelled" in pane.status.text()
    pane.shutdown()


def test_model_choice_is_remembered_and_a_model_without_sidecar_is_explained(qtbot, context, tmp_path):
    from vision_factory import write_dynamic_onnx

    pane = open_pane(qtbot, DetectPane, context)
    nanodet = pane.chooser.combo.findText("NanoDet-g")
    with qtbot.waitSignal(pane.model_ready, timeout=60000):
        pane.chooser.combo.setCurrentIndex(nanodet)
    assert "416×416 input · 80 labels" in pane.chooser.info.text()
    qtbot.waitUntil(lambda: Settings.load().default_models.get("detect") == "NanoDet-g", timeout=10000)  # saved off the GUI thread
    with qtbot.waitSignal(pane.model_ready, timeout=60000) as loaded:
        pane.chooser.add_path(write_dynamic_onnx(tmp_path / "mystery.onnx"))
    assert isinstance(loaded.args[0], Exception)
    assert "Add a sidecar JSON next to it" in pane.banner.text()
    pane.shutdown()
