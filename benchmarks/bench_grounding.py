"""Ask's recall and grounding on a generated set, with the real default model (issue 21, part 1).

53 questions (32 English, 21 Chinese), one per fact planted on a known page of 7 long PDFs (30 English pages,
20 Chinese pages each; lines wrapped by the layout, some English words hyphenated by hand, the Chinese in a
non-embedded Adobe-GB1 font): numbers, amounts, dates and names. For each question it records whether the
planted page is cited (recall), whether it was at least offered as a candidate passage, whether the answer
states a number, date or name its cited passages do not (grounding's checker, and independently every digit
run against the cited passages' digits), the time and the model calls. Then the same harbour question read
ranked and thorough (every page), and a few summaries with their flagged sentences.

    .venv/bin/python benchmarks/bench_grounding.py [--quick] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from document_factory import english_paragraphs, grounding_set, write_pdf  # noqa: E402


def load_engine():
    from desktop_app.core.library.registry import ModelRegistry
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

    entry = ModelRegistry().default("chat")
    engine = LlamaEngine()
    engine.load(entry.path, LoadOptions(n_ctx=2048, n_threads=2))
    return engine, entry.name


def digits(text: str) -> set[str]:
    return {d.replace(",", "") for d in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def grounded(result) -> tuple[bool, list[str]]:
    """Every sentence's claims stand in the passages it cites (the checker), and every digit run of the answer
    stands in the cited passages (a cruder check that shares no code with it)."""
    from desktop_app.core.documents.ask import MARKER, answer_sentences
    from desktop_app.core.documents.grounding import Evidence, check_sentence

    passages = {c.number: c.passage for c in result.citations}
    problems = []
    for sentence in answer_sentences(result.answer):
        numbers = [int(n) for n in MARKER.findall(sentence)] or list(passages)
        cited = "\n".join(passages.get(n, "") for n in numbers)
        labels = tuple(c.location.label for c in result.citations) + (result.document,)
        problems += [c.text for c in check_sentence(sentence, Evidence(cited), result.question, labels)]
        stripped = MARKER.sub("", sentence)
        for label in labels:
            stripped = stripped.replace(label, "")
        problems += sorted(digits(stripped) - digits(cited))
    return not problems, problems


def ask_all(engine, questions: list[dict]) -> list[dict]:
    from desktop_app.core.documents.ask import DocumentQuestion
    from desktop_app.core.documents.load import load_document

    documents, rows = {}, []
    for number, item in enumerate(questions, 1):
        document = documents.setdefault(item["path"], load_document(item["path"]))
        result = DocumentQuestion(engine, document, item["question"]).run()
        cited = sorted({c.location.page for c in result.citations if c.location.page})
        offered = sorted({document.page_at(c.passage.start) for c in result.candidates})
        ok, problems = grounded(result)
        row = {
            "document": document.name, "language": item["language"], "question": item["question"],
            "planted_page": item["page"], "cited_pages": cited, "candidate_pages": offered,
            "recalled": item["page"] in cited, "offered": item["page"] in cited + offered,
            "answer": result.answer, "has_answer": "".join(item["answer"].split()) in "".join(result.answer.split()),
            "grounded": ok, "not_in_passages": problems, "removed_sentences": result.unsupported,
            "answer_is_quotes": result.quoted, "seconds": round(result.seconds, 2), "llm_calls": result.llm_calls,
            "read": result.coverage.sentence(),
        }
        rows.append(row)
        print(f"[{number}/{len(questions)}] {'ok ' if row['recalled'] else 'MISS'} {'' if ok else 'UNGROUNDED '}"
              f"{document.name} p{item['page']} cited {cited} {row['seconds']} s: {item['question']} -> "
              f"{result.answer[:120]!r}", flush=True)
    return rows


def ranked_against_thorough(engine, folder: Path) -> dict:
    """The issue's 40-page PDF: page 37 names the harbour master's boat. Ranked reading, then every page."""
    from desktop_app.core.documents.ask import DocumentQuestion
    from desktop_app.core.documents.load import load_document

    texts = english_paragraphs(40, sentences=4)
    texts[36] += " The harbour master's own boat is called Aurelia Seven."
    document = load_document(write_pdf(folder / "harbour-40.pdf", texts))
    question = "What is the harbour master's boat called?"
    out = {}
    for mode, thorough in (("ranked", False), ("thorough", True)):
        result = DocumentQuestion(engine, document, question, thorough=thorough).run()
        out[mode] = {"seconds": round(result.seconds, 1), "llm_calls": result.llm_calls, "read": result.coverage.sentence(),
                     "cited_pages": [c.location.page for c in result.citations], "answer": result.answer}
        print(f"{mode}: {out[mode]}", flush=True)
    return out


def summaries(engine, questions: list[dict], folder: Path) -> list[dict]:
    """Short documents (the first pages of the set's PDFs) summarised; sentences flagged as stating what the
    document does not."""
    from desktop_app.core.documents.load import document_from_text, load_document
    from desktop_app.core.documents.segmenting import sentences
    from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest

    rows = []
    for path in sorted({q["path"] for q in questions})[::3]:
        whole = load_document(path)
        document = document_from_text(whole.text[: whole.page_starts[min(3, len(whole.page_starts) - 1)]], whole.name)
        started = time.perf_counter()
        result = DocumentSummarizer(engine, document, SummaryRequest(length="short")).run()
        total = len(sentences(result.summary))
        rows.append({"document": document.name, "sentences": total, "flagged": len(result.unsupported),
                     "flagged_sentences": [c.to_dict() for c in result.unsupported],
                     "seconds": round(time.perf_counter() - started, 1)})
        print(f"summary of {document.name}: {len(result.unsupported)} of {total} sentence(s) flagged", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one English and one Chinese document (15 questions)")
    parser.add_argument("--json", metavar="OUT", help="also write every row to this JSON file")
    parser.add_argument("--questions-only", action="store_true", help="skip the ranked/thorough comparison and summaries")
    args = parser.parse_args()
    engine, model = load_engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        questions = grounding_set(folder, english=1, chinese=1) if args.quick else grounding_set(folder)
        started = time.perf_counter()
        rows = ask_all(engine, questions)
        elapsed = time.perf_counter() - started
        comparison = {} if args.questions_only else ranked_against_thorough(engine, folder)
        summary_rows = [] if args.questions_only else summaries(engine, questions, folder)
    engine.close()
    report = {"model": model, "questions": len(rows)}
    for language in ("en", "zh", None):
        subset = [r for r in rows if language is None or r["language"] == language]
        if not subset:
            continue
        report[language or "all"] = {
            "questions": len(subset),
            "recall": round(sum(r["recalled"] for r in subset) / len(subset), 3),
            "offered": round(sum(r["offered"] for r in subset) / len(subset), 3),
            "answers_stating_what_their_passages_do_not": sum(not r["grounded"] for r in subset),
            "answers_with_sentences_removed": sum(r["removed_sentences"] > 0 for r in subset),
            "answers_that_are_the_quotes": sum(r["answer_is_quotes"] for r in subset),
            "answers_holding_the_planted_value": sum(r["has_answer"] for r in subset),
            "seconds_per_question": round(sum(r["seconds"] for r in subset) / len(subset), 2),
        }
    report["seconds"] = round(elapsed, 1)
    report["ranked_vs_thorough_40_pages"] = comparison
    report["summaries"] = summary_rows
    print(json.dumps({k: v for k, v in report.items() if k != "summaries"}, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps({**report, "rows": rows}, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
