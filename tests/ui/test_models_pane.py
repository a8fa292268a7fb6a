"""The Models pane driven as a user would: listing, search, sort, default, import (drop + sidecar form),
remove with confirmation, download with progress, and the hardware tab."""

from __future__ import annotations

import psutil
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from library_factory import write_mystery_onnx

from desktop_app.core import system
from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context
from desktop_app.ui.models.import_dialog import ImportOptions
from desktop_app.ui.models.pane import ModelsPane
from desktop_app.ui.models.table import ROW_ROLE


@pytest.fixture
def context():
    context = build_context(Settings())
    yield context
    context.close()


@pytest.fixture
def pane(qtbot, context):
    pane = ModelsPane(context)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitUntil(lambda: pane.model.rowCount() >= 4, timeout=30000)
    return pane


def names(pane) -> list[str]:
    return [pane.proxy.index(r, 0).data(ROW_ROLE)["name"] for r in range(pane.proxy.rowCount())]


def cell_text(pane, name: str, key: str) -> str:
    for r in range(pane.proxy.rowCount()):
        if pane.proxy.index(r, 0).data(ROW_ROLE)["name"] == name:
            return pane.proxy.index(r, pane.column_index(key)).data()
    raise AssertionError(name)


def drop(pane, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    pane.dropEvent(event)


def test_listing_metadata_search_and_sort(qtbot, pane):
    assert cell_text(pane, "SmolLM2-135M-Instruct", "quantization") == "Q4_1"
    assert cell_text(pane, "SmolLM2-135M-Instruct", "context") == "8,192"
    assert cell_text(pane, "SmolLM2-135M-Instruct", "template") == "embedded"
    assert "80 labels" in cell_text(pane, "NanoDet-g", "io") and "nanodet" in cell_text(pane, "NanoDet-g", "io")
    assert cell_text(pane, "SmolLM2-135M-Instruct", "default") == "★"
    pane.select("SmolLM2-135M-Instruct")
    qtbot.waitUntil(lambda: "tokens of context" in pane.details.text(), timeout=30000)
    assert "fits" in pane.details.text() and "SmolLM2-135M-Instruct.Q4_1.gguf" in pane.details.text()
    pane.search.setText("nano")
    assert names(pane) == ["NanoDet-g"]
    pane.search.setText("")
    pane.table.sortByColumn(pane.column_index("size"), Qt.SortOrder.DescendingOrder)
    assert names(pane)[0] == "SmolLM2-135M-Instruct" and names(pane)[-1] == "CenterNet-MobileNetV3"


def test_bundled_models_cannot_be_removed_but_can_be_default(qtbot, pane, context):
    pane.select("NanoDet-g")
    assert not pane.remove_button.isEnabled() and pane.default_button.isEnabled()
    with qtbot.waitSignal(pane.library_loaded, timeout=30000):
        pane.default_button.click()
    assert Settings.load().default_models["detect"] == "NanoDet-g"
    assert cell_text(pane, "NanoDet-g", "default") == "★" and cell_text(pane, "CenterNet-MobileNetV3", "default") == ""
    assert "default detect model" in pane.banner.text()


def test_drop_import_then_remove_with_confirmation(qtbot, pane, tiny_gguf, monkeypatch):
    asked = []
    monkeypatch.setattr(pane, "ask_import_options", lambda path: asked.append(path) or ImportOptions(path, "Dropped", True))
    with qtbot.waitSignal(pane.import_finished, timeout=60000):
        drop(pane, tiny_gguf)
    qtbot.waitUntil(lambda: "Dropped" in names(pane), timeout=30000)
    assert asked == [tiny_gguf] and cell_text(pane, "Dropped", "source") == "imported"
    pane.select("Dropped")
    with qtbot.waitSignal(pane.library_loaded, timeout=30000):
        pane.default_button.click()
    qtbot.waitUntil(lambda: Settings.load().default_models.get("chat") == "Dropped", timeout=10000)
    pane.select("Dropped")
    assert pane.remove_button.isEnabled()
    monkeypatch.setattr(pane, "confirm", lambda title, text: False)
    pane.remove_button.click()
    assert "Dropped" in [e.name for e in pane.context.registry.list()]
    monkeypatch.setattr(pane, "confirm", lambda title, text: "will be deleted" in text)
    with qtbot.waitSignal(pane.library_loaded, timeout=30000):
        pane.remove_button.click()
    assert "Dropped" not in names(pane) and "was removed" in pane.banner.text()
    # a removed default is no longer the default, on disk too (written by the disk writer, not the GUI thread)
    assert "chat" not in pane.context.settings.default_models
    qtbot.waitUntil(lambda: "chat" not in Settings.load().default_models, timeout=10000)


def test_bad_drop_is_reported_in_the_pane(qtbot, pane, tmp_path, monkeypatch):
    junk = tmp_path / "junk.gguf"
    junk.write_text("not a model")
    monkeypatch.setattr(pane, "ask_import_options", lambda path: ImportOptions(path, "Junk", True))
    with qtbot.waitSignal(pane.import_finished, timeout=30000):
        drop(pane, junk)
    assert "not a GGUF model file" in pane.banner.text()
    drop(pane, tmp_path / "photo.jpg")
    assert "Drop a .gguf or .onnx" in pane.banner.text()


def test_vision_model_without_sidecar_gets_the_form(qtbot, pane, tmp_path, monkeypatch):
    path = write_mystery_onnx(tmp_path / "mystery.onnx")
    monkeypatch.setattr(pane, "ask_import_options", lambda p: ImportOptions(p, "Mystery", True))
    forms = []
    sidecar = {"task": "classify", "input": {"layout": "NCHW", "width": 32, "height": 32}, "output": {"decoder": "softmax"}}
    monkeypatch.setattr(pane, "ask_sidecar", lambda p, message: forms.append(message) or sidecar)
    with qtbot.waitSignal(pane.import_finished, timeout=60000) as done:
        drop(pane, path)
    assert forms and "sidecar" in forms[0]
    assert done.args[0].name == "Mystery" and done.args[0].task == "classify"


@pytest.mark.allow_loopback
def test_download_dialog_progress_then_listed(qtbot, pane, model_server, tiny_gguf):
    url = model_server.add("/dl/tiny.gguf", tiny_gguf.read_bytes())
    dialog = pane.open_download()
    qtbot.addWidget(dialog)
    assert dialog.curated.count() >= 4
    dialog.curated.setCurrentRow(0)
    assert dialog.repo.text() and dialog.file.text().endswith(".gguf")
    dialog.sources.setCurrentIndex(2)
    dialog.url.setText(url)
    dialog.name.setText("From the web")
    with qtbot.waitSignal(dialog.finished_download, timeout=60000) as done:
        dialog.start_button.click()
        assert not dialog.start_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert done.args[0].name == "From the web"
    assert dialog.progress.value() == 1000 and "added to the library" in dialog.status.text()
    qtbot.waitUntil(lambda: "From the web" in names(pane), timeout=30000)
    dialog.sources.setCurrentIndex(2)
    dialog.url.setText(url.replace("tiny.gguf", "gone.gguf"))
    dialog.name.setText("")
    with qtbot.waitSignal(dialog.finished_download, timeout=60000):
        dialog.start_button.click()
    assert "HTTP 404" in dialog.banner.text()


def test_hardware_tab_shows_memory_and_a_recommendation(qtbot, pane):
    qtbot.waitUntil(lambda: pane.hardware.report is not None, timeout=30000)
    report = pane.hardware.report
    assert pane.hardware.fields["ram"].text().endswith(f"free of {psutil.virtual_memory().total / 1e9:.2f} GB")
    assert "CPU" in pane.hardware.fields["onnx"].text()
    assert pane.hardware.recommendation.text().splitlines()[0] == system.recommend(report)[0]


@pytest.mark.allow_loopback
def test_download_pause_resume_and_cancel(qtbot, pane, model_server, tiny_gguf):
    url = model_server.add("/slow/tiny.gguf", tiny_gguf.read_bytes(), "slow")
    served = model_server.files["/slow/tiny.gguf"]
    dialog = pane.open_download()
    qtbot.addWidget(dialog)
    dialog.sources.setCurrentIndex(2)
    dialog.url.setText(url)
    dialog.name.setText("Paused once")
    with qtbot.waitSignal(dialog.finished_download, timeout=60000) as done:
        dialog.start_button.click()
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Downloading"), timeout=30000)
        dialog.pause_button.click()
        assert dialog.pause_button.text() == "Resume"
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Paused"), timeout=30000)
        dialog.pause_button.click()
    assert done.args[0].name == "Paused once" and done.args[0].path.read_bytes() == tiny_gguf.read_bytes()
    assert served.gets == 2 and served.ranges[1].startswith("bytes=")  # resumed with Range, not restarted
    dialog.name.setText("Cancelled")
    with qtbot.waitSignal(dialog.finished_download, timeout=60000) as cancelled:
        dialog.start_button.click()
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Downloading"), timeout=30000)
        dialog.cancel_button.click()
    assert cancelled.args[0] is None and "Nothing was added" in dialog.status.text()
    assert "Cancelled" not in [e.name for e in pane.context.registry.list()]
    assert not list((pane.context.registry.library_dir / ".partial").glob("*.part"))
