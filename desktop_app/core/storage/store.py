"""SQLite storage for conversations, messages and document summaries.

The schema is versioned with ``PRAGMA user_version`` (migrations.py). Every write
commits at once so a killed process loses nothing that was written.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Callable
from pathlib import Path

from desktop_app.core.errors import DatabaseCorrupt, StorageError, WorkspaceLocked, WrongPassphrase
from desktop_app.core.storage.migrations import (
    DOCUMENT_INDEX_MIGRATION,
    MIGRATIONS,
    SEARCH_INDEX_MIGRATION,
    WORDS_INDEX_MIGRATION,
)
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

TRIGRAM = 3  # the index finds substrings of at least this many characters

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


@dataclass
class EvaluationRecord:
    id: int
    title: str  # e.g. "SmolLM2-135M-Instruct, EfficientNet-Lite0 on AMD EPYC"
    created_at: float


SQLITE_HEADER = b"SQLite format 3\x00"


def is_encrypted(path: Path) -> bool:
    """A plain SQLite file starts with its magic header; an SQLCipher file starts with random salt."""
    try:
        if not Path(path).is_file():  # missing, or a device (tests fill the disk with /dev/full)
            return False
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:  # a path through a file, unreadable: not an encrypted database either way
        return False
    return len(head) == len(SQLITE_HEADER) and head != SQLITE_HEADER


def driver(key: bytes | None):
    """The DB-API module: the standard library's sqlite3 for a plain file, SQLCipher's for an encrypted one."""
    if key is None:
        return sqlite3
    import sqlcipher3.dbapi2  # imported only for an encrypted workspace: it costs start-up time

    return sqlcipher3.dbapi2


def connect(path: Path | str, key: bytes | None = None):
    """An autocommit connection with Row results, and the exception classes its driver raises."""
    api = driver(key)
    db = api.connect(str(path), check_same_thread=False, isolation_level=None)
    db.row_factory = api.Row
    if key is not None:
        db.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        db.execute("PRAGMA temp_store = MEMORY")  # sorts and temporary tables never reach the disk
        try:  # SQLCipher checks the key on the first read
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except api.DatabaseError as exc:
            db.close()
            raise WrongPassphrase(
                translate("StorageErrors", "The key does not open the encrypted database {path}: "
                                           "wrong passphrase or recovery key.").fill(path=path)
            ) from exc
    return db, (sqlite3.Error, api.Error)


def _is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


# SQLite's own messages (the C library's, the same in every language) and what they mean to a user
_SQLITE_REASONS = (
    ("disk is full", translate("StorageErrors", "the disk is full")),
    ("database is locked", translate("StorageErrors", "another program is using the database")),
    ("readonly", translate("StorageErrors", "the file or its folder is read-only")),
    ("unable to open", translate("StorageErrors", "the file cannot be opened (its folder may be missing or not writable)")),
    ("disk i/o error", translate("StorageErrors", "the disk reported a read or write error")),
    ("out of memory", translate("StorageErrors", "the computer ran out of memory")),
)


def sqlite_reason(exc: BaseException) -> str:
    """A plain reason for an SQLite error (its own text goes to the log only)."""
    text = str(exc).lower()
    log.info("SQLite: %s", exc.__class__.__name__ + ": " + text[:200])
    for needle, reason in _SQLITE_REASONS:
        if needle in text:
            return reason
    return translate("StorageErrors", "SQLite reported an error (the log file has the details)")


def _corrupt_message(path: Path | None, detail=None) -> str:
    if detail is not None:
        log.info("damaged database %s: %s", path, str(detail)[:200])
    return translate("StorageErrors", "The conversation database {path} is damaged. Hearth keeps the damaged file "
                                      "untouched; recover what is readable into a new database.").fill(path=path)


def _open_error(path, exc: BaseException, key: bytes | None) -> StorageError:
    if key is None and str(path) != ":memory:" and is_encrypted(Path(str(path))):
        return WorkspaceLocked(translate("StorageErrors", "The database {path} is encrypted; unlock it with its "
                                                          "passphrase.").fill(path=path))
    if _is_corruption(exc):
        return DatabaseCorrupt(_corrupt_message(path, exc))
    return StorageError(translate(
        "StorageErrors", "Cannot open the conversation database at {path}: {reason}. Check that the folder exists, "
        "is writable and the disk is not full.").fill(path=path, reason=sqlite_reason(exc)))


def title_from(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


class Store:
    """One connection, serialised by a lock so worker threads can write too."""

    def __init__(self, path: Path | str, key: bytes | None = None):
        """``key``: the raw 32-byte SQLCipher key of an encrypted workspace (storage.workspace gives it)."""
        self.path = Path(path) if str(path) != ":memory:" else None
        self._lock = threading.RLock()
        self._open(path, key)

    def _open(self, path: Path | str, key: bytes | None) -> None:
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db, self._errors = connect(path, key)
            self.encrypted = key is not None
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (OSError, sqlite3.Error, driver(key).Error) as exc:
            raise _open_error(path, exc, key) from exc

    @contextmanager
    def closed_while(self, reopen_key: Callable[[], bytes | None]):
        """Close the file for a conversion (storage.workspace), then open it again with the key it then needs.

        Other threads' queries wait on the lock meanwhile instead of failing.
        """
        with self._lock:
            self._db.close()
            try:
                yield
            finally:
                self._open(self.path, reopen_key())

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
                translate("StorageErrors", "The database {path} was written by a newer Hearth "
                                           "(schema {version}); update Hearth to open it.").fill(path=self.path, version=version)
            )
        for index in range(version, len(MIGRATIONS)):
            optional = index in (SEARCH_INDEX_MIGRATION, DOCUMENT_INDEX_MIGRATION, WORDS_INDEX_MIGRATION)
            script = MIGRATIONS[index] if not optional or _has_fts5_trigram(self._db, self._errors) else ""
            self._db.executescript(f"BEGIN; {script}; PRAGMA user_version = {index + 1}; COMMIT;")
        self.has_search_index = bool(
            self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_fts'").fetchone()
        )

    def check(self) -> None:
        """Read every page once (PRAGMA quick_check): a damaged file raises DatabaseCorrupt now, not mid-session."""
        rows = self._query("PRAGMA quick_check")
        problems = [row[0] for row in rows if row[0] != "ok"]
        if problems:
            raise DatabaseCorrupt(_corrupt_message(self.path, problems[0]))

    @contextmanager
    def _write(self):
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except self._errors as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if _is_corruption(exc):
                    raise DatabaseCorrupt(_corrupt_message(self.path, exc)) from exc
                raise StorageError(translate("StorageErrors", "Could not save to the database: {reason}.").fill(
                    reason=sqlite_reason(exc))) from exc
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except self._errors as exc:
                if _is_corruption(exc):
                    raise DatabaseCorrupt(_corrupt_message(self.path, exc)) from exc
                raise StorageError(translate("StorageErrors", "Could not read the database: {reason}.").fill(
                    reason=sqlite_reason(exc))) from exc

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
            raise StorageError(translate("StorageErrors", "Conversation {conversation_id} no longer "
                                                          "exists.").fill(conversation_id=conversation_id))
        return _conversation(rows[0])

    def list_conversations(self, search: str = "") -> list[Conversation]:
        """All conversations, newest first; with ``search``, those whose title or messages contain it,
        title matches first, then by how well their messages match (FTS5 bm25), then newest first."""
        search = search.strip()
        if not search:
            rows = self._query("SELECT * FROM conversations ORDER BY updated_at DESC, id DESC")
        elif self.has_search_index and len(search) >= TRIGRAM:
            pattern = f"%{_escape_like(search)}%"
            phrase = '"' + search.replace('"', '""') + '"'  # one quoted phrase: a plain substring match
            rows = self._query(
                "WITH hits AS (SELECT m.conversation_id AS id, MIN(f.rank) AS score FROM messages_fts f"
                " JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ? GROUP BY m.conversation_id)"
                " SELECT c.* FROM conversations c LEFT JOIN hits h ON h.id = c.id"
                " WHERE h.id IS NOT NULL OR c.title LIKE ? ESCAPE '\\'"
                " ORDER BY c.title LIKE ? ESCAPE '\\' DESC, COALESCE(h.score, 0), c.updated_at DESC, c.id DESC",
                (phrase, pattern, pattern),
            )
        else:  # shorter than a trigram, or no FTS5 in this SQLite: scan
            pattern = f"%{_escape_like(search)}%"
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
            raise ValueError(translate("StorageErrors", "unknown conversation fields: {unknown}").fill(unknown=sorted(unknown)))
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
            raise StorageError(translate("StorageErrors", "Summary {summary_id} no longer exists.").fill(summary_id=summary_id))
        return _summary(rows[0])

    def list_summaries(self, limit: int = 200) -> list[Summary]:
        rows = self._query("SELECT * FROM summaries ORDER BY created_at DESC, id DESC LIMIT ?", (limit,))
        return [_summary(r) for r in rows]

    def delete_summary(self, summary_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM summaries WHERE id = ?", (summary_id,))


    # secrets: only in an encrypted workspace (SQLCipher encrypts every page, the WAL's too)

    def put_secret(self, name: str, value: str) -> None:
        if not self.encrypted:
            raise StorageError(translate("StorageErrors", "The workspace is not encrypted, so Hearth "
                                                          "does not keep secrets in it."))
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO secrets (name, value, created_at) VALUES (?, ?, ?)", (name, value, time.time()))

    def get_secret(self, name: str) -> str | None:
        rows = self._query("SELECT value FROM secrets WHERE name = ?", (name,))
        return rows[0]["value"] if rows else None

    def delete_secret(self, name: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM secrets WHERE name = ?", (name,)).rowcount > 0

    # evaluations (the report JSON is core.evaluate's business; the store only keeps it)

    # the documents' full-text index (Find; core/documents/index.py)

    @property
    def has_document_index(self) -> bool:
        """False where SQLite lacks FTS5's trigram tokenizer (the optional migration was skipped)."""
        return bool(self._query("SELECT 1 FROM sqlite_master WHERE name = 'document_passages'"))

    def replace_document_passages(self, path: str, name: str, format: str, passages: list[tuple]) -> int:
        """Index a document's passages (text, where, start[, words]), replacing what was indexed for ``path``
        before; ``words``: the passage as BM25 should read it (rank_document_passages), else its text."""
        with self._write() as db:
            old = db.execute("SELECT id FROM indexed_documents WHERE path = ?", (path,)).fetchone()
            if old:
                db.execute("DELETE FROM document_words WHERE rowid IN "
                           "(SELECT rowid FROM document_passages WHERE document_id = ?)", (old[0],))
                db.execute("DELETE FROM document_passages WHERE document_id = ?", (old[0],))
                db.execute("DELETE FROM indexed_documents WHERE id = ?", (old[0],))
            cur = db.execute(
                "INSERT INTO indexed_documents (path, name, format, indexed_at) VALUES (?, ?, ?, ?)",
                (path, name, format, time.time()),
            )
            for text, where, start, *words in passages:
                row = db.execute("INSERT INTO document_passages (text, location, start, document_id) VALUES (?, ?, ?, ?)",
                                 (text, where, start, cur.lastrowid)).lastrowid
                db.execute("INSERT INTO document_words (rowid, words) VALUES (?, ?)", (row, words[0] if words else text))
        return len(passages)

    def rank_document_passages(self, path: str, match: str, limit: int) -> list[tuple[int, str, str, float]]:
        """(start, text, where, score) of ``path``'s passages whose words match an FTS5 ``match`` expression,
        best first; the score is BM25's (bm25() negated: higher is better)."""
        rows = self._query(
            "SELECT p.start, p.text, p.location, -bm25(document_words) AS score FROM document_words w "
            "JOIN document_passages p ON p.rowid = w.rowid JOIN indexed_documents d ON d.id = p.document_id "
            "WHERE document_words MATCH ? AND d.path = ? ORDER BY score DESC LIMIT ?",
            (match, path, limit),
        )
        return [(int(r[0]), r[1], r[2], float(r[3])) for r in rows]

    def count_document_passages(self, path: str, match: str | None = None) -> int:
        """How many of ``path``'s passages there are, or match an FTS5 ``match`` over their words."""
        if match is None:
            rows = self._query("SELECT count(*) FROM document_passages p JOIN indexed_documents d "
                               "ON d.id = p.document_id WHERE d.path = ?", (path,))
        else:
            rows = self._query("SELECT count(*) FROM document_words w JOIN document_passages p ON p.rowid = w.rowid "
                               "JOIN indexed_documents d ON d.id = p.document_id WHERE document_words MATCH ? "
                               "AND d.path = ?", (match, path))
        return int(rows[0][0])

    def search_document_passages(self, match: str, limit: int) -> list[tuple[str, str, str, int, str]]:
        """(path, name, where, start, snippet) of passages matching an FTS5 ``match`` expression, best first;
        the snippet marks hits with U+E000 and U+E001 (private-use characters, never in a document)."""
        rows = self._query(
            "SELECT d.path, d.name, p.location, p.start, snippet(document_passages, 0, char(57344), char(57345), '…', 48) "
            "FROM document_passages p JOIN indexed_documents d ON d.id = p.document_id "
            "WHERE document_passages MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]

    def indexed_documents(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._query("SELECT path, name FROM indexed_documents ORDER BY name")]

    def add_evaluation(self, title: str, report: dict, created_at: float | None = None) -> int:
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO evaluations (title, report_json, created_at) VALUES (?, ?, ?)",
                (title, json.dumps(report), created_at if created_at is not None else time.time()),
            )
        return cur.lastrowid

    def list_evaluations(self, limit: int = 200) -> list[EvaluationRecord]:
        """Newest first, without the reports themselves (they can be large)."""
        rows = self._query(
            "SELECT id, title, created_at FROM evaluations ORDER BY created_at DESC, id DESC LIMIT ?", (limit,)
        )
        return [EvaluationRecord(r["id"], r["title"], r["created_at"]) for r in rows]

    def get_evaluation(self, evaluation_id: int) -> dict:
        rows = self._query("SELECT report_json FROM evaluations WHERE id = ?", (evaluation_id,))
        if not rows:
            raise StorageError(translate("StorageErrors", "Evaluation {evaluation_id} no longer "
                                                          "exists.").fill(evaluation_id=evaluation_id))
        try:
            return json.loads(rows[0]["report_json"])
        except ValueError as exc:
            raise StorageError(translate("StorageErrors", "Evaluation {evaluation_id} is damaged in the database; "
                                                          "delete it from the history.").fill(evaluation_id=evaluation_id)) from exc

    def update_evaluation(self, evaluation_id: int, title: str, report: dict) -> None:
        with self._write() as db:
            db.execute("UPDATE evaluations SET title = ?, report_json = ? WHERE id = ?",
                       (title, json.dumps(report), evaluation_id))

    def delete_evaluation(self, evaluation_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM evaluations WHERE id = ?", (evaluation_id,))


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


def _has_fts5_trigram(db, errors: tuple[type[Exception], ...]) -> bool:
    """``errors``: the driver's error classes (sqlite3's, or sqlcipher3's for an encrypted workspace)."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x, tokenize='trigram')")
        db.execute("DROP TABLE temp.fts5_probe")
        return True
    except errors:  # built without FTS5, or older than 3.34 (no trigram tokenizer)
        return False


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
