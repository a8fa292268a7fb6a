"""The Evaluate pane driven as a user would (pytest-qt, offscreen): two models, rows arrive, exports written."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.evaluate.report import read_report
from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def pane(qtbot, data_dir, tiny_gguf):
    data_dir.mkdir(parents=True, exist_ok=True)
    model = data_dir / "tiny.gguf"
    shutil.copy(tiny_gguf, model)
    manifest = {"models": [{"name": "tiny", "kind": "gguf", "task": "chat", "path": str(model), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))
    context = build_context(Settings(context_length=512, n_threads=2, default_models={"chat": "tiny"}))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    pane = window.show_pane("evaluate")
    yield pane
    pane.shutdown()
    window.close()
    context.close()


def tick_only(pane, names):
    for i in range(pane.models.count()):
        item = pane.models.item(i)
        wanted = item.data(Qt.ItemDataRole.UserRole).name in names
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def test_all_installed_models_are_ticked_by_default(pane):
    names = [e.name for e in pane.chosen()]
    assert "tiny" in names and "EfficientNet-Lite0" in names and len(names) == pane.models.count()


def test_run_on_two_models_fills_the_table_and_exports(qtbot, pane, tmp_path):
    tick_only(pane, {"tiny", "EfficientNet-Lite0"})
    pane.reps.setValue(1)
    rows = []
    pane.row_added.connect(rows.append)
    labels = []
    pane.progress_label.linkHovered.connect(lambda _l: None)
    with qtbot.waitSignal(pane.run_finished, timeout=120000) as blocker:
        pane.run_button.click()
        labels.append(pane.progress_label.text())
    report = blocker.args[0]
    assert not report.cancelled and [r.name for r in rows] == ["tiny", "EfficientNet-Lite0"]
    assert pane.table.rowCount() == 2
    assert pane.table.item(0, 0).text() == "tiny" and pane.table.item(0, 2).text() == "ok"
    assert float(pane.table.item(0, 4).text().replace(",", "")) > 0  # generation tok/s
    assert pane.table.item(1, 1).text() == "CPU" and "/" in pane.table.item(1, 6).text()
    assert "Chat:" in pane.verdicts.text() and pane.progress_label.text().startswith("Finished")
    for kind, button in pane.export_buttons.items():
        assert button.isEnabled()
        with qtbot.waitSignal(pane.exported, timeout=60000) as saved:
            pane.export(kind, tmp_path / f"r.{kind}")
        assert saved.args[0] == tmp_path / f"r.{kind}" and saved.args[0].stat().st_size > 0
    assert read_report(tmp_path / "r.json").language[0].name == "tiny"
    assert "EfficientNet-Lite0" in (tmp_path / "r.html").read_text()


def test_cancel_keeps_the_finished_rows(qtbot, pane):
    tick_only(pane, {"tiny", "EfficientNet-Lite0", "NanoDet-g"})
    pane.reps.setValue(1)
    pane.row_added.connect(lambda _row: pane.cancel())  # cancel as soon as the first model is done
    with qtbot.waitSignal(pane.run_finished, timeout=120000) as blocker:
        pane.run_button.click()
    report = blocker.args[0]
    assert report.cancelled and [m.name for m in report.language] == ["tiny"] and report.vision == []
    assert pane.table.rowCount() == 1 and pane.progress_label.text().startswith("Cancelled")
    assert pane.export_buttons["json"].isEnabled()


def test_nothing_ticked_is_a_message_not_a_run(pane):
    tick_only(pane, set())
    pane.run_button.click()
    assert not pane.busy and pane.banner.isVisible() and "Tick at least one model" in pane.banner.text()
