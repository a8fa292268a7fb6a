"""The Chat pane driven as a user would, with pytest-qt (offscreen)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.chat.session import ChatSession
from desktop_app.core.settings import Settings
from desktop_app.ui.chat import pane as chat_pane_module
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


def register(data_dir: Path, name: str, path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"models": [{"name": name, "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))


def open_window(qtbot, model: str | None = None, max_tokens: int = 32) -> tuple[MainWindow, object]:
    settings = Settings()
    settings.context_length = 1024
    settings.n_threads = 2
    settings.sampling.max_tokens = max_tokens
    settings.sampling.temperature = 0
    if model:
        settings.default_models["chat"] = model
    context = build_context(settings)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    pane = window.panes["chat"]
    qtbot.waitUntil(lambda: "context" in pane.settings_panel.model_note.text() or pane.banner.isVisible(), timeout=30000)
    return window, pane


def close_window(window) -> None:
    window.close()
    window.context.close()


def send_and_wait(qtbot, pane, text: str, timeout: int = 60000):
    with qtbot.waitSignal(pane.reply_finished, timeout=timeout) as blocker:
        pane.send(text)
    return blocker.args[0]


@pytest.fixture
def tiny_window(qtbot, data_dir, tiny_gguf):
    register(data_dir, "tiny", tiny_gguf)
    window, pane = open_window(qtbot, "tiny")
    yield window, pane
    close_window(window)


def test_send_shows_both_turns_and_stats(qtbot, tiny_window):
    _window, pane = tiny_window
    reply = send_and_wait(qtbot, pane, "hello")
    assert [v.message.role for v in pane.transcript.views] == ["user", "assistant"]
    assert pane.transcript.views[1].body.markdown == reply.result.text
    assert "tokens/s" in pane.status.text() and "/ 512 tokens" in pane.status.text()  # capped by the tiny model
    assert pane.sidebar.list.count() == 1 and pane.sidebar.list.item(0).text() == "hello"


def test_empty_message_is_explained_not_sent(qtbot, tiny_window):
    _window, pane = tiny_window
    pane.send("   ")
    assert pane.banner.isVisible() and "Type a message first" in pane.banner.text()
    assert pane.transcript.views == [] and pane.store.list_conversations() == []


def test_a_100kb_message_shows_a_clear_error_and_the_pane_keeps_working(qtbot, tiny_window):
    _window, pane = tiny_window
    error = send_and_wait(qtbot, pane, "word " * 20_000)
    assert isinstance(error, Exception)
    assert "too long" in pane.banner.text()
    reply = send_and_wait(qtbot, pane, "hello")
    assert reply.result.stats.completion_tokens > 0


def test_conversations_new_rename_search_delete_export(qtbot, tiny_window, tmp_path):
    _window, pane = tiny_window
    send_and_wait(qtbot, pane, "first topic")
    first = pane.conversation_id
    pane.new_conversation()
    send_and_wait(qtbot, pane, "second topic")
    assert pane.sidebar.conversation_ids() == [pane.conversation_id, first]  # newest first
    pane.rename_conversation(first, "Renamed chat")
    with qtbot.waitSignal(pane.conversations_listed, timeout=10000):
        pane.sidebar.search.setText("renamed")
    assert pane.sidebar.conversation_ids() == [first]
    pane.sidebar.search.setText("")
    jobs = [pane.export_conversation(first, "markdown", tmp_path / "c.md"), pane.export_conversation(first, "json", tmp_path / "c.json")]
    qtbot.waitUntil(lambda: not any(job.running for job in jobs), timeout=10000)  # written off the GUI thread
    assert (tmp_path / "c.md").read_text().startswith("# Renamed chat")
    assert json.loads((tmp_path / "c.json").read_text())["messages"][0]["content"] == "first topic"
    pane.delete_conversation(first, confirm=False)
    assert first not in pane.sidebar.conversation_ids()


def test_search_waits_for_typing_to_pause_and_runs_off_the_gui_thread(qtbot, tiny_window, monkeypatch):
    _window, pane = tiny_window
    first = pane.store.create_conversation(title="Bread")
    pane.store.add_message(first.id, "user", "我想做一个全麦面包")
    pane.store.create_conversation(title="Travel")
    searches = []
    real = pane.store.list_conversations

    def recording(search=""):
        if search:
            searches.append((search, threading.current_thread() is threading.main_thread()))
        return real(search)

    monkeypatch.setattr(pane.store, "list_conversations", recording)
    with qtbot.waitSignal(pane.conversations_listed, timeout=10000):
        for typed in ("全", "全麦", "全麦面", "全麦面包"):  # keystroke by keystroke (QTest cannot type CJK)
            pane.sidebar.search.setText(typed)
    assert searches == [("全麦面包", False)]  # one query for four keystrokes, on a worker thread
    assert pane.sidebar.conversation_ids() == [first.id]
    with qtbot.waitSignal(pane.conversations_listed, timeout=10000):
        pane.sidebar.search.clear()
    assert len(pane.sidebar.conversation_ids()) == 2 and len(searches) == 1


def test_no_stream_buffer_outlives_its_reply(qtbot, tiny_window, monkeypatch):
    """Each reply's StreamBuffer (and its timer) goes once the reply ended: three replies leave none behind."""
    import gc
    import weakref

    from desktop_app.ui.workers import StreamBuffer

    _window, pane = tiny_window
    made: list[weakref.ref] = []

    class Counted(StreamBuffer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))

    monkeypatch.setattr(chat_pane_module, "StreamBuffer", Counted)
    for text in ("one", "two", "three"):
        reply = send_and_wait(qtbot, pane, text)
        assert not isinstance(reply, BaseException), reply
    assert len(made) == 3

    def all_gone() -> bool:
        gc.collect()
        return all(ref() is None for ref in made)

    qtbot.waitUntil(all_gone, timeout=5000)


