"""Ask a question of a whole document: every chunk read with the question, one cited answer.

Map: each chunk is read with the question and answers with one of its own
sentences or NONE. A grammar of exactly those sentences constrains the reply,
so even a 135M model quotes instead of inventing; the quote is still checked
against the chunk (citations.find_passage) and dropped, and counted, if it is
not there. Quotes that share no rare word with the question are set aside
(small models always pick some sentence). Merge: the kept passages, numbered,
go to one streamed call that writes the answer with [n] markers; a marker that
names no passage is removed and counted. No kept passage: the answer says the
document does not answer the question, without a model call.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from desktop_app.core.documents.chunking import Chunk
from desktop_app.core.documents.citations import WORDS, Citation, Location, find_passage, locate, sentence_spans
from desktop_app.core.documents.load import Document
from desktop_app.core.documents.prompts import prompts_for
from desktop_app.core.documents.reading import (
    DEFAULT_CHUNK_TOKENS,
    Cancelled,
    ChunkPass,
    Coverage,
    ReadingError,
    chunk_where,
    estimate_reading,
    gbnf_literal,
    plan_chunks,
)
from desktop_app.core.documents.estimate import JobEstimate
from desktop_app.core.llm.types import ChatMessage
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.storage.store import MessageStatus, Store, Summary

MAX_QUESTION_CHARS = 2000
MAX_MERGED_FINDINGS = 8
MAX_SENTENCE_CHARS = 600  # a longer "sentence" (a table, a list run together) is quoted by its start
KEEP_SHARE = 0.5  # a finding is kept when it matches at least this share of the best finding's score
MERGE_SAMPLING = SamplingParams(temperature=0.2, top_p=0.9, repeat_penalty=1.15, seed=42)
NONE = "NONE"
MARKER = re.compile(r"\[(\d{1,3})\]")
STOPWORDS = set(
    "a an and are as at be by can could did do does for from had has have how i in is it its of on or "
    "said the their there this to was were what when where which who whom whose why will with would "
    "document documents text say says mention mentioned tell about any all".split()
) | set("的是了在和有吗呢什么哪谁为何怎么多少几这那个文档中")


class AskError(ReadingError):
    pass


@dataclass
class Finding:
    chunk: int
    location: Location  # of the passage itself, not of its chunk
    passage: str
    score: float = 0.0

    @property
    def where(self) -> str:
        return self.location.label

    @property
    def start(self) -> int:
        return self.location.start


@dataclass
class AskResult:
    document: str
    question: str
    answer: str
    citations: list[Citation]
    findings: list[Finding]  # every verified finding, in document order, kept or not
    coverage: Coverage
    chunks: int
    chunks_read: int
    dropped_citations: int  # quotes not found in their chunk, and [n] markers naming no passage
    cancelled: bool
    seconds: float
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    language: str
    answered: bool = True  # False: no passage of the document answers the question

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "citations": [c.to_dict() for c in self.citations],
            "read": self.coverage.sentence(),
            "pages_or_parts_read": self.coverage.read,
            "pages_or_parts_total": self.coverage.total,
            "unit": self.coverage.unit,
            "chunks": self.chunks,
            "chunks_read": self.chunks_read,
            "dropped_citations": self.dropped_citations,
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
            "llm_calls": self.llm_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "language": self.language,
        }

    def display_text(self) -> str:
        """The answer with its sources listed under it (history, CLI, export)."""
        lines = [self.answer.strip()]
        if self.citations:
            lines.append("")
            lines += [f"[{c.number}] {c.location.label}: {c.passage}" for c in self.citations]
        lines += ["", self.coverage.sentence() + "."]
        return "\n".join(lines)


def save_answer(store: Store, result: AskResult, model: str, source_path: str = "") -> Summary:
    """Keep an answer in the Documents history (beside summaries), with its sources and what was read."""
    stats = {k: v for k, v in result.to_dict().items() if k not in ("answer", "citations", "question")}
    return store.add_summary(
        result.document,
        result.display_text(),
        source_path=source_path,
        model=model,
        settings={"question": result.question},
        status=MessageStatus.CANCELLED if result.cancelled else MessageStatus.DONE,
        stats=stats,
    )


def check_question(question: str) -> str:
    question = " ".join((question or "").split())
    if not question:
        raise AskError("The question is empty. Type what you want to know about the document.")
    if len(question) > MAX_QUESTION_CHARS:
        raise AskError(
            f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}. Shorten it."
        )
    return question


class DocumentQuestion:
    """One question asked of one document with one loaded engine."""

    def __init__(self, engine, document: Document, question: str, language: str = "auto",
                 max_chunk_tokens: int = DEFAULT_CHUNK_TOKENS):
        self.engine, self.document = engine, document
        self.question = check_question(question)
        self.prompts = prompts_for(language, document.language)
        self.max_chunk_tokens = max_chunk_tokens
        self._chunks: list[Chunk] | None = None

    def chunks(self) -> list[Chunk]:
        if self._chunks is None:
            probe = self._map_messages(" ", "pages 999-999")
            self._chunks = plan_chunks(self.engine, self.document, probe, self._answer_tokens(), self.max_chunk_tokens)
        return self._chunks

    def _answer_tokens(self) -> int:
        return self.engine.count_tokens("x" * MAX_SENTENCE_CHARS) // 2 + 16

    def estimate(self, speed) -> JobEstimate:
        """Sampled tokens, parts and time (every chunk, then the merge) before anything is planned or read."""
        return estimate_reading(self.engine, self.document, "ask", self._map_messages(" ", "pages 999-999"),
                                self._answer_tokens(), speed, self.max_chunk_tokens, extra_calls=1)

    def _map_messages(self, text: str, where: str) -> list[ChatMessage]:
        user = self.prompts.ask_map(self.document.name, where, self.question, text)
        return [ChatMessage("system", self.prompts.ask_system), ChatMessage("user", user)]

    def run(self, on_text=None, on_progress=None, cancel: threading.Event | None = None,
            on_finding=None) -> AskResult:
        chunks = self.chunks()
        state = ChunkPass(self.engine, self.document, chunks, cancel or threading.Event(), on_progress, extra_calls=1)
        findings: list[Finding] = []
        dropped = 0
        answer, citations, answered = "", [], True
        try:
            state.report()
            for chunk in chunks:
                finding, failed = self._read(state, chunk)
                dropped += failed
                state.chunks_read += 1
                if finding is not None:
                    findings.append(finding)
                    if on_finding is not None:
                        on_finding(finding)
                state.report()
            kept = self._keep(findings, chunks)
            if not kept:
                answered = False
                answer = self._not_found(state.coverage())
                if on_text is not None:
                    on_text(answer)
            else:
                answer, citations, bad = self._merge(state, kept, on_text)
                dropped += bad
            state.report()
        except Cancelled:
            pass
        return AskResult(
            document=self.document.name,
            question=self.question,
            answer=answer,
            citations=citations,
            findings=findings,
            coverage=state.coverage(),
            chunks=len(chunks),
            chunks_read=state.chunks_read,
            dropped_citations=dropped,
            cancelled=state.cancelled,
            seconds=state.seconds,
            llm_calls=state.calls,
            prompt_tokens=state.prompt_tokens,
            completion_tokens=state.completion_tokens,
            language=self.prompts.language,
            answered=answered and not state.cancelled,
        )

    # map

    def _read(self, state: ChunkPass, chunk: Chunk) -> tuple[Finding | None, int]:
        """The chunk's verified quote (or None), and 1 when a quote failed verification."""
        sentences = _sentences(chunk.text)
        if not sentences:
            return None, 0
        grammar = "root ::= " + " | ".join([gbnf_literal(NONE)] + [gbnf_literal(s) for s in sentences])
        longest = max(self.engine.count_tokens(s) for s in sentences)
        where = chunk_where(self.document, chunk)
        reply = state.call(self._map_messages(chunk.text, where), longest + 8, grammar=grammar)
        if not reply or reply.upper().startswith(NONE):
            return None, 0
        span = find_passage(chunk.text, reply, offset=chunk.start)
        if span is None:
            return None, 1
        start, end = span
        location = locate(self.document, start, end)
        return Finding(chunk.index, location, self.document.text[start:end]), 0

    def _keep(self, findings: list[Finding], chunks: list[Chunk]) -> list[Finding]:
        """Findings that share the question's rarer words, best first up to the merge's limit, in document order."""
        wanted = _content_words(self.question)
        if not wanted:
            return findings[:MAX_MERGED_FINDINGS]
        chunk_words = [_content_words(c.text) for c in chunks]
        idf = {w: math.log(1 + len(chunks) / (1 + sum(w in words for words in chunk_words))) for w in wanted}
        for finding in findings:
            finding.score = sum(idf[w] for w in wanted & _content_words(finding.passage))
        best = max((f.score for f in findings), default=0.0)
        if best <= 0:
            return []
        kept = [f for f in findings if f.score >= KEEP_SHARE * best]
        kept = sorted(kept, key=lambda f: -f.score)[:MAX_MERGED_FINDINGS]
        return sorted(kept, key=lambda f: f.start)

    # merge

    def _merge(self, state: ChunkPass, kept: list[Finding], on_text) -> tuple[str, list[Citation], int]:
        numbered = [(n, f.where, f.passage) for n, f in enumerate(kept, 1)]
        user = self.prompts.ask_merge(self.question, numbered)
        messages = [ChatMessage("system", self.prompts.ask_system), ChatMessage("user", user)]
        n_ctx = self.engine.info.n_ctx
        prompt_tokens = len(self.engine.tokenize(self.engine.render(messages), special=True))
        if prompt_tokens > n_ctx * 3 // 4 and len(numbered) > 1:  # passages too long together: drop the weakest
            kept = sorted(sorted(kept, key=lambda f: -f.score)[:-1], key=lambda f: f.start)
            return self._merge(state, kept, on_text)
        text = state.call(messages, min(256, n_ctx - prompt_tokens - 8), on_text=on_text, sampling=MERGE_SAMPLING)
        return _resolve_markers(text, kept, self.document.name)

    def _not_found(self, coverage: Coverage) -> str:
        if self.prompts.language == "zh":
            return f"《{self.document.name}》中没有回答这个问题的内容（已读 {coverage.read}/{coverage.total}）。"
        return f"{self.document.name} does not answer this question ({coverage.sentence().lower()})."


