"""A reply in a stored conversation: persisted while streaming, survives a kill."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap

import pytest

from desktop_app.core.chat.session import ChatSession, EmptyMessage, history_messages
from desktop_app.core.errors import PromptTooLong
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.storage.store import Store

GREEDY = SamplingParams(temperature=0, max_tokens=16)


@pytest.fixture
def session(tmp_path, tiny_gguf):
    store = Store(tmp_path / "db.sqlite3")
    engine = LlamaEngine()
    engine.load(tiny_gguf, LoadOptions(n_ctx=512))
    yield ChatSession(store, engine)
    engine.close()
    store.close()


def test_send_stores_both_turns(session):
    c = session.store.create_conversation(system_prompt="Be brief.")
    reply = session.send(c.id, "hello", GREEDY)
    messages = session.store.messages(c.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content == reply.result.text and messages[1].status == "done"
    assert messages[1].stats["completion_tokens"] == reply.result.stats.completion_tokens
    assert [m.role for m in history_messages(session.store, c.id)] == ["system", "user", "assistant"]


def test_streaming_reply_is_on_disk_before_it_finishes(session):
    session.flush_seconds = 0.0
    c = session.store.create_conversation()
    seen_on_disk: list[str] = []

    def on_text(_chunk: str) -> None:
        seen_on_disk.append(session.store.messages(c.id)[-1].content)

    reply = session.send(c.id, "hello", SamplingParams(temperature=0, max_tokens=60), on_text=on_text)
    assert any(0 < len(text) < len(reply.result.text) for text in seen_on_disk)


def test_regenerate_replaces_the_last_reply(session):
    c = session.store.create_conversation()
    first = session.send(c.id, "hello", GREEDY)
    again = session.regenerate(c.id, SamplingParams(temperature=1.0, max_tokens=16, seed=3))
    messages = session.store.messages(c.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    # a new reply, generated with the new sampling, replaced the old one
    assert first.result.stats.seed is None and again.result.stats.seed == 3
    assert messages[1].id == again.message.id and messages[1].stats["seed"] == 3
    assert messages[1].content == again.result.text != first.result.text


def test_edit_and_resend_drops_everything_after_the_edited_message(session):
    c = session.store.create_conversation()
    session.send(c.id, "first", GREEDY)
    second = session.send(c.id, "second", GREEDY)
    first_id = session.store.messages(c.id)[0].id
    session.edit_and_resend(c.id, first_id, "edited", GREEDY)
    contents = [m.content for m in session.store.messages(c.id) if m.role == "user"]
    assert contents == ["edited"]
    assert second.message.id not in [m.id for m in session.store.messages(c.id)]


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_messages_are_refused(session, text):
    c = session.store.create_conversation()
    with pytest.raises(EmptyMessage):
        session.send(c.id, text, GREEDY)
    assert session.store.messages(c.id) == []


def test_a_100kb_message_fails_plainly_and_keeps_the_conversation(session):
    c = session.store.create_conversation()
    session.send(c.id, "hello", GREEDY)
    with pytest.raises(PromptTooLong, match="too long for this model's context"):
        session.send(c.id, "word " * 20_000, GREEDY)
    roles = [m.role for m in session.store.messages(c.id)]
    assert roles[:2] == ["user", "assistant"]
    assert "assistant" not in roles[2:]  # no empty half-reply left behind


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, threading
    from desktop_app.core.chat.session import ChatSession
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.sampling import SamplingParams
    from desktop_app.core.llm.types import LoadOptions
    from desktop_app.core.storage.store import Store

    class Telling(Store):
        # says on stdout when a part of the reply reached the database, then holds the reply there to be killed
        def update_message(self, message_id, **fields):
            super().update_message(message_id, **fields)
            if fields.get("content") and "status" not in fields:
                print(len(fields["content"]), flush=True)
                threading.Event().wait()

    store = Telling(sys.argv[1])
    engine = LlamaEngine(); engine.load(sys.argv[2], LoadOptions(n_ctx=512))
    c = store.create_conversation()
    ChatSession(store, engine, flush_seconds=0.0).send(c.id, "hello", SamplingParams(temperature=0, max_tokens=400))
    """
)


def test_a_killed_process_keeps_the_streamed_part_of_the_reply(tmp_path, tiny_gguf):
    db = tmp_path / "db.sqlite3"
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(tiny_gguf)], stdout=subprocess.PIPE,
                               text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)  # the child says when a part was saved
        line = process.stdout.readline() if ready else ""
        assert line, "no part of the reply reached the database while it was written"
        saved = int(line)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    store = Store(db)
    assert store.mark_interrupted() == 1
    [conversation] = store.list_conversations()
    user, assistant = store.messages(conversation.id)
    assert user.content == "hello" and assistant.status == "interrupted"
    assert saved > 0 and len(assistant.content) == saved  # exactly what was saved before the kill


def test_a_full_disk_mid_reply_keeps_the_text_in_memory_and_says_unsaved(session, monkeypatch):
    from desktop_app.core.errors import StorageError

    session.flush_seconds = 0.0
    c = session.store.create_conversation()
    saved = session.store.update_message

    def disk_full(*args, **kwargs):
        raise StorageError("Could not save to the database: database or disk is full. Is the disk full?")

    streamed: list[str] = []

    def on_text(chunk: str) -> None:
        streamed.append(chunk)
        if len(streamed) == 3:  # the disk fills up after a few tokens were saved
            monkeypatch.setattr(session.store, "update_message", disk_full)

    reply = session.send(c.id, "hello", SamplingParams(temperature=0, max_tokens=24), on_text=on_text)
    assert reply.unsaved and reply.message.content == reply.result.text == "".join(streamed)
    stored = session.store.messages(c.id)[-1]
    assert stored.status == "streaming" and len(stored.content) < len(reply.result.text)
    monkeypatch.setattr(session.store, "update_message", saved)
    assert not session.send(c.id, "again", GREEDY).unsaved  # space again: saved as usual


def test_space_freed_before_the_reply_ends_saves_it_whole(session, monkeypatch):
    from desktop_app.core.errors import StorageError

    session.flush_seconds = 0.0
    c = session.store.create_conversation()
    saved = session.store.update_message
    chunks: list[str] = []

    def disk_full(*args, **kwargs):
        raise StorageError("Could not save to the database: database or disk is full. Is the disk full?")

    def on_text(chunk: str) -> None:
        chunks.append(chunk)
        if len(chunks) == 2:
            monkeypatch.setattr(session.store, "update_message", disk_full)
        elif len(chunks) == 4:
            monkeypatch.setattr(session.store, "update_message", saved)

    reply = session.send(c.id, "hello", SamplingParams(temperature=0, max_tokens=24), on_text=on_text)
    assert len(chunks) > 4 and not reply.unsaved
    assert session.store.messages(c.id)[-1].content == reply.result.text
