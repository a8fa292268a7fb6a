"""Copy what is still readable from a damaged database into a new one.

The damaged file is opened read-only and never written, moved or deleted: the user
(or a better tool than ours) may get more out of it later. Rows are read in rowid
order; when a page cannot be read, the scan jumps ahead past it and goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.errors import StorageError
from desktop_app.core.storage.store import Store, driver, sqlite_reason
from desktop_app.core.texts import translate

MAX_SKIPS = 48  # doubling jumps over unreadable rowids: covers any 64-bit rowid range


@dataclass
class SalvageReport:
    target: Path
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    unreadable_tables: list[str] = field(default_factory=list)
    kept: Path | None = None  # where the damaged file was moved, when the copy took its place

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def salvage_path(damaged: Path) -> Path:
    """A new file beside the damaged one, never an existing file."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = damaged.with_name(f"{damaged.stem}.recovered-{stamp}{damaged.suffix}")
    counter = 1
    while candidate.exists():
        candidate = damaged.with_name(f"{damaged.stem}.recovered-{stamp}-{counter}{damaged.suffix}")
        counter += 1
    return candidate


def salvage(damaged: Path, target: Path, key: bytes | None = None) -> SalvageReport:
    """Create ``target`` with the current schema and copy every readable row of ``damaged`` into it."""
    if target.exists():
        raise StorageError(translate("StorageErrors", "{target} already exists; choose a new file "
                                                      "for the recovered database.").fill(target=target))
    api = driver(key)
    try:
        source = api.connect(f"file:{damaged}?mode=ro", uri=True, check_same_thread=False)
        if key is not None:
            source.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except api.Error as exc:
        raise StorageError(translate("StorageErrors", "Cannot read the damaged database {damaged}: "
                                                      "{reason}.").fill(damaged=damaged, reason=sqlite_reason(exc))) from exc
    report = SalvageReport(target)
    fresh = Store(target, key)
    try:
        fresh._db.execute("PRAGMA foreign_keys = OFF")  # a message may survive its conversation's page
        for table, columns in _tables(fresh):
            readable = _source_columns(source, table, api)
            shared = [c for c in columns if c in readable]
            if not shared:
                report.unreadable_tables.append(table)
                continue
            report.rows[table] = _copy_table(source, fresh, table, shared, api)
        _adopt_orphans(fresh)
    finally:
        source.close()
        fresh.close()
    return report


def _tables(store: Store) -> list[tuple[str, list[str]]]:
    """Ordinary tables of the new schema; virtual tables (full-text indexes) and their shadows rebuild themselves."""
    rows = store._db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [r[0] for r in rows if (r[1] or "").upper().startswith("CREATE VIRTUAL")]
    tables = [r[0] for r in rows if r[0] not in virtual and not any(r[0].startswith(v + "_") for v in virtual)]
    return [(t, [c[1] for c in store._db.execute(f'PRAGMA table_info("{t}")')]) for t in tables]


def _source_columns(source, table: str, api) -> set[str]:
    try:
        return {c[1] for c in source.execute(f'PRAGMA table_info("{table}")')}
    except api.Error:
        return set()


def _copy_table(source, fresh: Store, table: str, columns: list[str], api) -> int:
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" (rowid, {names}) VALUES ({", ".join("?" * (len(columns) + 1))})'
    select = f'SELECT rowid, {names} FROM "{table}"'
    copied = 0
    fresh._db.execute("BEGIN")
    # forwards, then backwards from the end: together they read both sides of a damaged page
    for rows in (_readable_rows(source, select, api, forward=True), _readable_rows(source, select, api, forward=False)):
        for row in rows:
            copied += fresh._db.execute(insert, tuple(row)).rowcount  # 0 for a row already copied
    fresh._db.execute("COMMIT")
    return copied


def _readable_rows(source, select: str, api, forward: bool):
    sql = select + (" WHERE rowid > ? ORDER BY rowid" if forward else " WHERE rowid < ? ORDER BY rowid DESC")
    position, step, skips = (0, 1, 0) if forward else (2**63 - 1, -1, 0)  # rowids start at 1
    while skips <= MAX_SKIPS:
        try:
            for row in source.execute(sql, (position,)):
                position, step = row[0], 1 if forward else -1
                yield row
            return
        except api.Error:
            position, step, skips = position + step, step * 2, skips + 1
            if not 0 <= position < 2**63:
                return


def _adopt_orphans(fresh: Store) -> None:
    """Messages whose conversation row was lost get a conversation again, so they can be seen."""
    fresh._db.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at)"
        " SELECT conversation_id, 'Recovered conversation', min(created_at), max(created_at) FROM messages"
        " WHERE conversation_id NOT IN (SELECT id FROM conversations) GROUP BY conversation_id"
    )
