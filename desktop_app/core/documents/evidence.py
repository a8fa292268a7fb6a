"""Lexical evidence for Ask: the passages of a document that share the question's words, best first.

SQLite FTS5's bm25() over the Find index's passages (index.DocumentIndex.rank) orders them; a passage's
strength is the share of the question's word weight it holds (each word weighted by its rarity in this
document, as BM25's IDF), so a passage naming the harbour master's boat is strong for "What is the harbour
master's boat called?" even in a document that says "harbour" on every page. Strong passages are always
offered to the model, and shown as candidates if it finds no answer in them.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.documents.index import DocumentIndex, RankedPassage
from desktop_app.core.documents.load import Document
from desktop_app.core.documents.citations import locate
from desktop_app.core.documents.segmenting import is_cjk, sentence_spans
from desktop_app.core.storage.store import Store

MAX_CANDIDATES = 6
STRONG_SHARE = 0.5  # a passage holding at least this share of the question's word weight is strong evidence
RANK_LIMIT = 50
IN_MEMORY_CHARS = 8 * 1024 * 1024  # a longer document's private index is a temporary file, not memory
STOPWORDS = set(
    "a an and are as at be by can could did do does for from had has have how i in is it its of on or "
    "said the their there this to was were what when where which who whom whose why will with would "
    "document documents text say says mention mentioned tell about any all much many".split()
)
CHINESE_STOP = set("的是了在和有吗呢什么哪谁为何怎么多少几这那个文档中叫做")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    passage: RankedPassage
    strength: float  # share of the question's word weight the passage holds, 0..1

    @property
    def strong(self) -> bool:
        return self.strength >= STRONG_SHARE


def question_terms(question: str) -> list[str]:
    """The words BM25 ranks by: English words but the commonest, and each pair of Chinese characters."""
    terms: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+", question):
        if HAN.match(run):
            kept = "".join(c if c not in CHINESE_STOP else " " for c in run)
            for piece in kept.split():
                terms += [piece[i : i + 2] for i in range(len(piece) - 1)] or [piece]
            continue
        for word in LATIN_WORD.findall(run.lower()):
            word = re.sub(r"['’]s$", "", word)
            if word not in STOPWORDS and (len(word) > 2 or word.isdigit()):
                terms.append(word)
    return list(dict.fromkeys(terms))


class PassageRanking:
    """One document's passages ranked for one question; the index is a private in-memory one unless given."""

    def __init__(self, document: Document, question: str, index: DocumentIndex | None = None):
        self.document, self.question = document, question
        self.terms = question_terms(question)
        self._own = index is None
        self._weighed: dict[str, float] | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        if index is None:
            if document.chars > IN_MEMORY_CHARS:
                self._folder = tempfile.TemporaryDirectory(prefix="hearth-ask-")
                index = DocumentIndex(Store(Path(self._folder.name) / "ranking.db"))
            else:
                index = DocumentIndex(Store.in_memory())
            index.add(document)
        self.index = index

    def close(self) -> None:
        if self._own:
            self.index.store.close()
            if self._folder is not None:
                self._folder.cleanup()

    def candidates(self, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """The best passages by BM25, each with its strength; strong ones first among equals, at most ``limit``."""
        if not self.terms or not self.index.available:
            return []
        ranked = self.index.rank(self.document, self.terms, RANK_LIMIT)
        found = [Candidate(p, self.strength(p.text)) for p in ranked]
        found.sort(key=lambda c: (not c.strong, -c.passage.score))
        return found[:limit]

    def focused(self, candidate: Candidate) -> Candidate:
        """The candidate cut to its sentence holding most of the question's words: what a reader is shown."""
        passage = candidate.passage
        spans = sentence_spans(self.document.text, passage.start, passage.end)
        if not spans:
            return candidate
        start, end = max(spans, key=lambda span: self.strength(self.document.text[span[0]:span[1]]))
        text = self.document.text[start:end]
        where = locate(self.document, start, end).label
        return Candidate(RankedPassage(start, end, text, where, passage.score), self.strength(text))

    def strength(self, text: str) -> float:
        """The share of the question's word weight ``text`` holds (0 when the question has no words to weigh)."""
        weights = self._weights()
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if _holds(text, t)) / total if total else 0.0

    def _weights(self) -> dict[str, float]:
        """Each term's rarity in this document (BM25's IDF: a word in every passage weighs almost nothing)."""
        if self._weighed is not None:
            return self._weighed
        if not self.terms or not self.index.available:
            self._weighed = {}
            return self._weighed
        passages = max(1, self.index.passages_with(self.document))
        weights = {}
        for term in self.terms:
            holding = self.index.passages_with(self.document, term)
            weights[term] = math.log(1 + (passages - holding + 0.5) / (holding + 0.5))
        self._weighed = weights
        return weights


def _holds(text: str, term: str) -> bool:
    """Whether a passage holds a term as FTS5's porter stemmer would match it (close enough: a word starting
    with the term's stem)."""
    if is_cjk(term[0]):
        return term in text
    stem = term if len(term) <= 4 else term[: max(4, len(term) - 3)]
    return re.search(r"(?<![^\W_])" + re.escape(stem), text, re.IGNORECASE) is not None
