"""Find in documents: the text of every document the user opened, searchable by any substring.

Passages (whole sentences packed to a few hundred characters, within a
paragraph) go into an FTS5 table with the trigram tokenizer in the app's one
database, so Chinese is found as well as English; each passage keeps where it
stands (page, heading or lines) and its offset, so a hit opens at its passage.
The same passages as words (a space around each Chinese character) go into a
second FTS5 table that ranks them by BM25 for a question (Ask). Re-adding a
document replaces its passages. Where SQLite lacks FTS5 the store skips the
tables and search says so in one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.core.documents.citations import locate
from desktop_app.core.documents.load import Document
from desktop_app.core.documents.segmenting import is_cjk, sentence_spans
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
        return self.store.replace_document_passages(key(document), document.name, document.format,
                                                    list(_passages(document)))

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

    def rank(self, document: Document, terms: list[str], limit: int) -> list[RankedPassage]:
        """The document's passages sharing any of ``terms`` (words, or Chinese pairs of characters), best first
        by BM25; the document must have been added."""
        self._require()
        match = _match_any(terms)
        if not match:
            return []
        return [RankedPassage(start, start + len(text), text, where, score)
                for start, text, where, score in self.store.rank_document_passages(key(document), match, limit)]

    def passages_with(self, document: Document, term: str | None = None) -> int:
        """How many of the document's passages hold ``term`` (all of them: None), for its rarity."""
        self._require()
        return self.store.count_document_passages(key(document), None if term is None else _match_any([term]))


@dataclass(frozen=True)
class RankedPassage:
    start: int  # offsets in Document.text
    end: int
    text: str
    where: str
    score: float  # BM25, higher is better


def key(document: Document) -> str:
    return str(document.path or document.name)


def _match_any(terms: list[str]) -> str:
    phrases = [" ".join(words_form(t).split()) for t in terms]
    return " OR ".join('"' + p.replace('"', '""') + '"' for p in phrases if p)


def words_form(text: str) -> str:
    """The text as the words table reads it: a space around each Chinese character, one word each."""
    return "".join(f" {c} " if is_cjk(c) else c for c in text)


def _passages(document: Document):
    """(text, where, start, words) of whole sentences packed up to PASSAGE_CHARS within each paragraph; a longer
    sentence is cut every PASSAGE_CHARS."""
    text = document.text
    for match in PARAGRAPH.finditer(text):
        start = None
        end = match.start()
        for a, b in sentence_spans(text, *match.span()):
            if start is not None and b - start > PASSAGE_CHARS:
                yield from _cut(document, start, end)
                start = None
            start = a if start is None else start
            end = b
        if start is not None:
            yield from _cut(document, start, end)


def _cut(document: Document, start: int, end: int):
    for cut in range(start, end, PASSAGE_CHARS):
        stop = min(end, cut + PASSAGE_CHARS)
        piece = document.text[cut:stop]
        yield piece, locate(document, cut, stop).label, cut, words_form(piece)
