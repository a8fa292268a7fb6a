"""What a quality run found, as plain dataclasses that live inside the evaluation report's JSON.

Hand marks, blind votes and the folder-to-label mappings are kept here too (so in the run history),
not in tables of their own: they mean something only beside the answers they judge.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field, fields
from enum import Enum

from desktop_app.core.evaluate.quality.votes import Vote


class QualityTask(str, Enum):
    QA = "qa"
    SUMMARY = "summary"
    CLASSIFY = "classify"
    DETECT = "detect"


# The headline figures per task, in the order a table shows them; all are "higher is better".
HEADLINE = {
    QualityTask.QA: ["exact", "contains", "chrf", "bleu"],
    QualityTask.SUMMARY: ["rouge1", "rouge2", "rougeL"],
    QualityTask.CLASSIFY: ["top1", "top5", "macro_f1"],
    QualityTask.DETECT: ["map50", "map", "recall"],
}
METRIC_NAMES = {"exact": "Exact match", "contains": "Contains", "chrf": "chrF", "bleu": "BLEU", "rouge1": "ROUGE-1",
                "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "top1": "Top-1", "top5": "Top-5", "macro_f1": "Macro F1",
                "map50": "mAP@0.5", "map": "mAP@[.5:.95]", "recall": "Recall@0.5", "hand": "Hand marked right"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based row or line; None for the whole file
    message: str

    def line(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return printable(f"{where}: {self.message}")


# bidirectional overrides and isolates reorder what a terminal shows, as control characters rewrite it
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (\\x1b, \\u202e): a file named with an
    escape sequence must never reach a terminal raw."""
    if text.isprintable():
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI
                   else c for c in text)


@dataclass
class ItemScore:
    item: str  # the question's row ("3"), the document's or the image's file name
    model: str
    output: str  # the answer, the summary, the top labels, the detection count
    expected: str
    scores: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # the model's own time on this item
    score_seconds: float = 0.0  # scoring it
    category: str = ""
    needs_review: bool = False
    prompt: str = ""
    predicted: str = ""  # classification: the class the top label maps to


@dataclass
class ModelQuality:
    name: str
    path: str
    overall: dict[str, float] = field(default_factory=dict)
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)
    items: int = 0
    seconds: float = 0.0  # inference, all items
    score_seconds: float = 0.0
    reason: str = ""  # why it stopped early (failed to load, failed mid-run); its finished items stay
    details: dict = field(default_factory=dict)  # per class, confusion matrix, PR curves, worst images

    @property
    def items_per_s(self) -> float | None:
        return self.items / self.seconds if self.seconds > 0 else None


@dataclass
class QualityRun:
    task: QualityTask
    data: str  # the question file or the folder
    models: list[ModelQuality] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    marks: dict[str, bool] = field(default_factory=dict)  # mark_key(model, item) -> right by hand
    votes: list[Vote] = field(default_factory=list)
    labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # model -> folder -> model labels
    cancelled: bool = False

    def metrics(self) -> list[str]:
        return HEADLINE[self.task] + (["hand"] if self.marks else [])

    def value(self, model: ModelQuality, metric: str) -> float | None:
        if metric == "hand":
            marked = [v for k, v in self.marks.items() if k.startswith(model.name + "\t")]
            return sum(marked) / len(marked) if marked else None
        return model.overall.get(metric)

    def best(self, metric: str) -> str | None:
        """The model with the highest value (None when fewer than two have one, or the top is shared)."""
        values = sorted(((v, m.name) for m in self.models if (v := self.value(m, metric)) is not None), reverse=True)
        if len(values) < 2 or values[0][0] == values[1][0]:
            return None
        return values[0][1]

    def mark(self, model: str, item: str, right: bool | None) -> None:
        key = mark_key(model, item)
        if right is None:
            self.marks.pop(key, None)
        else:
            self.marks[key] = right

    def to_json(self) -> dict:
        data = asdict(self)
        data["task"] = self.task.value
        data["votes"] = [v.to_json() for v in self.votes]
        return data

    @classmethod
    def from_json(cls, raw: dict) -> "QualityRun":
        return cls(
            task=QualityTask(raw["task"]), data=str(raw.get("data", "")),
            models=[ModelQuality(**_known(ModelQuality, m)) for m in raw.get("models", [])],
            items=[ItemScore(**_known(ItemScore, i)) for i in raw.get("items", [])],
            problems=[Problem(**_known(Problem, p)) for p in raw.get("problems", [])],
            marks={str(k): bool(v) for k, v in (raw.get("marks") or {}).items()},
            votes=[Vote.from_json(v) for v in raw.get("votes", [])],
            labels=dict(raw.get("labels") or {}), cancelled=bool(raw.get("cancelled")),
        )


def mark_key(model: str, item: str) -> str:
    return f"{model}\t{item}"


def _known(cls, raw: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}
