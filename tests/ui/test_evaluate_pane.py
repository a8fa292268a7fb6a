"""The Evaluate pane driven as a user would (pytest-qt, offscreen): two models, rows arrive, exports written."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.evaluate.report import read_report


@pytest.fixture
def pane(open_pane, data_dir, tiny_gguf):
    data_dir.mkdir(parents=True, exist_ok=True)
    model = data_dir / "tiny.gguf"
    shutil.copy(tiny_gguf, model)
    return open_pane("evaluate", {"tiny": model}, context_length=512)


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
    assert pane.progress.value() == pane.progress.maximum()
    header = pane.table.horizontalHeader()
    for column in range(1, pane.table.columnCount()):  # numeric columns as wide as their headers, each explained
        item = pane.table.horizontalHeaderItem(column)
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(item.text()) and item.toolTip()
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
    values = []
    pane.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(pane.run_finished, timeout=120000) as blocker:
        pane.run_button.click()
    report = blocker.args[0]
    assert report.cancelled and [m.name for m in report.language] == ["tiny"] and report.vision == []
    assert pane.table.rowCount() == 1 and pane.progress_label.text().startswith("Cancelled")
    # the bar advanced step by step through the first model and stays where the run stopped
    moved = values[values.index(0) + 1:]
    assert len(moved) >= 3 and moved == sorted(moved) and 0 < pane.progress.value() == moved[-1] < pane.progress.maximum()
    assert pane.export_buttons["json"].isEnabled()


def test_nothing_ticked_is_a_message_not_a_run(pane):
    tick_only(pane, set())
    pane.run_button.click()
    assert not pane.busy and pane.banner.isVisible() and "Tick at least one model" in pane.banner.text()


def run_once(qtbot, pane, kept: int):
    """Run; wait until the run is kept and the history lists ``kept`` runs."""
    with qtbot.waitSignal(pane.history_loaded, timeout=120000, check_params_cb=lambda runs: len(runs) == kept) as loaded:
        with qtbot.waitSignal(pane.run_finished, timeout=120000) as done:
            pane.run_button.click()
    assert not isinstance(done.args[0], BaseException)
    return done.args[0], loaded.args[0]


def test_runs_are_kept_and_two_open_side_by_side(qtbot, pane):
    tick_only(pane, {"tiny"})
    pane.reps.setValue(1)
    first, _ = run_once(qtbot, pane, 1)
    second, runs = run_once(qtbot, pane, 2)
    assert len(runs) == 2 and pane.history.count() == 2 and runs[0].title.startswith("tiny on ")
    assert not pane.side_by_side.isEnabled()
    pane.history.selectAll()
    assert pane.side_by_side.isEnabled()
    with qtbot.waitSignal(pane.compare_opened, timeout=30000) as opened:
        pane.side_by_side.click()
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    cells = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()): r for r in range(dialog.table.rowCount())}
    gen = cells[("tiny [CPU]", "generation tok/s")]
    from desktop_app.core.evaluate.language import aggregate

    # older first: the first run on the left, the second on the right
    assert (dialog.rows[gen].left, dialog.rows[gen].right) == (aggregate(first.language[0])[1],
                                                               aggregate(second.language[0])[1])
    assert dialog.table.item(gen, 2).text() == f"{dialog.rows[gen].left:,.1f}"
    assert dialog.table.item(gen, 4).text() == f"{dialog.rows[gen].ratio:.2f}×"


def test_compare_with_a_report_from_another_pc(qtbot, pane, tmp_path):
    from evaluation_factory import sample_report

    from desktop_app.core.evaluate.report import write_json

    pane.compare_with_file(tmp_path / "absent.json")  # nothing run or selected yet: a message, no dialog
    assert "Run an evaluation or select a kept run first" in pane.banner.text()
    tick_only(pane, {"tiny"})
    pane.reps.setValue(1)
    run_once(qtbot, pane, 1)
    write_json(sample_report("Other PC"), tmp_path / "other.json")
    with qtbot.waitSignal(pane.compare_opened, timeout=30000) as opened:
        pane.compare_with_file(tmp_path / "other.json")
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    texts = [[dialog.table.item(r, c).text() for c in range(5)] for r in range(dialog.table.rowCount())]
    assert any(t[0] == "tiny [CPU]" and t[1] == "generation tok/s" and t[3] == "–" for t in texts)
    assert ["Chatty [CPU]", "generation tok/s", "–", "21.0", "–"] in texts
    (tmp_path / "bad.json").write_text("{}")
    with qtbot.waitSignal(pane.compare_opened, timeout=30000) as failed:
        pane.compare_with_file(tmp_path / "bad.json")
    assert isinstance(failed.args[0], Exception) and "not a Hearth evaluation report" in pane.banner.text()


@pytest.mark.allow_loopback
def test_download_next_then_predicted_against_measured(qtbot, pane, model_server, tmp_path, monkeypatch):
    from gguf_factory import write_tiny_llama

    from desktop_app.core.evaluate import runner
    from desktop_app.core.llm.gguf_info import read_gguf_info
    from desktop_app.ui.widgets.download_dialog import DownloadDialog

    bigger = write_tiny_llama(tmp_path / "bigger.gguf", n_embd=256, n_layer=4, n_head=4, n_ff=768, f16=True)
    info = read_gguf_info(bigger)
    catalog = [{"name": "Bigger F16", "repo": "someone/Bigger-GGUF", "file": "bigger-f16.gguf",
                "parameters": info.parameter_count, "size_bytes": info.size_bytes}]
    model_server.add("/someone/Bigger-GGUF/resolve/main/bigger-f16.gguf", bigger.read_bytes())
    monkeypatch.setattr(runner, "curated_models", lambda: catalog)
    pane.hf_endpoint = model_server.base_url
    tick_only(pane, {"tiny"})
    pane.reps.setValue(1)
    report, _ = run_once(qtbot, pane, 1)
    (predicted,) = report.predictions
    assert pane.next_models.rowCount() == 1 and pane.next_models.item(0, 0).text() == "Bigger F16"
    assert pane.next_models.item(0, 4).text() == f"{predicted['gen_tps']:,.1f}" and "GB/s" in pane.next_basis.text()
    pane.next_models.button(0).click()
    dialog = pane.findChild(DownloadDialog)
    qtbot.addWidget(dialog)
    assert (dialog.repo.text(), dialog.file.text()) == ("someone/Bigger-GGUF", "bigger-f16.gguf")
    with qtbot.waitSignal(dialog.finished_download, timeout=60000) as done:
        dialog.start_button.click()
    from huggingface_hub.utils import close_session

    close_session()  # its keep-alive connection would hold a server thread past the test
    assert done.args[0].name == "bigger-f16" and "Run again" in pane.banner.text()
    assert pane.next_models.button(0).text() == "Installed" and not pane.next_models.button(0).isEnabled()
    assert "bigger-f16" in [e.name for e in pane.chosen()]  # listed and ticked for the next run
    tick_only(pane, {"tiny", "bigger-f16"})
    second, _ = run_once(qtbot, pane, 2)
    row = next(r for r in second.language if r.name == "bigger-f16")
    assert row.predicted["gen_tps"] == predicted["gen_tps"]
    assert pane.table.item(1, 0).text() == "bigger-f16" and pane.table.item(1, 8).text() == f"{predicted['gen_tps']:,.1f}"
    assert pane.table.item(0, 8).text() == "–"
    assert f"generation predicted {predicted['gen_tps']:.1f} tok/s" in pane.verdicts.text()


def test_remote_engine_models_are_listed_unticked_and_evaluated_when_ticked(pane):
    pane.context.settings.engines = [{"name": "box", "base_url": "http://127.0.0.1:9/v1", "model": "tiny-llama"}]
    pane.refresh_models()
    items = [pane.models.item(i) for i in range(pane.models.count())]
    remote = next(i for i in items if i.data(Qt.ItemDataRole.UserRole).name == "tiny-llama @ box")
    assert remote.checkState() == Qt.CheckState.Unchecked and "remote engine" in remote.text()
    assert "tiny-llama @ box" not in [e.name for e in pane.request().language]  # nothing goes out unasked
    tick_only(pane, {"tiny-llama @ box"})
    request = pane.request()
    assert [e.name for e in request.language] == ["tiny-llama @ box"] and request.vision == []
