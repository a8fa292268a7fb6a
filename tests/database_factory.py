"""Tiny real databases for tests, and a way to damage one page of them as a failing disk would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.storage.store import Store


def fill(path: Path, conversations: int = 120) -> None:
    store = Store(path)
    for n in range(conversations):
        c = store.create_conversation(title=f"conversation {n} " + "x" * 60)
        store.add_message(c.id, "user", f"question {n}")
        store.add_message(c.id, "assistant", f"answer {n}")
    store.add_summary("doc.txt", "a summary")
    store.close()  # the last connection checkpoints the WAL into the main file


def damage_pages(path: Path, table: str, which: str = "leaf") -> None:
    """Overwrite pages of one table with garbage: its root ('root') or one leaf in the middle ('leaf')."""
    db = sqlite3.connect(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    if which == "root":
        pages = [db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]]
    else:
        leaves = [r[0] for r in db.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
        pages = [leaves[len(leaves) // 2]]
    db.close()
    with open(path, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xa5" * page_size)
