"""Chat and Summarize share one engine: whoever waits is told who holds it and can stop that work,
and measuring a document never evicts the chat model (pytest-qt, offscreen, tiny real GGUFs)."""

from __future__ import annotations

import json

import pytest
from document_factory import english_paragraphs, write_text
from gguf_factory import write_tiny_llama
from PySide6.QtCore import Qt

from desktop_app.core.chat.session import ChatSession
from desktop_app.core.documents.summarize import DocumentSummarizer
from desktop_app.core.evaluate.runner import EvaluationRunner
from desktop_app.core.llm.host import EngineTask
from desktop_app.core.settings import Settings
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow


class SummaryUntilCancelled(DocumentSummarizer):
    """A summary that takes as long as the test needs: it starts its real run only once cancelled."""

    def run(self, on_text=None, on_progress=None, cancel=None, speed=None):
        cancel.wait(60)
        return super().run(on_text=on_text, on_progress=on_progress, cancel=cancel)


class ReplyUntilStopped(ChatSession):
    def send(self, conversation_id, text, sampling, on_text=None, cancel=None):
        cancel.wait(60)
        return super().send(conversation_id, text, sampling, on_text, cancel)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gguf")
    return write_tiny_llama(folder / "chat.gguf"), write_tiny_llama(folder / "docs.gguf", context_length=2048)


@pytest.fixture
def window(qtbot, data_dir, models):
    chat_model, docs_model = models
    data_dir.mkdir(parents=True, exist_ok=True)
    entries = [
        {"name": name, "kind": "gguf", "task": "chat", "path": str(path), "source": "imported"}
        for name, path in (("chat", chat_model), ("docs", docs_model))
    ]
    (data_dir / "models.json").write_text(json.dumps({"models": entries}))
    settings = Settings(context_length=1024, n_threads=2, default_models={"chat": "chat"})
    settings.sampling.max_tokens = 16
    settings.sampling.temperature = 0
    context = build_context(settings)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    chat = window.panes["chat"]
    qtbot.waitUntil(lambda: "context" in chat.settings_panel.model_note.text(), timeout=30000)
    summarize = window.show_pane("summarize")
    summarize.options.model.setCurrentIndex(summarize.options.model.findData("docs"))
    yield window
    summarize.shutdown()
    chat.shutdown()
    window.close()
    context.close()


def measure(qtbot, pane, path):
    with qtbot.waitSignal(pane.plan_ready, timeout=60000) as blocker:
        pane.open_file(path)
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]
    return blocker.args[0]


