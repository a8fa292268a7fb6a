import numpy as np
import pytest

from desktop_app.core.evaluate.quality import classification as c

CLASSES = ["cat", "cup", "rocket"]


def test_confusion_matrix_and_per_class_scores_by_hand():
    truth = ["cat", "cat", "cat", "cup", "cup", "rocket", "rocket", "rocket"]
    predicted = ["cat", "cat", "cup", "cup", "kettle", "rocket", "cat", "rocket"]
    matrix = c.confusion_matrix(truth, predicted, CLASSES)
    assert matrix.tolist() == [[2, 1, 0, 0], [0, 1, 0, 1], [1, 0, 2, 0]]
    scores = {s.name: s for s in c.per_class(matrix, CLASSES)}
    # cat: 2 right of 3 predicted cat, 2 of 3 true cats; cup: 1 of 2 predicted, 1 of 2 true; rocket: 2/2, 2/3
    assert (scores["cat"].precision, scores["cat"].recall) == pytest.approx((2 / 3, 2 / 3))
    assert (scores["cup"].precision, scores["cup"].recall) == pytest.approx((1 / 2, 1 / 2))
    assert (scores["rocket"].precision, scores["rocket"].recall) == pytest.approx((1.0, 2 / 3))
    assert scores["rocket"].f1 == pytest.approx(0.8)
    assert c.macro_f1(list(scores.values())) == pytest.approx((2 / 3 + 1 / 2 + 0.8) / 3)


def test_a_class_never_predicted_has_zero_precision_not_nan():
    matrix = c.confusion_matrix(["cat", "cup"], ["cat", "cat"], CLASSES)
    scores = c.per_class(matrix, CLASSES)
    assert [s.precision for s in scores] == [0.5, 0.0, 0.0]
    assert not np.isnan([s.f1 for s in scores]).any()


def test_top_k_accuracy():
    truth = ["cat", "cup", "rocket"]
    ranked = [["cat", "cup"], ["cat", "cup"], ["x", "y", "z", "w", "v", "rocket"]]
    assert c.top_k_accuracy(truth, ranked, 1) == pytest.approx(1 / 3)
    assert c.top_k_accuracy(truth, ranked, 5) == pytest.approx(2 / 3)
    assert c.top_k_accuracy([], [], 1) == 0.0
