"""SQLite storage: schema versions, conversations, messages, search, failure modes."""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app.core.storage import store as store_module
from desktop_app.core.errors import StorageError
from desktop_app.core.storage.migrations import MIGRATIONS
from desktop_app.core.storage.store import Store, title_from


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


def indexed(store, text: str) -> int:
    """Rows the full-text index itself finds for ``text`` (not the LIKE fallback)."""
    return store._query("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", (f'"{text}"',))[0][0]


def test_search_uses_a_full_text_index_that_follows_inserts_updates_and_deletes(store):
    assert store.has_search_index
    c = store.create_conversation()
    message = store.add_message(c.id, "assistant", "a sourdough starter")
    assert indexed(store, "sourdough") == 1
    store.update_message(message.id, content="a rye starter")
    assert indexed(store, "sourdough") == 0 and indexed(store, "rye starter") == 1
    assert [x.id for x in store.list_conversations("rye sta")] == [c.id]
    assert store.list_conversations("sourdough") == []
    store.add_message(c.id, "user", "and a baguette?")
    store.delete_messages_from(c.id, message.id)
    assert indexed(store, "rye starter") == 0 and indexed(store, "baguette") == 0
    other = store.create_conversation()
    store.add_message(other.id, "user", "focaccia tips")
    store.delete_conversation(other.id)  # messages go by ON DELETE CASCADE; the index follows
    assert indexed(store, "focaccia") == 0 and store.list_conversations("focaccia") == []


def test_chinese_search_finds_words_inside_sentences(store):
    apple = store.create_conversation()
    store.add_message(apple.id, "user", "我今天想吃苹果派，你有食谱吗？")
    train = store.create_conversation()
    store.add_message(train.id, "assistant", "从北京到上海坐高铁大约需要四个半小时。")
    assert indexed(store, "吃苹果") == 1
    assert [c.id for c in store.list_conversations("吃苹果")] == [apple.id]
    assert [c.id for c in store.list_conversations("北京到上海")] == [train.id]
    assert [c.id for c in store.list_conversations("苹果")] == [apple.id]  # two characters: scanned, still found
    assert store.list_conversations("香蕉") == [] and store.list_conversations("吃香蕉") == []


def test_search_ranks_title_matches_then_the_better_message_match_before_newer_ones(store):
    mentions = store.create_conversation(title="Descaling")
    store.add_message(mentions.id, "user", "kettle descaling: kettle, kettle, kettle")
    passing = store.create_conversation(title="Kitchen notes")
    store.add_message(passing.id, "user", "a long note about many kitchen things " * 20 + "and a kettle")
    titled = store.create_conversation(title="Kettle advice")
    assert [c.id for c in store.list_conversations()] == [titled.id, passing.id, mentions.id]
    assert [c.id for c in store.list_conversations("kettle")] == [titled.id, mentions.id, passing.id]


def test_a_database_from_before_the_index_is_indexed_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:2], start=1):
        db.executescript(f"BEGIN; {script}; PRAGMA user_version = {version}; COMMIT;")
    db.execute("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'old', 0, 0)")
    db.execute("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, 'user', '老照片修复', 0)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS) and indexed(store, "照片修") == 1
    assert [c.id for c in store.list_conversations("照片修复")] == [1]
    store.close()


def test_without_fts5_search_falls_back_to_scanning(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop_app.core.storage.store._has_fts5_trigram", lambda db, errors: False)
    store = Store(tmp_path / "plain.sqlite3")
    assert store.schema_version == len(MIGRATIONS) and not store.has_search_index
    c = store.create_conversation()
    store.add_message(c.id, "user", "我今天想吃苹果派 with cream")
    assert [x.id for x in store.list_conversations("吃苹果")] == [c.id]
    assert [x.id for x in store.list_conversations("CREAM")] == [c.id]
    assert store.list_conversations("香蕉") == []
    store.close()


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