def wait_in_order(qtbot, signals, button) -> list:
    """Click ``button``; wait for ``signals`` in that order; their first arguments."""
    seen = []
    for signal in signals:
        signal.connect(lambda value, s=signal: seen.append((s, value)))
    with qtbot.waitSignals(signals, order="strict", timeout=60000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return [value for _signal, value in seen]


def test_a_reply_asked_during_a_summary_names_summarize_and_its_cancel_works(qtbot, window, models, monkeypatch, tmp_path):
    chat_model, docs_model = models
    chat, summarize, host = window.panes["chat"], window.panes["summarize"], window.context.llm
    monkeypatch.setattr("desktop_app.ui.summarize.pane.DocumentSummarizer", SummaryUntilCancelled)
    measure(qtbot, summarize, write_text(tmp_path / "long.txt", "\n\n".join(english_paragraphs(20))))
    summarize.start()
    # the summary runs on its own model: the chat model made way
    qtbot.waitUntil(lambda: host.holder is not None and host.holder.task is EngineTask.SUMMARIZE, timeout=30000)
    qtbot.waitUntil(lambda: host.info is not None and host.info.path == docs_model, timeout=30000)

    chat.send("hello")
    assert not chat.waiting.isHidden()
    assert chat.waiting.text() == "Summarize is using the model. Your reply starts when it finishes."
    assert chat.waiting.button.text() == "Cancel summary"
    summary, reply = wait_in_order(qtbot, [summarize.summary_finished, chat.reply_finished], chat.waiting.button)
    assert summary.cancelled and "Cancelled" in summarize.progress_label.text()
    assert reply.result.stats.completion_tokens > 0 and reply.result.stats.stop_reason != "cancelled"
    assert chat.waiting.isHidden()
    assert host.info.path == chat_model

    measure(qtbot, summarize, write_text(tmp_path / "next.txt", "\n\n".join(english_paragraphs(8))))
    assert "tokens" in summarize.source.estimate.text()
    assert host.engine.loaded and host.info.path == chat_model  # counting used the docs model's vocabulary only


def test_a_summary_started_during_a_reply_names_chat_and_stop_reply_lets_it_run(qtbot, window, monkeypatch, tmp_path):
    chat, summarize, host = window.panes["chat"], window.panes["summarize"], window.context.llm
    monkeypatch.setattr("desktop_app.ui.chat.pane.ChatSession", ReplyUntilStopped)
    measure(qtbot, summarize, write_text(tmp_path / "short.txt", "The bridge opened in May. It cost 1200 pounds."))
    chat.send("hello")
    qtbot.waitUntil(lambda: host.holder is not None and host.holder.task is EngineTask.CHAT, timeout=30000)
    summarize.start()
    assert summarize.waiting.text() == "Chat is writing a reply with the model. The summary starts when it finishes."
    assert summarize.waiting.button.text() == "Stop reply"
    reply, summary = wait_in_order(qtbot, [chat.reply_finished, summarize.summary_finished], summarize.waiting.button)
    assert reply.result.stats.stop_reason == "cancelled"
    assert not summary.cancelled and summary.chunks == 1
    assert summarize.waiting.isHidden()


class EvaluationUntilCancelled(EvaluationRunner):
    """An evaluation that takes as long as the test needs: it starts its real run only once cancelled."""

    def run(self):
        self.cancel.wait(60)
        return super().run()


def ask_until_cancelled(engine, files, question, on_row, on_progress, cancel, on_document, on_text=None, **options):
    cancel.wait(60)
    return []


@pytest.mark.parametrize("holder, notice, button", [
    ("ask", "Ask is reading documents with the model. Your reply starts when it finishes.", "Cancel question"),
    ("evaluate", "Evaluate is measuring the models. Your reply starts when it finishes.", "Stop evaluation"),
])
def test_a_reply_asked_during_ask_or_evaluate_names_it_and_its_stop_works(qtbot, window, monkeypatch, tmp_path,
                                                                          holder, notice, button):
    chat, host = window.panes["chat"], window.context.llm
    if holder == "ask":
        monkeypatch.setattr("desktop_app.ui.summarize.ask_panel.ask_many", ask_until_cancelled)
        documents = window.panes["summarize"]
        panel = documents.ask
        panel.inputs.add([write_text(tmp_path / "notes.txt", "The bridge opened in May.")])
        panel.question.setText("When did the bridge open?")
        panel.start()
        holder_done, task = panel.finished, EngineTask.ASK
    else:
        monkeypatch.setattr("desktop_app.ui.evaluate.pane.EvaluationRunner", EvaluationUntilCancelled)
        evaluate = window.show_pane("evaluate")
        for i in range(evaluate.models.count()):  # one local model: a quick run once cancelled
            item = evaluate.models.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text().startswith("chat ") else Qt.CheckState.Unchecked)
        evaluate.start()
        holder_done, task = evaluate.run_finished, EngineTask.EVALUATE
    qtbot.waitUntil(lambda: host.holder is not None and host.holder.task is task, timeout=30000)

    window.show_pane("chat")
    chat.send("hello")
    assert chat.waiting.text() == notice and chat.waiting.button.text() == button
    stopped, reply = wait_in_order(qtbot, [holder_done, chat.reply_finished], chat.waiting.button)
    assert not isinstance(stopped, BaseException), stopped
    assert reply.result.stats.completion_tokens > 0 and chat.waiting.isHidden()
    if holder == "evaluate":
        assert stopped.cancelled


@pytest.mark.parametrize("holder", list(EngineTask))
def test_every_holder_is_named_by_its_own_notice(qtbot, holder):
    """One EngineTask per job kind: the notice names whoever really holds the engine, never a neighbour."""
    import threading

    from desktop_app.core.llm.host import LlamaHost
    from desktop_app.ui.widgets.engine_wait import EngineWaitNotice

    host = LlamaHost()
    notices = {mine: EngineWaitNotice(host) for mine in EngineTask}
    with host.hold(holder, threading.Event()):
        texts = {mine: notice.show_if_waiting(mine) and notice.text() for mine, notice in notices.items()}
    names = {EngineTask.CHAT: "Chat ", EngineTask.SUMMARIZE: "Summarize ", EngineTask.ASK: "Ask ",
             EngineTask.EXTRACT: "Extract ", EngineTask.EVALUATE: "Evaluate "}
    assert texts[holder] is False  # a task never waits for itself
    for mine, text in texts.items():
        if mine is not holder:
            assert text.startswith(names[holder]), text
    host.close()
    for notice in notices.values():
        notice.deleteLater()
