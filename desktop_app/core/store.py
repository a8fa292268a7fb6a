"""SQLite storage for conversations, messages and document summaries.

The schema is versioned with ``PRAGMA user_version``: ``MIGRATIONS[i]`` takes
the database from version i to i+1. Append new migrations; never edit one that
has shipped. Every write commits at once so a killed process loses nothing
that was written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from desktop_app.core.errors import StorageError

MIGRATIONS: list[str] = [
    # 0 -> 1: conversations and messages
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        system_prompt TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        sampling_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'done',
        stats_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX conversations_by_update ON conversations(updated_at DESC);
    """,
    # 1 -> 2: summaries of documents (the Summarize pane's history)
    """
    CREATE TABLE summaries (
        id INTEGER PRIMARY KEY,
        source_name TEXT NOT NULL,
        source_path TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        settings_json TEXT NOT NULL DEFAULT '{}',
        summary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'done',
        stats_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL
    );
    CREATE INDEX summaries_by_date ON summaries(created_at DESC);
    """,
]

class MessageStatus(StrEnum):
    """A stored reply's state (summaries use DONE and CANCELLED); the values are what the database holds."""

    DONE = "done"
    STREAMING = "streaming"  # being written; after a kill it stays so and is shown as interrupted
    CANCELLED = "cancelled"
    ERROR = "error"
    INTERRUPTED = "interrupted"


TITLE_LENGTH = 48


@dataclass
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    status: MessageStatus = MessageStatus.DONE
    stats: dict = field(default_factory=dict)
    created_at: float = 0.0


@dataclass
class Conversation:
    id: int
    title: str
    system_prompt: str = ""
    model: str = ""
    sampling: dict = field(default_factory=dict)
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class Summary:
    id: int
    source_name: str
    summary: str
    source_path: str = ""
    model: str = ""
    settings: dict = field(default_factory=dict)
    status: MessageStatus = MessageStatus.DONE  # DONE or CANCELLED
    stats: dict = field(default_factory=dict)
    created_at: float = 0.0


