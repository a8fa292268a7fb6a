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
