"""Settings saves and exports fsync on the writer thread, never on the GUI thread."""

from __future__ import annotations

import errno
import json
import os
import threading

import pytest
from PySide6.QtWidgets import QWidget

from desktop_app.core.errors import StorageError
from desktop_app.core.settings import Settings
from desktop_app.ui import workers
from desktop_app.ui.disk_writes import save_settings, write_file
from desktop_app.ui.workers import describe_error
from desktop_app.ui.language_menu import LanguageMenu


@pytest.fixture
def fsync_threads(monkeypatch) -> list[str]:
    """The name of the thread of every fsync the test causes."""
    names: list[str] = []
    real = os.fsync

    def recording(fd):
        names.append(threading.current_thread().name)
        return real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return names


@pytest.fixture
def owner(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def settle(qtbot) -> None:
    qtbot.waitUntil(lambda: not workers.active_jobs(), timeout=10000)


def test_settings_are_saved_off_the_gui_thread_from_a_snapshot(qtbot, owner, data_dir, fsync_threads, monkeypatch):
    import desktop_app.ui.disk_writes as disk_writes

    gate = threading.Event()
    monkeypatch.setattr(disk_writes, "write_text_atomic", lambda path, text: gate.wait(10))
    write_file(data_dir / "busy.txt", "", parent=owner, on_failed=pytest.fail)  # holds the writer thread
    settings = Settings()
    settings.default_models["chat"] = "first"
    saved = []
    save_settings(settings, parent=owner, on_failed=pytest.fail, on_saved=lambda: saved.append(True))
    settings.default_models["chat"] = "changed after the call"  # the GUI goes on; the save must not see it
    gate.set()
    settle(qtbot)
    assert saved == [True]
    assert json.loads((data_dir / "settings.json").read_text())["default_models"]["chat"] == "first"
    assert fsync_threads and threading.main_thread().name not in fsync_threads


def test_settings_saves_land_in_the_order_they_were_asked_for(qtbot, owner, data_dir):
    settings = Settings()
    for n in range(20):
        settings.context_length = 1000 + n
        save_settings(settings, parent=owner, on_failed=pytest.fail)
    settle(qtbot)
    assert json.loads((data_dir / "settings.json").read_text())["context_length"] == 1019


def test_a_failed_save_reaches_on_failed(qtbot, owner, data_dir, job_log):
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("a file where the data folder should be")
    failures = []
    save_settings(Settings(), parent=owner, on_failed=failures.append)
    settle(qtbot)
    assert len(failures) == 1 and isinstance(failures[0], StorageError)
    assert describe_error(failures[0]) == (f"Could not save the settings to {data_dir / 'settings.json'}: a part of its "
                                           "path is a file, not a folder. Choose another place.")
    assert [r.exc_info[0] for r in job_log] == [FileExistsError]  # the traceback goes to the log


def test_an_export_is_written_off_the_gui_thread(qtbot, owner, tmp_path, fsync_threads, job_log):
    written, failures = [], []
    job = write_file(tmp_path / "out" / "a.md", "# hello\n", parent=owner, on_failed=failures.append,
                     on_written=lambda: written.append(True))
    settle(qtbot)
    assert not job.running and written == [True] and failures == []
    assert (tmp_path / "out" / "a.md").read_text() == "# hello\n"
    assert fsync_threads and threading.main_thread().name not in fsync_threads
    write_file(tmp_path, "a folder is not a file", parent=owner, on_failed=failures.append)
    settle(qtbot)
    assert [describe_error(f) for f in failures] == [f"Could not write {tmp_path}: it is a folder, not a file. Choose a "
                                                      "file name."]


def test_a_full_disk_is_one_sentence_for_exports_and_settings(qtbot, owner, tmp_path, data_dir, monkeypatch, job_log):
    import desktop_app.core.atomic as atomic

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)  # the disk fills up as the file is written
    failures = []
    write_file(tmp_path / "a.md", "# hello\n", parent=owner, on_failed=failures.append)
    save_settings(Settings(), parent=owner, on_failed=failures.append)
    settle(qtbot)
    assert [describe_error(f) for f in failures] == [
        f"Could not write {tmp_path / 'a.md'}: the disk is full. Free some space and try again.",
        f"Could not save the settings to {data_dir / 'settings.json'}: the disk is full. Free some space and try again.",
    ]
    assert list(tmp_path.glob("*.md")) == [] and not (data_dir / "settings.json").exists()  # nothing half-written
    assert len(job_log) == 2  # the tracebacks went to the log


def test_choosing_a_language_saves_it_off_the_gui_thread_then_says_so(qtbot, data_dir, fsync_threads):
    menu = LanguageMenu(Settings())
    chinese = next(a for a in menu.group.actions() if a.data() == "zh_CN")
    with qtbot.waitSignal(menu.changed, timeout=10000) as said:
        chinese.trigger()
    assert said.args == ["The new language is used the next time Hearth starts."]
    assert json.loads((data_dir / "settings.json").read_text())["language"] == "zh_CN"
    assert fsync_threads and threading.main_thread().name not in fsync_threads
    menu.deleteLater()


def test_a_language_that_cannot_be_saved_is_explained(qtbot, data_dir, job_log):
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("a file where the data folder should be")
    menu = LanguageMenu(Settings())
    english = next(a for a in menu.group.actions() if a.data() == "en")
    with qtbot.waitSignal(menu.changed, timeout=10000) as said:
        english.trigger()
    assert said.args == [f"Could not save the settings to {data_dir / 'settings.json'}: a part of its path is a file, "
                         "not a folder. Choose another place."]
    menu.deleteLater()


def test_exports_land_in_the_order_they_were_asked_for(qtbot, owner, tmp_path, monkeypatch):
    import desktop_app.ui.disk_writes as disk_writes

    gate, order = threading.Event(), []

    def slow_first(path, text):
        if text == "first":
            gate.wait(10)  # a slow disk: the second write must still land after this one
        order.append(text)

    monkeypatch.setattr(disk_writes, "write_text_atomic", slow_first)
    write_file(tmp_path / "a.txt", "first", parent=owner, on_failed=pytest.fail)
    write_file(tmp_path / "a.txt", "second", parent=owner, on_failed=pytest.fail)
    gate.set()
    settle(qtbot)
    assert order == ["first", "second"]
