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
from dataclasses import dataclass

from desktop_app.core.documents.citations import locate
from desktop_app.core.documents.load import Document
from desktop_app.core.errors import StorageError
from desktop_app.core.storage.store import Store

PASSAGE_CHARS = 400
HIT_START, HIT_END = "\ue000", "\ue001"  # how the store marks a hit in a snippet
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
        return self.store.has_document_index

    def _require(self) -> None:
        if not self.available:
            raise StorageError("Find in documents needs SQLite with FTS5, which this system's SQLite lacks.")

    def add(self, document: Document) -> int:
        """Index (or re-index) a document; returns how many passages it holds."""
        self._require()
        return self.store.replace_document_passages(str(document.path or document.name), document.name,
                                                    document.format, list(_passages(document)))

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        self._require()
        query = " ".join(query.split())
        if len(query) < MIN_QUERY_CHARS:
            return []
        phrase = '"' + query.replace('"', '""') + '"'
        return [SearchHit(path, name, where, start, snippet.replace(HIT_START, "[").replace(HIT_END, "]"))
                for path, name, where, start, snippet in self.store.search_document_passages(phrase, limit)]

    def documents(self) -> list[tuple[str, str]]:
        return self.store.indexed_documents()


def _passages(document: Document):
    text = document.text
    for match in PARAGRAPH.finditer(text):
        start, end = match.span()
        for cut in range(start, end, PASSAGE_CHARS):
            stop = min(end, cut + PASSAGE_CHARS)
            yield text[cut:stop], locate(document, cut, stop).label, cut