def test_edit_and_regenerate(qtbot, tiny_window):
    _window, pane = tiny_window
    send_and_wait(qtbot, pane, "hello")
    send_and_wait(qtbot, pane, "second")
    first_user = pane.transcript.views[0].message
    pane.begin_edit(first_user.id)
    assert pane.composer.text() == "hello"
    send_and_wait(qtbot, pane, "edited question")
    users = [v.message.content for v in pane.transcript.views if v.message.role == "user"]
    assert users == ["edited question"]
    stored = pane.store.messages(pane.conversation_id)
    assert stored[-1].stats["seed"] is None  # greedy
    pane.settings_panel.temperature.setValue(1.0)
    pane.settings_panel.seed.setValue(3)
    with qtbot.waitSignal(pane.reply_finished, timeout=60000) as blocker:
        pane.regenerate()
    reply = blocker.args[0]
    assert not isinstance(reply, BaseException), reply  # reply_finished also carries errors
    after = pane.store.messages(pane.conversation_id)
    assert [(m.id, m.role) for m in after[:-1]] == [(m.id, m.role) for m in stored[:-1]]
    # a new reply, sampled with the new settings, replaced the old one in the store and on screen
    assert after[-1].role == "assistant" and after[-1].stats["seed"] == reply.result.stats.seed == 3
    assert after[-1].content == reply.result.text == pane.transcript.views[-1].body.markdown
    assert len(pane.transcript.views) == len(after)


def test_corrupt_model_is_reported_and_other_models_still_work(qtbot, data_dir, tiny_gguf, tmp_path):
    corrupt = tmp_path / "broken.gguf"
    corrupt.write_bytes(b"GGUF" + b"\0" * 64)
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "models": [
            {"name": "broken", "kind": "gguf", "task": "chat", "path": str(corrupt)},
            {"name": "tiny", "kind": "gguf", "task": "chat", "path": str(tiny_gguf)},
        ]
    }
    (data_dir / "models.json").write_text(json.dumps(manifest))
    window, pane = open_window(qtbot, "broken")
    try:
        qtbot.waitUntil(lambda: pane.banner.isVisible(), timeout=30000)
        assert "broken.gguf" in pane.banner.text() and "Traceback" not in pane.banner.text()
        pane.settings_panel.model.setCurrentIndex(pane.settings_panel.model.findData("tiny"))
        reply = send_and_wait(qtbot, pane, "hello")
        assert reply.result.stats.completion_tokens > 0
    finally:
        close_window(window)


@pytest.mark.slow  # with no library to name the tiny model, the pane first loads the real default
def test_unwritable_data_dir_warns_and_chat_still_works(qtbot, monkeypatch, tmp_path, tiny_gguf):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("HEARTH_DATA_DIR", str(blocker / "data"))
    window, pane = open_window(qtbot, tiny_gguf.as_posix())
    try:
        assert "will not be saved" in pane.banner.text()
        pane.settings_panel.model.addItem("tiny", str(tiny_gguf))
        pane.settings_panel.model.setCurrentIndex(pane.settings_panel.model.count() - 1)
        reply = send_and_wait(qtbot, pane, "hello")
        assert reply.result.stats.completion_tokens > 0
    finally:
        close_window(window)


class GatedSession(ChatSession):
    """The real session, with its stream held at two points so the test does not race the model's speed:
    after FIRST chunks until the test has seen them on screen, after HOLD chunks until the job is cancelled."""

    FIRST, HOLD = 8, 30
    shown = threading.Event()

    def reply(self, conversation_id, sampling, on_text=None, cancel=None):
        count = 0

        def gated(chunk: str) -> None:
            nonlocal count
            count += 1
            on_text(chunk)
            if count == self.FIRST:
                assert self.shown.wait(60), "the first part never reached the screen"
            elif count == self.HOLD:
                assert cancel.wait(60), "Esc never cancelled the job"

        return super().reply(conversation_id, sampling, gated, cancel)


