"""The GUI thread never waits: not for a model load the engine's thread holds, not for a keychain (review bug 3).

A local load is held open on the engine's thread (an Event); meanwhile the user picks a remote model, sends a
message and removes an engine in the Server pane. Each action must return at once and the event loop must keep
turning while the load is still held. Every keychain call of the Server pane, Chat, the Privacy menu and the
start-up unlock must run on a worker (tests/ui/conftest.py's ``keychain_calls``).
"""

from __future__ import annotations

import threading
import time

import pytest
from hostile_server import HostileServer
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.storage.keys import TEST_COST
from desktop_app.core.remote import engines
from desktop_app.core.remote.engines import KeyPlace
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.allow_loopback

API_KEY = "sk-office-5e1f0c2b"
PASS = "correct horse battery staple"
SAFETY_S = 5.0  # a GUI that does wait for the load is let go after this long, and the test fails


@pytest.fixture(autouse=True)
def fresh_session():
    yield
    engines._session_keys.clear()
    engines._session_logins.clear()
    engines.use_workspace(None)


class HeldLoad:
    """The engine's next local load waits for ``release()`` (or SAFETY_S, so a broken build fails, never hangs)."""

    def __init__(self, host, monkeypatch):
        self.started, self.gate = threading.Event(), threading.Event()
        self.safety = threading.Timer(SAFETY_S, self.gate.set)
        real = host.engine.load

        def load(*args, **kwargs):
            self.started.set()
            self.safety.start()
            self.gate.wait()
            return real(*args, **kwargs)

        monkeypatch.setattr(host.engine, "load", load)

    @property
    def held(self) -> bool:
        return not self.gate.is_set()

    def release(self) -> None:
        self.gate.set()
        self.safety.cancel()
        if self.safety.is_alive():
            self.safety.join()


def gui_stays_free(qtbot, load: HeldLoad, action) -> None:
    """``action()`` returns at once, and a timer tick is processed after it, while the load is still held."""
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    started = time.monotonic()
    action()
    took = time.monotonic() - started
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > seen, timeout=1000)
    timer.stop()
    assert load.held, "the GUI thread waited for the model load"
    assert took < 1.0, f"the action kept the GUI thread {took:.2f} s"


def open_window(qtbot, settings: Settings, key: bytes | None = None) -> MainWindow:
    settings.encryption_offered = True  # no offer bar over the panes
    window = MainWindow(build_context(settings, key))
    qtbot.addWidget(window)
    window.show()
    return window


def register(data_dir, path) -> None:
    import json

    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"models": [{"name": "tiny", "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))


def test_a_remote_model_and_an_engine_removed_during_a_local_load_leave_the_gui_free(qtbot, data_dir, tiny_gguf,
                                                                                     monkeypatch):
    register(data_dir, tiny_gguf)
    with HostileServer("ok") as server:
        settings = Settings(n_threads=2, context_length=512, default_models={"chat": "tiny"})
        settings.engines = [{"name": "office", "base_url": server.url, "model": "m"},
                            {"name": "spare", "base_url": server.url, "model": "m"}]
        window = open_window(qtbot, settings)
        try:
            chat = window.panes["chat"]
            qtbot.waitUntil(lambda: "context" in chat.settings_panel.model_note.text(), timeout=30000)
            serve = window.show_pane("serve")
            window.show_pane("chat")
            load = HeldLoad(window.context.llm, monkeypatch)
            settings.context_length = 640  # another context size: the local model loads again, on the engine's thread
            chat.preload_model()
            assert load.started.wait(10)

            remote = chat.settings_panel.model.findData("m @ office")
            gui_stays_free(qtbot, load, lambda: chat.settings_panel.model.setCurrentIndex(remote))
            gui_stays_free(qtbot, load, lambda: chat.send("hello"))
            serve.engine_list.setCurrentRow(next(i for i in range(serve.engine_list.count())
                                                 if serve.engine_list.item(i).data(256) == "spare"))

            def remove_spare() -> None:
                with qtbot.waitSignal(serve.engines_changed, timeout=3000):
                    serve.remove_button.click()

            gui_stays_free(qtbot, load, remove_spare)
            assert [e["name"] for e in settings.engines] == ["office"]
            with qtbot.waitSignal(chat.reply_finished, timeout=60000) as finished:
                load.release()
            assert not isinstance(finished.args[0], BaseException), finished.args[0]
            assert finished.args[0].message.content == "Hello there!"  # the remote engine's reply
        finally:
            load.release()
            window.close()
            window.context.close()


def test_no_keychain_call_runs_on_the_gui_thread(qtbot, data_dir, tiny_gguf, keychain_calls, monkeypatch):
    from desktop_app.ui.workspace import privacy_menu
    from desktop_app.ui.workspace.unlock_dialog import unlock_at_start

    register(data_dir, tiny_gguf)
    database = paths.database_path()
    Store(database).close()
    workspace.encrypt(database, PASS, cost=TEST_COST, remember=True)  # the keychain holds the workspace's key
    expected = workspace.unlock(database, passphrase=PASS, use_keychain=False)
    asked = []

    class Dialog:  # the passphrase dialog, answered "Cancel"; it says whether a keychain was offered
        def __init__(self, title, keychain_available, parent=None):
            asked.append(keychain_available)

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(privacy_menu, "PassphraseDialog", Dialog)
    keychain_calls.arm()

    assert unlock_at_start(database) == expected  # the start-up unlock reads the keychain in a job
    with HostileServer("ok") as server:
        window = open_window(qtbot, Settings(n_threads=2, context_length=512, default_models={"chat": "tiny"}), expected)
        try:
            chat, serve = window.panes["chat"], window.show_pane("serve")
            qtbot.waitUntil(lambda: serve.key_place.count() == 3, timeout=10000)
            assert serve.key_place.currentData() == KeyPlace.KEYCHAIN
            serve.engine_name.setText("office")
            serve.engine_url.setText(server.url)
            serve.engine_key.setText(API_KEY)
            with qtbot.waitSignal(serve.engines_changed, timeout=30000) as added:
                serve.add_button.click()
            assert not isinstance(added.args[0], BaseException), serve.engine_status.text()
            assert "The key is kept in the system keychain." in serve.engine_status.text()

            window.show_pane("chat")
            chat.settings_panel.model.setCurrentIndex(chat.settings_panel.model.findData("m @ office"))
            with qtbot.waitSignal(chat.reply_finished, timeout=60000) as replied:
                chat.send("hello")
            assert not isinstance(replied.args[0], BaseException), replied.args[0]
            assert any(headers.get("Authorization") == f"Bearer {API_KEY}" for *_, headers in server.requests)

            window.privacy_menu.change_passphrase()
            qtbot.waitUntil(lambda: asked == [True], timeout=10000)

            window.show_pane("serve")
            serve.engine_list.setCurrentRow(0)
            with qtbot.waitSignal(serve.engines_changed, timeout=10000):
                serve.remove_button.click()
            assert engines.find_engine(window.context.settings, "office") is None
        finally:
            window.close()
            window.context.close()
    # the keychain was used, every time on a worker: start-up, places, add, the reply's key, Privacy, remove
    assert len(keychain_calls.off_gui_thread) >= 6, keychain_calls.off_gui_thread
