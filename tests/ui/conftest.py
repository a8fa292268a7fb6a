"""The main window as the GUI tests open it: imported chat models, one settings object, a fresh data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def open_pane(qtbot, data_dir):
    """``open_pane("evaluate", {"tiny": path, ...}, context_length=512)``: the main window shown on those chat
    models (the first is the default) with that pane open; the window closes (shutting its panes) after the test."""
    opened: list = []

    def open_(key: str, models: dict[str, Path], **settings):
        data_dir.mkdir(parents=True, exist_ok=True)
        manifest = {"models": [{"name": name, "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}
                               for name, path in models.items()]}
        (data_dir / "models.json").write_text(json.dumps(manifest))
        context = build_context(Settings(n_threads=2, default_models={"chat": next(iter(models))}, **settings))
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        opened.append((window, context))
        return window.show_pane(key)

    yield open_
    for window, context in reversed(opened):
        window.close()  # closeEvent shuts every pane down
        context.close()


class KeychainCalls:
    """Where each keychain call ran, once ``arm()`` was called: the test fails if one ran on the GUI thread."""

    def __init__(self):
        self.armed = False
        self.on_gui_thread: list[str] = []
        self.off_gui_thread: list[str] = []

    def arm(self) -> None:
        self.armed = True

    def record(self, what: str) -> None:
        import threading

        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if not self.armed:
            return
        if app is not None and QThread.currentThread() == app.thread():
            self.on_gui_thread.append(what)
        else:
            self.off_gui_thread.append(f"{what} on {threading.current_thread().name}")


@pytest.fixture
def keychain_calls(memory_keychain, monkeypatch):
    """Every keychain use goes through ``keyring.get_keyring()`` (core's keychain module asks it each time):
    watched here, so a keychain call made on the GUI thread after ``arm()`` fails the test."""
    import keyring

    calls, real = KeychainCalls(), keyring.get_keyring

    def watched():
        calls.record("keyring.get_keyring")
        return real()

    monkeypatch.setattr(keyring, "get_keyring", watched)
    yield calls
    if calls.on_gui_thread:
        pytest.fail(f"the keychain was used on the GUI thread {len(calls.on_gui_thread)} time(s)", pytrace=False)
