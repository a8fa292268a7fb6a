"""Find in documents: the text of every document the user opened, searchable by any substring.

Passages (paragraphs, cut to a few hundred characters) go into an FTS5 table
with the trigram tokenizer in the app's one database, so Chinese is found as
well as English; each passage keeps where it stands (page, heading or lines)
and its offset, so a hit opens at its passage. Re-adding a document replaces
its passages. Where SQLite lacks FTS5 the store skips the table and search
says so in one sentence.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from desktop_app.core.documents.citations import locate
from desktop_app.core.documents.load import Document
from desktop_app.core.errors import StorageError
from desktop_app.core.store import Store

PASSAGE_CHARS = 400
MIN_QUERY_CHARS = 3  # the trigram tokenizer matches substrings of three characters or more
PARAGRAPH = re.compile(r"\S(?:.|\n(?!\n))*")


@dataclass(frozen=True)
class SearchHit:
    path: str
    document: str
    location: str
    start: int
    snippet: str


class DocumentIndex:
    def __init__(self, store: Store):
        self.store = store

    @property
    def available(self) -> bool:
        rows = self.store._query("SELECT 1 FROM sqlite_master WHERE name = 'document_passages'")
        return bool(rows)

    def _require(self) -> None:
        if not self.available:
            raise StorageError("Find in documents needs SQLite with FTS5, which this system's SQLite lacks.")

    def add(self, document: Document) -> int:
        """Index (or re-index) a document; returns how many passages it holds."""
        self._require()
        path = str(document.path or document.name)
        passages = list(_passages(document))
        with self.store._write() as db:
            old = db.execute("SELECT id FROM indexed_documents WHERE path = ?", (path,)).fetchone()
            if old:
                db.execute("DELETE FROM document_passages WHERE document_id = ?", (old[0],))
                db.execute("DELETE FROM indexed_documents WHERE id = ?", (old[0],))
            cur = db.execute(
                "INSERT INTO indexed_documents (path, name, format, indexed_at) VALUES (?, ?, ?, ?)",
                (path, document.name, document.format, time.time()),
            )
            db.executemany(
                "INSERT INTO document_passages (text, location, start, document_id) VALUES (?, ?, ?, ?)",
                [(text, where, start, cur.lastrowid) for text, where, start in passages],
            )
        return len(passages)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        self._require()
        query = " ".join(query.split())
        if len(query) < MIN_QUERY_CHARS:
            return []
        phrase = '"' + query.replace('"', '""') + '"'
        rows = self.store._query(
            "SELECT d.path, d.name, p.location, p.start, snippet(document_passages, 0, '[', ']', '…', 48) "
            "FROM document_passages p JOIN indexed_documents d ON d.id = p.document_id "
            "WHERE document_passages MATCH ? ORDER BY rank LIMIT ?",
            (phrase, limit),
        )
        return [SearchHit(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]

    def documents(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.store._query("SELECT path, name FROM indexed_documents ORDER BY name")]


def _passages(document: Document):
    text = document.text
    for match in PARAGRAPH.finditer(text):
        start, end = match.span()
        for cut in range(start, end, PASSAGE_CHARS):
            stop = min(end, cut + PASSAGE_CHARS)
            yield text[cut:stop], locate(document, cut, stop).label, cut
