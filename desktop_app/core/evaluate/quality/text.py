"""Text scores for answers and summaries: normalised exact/contains, chrF and BLEU (sacrebleu), ROUGE (rouge-score).

Chinese is scored on characters: rouge-score's default tokenizer keeps only Latin letters and digits (a
Chinese summary would score 0), and a word segmenter (jieba and the like) picks word boundaries from its
own dictionary, so the same text scores differently from one segmenter version to the next; characters
are deterministic and are what Chinese summarisation papers (LCSTS, CLTS) report. BLEU uses sacrebleu's
"zh" tokenizer for Chinese references for the same reason; chrF is on characters for every language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sacrebleu.metrics import BLEU, CHRF

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_SPACE_NEAR_CJK = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) | (?=[\u3400-\u9fff\uf900-\ufaff])")

# Disagreement that asks for a person's look: the answer holds the expected text but reads nothing like
# it, or misses it while sharing most of its characters (a paraphrase, a different number format).
REVIEW_LOW_CHRF = 25.0
REVIEW_HIGH_CHRF = 60.0


def is_chinese(text: str) -> bool:
    """More than a fifth of the letters are CJK characters."""
    letters = [c for c in text if c.isalnum()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) * 5 > len(letters)


def normalise(text: str) -> str:
    """Case, width (full-width digits, letters, punctuation), punctuation and whitespace folded away."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(c)[0] in "PSZ" or c.isspace() else c for c in text)
    joined = " ".join(kept.split())
    return _SPACE_NEAR_CJK.sub("", joined)  # Chinese has no spaces between words: a stray one must not count


def exact_match(answer: str, expected: str) -> bool:
    return normalise(answer) == normalise(expected)


def contains(answer: str, expected: str) -> bool:
    """The normalised expected answer appears in the normalised answer, on word edges for Latin text."""
    want, got = normalise(expected), normalise(answer)
    if not want:
        return not got
    if is_chinese(want):
        return want in got
    return f" {want} " in f" {got} "


@lru_cache(maxsize=2)
def _bleu(tokenize: str) -> BLEU:
    return BLEU(tokenize=tokenize, effective_order=True)


_CHRF = CHRF()


def chrf(answer: str, expected: str) -> float:
    """sacrebleu's chrF (character 6-grams, beta 2), 0–100."""
    return float(_CHRF.sentence_score(answer, [expected]).score)


def bleu(answer: str, expected: str) -> float:
    """sacrebleu's sentence BLEU with effective order, 0–100; Chinese references use the "zh" tokenizer."""
    return float(_bleu("zh" if is_chinese(expected) else "13a").sentence_score(answer, [expected]).score)


def answer_scores(answer: str, expected: str) -> dict[str, float]:
    return {"exact": float(exact_match(answer, expected)), "contains": float(contains(answer, expected)),
            "chrf": chrf(answer, expected), "bleu": bleu(answer, expected)}


def needs_review(scores: dict[str, float]) -> bool:
    """The automatic scores disagree about this answer."""
    if scores["contains"] and not scores["exact"] and scores["chrf"] < REVIEW_LOW_CHRF:
        return True
    return not scores["contains"] and scores["chrf"] >= REVIEW_HIGH_CHRF


class _Characters:
    """rouge-score tokenizer for Chinese: one token per character, punctuation and spaces dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [c for c in normalise(text) if not c.isspace()]


@lru_cache(maxsize=2)
def _rouge(chinese: bool):
    from rouge_score import rouge_scorer

    if chinese:
        return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_Characters())
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def warm_up() -> None:
    """Import and build the scorers once, outside any timed item (rouge-score pulls in nltk: seconds)."""
    for chinese in (False, True):
        _rouge(chinese)
        _bleu("zh" if chinese else "13a")


def rouge(summary: str, reference: str) -> dict[str, float]:
    """ROUGE-1/2/L F-measure, 0–1 (rouge-score; Porter stemming for Latin text, characters for Chinese)."""
    scores = _rouge(is_chinese(reference)).score(reference, summary)
    return {name: float(s.fmeasure) for name, s in scores.items()}


def _majority_chinese(references: list[str]) -> bool:
    return sum(map(is_chinese, references)) * 2 > len(references)


def corpus_bleu(answers: list[str], references: list[list[str]]) -> float:
    """Corpus BLEU over a model's answers (``references``: one list per reference set, as sacrebleu takes)."""
    tokenize = "zh" if references and _majority_chinese(references[0]) else "13a"
    return float(BLEU(tokenize=tokenize).corpus_score(answers, references).score) if answers else 0.0


def corpus_chrf(answers: list[str], references: list[list[str]]) -> float:
    return float(CHRF().corpus_score(answers, references).score) if answers else 0.0
