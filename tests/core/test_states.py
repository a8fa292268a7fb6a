"""States are enums in code, and the same words as before in the database and in JSON outputs."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop_app.core.documents.summarize import SummaryPhase
from desktop_app.core.library.download import DownloadState
from desktop_app.core.llm.types import GenerationStats, StopReason
from desktop_app.core.storage.store import MessageStatus, Store


def test_stored_words_are_unchanged():
    assert [s.value for s in MessageStatus] == ["done", "streaming", "cancelled", "error", "interrupted"]
    assert [s.value for s in StopReason] == ["stop", "length", "context", "cancelled"]
    assert [s.value for s in SummaryPhase] == ["map", "reduce", "final", "done"]
    assert [s.value for s in DownloadState] == ["connecting", "downloading", "paused", "verifying", "validating", "done"]


def test_stats_json_says_the_plain_word():
    text = json.dumps(GenerationStats(stop_reason=StopReason.CONTEXT).to_dict())
    assert '"stop_reason": "context"' in text


def test_database_holds_plain_words_and_reads_back_enums(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = Store(path)
    conversation = store.create_conversation()
    message = store.add_message(conversation.id, "assistant", "", status=MessageStatus.STREAMING)
    assert store.mark_interrupted() == 1
    store.add_summary("a.txt", "Partial.", status=MessageStatus.CANCELLED)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT status FROM messages").fetchall() == [("interrupted",)]
    assert raw.execute("SELECT status FROM summaries").fetchall() == [("cancelled",)]
    raw.close()
    assert store.messages(conversation.id)[0].status is MessageStatus.INTERRUPTED
    assert store.list_summaries()[0].status is MessageStatus.CANCELLED
    store.update_message(message.id, status=MessageStatus.DONE)
    assert store.messages(conversation.id)[0].status is MessageStatus.DONE
    with pytest.raises(ValueError):
        store.add_message(conversation.id, "assistant", "", status="finished")
    store.close()