@pytest.mark.slow
def test_tokens_stream_while_the_event_loop_turns_then_stop_and_restart(qtbot, data_dir, monkeypatch):
    monkeypatch.setattr(chat_pane_module, "ChatSession", GatedSession)
    GatedSession.shown.clear()
    window, pane = open_window(qtbot, max_tokens=400)
    pane.settings_panel.temperature.setValue(0.8)
    pane.settings_panel.seed.setValue(11)
    pane.send("Write a long story about a dragon who learns to cook.")
    # the stream is held after the first chunks: they must be on screen while the reply is still streaming
    qtbot.waitUntil(lambda: len(pane.transcript.last().body.markdown) > 0, timeout=60000)
    first = pane.transcript.last().body.markdown
    assert pane.busy
    GatedSession.shown.set()
    qtbot.waitUntil(lambda: len(pane.transcript.last().body.markdown) > len(first), timeout=60000)
    assert pane.transcript.last().body.markdown.startswith(first), "a later update extends the earlier one"
    with qtbot.waitSignal(pane.reply_finished, timeout=30000) as blocker:
        qtbot.keyClick(pane, Qt.Key.Key_Escape)
    reply = blocker.args[0]
    assert reply.result.stats.stop_reason == "cancelled"
    assert reply.result.stats.completion_tokens < 400 and reply.result.text.startswith(first)
    partial = pane.store.messages(pane.conversation_id)[-1]
    assert partial.status == "cancelled" and partial.content == reply.result.text
    conversation_id = pane.conversation_id
    close_window(window)

    window, pane = open_window(qtbot)
    try:
        assert conversation_id in pane.sidebar.conversation_ids()
        assert pane.conversation_id == conversation_id
        assert pane.transcript.views[-1].body.markdown == partial.content
        assert "Stopped" in pane.transcript.views[-1].note.text()
    finally:
        close_window(window)


@pytest.mark.slow
def test_real_model_answers_paris_in_the_pane(qtbot, data_dir):
    window, pane = open_window(qtbot, max_tokens=48)
    try:
        pane.settings_panel.system_prompt.setPlainText("You are a helpful assistant.")
        reply = send_and_wait(qtbot, pane, "What is the capital of France?")
        assert "Paris" in reply.result.text
        assert "Paris" in pane.transcript.views[-1].body.toPlainText()
    finally:
        close_window(window)


def test_load_settings_are_saved_and_the_model_reloads(qtbot, tiny_window, data_dir):
    _window, pane = tiny_window
    pane.settings_panel.context_length.setValue(256)
    pane.settings_panel.gpu_layers.setCurrentText("0")
    with qtbot.waitSignal(pane.model_loaded, timeout=30000) as blocker:
        pane.apply_load_settings()
    assert blocker.args[0].n_ctx == 256 and blocker.args[0].gpu_layers == 0
    path = data_dir / "settings.json"  # saved off the GUI thread
    qtbot.waitUntil(lambda: path.exists() and json.loads(path.read_text())["context_length"] == 256, timeout=10000)
    saved = json.loads((data_dir / "settings.json").read_text())
    assert saved["context_length"] == 256 and saved["gpu_layers"] == 0
    send_and_wait(qtbot, pane, "hello")
    assert "/ 256 tokens" in pane.status.text()


def test_status_line_shows_tokens_per_step_for_speculative_replies(qtbot, tiny_window):
    from desktop_app.core.llm.types import GenerationStats

    _window, pane = tiny_window
    reply = send_and_wait(qtbot, pane, "x y z x y z x y")  # greedy (the window's temperature is 0): drafts
    stats = reply.result.stats
    assert stats.speculative
    assert f"speculative: {stats.tokens_per_step:.1f} tokens/step" in pane.status.text()
    plain = GenerationStats(completion_tokens=8, decode_steps=8, tokens_per_step=1.0)
    assert "speculative" not in pane.format_stats(plain)
    drafted = GenerationStats(completion_tokens=23, decode_steps=10, tokens_per_step=2.3, speculative=True)
    assert pane.format_stats(drafted).endswith(" · speculative: 2.3 tokens/step")


def test_status_line_says_when_other_programs_leave_fewer_cores(qtbot, tiny_window, monkeypatch):
    from desktop_app.core.llm.types import GenerationStats
    from desktop_app.ui.chat import pane as pane_module

    _window, pane = tiny_window
    monkeypatch.setattr(pane_module, "physical_cores", lambda: 4)
    busy = GenerationStats(threads=1, others_cores=2.8)
    assert pane.format_stats(busy).endswith(" · 1 of 4 CPU cores: other programs are busy")
    assert "CPU cores" not in pane.format_stats(GenerationStats(threads=4, others_cores=0.0))
    assert "CPU cores" not in pane.format_stats(GenerationStats(threads=1, others_cores=None))  # a fixed setting
