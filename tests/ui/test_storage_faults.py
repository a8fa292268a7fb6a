"""Storage faults in the GUI: a damaged database and a full disk keep the app usable and say what happened."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.errors import StorageError
from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


def register(data_dir: Path, name: str, path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"models": [{"name": name, "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))


def open_window(qtbot, model: str | None = None) -> MainWindow:
    settings = Settings()
    settings.context_length, settings.n_threads = 1024, 2
    settings.sampling.max_tokens, settings.sampling.temperature = 24, 0
    if model:
        settings.default_models["chat"] = model
    window = MainWindow(build_context(settings))
    qtbot.addWidget(window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.context.close()


def test_disk_full_during_a_reply_keeps_the_text_on_screen_marked_unsaved(qtbot, data_dir, tiny_gguf, monkeypatch):
    register(data_dir, "tiny", tiny_gguf)
    window = open_window(qtbot, "tiny")
    pane = window.panes["chat"]
    store = window.context.store

    def disk_full(*args, **kwargs):
        raise StorageError("Could not save to the database: database or disk is full. Is the disk full?")

    monkeypatch.setattr(store, "update_message", disk_full)
    with qtbot.waitSignal(pane.reply_finished, timeout=60000) as blocker:
        pane.send("hello")
    reply = blocker.args[0]
    assert reply.unsaved and reply.result.text
    view = pane.transcript.last()
    assert view.body.markdown == reply.result.text  # what was on screen is still there
    assert "Not saved" in view.note.text()
    assert "disk is full" in pane.banner.text()
    assert store.messages(pane.conversation_id)[-1].status == "streaming"  # marked interrupted at the next start
    close_window(window)