def _resolve_markers(text: str, kept: list[Finding], document: str) -> tuple[str, list[Citation], int]:
    """[n] markers kept only where n names a passage; an answer with none cites every passage it was given."""
    bad = 0
    used: list[int] = []

    def check(match: re.Match) -> str:
        nonlocal bad
        number = int(match.group(1))
        if 1 <= number <= len(kept):
            if number not in used:
                used.append(number)
            return match.group(0)
        bad += 1
        return ""

    text = MARKER.sub(check, text).strip()
    if not used:
        used = list(range(1, len(kept) + 1))
        text = f"{text} " + "".join(f"[{n}]" for n in used) if text else "".join(f"[{n}]" for n in used)
    citations = [Citation(n, document, kept[n - 1].location, kept[n - 1].passage) for n in sorted(used)]
    return text, citations, bad


def _sentences(text: str) -> list[str]:
    seen, out = set(), []
    for start, end in sentence_spans(text):
        sentence = text[start:end][:MAX_SENTENCE_CHARS].strip()
        if len(sentence) >= 3 and sentence not in seen:
            seen.add(sentence)
            out.append(sentence)
    return out


def _content_words(text: str) -> set[str]:
    words = set()
    for word in WORDS.findall(text.lower()):
        if any("\u4e00" <= c <= "\u9fff" for c in word):
            words |= {c for c in word if c not in STOPWORDS}
        elif word not in STOPWORDS and (len(word) > 2 or word.isdigit()):
            words.add(word)
    return words
