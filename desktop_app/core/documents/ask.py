"""Ask a question of a whole document: the passages that share its words first, one cited, checked answer.

Find: the question's words rank the document's passages (evidence: BM25 over the Find index), and the best
are offered to the model first, each in a short window of its sentences; once one of the strong passages
yields a quote, reading stops. No passage shares the question's words, or "read every page" (thorough): every
chunk is read too, in document order. Each reading answers with one of the window's or chunk's own sentences
or NONE; a grammar of exactly those sentences constrains the reply, so even a 135M model quotes instead of
inventing; the quote is still checked against the text (citations.find_passage) and dropped, and counted, if
it is not there. Quotes that share no rare word with the question are set aside. A strong passage the model
found nothing in is kept as a candidate and shown, never dropped unseen.
Merge: the kept passages, numbered, go to one call that writes the answer with [n] markers; a marker that
names no passage is removed and counted, and each sentence stating a number, date or name its cited passages
do not state is removed and counted (grounding). Nothing left: the answer is the quotes themselves.
No kept passage: the answer says the document does not answer the question, without a model call.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from desktop_app.core.documents.chunking import Chunk
from desktop_app.core.documents.citations import Citation, Location, find_passage, locate
from desktop_app.core.documents.evidence import STRONG_SHARE, Candidate, PassageRanking
from desktop_app.core.documents.grounding import LIST_MARKER, WORD_SUPPORT, Evidence, check_sentence, word_support
from desktop_app.core.documents.index import DocumentIndex
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
from desktop_app.core.documents.segmenting import HAS_WORD, reader_form, sentence_spans
from desktop_app.core import texts
from desktop_app.core.llm.types import ChatMessage
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.storage.store import MessageStatus, Store, Summary

MAX_QUESTION_CHARS = 2000
MAX_MERGED_FINDINGS = 8
MAX_SENTENCE_CHARS = 600  # a longer "sentence" (a table, a list run together) is quoted by its start
KEEP_SHARE = 0.5  # a finding is kept when it matches at least this share of the best finding's score
# ...and holds at least this share of the question's word weight: "In year 1998 the council spent 34 pounds" is
# no answer to "Who won the 1998 football cup final?" (it holds 0.18 of it in the 40-page test PDF)
KEEP_MIN_STRENGTH = 0.3
WINDOW_SENTENCES = 2  # a passage is offered with this many sentences on either side
WINDOW_CHARS = 1200
MERGE_SAMPLING = SamplingParams(temperature=0.2, top_p=0.9, repeat_penalty=1.15, seed=42)
NONE = "NONE"
MARKER = re.compile(r"\[(\d{1,3})\]")
# an English sentence cut off where its value should stand ("at an estimated cost of [1] and ...", "... for .")
DANGLING = re.compile(r"\b(?:of|at|for|to|by|on|in|the|a|an|is|was|are|were)\s*(?:\[\d{1,3}\]\s*\w|[.!?]?\s*$)",
                      re.IGNORECASE)


class AskError(ReadingError):
    pass


CANDIDATES_NOTE = texts.translate("AskResult", "Passages that share the question's words (the model found no answer in them):")


def removed_note(count: int):
    return texts.translate("AskResult", "{n} sentence(s) of the written answer said what the cited passages do not "
                                        "(a number, date, name or words not in the documents) and were removed").fill(n=count)


@dataclass
class Finding:
    chunk: int  # the chunk it was read in; -1 for a ranked passage's window
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
    unsupported: int = 0  # sentences of the written answer removed: they stated what their passages do not
    quoted: bool = False  # the answer is the passages themselves (the model wrote nothing they support)
    candidates: list[Candidate] = field(default_factory=list)  # strong passages the model found no answer in
    thorough: bool = False  # every page was read

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
            "unsupported_sentences_removed": self.unsupported,
            "answer_is_quotes": self.quoted,
            "thorough": self.thorough,
            "candidates": [{"passage": c.passage.text, "where": c.passage.where, "start": c.passage.start,
                            "strength": round(c.strength, 3)} for c in self.candidates],
        }

    def display_text(self) -> str:
        """The answer with its sources listed under it (history, CLI, export)."""
        lines = [self.answer.strip()]
        if self.citations:
            lines.append("")
            lines += [f"[{c.number}] {c.location.label}: {c.passage}" for c in self.citations]
        if self.candidates:
            lines += ["", str(CANDIDATES_NOTE)]
            lines += [f"- {c.passage.where}: {reader_form(c.passage.text)}" for c in self.candidates]
        notes = [self.coverage.sentence()]
        if self.unsupported:
            notes.append(str(removed_note(self.unsupported)))
        lines += ["", ". ".join(notes) + "."]
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
                 max_chunk_tokens: int = DEFAULT_CHUNK_TOKENS, thorough: bool = False,
                 index: DocumentIndex | None = None):
        """``thorough``: read every chunk, not only the passages that share the question's words; ``index``: a
        Find index holding the document (else a private one is built for the question)."""
        self.engine, self.document = engine, document
        self.question = check_question(question)
        self.prompts = prompts_for(language, document.language)
        self.max_chunk_tokens = max_chunk_tokens
        self.thorough = thorough
        self.index = index
        self._chunks: list[Chunk] | None = None
        self._ranking: PassageRanking | None = None

    def chunks(self) -> list[Chunk]:
        if self._chunks is None:
            probe = self._map_messages(" ", "pages 999-999")
            self._chunks = plan_chunks(self.engine, self.document, probe, self._answer_tokens(), self.max_chunk_tokens)
        return self._chunks

    def _answer_tokens(self) -> int:
        return self.engine.count_tokens("x" * MAX_SENTENCE_CHARS) // 2 + 16

    def estimate(self, speed) -> JobEstimate:
        """Tokens, parts and time before anything is read: the strong passages' windows and the merge, or (thorough,
        or no passage shares the question's words) every chunk, from sampled tokens, then the merge."""
        probe = self._map_messages(" ", "pages 999-999")
        full = estimate_reading(self.engine, self.document, "ask", probe, self._answer_tokens(), speed,
                                self.max_chunk_tokens, extra_calls=1)
        candidates = [] if self.thorough else self.ranking().candidates()
        if not any(c.strong for c in candidates):
            return full
        overhead = len(self.engine.tokenize(self.engine.render(probe), special=True))
        tokens = sum(self.engine.count_tokens(self.document.text[slice(*self._window(c.passage.start, c.passage.end))])
                     for c in candidates)
        calls = len(candidates) + 1
        seconds = (tokens + overhead * calls) / speed.prompt_tps + calls * self._answer_tokens() * 0.7 / speed.decode_tps
        return JobEstimate(self.document.name, "ask", tokens, len(candidates), seconds, speed.measured)

    def ranking(self) -> PassageRanking:
        """The document's passages ranked for the question (indexed once, kept until the run ends)."""
        if self._ranking is None:
            self._ranking = PassageRanking(self.document, self.question, self.index)
        return self._ranking

    def _map_messages(self, text: str, where: str) -> list[ChatMessage]:
        user = self.prompts.ask_map(self.document.name, where, self.question, text)
        return [ChatMessage("system", self.prompts.ask_system), ChatMessage("user", user)]

    def run(self, on_text=None, on_progress=None, cancel: threading.Event | None = None,
            on_finding=None) -> AskResult:
        try:
            return self._run(self.ranking(), on_text, on_progress, cancel or threading.Event(), on_finding)
        finally:
            self.ranking().close()
            self._ranking = None

    def _run(self, ranking: PassageRanking, on_text, on_progress, cancel, on_finding) -> AskResult:
        chunks = self.chunks()
        candidates = ranking.candidates()
        strong = [c for c in candidates if c.strong]
        read_all = self.thorough or not strong
        state = ChunkPass(self.engine, self.document, chunks, cancel, on_progress, extra_calls=1)
        state.planned_calls = len(candidates) + (len(chunks) if read_all else 0) + 1
        findings: list[Finding] = []
        kept: list[Finding] = []
        dropped = 0
        answer, citations, answered, unsupported, quoted = "", [], True, 0, False

        def found(finding: Finding | None, failed: int) -> None:
            nonlocal dropped
            dropped += failed
            if finding is not None and all(f.start != finding.start for f in findings):
                finding.score = ranking.strength(finding.passage)
                findings.append(finding)
                if on_finding is not None:
                    on_finding(finding)
            state.report()

        try:
            state.report()
            for candidate in candidates:
                finding, failed = self._read_window(state, candidate)
                found(finding, failed)
                if not read_all and finding is not None and candidate.strong and finding.score >= STRONG_SHARE:
                    break  # the answer, in a passage holding the question's rarer words: enough read
            if read_all:
                for chunk in chunks:
                    found(*self._read(state, chunk))
                    state.chunks_read += 1
                    state.read_spans.append((chunk.start, chunk.end))
            kept = _keep(findings)
            if not kept:
                answered = False
                answer = self._not_found(state.coverage(), bool(strong))
                if on_text is not None:
                    on_text(answer)
            else:
                answer, citations, bad, unsupported, quoted = self._merge(state, kept, on_text)
                dropped += bad
            state.report()
        except Cancelled:
            pass
        # a strong passage no kept quote came from is shown, not dropped unseen
        covered = [(f.location.start, f.location.end) for f in (kept if not state.cancelled else findings)]
        shown = [ranking.focused(c) for c in strong if not any(a < c.passage.end and c.passage.start < b for a, b in covered)]
        return AskResult(
            document=self.document.name,
            question=self.question,
            answer=answer,
            citations=citations,
            findings=sorted(findings, key=lambda f: f.start),
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
            unsupported=unsupported,
            quoted=quoted,
            candidates=shown,
            thorough=read_all,
        )

    # reading

    def _read_window(self, state: ChunkPass, candidate: Candidate) -> tuple[Finding | None, int]:
        """A ranked passage with a few sentences around it, read with the question."""
        start, end = self._window(candidate.passage.start, candidate.passage.end)
        state.read_spans.append((start, end))
        where = locate(self.document, start, end).label
        return self._quote(state, start, end, where, -1)

    def _window(self, start: int, end: int) -> tuple[int, int]:
        text = self.document.text
        spans = sentence_spans(text, max(0, start - WINDOW_CHARS // 2), min(len(text), end + WINDOW_CHARS // 2))
        inside = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
        if not inside:
            return start, end
        first, last = max(0, inside[0] - WINDOW_SENTENCES), min(len(spans) - 1, inside[-1] + WINDOW_SENTENCES)
        return spans[first][0], spans[last][1]

    def _read(self, state: ChunkPass, chunk: Chunk) -> tuple[Finding | None, int]:
        """The chunk's verified quote (or None), and 1 when a quote failed verification."""
        return self._quote(state, chunk.start, chunk.end, chunk_where(self.document, chunk), chunk.index)

    def _quote(self, state: ChunkPass, start: int, end: int, where: str, chunk: int) -> tuple[Finding | None, int]:
        """The model's choice among the text's sentences that hold enough of the question's words to be kept, or
        NONE; no call where no sentence does (nothing in it could answer)."""
        text = self.document.text[start:end]
        ranking = self.ranking()
        sentences = [s for s in _sentences(text) if ranking.strength(s) >= KEEP_MIN_STRENGTH]
        if not sentences:
            return None, 0
        grammar = "root ::= " + " | ".join([gbnf_literal(NONE)] + [gbnf_literal(s) for s in sentences])
        longest = max(self.engine.count_tokens(s) for s in sentences)
        reply = state.call(self._map_messages(reader_form(text), where), longest + 8, grammar=grammar)
        if not reply or reply.upper().startswith(NONE):
            return None, 0
        span = find_passage(text, reply, offset=start)
        if span is None:
            return None, 1
        location = locate(self.document, *span)
        return Finding(chunk, location, reader_form(self.document.text[span[0]:span[1]])), 0

    # merge

    def _merge(self, state: ChunkPass, kept: list[Finding], on_text) -> tuple[str, list[Citation], int, int, bool]:
        """The written answer, its citations, bad markers, sentences removed as unsupported, and whether the
        answer is the quotes themselves."""
        numbered = [(n, f.where, f.passage) for n, f in enumerate(kept, 1)]
        user = self.prompts.ask_merge(self.question, numbered)
        messages = [ChatMessage("system", self.prompts.ask_system), ChatMessage("user", user)]
        n_ctx = self.engine.info.n_ctx
        prompt_tokens = len(self.engine.tokenize(self.engine.render(messages), special=True))
        if prompt_tokens > n_ctx * 3 // 4 and len(numbered) > 1:  # passages too long together: drop the weakest
            kept = sorted(sorted(kept, key=lambda f: -f.score)[:-1], key=lambda f: f.start)
            return self._merge(state, kept, on_text)
        text = state.call(messages, min(256, n_ctx - prompt_tokens - 8), sampling=MERGE_SAMPLING)
        text, bad = _drop_bad_markers(text, len(kept))
        text, unsupported = ground_answer(text, kept, self.question, self.document.name)
        quoted = not text
        if quoted:
            text = quotes_answer(kept)
        if on_text is not None:
            on_text(text)
        text, citations = _cite(text, kept, self.document.name)
        return text, citations, bad, unsupported, quoted

    def _not_found(self, coverage: Coverage, candidates: bool) -> str:
        if self.prompts.language == "zh":
            text = f"《{self.document.name}》中没有回答这个问题的内容（已读 {coverage.read}/{coverage.total}）。"
            return text + ("下面列出与问题用词相同的段落。" if candidates else "")
        text = f"{self.document.name} does not answer this question ({coverage.sentence().lower()})."
        return text + (" The passages below share its words." if candidates else "")


def _keep(findings: list[Finding]) -> list[Finding]:
    """Findings that share the question's rarer words, best first up to the merge's limit, in document order."""
    best = max((f.score for f in findings), default=0.0)
    if best < KEEP_MIN_STRENGTH:
        return []
    kept = [f for f in findings if f.score >= max(KEEP_SHARE * best, KEEP_MIN_STRENGTH)]
    kept = sorted(kept, key=lambda f: -f.score)[:MAX_MERGED_FINDINGS]
    return sorted(kept, key=lambda f: f.start)


def _drop_bad_markers(text: str, passages: int) -> tuple[str, int]:
    """[n] markers kept only where n names a passage; the count of those removed."""
    bad = 0

    def check(match: re.Match) -> str:
        nonlocal bad
        if 1 <= int(match.group(1)) <= passages:
            return match.group(0)
        bad += 1
        return ""

    return MARKER.sub(check, text).strip(), bad


def answer_sentences(text: str) -> list[str]:
    """The answer's sentences, each with the [n] markers written after its full stop."""
    sentences: list[str] = []
    for start, end in sentence_spans(text):
        sentence = reader_form(text[start:end])
        leading = re.match(r"(?:\s*\[\d{1,3}\])+", sentence)
        if leading and sentences:
            sentences[-1] += leading.group(0)
            sentence = sentence[leading.end():].strip()
        if sentence:
            sentences.append(sentence)
    return sentences


def ground_answer(text: str, kept: list[Finding], question: str, document: str) -> tuple[str, int]:
    """The answer without the sentences that state a number, date or name their cited passages do not, or that
    take less than WORD_SUPPORT of their words from them (a sentence without a marker answers to every passage
    the answer cites), each sentence once; and how many were removed."""
    sentences = answer_sentences(text)
    cited_anywhere = sorted({int(n) for n in MARKER.findall(text)}) or list(range(1, len(kept) + 1))
    labels = tuple(f.where for f in kept) + (document, "page", "pages", "passage", "passages")
    kept_sentences, removed = [], 0
    for sentence in sentences:
        numbers = [int(n) for n in MARKER.findall(sentence)] or cited_anywhere
        evidence = Evidence("\n".join(kept[n - 1].passage for n in numbers))
        bare = MARKER.sub("", sentence).strip()
        if any(MARKER.sub("", s).strip() == bare for s in kept_sentences):
            continue  # a small model repeats itself
        if check_sentence(sentence, evidence, question, labels) or word_support(sentence, evidence, question) < WORD_SUPPORT \
                or DANGLING.search(MARKER.sub(lambda m: m.group(0) if m.end() < len(sentence.rstrip(" .")) else "", sentence)):
            removed += 1
        elif HAS_WORD.search(bare):  # not a lone full stop or colon
            kept_sentences.append(LIST_MARKER.sub("", sentence))  # "1. " numbers a list the answer is not
    return " ".join(kept_sentences).strip(), removed


def quotes_answer(kept: list[Finding]) -> str:
    """The passages themselves, each with its marker: the answer when nothing written holds up."""
    return " ".join(f"“{f.passage}” [{n}]" for n, f in enumerate(kept, 1))


def _cite(text: str, kept: list[Finding], document: str) -> tuple[str, list[Citation]]:
    """The citations the answer's markers name; an answer with none cites every passage it was given."""
    used = sorted({int(n) for n in MARKER.findall(text)})
    if not used:
        used = list(range(1, len(kept) + 1))
        text = (f"{text} " if text else "") + "".join(f"[{n}]" for n in used)
    return text, [Citation(n, document, kept[n - 1].location, kept[n - 1].passage) for n in used]


def _sentences(text: str) -> list[str]:
    """The text's sentences as a reader quotes them (the grammar's choices), each once."""
    seen, out = set(), []
    for start, end in sentence_spans(text):
        sentence = reader_form(text[start:end])[:MAX_SENTENCE_CHARS].strip()
        if len(sentence) >= 3 and sentence not in seen:
            seen.add(sentence)
            out.append(sentence)
    return out
