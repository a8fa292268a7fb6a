"""The Server pane as a user drives it: add a remote engine, chat through it, remove it; serve and stop."""

from __future__ import annotations

import json

import psutil
import pytest
import shiboken6

from desktop_app.core.privacy import network_activity
from desktop_app.core.remote import engines
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.errors import StrayServer
from desktop_app.core.remote.serve import ServeProcess
from desktop_app.core.settings import Settings
from desktop_app.ui.serve.pane import ServePane
from serve_factory import free_port, make_stray, port_free, running_server
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


def register(data_dir, name: str, path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"models": [{"name": name, "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))


def open_window(qtbot, model: str):
    settings = Settings()
    settings.context_length, settings.n_threads = 1024, 2
    settings.sampling.max_tokens, settings.sampling.temperature = 24, 0
    settings.default_models["chat"] = model
    window = MainWindow(build_context(settings))
    qtbot.addWidget(window)
    window.show()
    pane = window.panes["chat"]
    qtbot.waitUntil(lambda: "context" in pane.settings_panel.model_note.text() or pane.banner.isVisible(), timeout=30000)
    return window, pane


def close_window(window) -> None:
    window.close()
    window.context.close()


def send_and_wait(qtbot, pane, text: str):
    with qtbot.waitSignal(pane.reply_finished, timeout=60000) as blocker:
        pane.send(text)
    return blocker.args[0]

pytestmark = pytest.mark.allow_loopback


def test_add_an_engine_chat_through_it_and_remove_it(qtbot, data_dir, tiny_gguf):
    register(data_dir, "tiny", tiny_gguf)
    with running_server(tiny_gguf, n_ctx=2048) as server:
        window, chat = open_window(qtbot, "tiny")
        try:
            pane: ServePane = window.show_pane("serve")
            pane.engine_name.setText("box")
            pane.engine_url.setText(server.url)
            with qtbot.waitSignal(pane.engines_changed, timeout=30000) as added:
                pane.add_button.click()
            assert [c.name for c in added.args[0]] == ["box"]
            saved = lambda: Settings.load().engines  # noqa: E731 - written on the disk-writer thread
            qtbot.waitUntil(lambda: [e["model"] for e in saved()] == ["tiny-llama"], timeout=10000)
            window.show_pane("chat")
            index = chat.settings_panel.model.findData("tiny-llama @ box")
            assert index >= 0  # listed beside the local model
            chat.settings_panel.model.setCurrentIndex(index)
            qtbot.waitUntil(lambda: f"Runs on {server.url}" in chat.settings_panel.model_note.text(), timeout=10000)
            reply = send_and_wait(qtbot, chat, "hello there")
            assert not isinstance(reply, BaseException), reply
            assert reply.result.stats.completion_tokens > 0
            qtbot.waitUntil(lambda: network_activity.remote_engine() == server.url)
            assert any(f"Replies come from {server.url}" in w.text() for w in window.findChildren(type(chat.status)))
            window.show_pane("serve")
            pane.engine_list.setCurrentRow(0)
            with qtbot.waitSignal(pane.engines_changed, timeout=10000) as removed:
                pane.remove_button.click()
            assert removed.args[0] == [] and pane.engine_list.count() == 0
            qtbot.waitUntil(lambda: Settings.load().engines == [], timeout=10000)
        finally:
            close_window(window)
    assert network_activity.remote_engine() is None  # the app closed: nothing is sent anywhere again


def test_an_unreachable_engine_is_not_added(qtbot, data_dir, tiny_gguf):
    register(data_dir, "tiny", tiny_gguf)
    window, _chat = open_window(qtbot, "tiny")
    try:
        pane = window.show_pane("serve")
        pane.engine_name.setText("nowhere")
        pane.engine_url.setText(f"http://127.0.0.1:{free_port()}")
        with qtbot.waitSignal(pane.engines_changed, timeout=30000) as failed:
            pane.add_button.click()
        assert isinstance(failed.args[0], Exception)
        assert "Could not reach" in pane.engine_status.text() and pane.engine_list.count() == 0
    finally:
        close_window(window)


def test_serve_a_model_from_the_pane_and_stop(qtbot, data_dir, tiny_gguf):
    register(data_dir, "tiny", tiny_gguf)
    window, chat = open_window(qtbot, "tiny")
    try:
        pane: ServePane = window.show_pane("serve")
        pane.port.setValue(free_port())
        pane.parallel.setValue(2)
        with qtbot.waitSignal(pane.serving_changed, timeout=60000) as started:
            pane.start_button.click()
        server = started.args[0]
        assert not isinstance(server, BaseException), server
        assert pane.url.text() == server.base_url and "curl " + server.base_url in pane.examples.toPlainText()
        assert pane.key.text() == ""  # this PC only: no key
        with RemoteEngine(server.base_url) as client:
            assert client.list_models() == ["tiny"]
        # the chat pane now uses the served model instead of loading a second copy
        assert chat._model_entry().name == "tiny @ " + engines.SERVING_ENGINE
        window.show_pane("chat")
        reply = send_and_wait(qtbot, chat, "hello there")
        assert not isinstance(reply, BaseException), reply
        assert network_activity.remote_engine() == server.url
        window.show_pane("serve")
        qtbot.waitUntil(lambda: "1 requests served" in pane.stats.text(), timeout=15000)
        with qtbot.waitSignal(pane.serving_changed, timeout=30000) as stopped:
            pane.stop_button.click()
        assert stopped.args[0] is None and not server.running
        assert chat._model_entry().name == "tiny"
    finally:
        close_window(window)


def llama_servers_of_this_process() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "llama-server" in p.name()]


def standalone_pane(qtbot, data_dir, tiny_gguf, deleted_by_the_test: bool = False):
    register(data_dir, "tiny", tiny_gguf)
    context = build_context(Settings())
    pane = ServePane(context)
    if not deleted_by_the_test:  # qtbot would close it at the end
        qtbot.addWidget(pane)
    pane.show()
    pane.port.setValue(free_port())
    return pane, context


def recording_starts(monkeypatch) -> list[ServeProcess]:
    started: list[ServeProcess] = []
    original = ServeProcess.start

    def start(self, *args, **kwargs):
        started.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ServeProcess, "start", start)
    return started


def test_a_server_whose_pane_went_away_before_its_start_arrived_is_stopped(qtbot, data_dir, tiny_gguf, monkeypatch):
    started = recording_starts(monkeypatch)
    pane, context = standalone_pane(qtbot, data_dir, tiny_gguf, deleted_by_the_test=True)
    try:
        pane.start_serving()
        assert pane.job.done.wait(60)  # the server is ready; its result waits in the event queue
        (server,) = started
        assert server.running
        shiboken6.delete(pane)  # the pane goes away before the result arrives
        qtbot.waitUntil(lambda: not server.running, timeout=30000)
        qtbot.waitUntil(lambda: not llama_servers_of_this_process(), timeout=10000)
    finally:
        context.close()


def test_a_server_whose_pane_went_away_while_it_started_is_stopped(qtbot, data_dir, tiny_gguf, monkeypatch):
    started = recording_starts(monkeypatch)
    pane, context = standalone_pane(qtbot, data_dir, tiny_gguf, deleted_by_the_test=True)
    try:
        pane.start_serving()
        job = pane.job
        shiboken6.delete(pane)  # gone at once: the start is cancelled
        assert job.done.wait(60)
        qtbot.waitUntil(lambda: not job.running, timeout=10000)
        assert all(not server.running for server in started) and not llama_servers_of_this_process()
    finally:
        context.close()


def test_the_banner_offers_to_stop_a_server_an_earlier_hearth_left(qtbot, data_dir, tiny_gguf):
    pane, context = standalone_pane(qtbot, data_dir, tiny_gguf)
    try:
        with make_stray(tiny_gguf) as stray:
            pane.port.setValue(stray.options.port)
            with qtbot.waitSignal(pane.serving_changed, timeout=30000) as failed:
                pane.start_button.click()
            assert isinstance(failed.args[0], StrayServer)
            assert pane.banner.text() == (f"Port {stray.options.port} is in use by a server that an earlier Hearth "
                                          f"started and left running (process {stray.pid}).")
            assert pane.banner.action.isVisible() and pane.banner.action.text() == "Stop it"
            with qtbot.waitSignal(pane.stray_stopped, timeout=30000) as stopped:
                pane.banner.action.click()
            assert stopped.args[0] is not None and not isinstance(stopped.args[0], BaseException)
            assert not stray.running and port_free(stray.options.port)
            assert pane.banner.text() == (f"Stopped the server that was left running on port {stray.options.port}; "
                                          "you can serve now.")
            assert not pane.banner.action.isVisible()
    finally:
        context.close()


def test_a_server_that_fails_to_start_is_one_sentence_and_its_lines_are_behind_details(qtbot, data_dir, tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)  # llama-server reads it, cannot load it, and exits
    pane, context = standalone_pane(qtbot, data_dir, broken)
    pane.model.setCurrentIndex(pane.model.findText("tiny"))  # the broken file, registered as "tiny"
    try:
        with qtbot.waitSignal(pane.serving_changed, timeout=60000) as failed:
            pane.start_button.click()
        assert isinstance(failed.args[0], Exception)
        shown = pane.banner.text()
        assert shown.startswith("The server stopped while starting (exit code ") and shown.endswith(
            "). Its last lines are under Details."), shown
        assert "|" not in shown and "llama" not in shown.lower()  # none of the server's own lines
        assert pane.banner.action.isVisible() and pane.banner.action.text() == "Details"
        pane.banner.action.click()
        assert pane.details_box.text() == shown.removesuffix(" Its last lines are under Details.")
        assert pane.details_box.detailedText() == failed.args[0].details != ""
        pane.details_box.close()
    finally:
        pane.shutdown()  # a server started by mistake stops, and stops being this session's engine
        context.close()


def test_a_server_that_stops_while_serving_is_one_sentence(qtbot, data_dir, tiny_gguf):
    pane, context = standalone_pane(qtbot, data_dir, tiny_gguf)
    pane.model.setCurrentIndex(pane.model.findText("tiny"))
    try:
        with qtbot.waitSignal(pane.serving_changed, timeout=60000) as started:
            pane.start_button.click()
        server = started.args[0]
        assert not isinstance(server, BaseException), server
        server._process.kill()  # it crashes
        server._process.wait()
        with qtbot.waitSignal(pane.serving_changed, timeout=10000) as stopped:
            pane._poll_stats()  # the pane's next look at it (every 2 s)
        assert stopped.args[0] is None and pane.url.text() == "Not serving."
        assert pane.banner.text() == ("The server stopped unexpectedly. Start it again, or choose another model. Its "
                                      "last lines are under Details.")
        assert pane.banner.action.text() == "Details"
    finally:
        pane.shutdown()
        context.close()