def title_from(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


class Store:
    """One connection, serialised by a lock so worker threads can write too."""

    def __init__(self, path: Path | str):
        self.path = Path(path) if str(path) != ":memory:" else None
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._lock = threading.RLock()
            self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"Cannot open the conversation database at {path}: {exc}. "
                "Check that the folder exists, is writable and the disk is not full."
            ) from exc

    @classmethod
    def in_memory(cls) -> "Store":
        return cls(":memory:")

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StorageError(
                f"The database {self.path} was written by a newer Hearth (schema {version}); "
                "update Hearth to open it."
            )
        for index in range(version, len(MIGRATIONS)):
            self._db.executescript(f"BEGIN; {MIGRATIONS[index]}; PRAGMA user_version = {index + 1}; COMMIT;")

    @contextmanager
    def _write(self):
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StorageError(f"Could not save to the database: {exc}. Is the disk full?") from exc
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # conversations

    def create_conversation(
        self, title: str = "", system_prompt: str = "", model: str = "", sampling: dict | None = None
    ) -> Conversation:
        now = time.time()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, system_prompt, model, sampling_json, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (title, system_prompt, model, json.dumps(sampling or {}), now, now),
            )
        return self.get_conversation(cur.lastrowid)

    def get_conversation(self, conversation_id: int) -> Conversation:
        rows = self._query("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            raise StorageError(f"Conversation {conversation_id} no longer exists.")
        return _conversation(rows[0])

    def list_conversations(self, search: str = "") -> list[Conversation]:
        if not search.strip():
            rows = self._query("SELECT * FROM conversations ORDER BY updated_at DESC, id DESC")
        else:
            pattern = f"%{_escape_like(search.strip())}%"
            rows = self._query(
                "SELECT * FROM conversations c WHERE c.title LIKE ? ESCAPE '\\' OR EXISTS ("
                " SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\')"
                " ORDER BY updated_at DESC, id DESC",
                (pattern, pattern),
            )
        return [_conversation(r) for r in rows]

    def update_conversation(self, conversation_id: int, **changes) -> Conversation:
        allowed = {"title", "system_prompt", "model", "sampling"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown conversation fields: {sorted(unknown)}")
        if "sampling" in changes:
            changes["sampling_json"] = json.dumps(changes.pop("sampling"))
        assignments = ", ".join(f"{k} = ?" for k in changes)
        with self._write() as db:
            db.execute(
                f"UPDATE conversations SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), time.time(), conversation_id),
            )
        return self.get_conversation(conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # messages

    def add_message(
        self, conversation_id: int, role: str, content: str, status: MessageStatus = MessageStatus.DONE, stats: dict | None = None
    ) -> Message:
        now, status = time.time(), MessageStatus(status)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO messages (conversation_id, role, content, status, stats_json, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role, content, status, json.dumps(stats or {}), now),
            )
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            if role == "user":
                db.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                    (title_from(content), conversation_id),
                )
        return Message(cur.lastrowid, conversation_id, role, content, status, stats or {}, now)

    def update_message(
        self, message_id: int, content: str | None = None, status: MessageStatus | None = None, stats: dict | None = None
    ) -> None:
        sets, params = [], []
        for column, value in (("content", content), ("status", status and MessageStatus(status))):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if stats is not None:
            sets.append("stats_json = ?")
            params.append(json.dumps(stats))
        if not sets:
            return
        with self._write() as db:
            db.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", (*params, message_id))

    def mark_interrupted(self) -> int:
        """At start-up: replies still 'streaming' were cut off by a crash or a kill."""
        with self._write() as db:
            return db.execute(
                "UPDATE messages SET status = ? WHERE status = ?", (MessageStatus.INTERRUPTED, MessageStatus.STREAMING)
            ).rowcount

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._query("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,))
        return [_message(r) for r in rows]

    def delete_messages_from(self, conversation_id: int, message_id: int) -> None:
        """Delete a message and everything after it (edit-and-resend, regenerate)."""
        with self._write() as db:
            db.execute("DELETE FROM messages WHERE conversation_id = ? AND id >= ?", (conversation_id, message_id))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time(), conversation_id))

    # summaries

    def add_summary(
        self,
        source_name: str,
        summary: str,
        *,
        source_path: str = "",
        model: str = "",
        settings: dict | None = None,
        status: MessageStatus = MessageStatus.DONE,
        stats: dict | None = None,
    ) -> Summary:
        now = time.time()
        values = (source_name, source_path, model, json.dumps(settings or {}), summary, MessageStatus(status), json.dumps(stats or {}))
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO summaries (source_name, source_path, model, settings_json, summary, status, stats_json,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, now),
            )
        return self.get_summary(cur.lastrowid)

    def get_summary(self, summary_id: int) -> Summary:
        rows = self._query("SELECT * FROM summaries WHERE id = ?", (summary_id,))
        if not rows:
            raise StorageError(f"Summary {summary_id} no longer exists.")
        return _summary(rows[0])

    def list_summaries(self, limit: int = 200) -> list[Summary]:
        rows = self._query("SELECT * FROM summaries ORDER BY created_at DESC, id DESC LIMIT ?", (limit,))
        return [_summary(r) for r in rows]

    def delete_summary(self, summary_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM summaries WHERE id = ?", (summary_id,))


def _summary(row: sqlite3.Row) -> Summary:
    return Summary(
        id=row["id"],
        source_name=row["source_name"],
        summary=row["summary"],
        source_path=row["source_path"],
        model=row["model"],
        settings=json.loads(row["settings_json"] or "{}"),
        status=MessageStatus(row["status"]),
        stats=json.loads(row["stats_json"] or "{}"),
        created_at=row["created_at"],
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        system_prompt=row["system_prompt"],
        model=row["model"],
        sampling=json.loads(row["sampling_json"] or "{}"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=row["role"],
        content=row["content"],
        status=MessageStatus(row["status"]),
        stats=json.loads(row["stats_json"] or "{}"),
        created_at=row["created_at"],
    )
