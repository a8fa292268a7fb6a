"""SQLite storage: schema versions, conversations, messages, search, failure modes."""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app.core import store as store_module
from desktop_app.core.errors import StorageError
from desktop_app.core.store import MIGRATIONS, Store, title_from


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    yield store
    store.close()


def test_new_database_is_at_the_latest_schema(store):
    assert store.schema_version == len(MIGRATIONS)


class TickingClock:
    """time.time() that advances 1 ms per call: two calls differ even on a coarse system clock."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def time(self) -> float:
        self.now += 0.001
        return self.now


def test_conversations_newest_first_and_auto_titled(store, monkeypatch):
    monkeypatch.setattr(store_module, "time", TickingClock())
    first = store.create_conversation()
    second = store.create_conversation()
    store.add_message(first.id, "user", "What is the capital of France?\nAnd why?")
    assert [c.id for c in store.list_conversations()] == [first.id, second.id]
    assert store.get_conversation(first.id).title == "What is the capital of France? And why?"


def test_long_titles_are_shortened():
    assert len(title_from("word " * 100)) <= 48 and title_from("word " * 100).endswith("…")


def test_the_first_user_message_titles_and_later_ones_do_not(store):
    c = store.create_conversation()
    store.add_message(c.id, "user", "first question")
    store.add_message(c.id, "user", "second question")
    assert store.get_conversation(c.id).title == "first question"


def test_rename_delete_and_cascade(store):
    c = store.create_conversation()
    store.add_message(c.id, "user", "hello")
    store.update_conversation(c.id, title="Renamed", system_prompt="Be brief.", sampling={"temperature": 0})
    loaded = store.get_conversation(c.id)
    assert (loaded.title, loaded.system_prompt, loaded.sampling) == ("Renamed", "Be brief.", {"temperature": 0})
    store.delete_conversation(c.id)
    assert store.list_conversations() == []
    assert store.messages(c.id) == []


def test_search_matches_titles_and_message_text(store):
    a = store.create_conversation(title="Travel plans")
    b = store.create_conversation()
    store.add_message(b.id, "user", "how do I bake bread?")
    store.add_message(b.id, "assistant", "Use 100% flour")
    assert [c.id for c in store.list_conversations("travel")] == [a.id]
    assert [c.id for c in store.list_conversations("BREAD")] == [b.id]
    assert [c.id for c in store.list_conversations("100%")] == [b.id]
    assert store.list_conversations("nothing like this") == []


def test_delete_messages_from_truncates_history(store):
    c = store.create_conversation()
    ids = [store.add_message(c.id, r, t).id for r, t in [("user", "1"), ("assistant", "2"), ("user", "3")]]
    store.delete_messages_from(c.id, ids[1])
    assert [m.content for m in store.messages(c.id)] == ["1"]


def test_streaming_messages_become_interrupted_at_start_up(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = Store(path)
    c = store.create_conversation()
    message = store.add_message(c.id, "assistant", "partial repl", status="streaming")
    store.close()
    reopened = Store(path)
    assert reopened.mark_interrupted() == 1
    [loaded] = reopened.messages(c.id)
    assert (loaded.id, loaded.content, loaded.status) == (message.id, "partial repl", "interrupted")
    reopened.close()


def test_unwritable_location_is_a_plain_storage_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot open the conversation database"):
        Store(blocker / "sub" / "db.sqlite3")


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(StorageError, match="newer Hearth"):
        Store(path)


def test_corrupt_database_file_is_a_plain_storage_error(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        Store(path)
