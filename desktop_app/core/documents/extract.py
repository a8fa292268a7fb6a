"""Extract named fields from a whole document: one row, each cell cited or left empty.

Every chunk is read with the field list under a JSON-schema grammar (llama.cpp's
json_schema_to_gbnf), so even the small default model returns a valid object:
each field a string or null. A value is kept only if it stands in that chunk's
text (case and whitespace aside) and is then shown as the document writes it,
with the page, heading or lines it came from; a value not found in its chunk is
dropped and counted, never shown. The first chunk, in document order, that
gives a field a verified value fills that cell.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass

from desktop_app.core.documents.chunking import Chunk
from desktop_app.core.documents.citations import Location, locate, sentence_spans
from desktop_app.core.documents.load import Document
from desktop_app.core.documents.prompts import prompts_for
from desktop_app.core.documents.reading import (
    DEFAULT_CHUNK_TOKENS,
    Cancelled,
    ChunkPass,
    Coverage,
    ReadingError,
    estimate_reading,
    gbnf_literal,
    plan_chunks,
)
from desktop_app.core.documents.estimate import JobEstimate
from desktop_app.core.llm.types import ChatMessage

MAX_FIELDS = 50
MAX_FIELD_CHARS = 60
FIELD_SEPARATORS = re.compile(r"[,;\n，；、]+")


class ExtractError(ReadingError):
    pass


def parse_fields(text: str | list[str]) -> list[str]:
    """'party, start date; end date' -> ['party', 'start date', 'end date'], with the limits checked."""
    raw = text if isinstance(text, list) else FIELD_SEPARATORS.split(text or "")
    fields: list[str] = []
    for name in raw:
        name = " ".join(name.split())
        if name and name.lower() not in (f.lower() for f in fields):
            fields.append(name)
    if not fields:
        raise ExtractError("No fields to extract. Name them separated by commas, e.g. \"party, start date, amount\".")
    if len(fields) > MAX_FIELDS:
        raise ExtractError(
            f"{len(fields)} fields is more than one extraction can fill (the limit is {MAX_FIELDS}); "
            "split them into several extractions."
        )
    long = next((f for f in fields if len(f) > MAX_FIELD_CHARS), None)
    if long:
        raise ExtractError(f"The field name \"{long[:40]}…\" is longer than {MAX_FIELD_CHARS} characters; shorten it.")
    return fields


# A field named like a sum of money may only be one of the sums the chunk itself writes (or null):
# the grammar lists them, so the model chooses and the copy is exact by construction. The 135M
# default otherwise wrote "90 days written notice", or "75.15" for "EUR 75,159.00".
MONEY_WORDS = ("amount", "fee", "price", "total", "cost", "sum", "payment", "salary", "rent", "金额", "费用", "价格", "总额", "租金")
MONEY_IN_TEXT = re.compile(r"(?:\b[A-Z]{3} ?|[€$£¥] ?)?(?<![\w.,-])\d(?:[\d,.]*\d)?(?![\w-])")
MAX_CHOICES = 200


def is_money(field: str) -> bool:
    words = field.lower()
    return any(w in words for w in MONEY_WORDS)


def money_in(text: str) -> list[str]:
    """The sums and figures a text writes ("EUR 75,159.00", "$12", "1200"), each once, in order; a sum
    with its currency also as the bare figure, the form a small model starts to copy."""
    found: dict[str, None] = {}
    for match in MONEY_IN_TEXT.finditer(text):
        value = match.group().strip()
        found[value] = None
        found[value.lstrip("€$£¥").split(" ")[-1]] = None
    return list(found)[:MAX_CHOICES]


def fields_schema(fields: list[str], text: str = "") -> dict:
    # no maxLength: its grammar nests 120 optional rules and made each token 2.3x dearer to check
    # (11.5 s against 4.9 s of CPU for one 55-token row); the answer's token limit bounds values instead
    free = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    sums = money_in(text)
    money = {"enum": [*sums, None]} if sums else {"type": "null"}
    return {
        "type": "object",
        "properties": {name: money if is_money(name) else free for name in fields},
        "required": list(fields),
        "additionalProperties": False,
    }


def fields_grammar(fields: list[str], text: str = "") -> str:
    """The GBNF a reply for ``text`` (one chunk) must match.

    The schema converter sees placeholder keys only: it reads a property named "$ref" as a reference and writes
    a name's backslashes into the grammar unescaped. Each placeholder's key literal is then replaced by the
    field's own JSON key, escaped for GBNF here (quotes, braces, backslashes, any script).
    """
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    keys = [f"field{i}" for i in range(len(fields))]
    schema = fields_schema(fields, text)
    schema["properties"] = {key: schema["properties"][name] for key, name in zip(keys, fields)}
    schema["required"] = keys
    grammar = json_schema_to_gbnf(json.dumps(schema), prop_order=keys)
    for key, name in zip(keys, fields):
        placeholder = gbnf_literal(json.dumps(key))
        if grammar.count(placeholder) != 1:
            raise RuntimeError(f"the schema converter wrote the key {key} {grammar.count(placeholder)} times")
        grammar = grammar.replace(placeholder, gbnf_literal(json.dumps(name, ensure_ascii=False)))
    return grammar


@dataclass
class Cell:
    value: str  # as the document writes it; "" when the document does not say
    location: Location | None = None
    passage: str = ""  # the sentence the value stands in

    def to_dict(self) -> dict:
        return {"value": self.value, "location": self.location.label if self.location else "", "passage": self.passage}


@dataclass
class ExtractionRow:
    document: str
    fields: list[str]
    cells: dict[str, Cell]
    coverage: Coverage | None = None
    error: str = ""  # a file that could not be read: the reason, and no cells
    dropped_values: int = 0  # values the model gave that are not in the chunk it read
    cancelled: bool = False
    seconds: float = 0.0
    llm_calls: int = 0
    path: str = ""

    @property
    def all_found_early(self) -> bool:
        """Every field was filled before the last chunk, so reading stopped there."""
        return bool(self.coverage) and not self.cancelled and not self.error and self.coverage.read < self.coverage.total

    def read_text(self) -> str:
        """"Read 3 of 3 pages", or "Read 2 of 9 pages (every field found)": never a silent skip."""
        if self.coverage is None:
            return ""
        return self.coverage.sentence() + (" (every field found)" if self.all_found_early else "")

    def value(self, name: str) -> str:
        cell = self.cells.get(name)
        return cell.value if cell else ""

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "path": self.path,
            "error": self.error,
            "cells": {name: self.cells.get(name, Cell("")).to_dict() for name in self.fields},
            "read": self.read_text(),
            "dropped_values": self.dropped_values,
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "llm_calls": self.llm_calls,
        }


class DocumentExtraction:
    """The named fields pulled out of one document with one loaded engine."""

    def __init__(self, engine, document: Document, fields: str | list[str], language: str = "auto",
                 max_chunk_tokens: int = DEFAULT_CHUNK_TOKENS):
        self.engine, self.document = engine, document
        self.fields = parse_fields(fields)
        self.prompts = prompts_for(language, document.language)
        self.max_chunk_tokens = max_chunk_tokens
        self._chunks: list[Chunk] | None = None

    def _answer_tokens(self) -> int:
        # every key, quotes and punctuation, and values mostly far shorter than their limit
        keys = sum(self.engine.count_tokens(f'"{f}": ') + 4 for f in self.fields)
        return min(keys + 24 * len(self.fields) + 8, 1024)

    def _messages(self, text: str) -> list[ChatMessage]:
        user = self.prompts.extract(self.document.name, self.fields, text)
        return [ChatMessage("system", self.prompts.extract_system), ChatMessage("user", user)]

    def estimate(self, speed) -> JobEstimate:
        """Sampled tokens, parts and time to read every chunk (reading stops early once every field is found)."""
        return estimate_reading(self.engine, self.document, "extract", self._messages(" "), self._answer_tokens(), speed,
                                self.max_chunk_tokens)

    def chunks(self) -> list[Chunk]:
        if self._chunks is None:
            self._chunks = plan_chunks(
                self.engine, self.document, self._messages(" "), self._answer_tokens(), self.max_chunk_tokens
            )
        return self._chunks

    def run(self, on_progress=None, cancel: threading.Event | None = None) -> ExtractionRow:
        chunks = self.chunks()
        state = ChunkPass(self.engine, self.document, chunks, cancel or threading.Event(), on_progress)
        cells: dict[str, Cell] = {}
        dropped = 0
        try:
            state.report()
            for chunk in chunks:
                if len(cells) == len(self.fields):
                    break  # every cell is filled: the rest cannot change the row (the first value wins)
                grammar = fields_grammar(self.fields, chunk.text)
                reply = state.call(self._messages(chunk.text), self._answer_tokens(), grammar=grammar)
                dropped += self._fill(cells, _parse_reply(reply), chunk)
                state.chunks_read += 1
                state.report()
        except Cancelled:
            pass
        return ExtractionRow(
            document=self.document.name,
            fields=self.fields,
            cells={name: cells.get(name, Cell("")) for name in self.fields},
            coverage=state.coverage(),
            dropped_values=dropped,
            cancelled=state.cancelled,
            seconds=state.seconds,
            llm_calls=state.calls,
            path=str(self.document.path or ""),
        )

    def _fill(self, cells: dict[str, Cell], values: dict, chunk: Chunk) -> int:
        dropped = 0
        for name in self.fields:
            value = values.get(name)
            if name in cells or not isinstance(value, str) or not value.strip():
                continue
            span = _find_value(chunk.text, value)
            if span is None:
                dropped += 1
                continue
            start, end = span[0] + chunk.start, span[1] + chunk.start
            sentence = _sentence_around(self.document.text, start, end)
            cells[name] = Cell(self.document.text[start:end], locate(self.document, start, end), sentence)
        return dropped


def _parse_reply(reply: str) -> dict:
    try:
        values = json.loads(reply)
    except ValueError:
        return {}  # cut off at the token limit: nothing from this chunk
    return values if isinstance(values, dict) else {}


def _find_value(text: str, value: str) -> tuple[int, int] | None:
    parts = [re.escape(p) for p in value.strip().strip("\"'").split()]
    if not parts:
        return None
    pattern = r"\s+".join(parts)
    # a value is a whole token run: "12" must not match inside "2012"
    match = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)
    if match is None:
        match = re.search(pattern, text, re.IGNORECASE) if len(value.strip()) >= 4 else None
    return match.span() if match else None


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(0, start - 300)
    for a, b in sentence_spans(text[left : end + 300]):
        if a + left <= start and b + left >= end:
            return text[a + left : b + left]
    return text[start:end]
