"""Classification scores: top-1/top-5 accuracy, a confusion matrix, per-class precision, recall and F1 (numpy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

OTHER = "(other)"  # a prediction that maps to none of the folder's classes


@dataclass
class ClassScores:
    name: str
    precision: float
    recall: float
    f1: float
    support: int  # images of this class

    def to_json(self) -> dict:
        return {"name": self.name, "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "support": self.support}


def confusion_matrix(truth: list[str], predicted: list[str], classes: list[str]) -> np.ndarray:
    """Rows: the true class; columns: the predicted class, plus a last column for predictions outside ``classes``."""
    index = {name: i for i, name in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes) + 1), dtype=np.int64)
    for t, p in zip(truth, predicted):
        matrix[index[t], index.get(p, len(classes))] += 1
    return matrix


def per_class(matrix: np.ndarray, classes: list[str]) -> list[ClassScores]:
    """Precision of a class is over the images predicted as it; a class never predicted has precision 0."""
    square = matrix[:, : len(classes)]
    hits = np.diag(square).astype(float)
    predicted = square.sum(axis=0).astype(float)
    actual = matrix.sum(axis=1).astype(float)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(hits), where=total > 0)
    return [ClassScores(name, float(p), float(r), float(f), int(n))
            for name, p, r, f, n in zip(classes, precision, recall, f1, actual)]


def top_k_accuracy(truth: list[str], ranked: list[list[str]], k: int) -> float:
    """The share of images whose true class is among the first ``k`` (mapped) predictions."""
    if not truth:
        return 0.0
    return sum(t in r[:k] for t, r in zip(truth, ranked)) / len(truth)


def macro_f1(scores: list[ClassScores]) -> float:
    present = [s.f1 for s in scores if s.support]
    return float(np.mean(present)) if present else 0.0
