"""Token-aware chunking along a document's structure.

The text is cut into small units — a heading, a sentence (segmenting: as a
reader sees it, across lines the layout wrapped), a list line — that never end
mid-word; units are packed greedily into chunks of at most
``max_tokens`` as measured by the model's own tokenizer, a heading starts a new
chunk when the current one is already well filled, and each chunk repeats the
last sentence(s) of the previous one (``overlap_tokens``) so a thought cut at a
boundary is seen whole at least once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from desktop_app.core.documents.segmenting import sentence_spans

CountTokens = Callable[[str], int]

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
WORD = re.compile(r"\S+\s*")
HEADING = re.compile(r"#{1,6}[ \t]")
# a heading starts a fresh chunk once the current chunk is this full
HEADING_BREAK_FILL = 0.7


@dataclass(frozen=True)
class Chunk:
    index: int
    text: str
    tokens: int
    start: int  # character offsets into the source text
    end: int
    overlap_chars: int = 0  # leading characters repeated from the previous chunk


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    heading: bool


def chunk_budget(n_ctx: int, prompt_tokens: int, answer_tokens: int, margin: int = 32) -> int:
    """Tokens of document text that fit next to the instructions and the answer."""
    return n_ctx - prompt_tokens - answer_tokens - margin


def split_into_chunks(
    text: str, count_tokens: CountTokens, max_tokens: int, overlap_tokens: int = 0
) -> list[Chunk]:
    if max_tokens < 16:
        raise ValueError(f"chunk size of {max_tokens} tokens is too small to hold a sentence")
    overlap_tokens = max(0, min(overlap_tokens, max_tokens // 4))
    units = list(_units(text, count_tokens, max_tokens))
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = _pack(units, first, max_tokens)
        start, end = units[first].start, units[last - 1].end
        body = text[start:end]
        tokens = count_tokens(body)
        # units were measured one by one; joined they can tokenise a little longer
        while tokens > max_tokens and last - first > 1:
            last -= 1
            end = units[last - 1].end
            body = text[start:end]
            tokens = count_tokens(body)
        previous_end = chunks[-1].end if chunks else start
        chunks.append(Chunk(len(chunks), body, tokens, start, end, max(0, previous_end - start)))
        if last >= len(units):
            break
        first = _overlap_start(units, first, last, overlap_tokens)
    return chunks


def _pack(units: list[_Unit], first: int, max_tokens: int) -> int:
    """One past the last unit that fits, starting at ``first`` (always takes at least one)."""
    total = 0
    index = first
    while index < len(units):
        unit = units[index]
        if index > first and total + unit.tokens > max_tokens:
            break
        if index > first and unit.heading and total >= HEADING_BREAK_FILL * max_tokens:
            break
        total += unit.tokens
        index += 1
    return index


def _overlap_start(units: list[_Unit], first: int, last: int, overlap_tokens: int) -> int:
    """Where the next chunk begins: back from ``last`` by whole units within the overlap."""
    if units[last].heading:
        return last  # a new section needs no run-in from the previous one
    start, carried = last, 0
    while start - 1 > first and not units[start - 1].heading:
        carried += units[start - 1].tokens
        if carried > overlap_tokens:
            break
        start -= 1
    return start


def _units(text: str, count_tokens: CountTokens, max_tokens: int):
    for para_start, para_end in _spans(text, PARAGRAPH_BREAK, 0, len(text)):
        heading = HEADING.match(text, para_start) is not None
        for start, end in _sentence_spans(text, para_start, para_end, heading):
            tokens = count_tokens(text[start:end])
            if tokens <= max_tokens:
                yield _Unit(start, end, tokens, heading and start == para_start)
            else:
                yield from _split_long(text, start, end, count_tokens, max_tokens)


def _sentence_spans(text: str, start: int, end: int, heading: bool):
    if heading:  # a heading line stays whole; text under it on the next lines splits normally
        line_end = text.find("\n", start, end)
        if line_end < 0:
            yield start, end
            return
        yield start, line_end
        start = line_end + 1
    yield from sentence_spans(text, start, end)


def _spans(text: str, separator: re.Pattern, start: int, end: int):
    """Non-blank spans between separator matches, whitespace trimmed."""
    position = start
    for match in separator.finditer(text, start, end):
        yield from _trimmed(text, position, match.start())
        position = match.end()
    yield from _trimmed(text, position, end)


def _trimmed(text: str, start: int, end: int):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _split_long(text: str, start: int, end: int, count_tokens: CountTokens, max_tokens: int):
    """A sentence longer than a chunk: cut between words, or between characters for unspaced scripts."""
    piece_start, piece_tokens = start, 0
    position = start
    for match in WORD.finditer(text, start, end):
        word_tokens = count_tokens(match.group())
        if word_tokens > max_tokens:  # one enormous "word": CJK without spaces, base64, a URL
            if position > piece_start:
                yield _Unit(piece_start, position, count_tokens(text[piece_start:position]), False)
            yield from _split_chars(text, match.start(), match.end(), count_tokens, max_tokens)
            piece_start, piece_tokens = match.end(), 0
        elif piece_tokens + word_tokens > max_tokens and position > piece_start:
            yield _Unit(piece_start, position, count_tokens(text[piece_start:position]), False)
            piece_start, piece_tokens = match.start(), word_tokens
        else:
            piece_tokens += word_tokens
        position = match.end()
    if end > piece_start:
        yield _Unit(piece_start, end, count_tokens(text[piece_start:end]), False)


def _split_chars(text: str, start: int, end: int, count_tokens: CountTokens, max_tokens: int):
    position = start
    while position < end:
        size = min(end - position, max_tokens)  # at least one character per token is a safe first guess
        while size > 1 and count_tokens(text[position : position + size]) > max_tokens:
            size = max(1, size * 3 // 4)
        # grow while it still fits, in quarter steps, to avoid many tiny pieces
        while position + size < end:
            grown = min(end - position, size + max(1, size // 4))
            if count_tokens(text[position : position + grown]) > max_tokens:
                break
            size = grown
        yield _Unit(position, position + size, count_tokens(text[position : position + size]), False)
        position += size
