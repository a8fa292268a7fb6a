"""A damaged database: every query turns into the storage error the app handles, and what is readable is recovered."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop_app.core.errors import DatabaseCorrupt, StorageError
from desktop_app.core.storage.salvage import salvage, salvage_path
from desktop_app.core.storage.store import Store
from database_factory import damage_pages, fill


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = tmp_path / "hearth.sqlite3"
    fill(path)
    damage_pages(path, "conversations", "root")
    return path


def test_a_damaged_page_is_a_storage_error_not_a_raw_sqlite_error(damaged):
    store = Store(damaged)  # the schema page is intact: opening works
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        store.list_conversations()
    with pytest.raises(StorageError):
        store.create_conversation()
    store.close()


def test_check_finds_the_damage_when_the_database_is_opened(damaged):
    store = Store(damaged)
    with pytest.raises(DatabaseCorrupt):
        store.check()
    store.close()


def test_check_passes_on_a_healthy_database(tmp_path):
    fill(tmp_path / "ok.sqlite3", conversations=3)
    store = Store(tmp_path / "ok.sqlite3")
    store.check()
    assert len(store.list_conversations()) == 3
    store.close()


def test_salvage_copies_every_readable_row_and_never_touches_the_damaged_file(tmp_path):
    path = tmp_path / "hearth.sqlite3"
    fill(path)
    damage_pages(path, "conversations", "leaf")
    before = digest(path)
    target = salvage_path(path)
    report = salvage(path, target)
    assert digest(path) == before and target != path
    recovered = Store(target)
    recovered.check()
    conversations = recovered.list_conversations()
    # one leaf of conversations was lost; the others, every message and the summary were read
    assert 60 < report.rows["conversations"] < 120
    assert report.rows["messages"] == 240 and report.rows["summaries"] == 1
    titles = {c.title for c in conversations}
    # rows on both sides of the lost page: the scan goes on past the damage
    assert {f"conversation {n} " + "x" * 60 for n in (0, 119)} <= titles
    assert "Recovered conversation" in titles  # messages whose conversation row was on the lost page
    assert len(conversations) == 120
    assert [m.content for m in recovered.messages(conversations[-1].id)] in (
        [f"question {n}", f"answer {n}"] for n in range(120)
    )
    recovered.close()


def test_salvage_refuses_to_overwrite_an_existing_file(damaged, tmp_path):
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"keep me")
    with pytest.raises(StorageError, match="already exists"):
        salvage(damaged, existing)
    assert existing.read_bytes() == b"keep me"
