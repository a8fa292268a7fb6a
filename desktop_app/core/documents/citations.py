"""Where a passage sits in its document, and whether a quoted passage really is in a chunk.

A citation is only shown after its passage was found in the text of the chunk it
claims: exactly (whitespace and case aside), or as the chunk's sentence that
holds nearly all of the quote's words. The location then comes from the
passage's own offset, so a chunk spanning pages 36-37 still cites the one page
the passage is on.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from desktop_app.core.documents.load import Document
from desktop_app.core.documents.segmenting import sentence_spans

WORDS = re.compile(r"\w+", re.UNICODE)
# a paraphrased quote is accepted as the sentence holding at least this share of its words
FUZZY_SHARE = 0.8
MIN_QUOTE_CHARS = 3


@dataclass(frozen=True)
class Location:
    kind: str  # "page" (PDF), "section" (a heading), "lines" (plain text) or "part" (anything else)
    label: str  # e.g. "page 37", "Finances", "lines 12-14"
    page: int | None = None
    start: int = 0  # character offsets of the passage in Document.text
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    number: int  # [n] in the answer
    document: str
    location: Location
    passage: str  # the text as it stands in the document

    def to_dict(self) -> dict:
        return {"number": self.number, "document": self.document, "passage": self.passage, **self.location.to_dict()}


def locate(document: Document, start: int, end: int) -> Location:
    """The most precise place a reader can find text[start:end]: its page, heading or lines."""
    page = document.page_at(start)
    if page is not None:
        last = document.page_at(max(start, end - 1)) or page
        label = f"page {page}" if last == page else f"pages {page}-{last}"
        return Location("page", label, page, start, end)
    first_line = document.line_at(start)
    if first_line is not None:
        last_line = document.line_at(max(start, end - 1)) or first_line
        label = f"line {first_line}" if last_line == first_line else f"lines {first_line}-{last_line}"
        return Location("lines", label, None, start, end)
    section = document.section_at(start)
    if section is not None:
        return Location("section", section.title, None, start, end)
    return Location("part", "beginning" if start == 0 else f"character {start}", None, start, end)


def find_passage(text: str, quote: str, offset: int = 0) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` (offsets shifted by ``offset``), or None when it is not there."""
    quote = quote.strip().strip("\"'“”「」")
    if len(quote) < MIN_QUOTE_CHARS:
        return None
    exact = _find_loose(text, quote)
    if exact is not None:
        return exact[0] + offset, exact[1] + offset
    wanted = _words(quote)
    if len(wanted) < 3:
        return None
    best, best_share = None, 0.0
    for start, end in sentence_spans(text):
        have = _words(text[start:end])
        share = len(wanted & have) / len(wanted)
        if share > best_share:
            best, best_share = (start, end), share
    if best is None or best_share < FUZZY_SHARE:
        return None
    return best[0] + offset, best[1] + offset


def _find_loose(text: str, quote: str) -> tuple[int, int] | None:
    """Case-insensitive, any run of whitespace matching any other."""
    parts = [re.escape(p) for p in quote.split()]
    if not parts:
        return None
    match = re.search(r"\s+".join(parts), text, re.IGNORECASE)
    return match.span() if match else None


def _words(text: str) -> set[str]:
    words = {w.lower() for w in WORDS.findall(text)}
    # Chinese has no spaces: its characters count one by one
    return {c for w in words for c in (w if _cjk(w) else [w])}


def _cjk(word: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in word)
