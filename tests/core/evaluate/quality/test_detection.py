import pytest

from desktop_app.core.evaluate.quality.detection import coco_scores

TRUTH = {
    "images": [{"id": 1, "width": 100, "height": 100, "file_name": "a.jpg"},
               {"id": 2, "width": 100, "height": 100, "file_name": "b.jpg"}],
    "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "cup"}],
    "annotations": [{"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40]},
                    {"image_id": 2, "category_id": 2, "bbox": [50, 50, 30, 30]},
                    {"image_id": 2, "category_id": 1, "bbox": [0, 0, 20, 20]}],
}
DETECTIONS = [{"image_id": 1, "category_id": 1, "bbox": [12, 12, 40, 40], "score": 0.9},
              {"image_id": 2, "category_id": 2, "bbox": [50, 50, 30, 30], "score": 0.8},
              {"image_id": 2, "category_id": 2, "bbox": [0, 0, 20, 20], "score": 0.7}]


def test_map_matches_the_reference_evaluator_run_separately():
    # Recorded from pycocotools 2.0.11 alone (COCO(file) -> loadRes -> COCOeval.evaluate/accumulate/
    # summarize, stats[0] and stats[1]) on this ground truth and these detections, written to a JSON file.
    scores = coco_scores(TRUTH, DETECTIONS)
    assert scores.map == pytest.approx(0.6767326732673267)
    assert scores.map50 == pytest.approx(0.7524752475247524)
    per = {p["name"]: p for p in scores.per_class}
    assert per["cup"]["ap50"] == pytest.approx(1.0)
    assert per["cat"]["recall"] == pytest.approx(0.5)  # the small cat was labelled a cup
    assert scores.misses == {2: 1}


def test_perfect_predictions_score_one():
    perfect = [dict(a, score=0.9) for a in TRUTH["annotations"]]
    scores = coco_scores(TRUTH, perfect)
    assert (scores.map, scores.map50, scores.recall) == pytest.approx((1.0, 1.0, 1.0))
    assert scores.misses == {}


def test_no_predictions_score_zero():
    scores = coco_scores(TRUTH, [])
    assert (scores.map, scores.map50, scores.recall) == (0.0, 0.0, 0.0)
    assert scores.misses == {1: 1, 2: 2}


def test_per_class_figures_are_taken_at_iou_half():
    truth = dict(TRUTH, annotations=[{"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40]}])
    scores = coco_scores(truth, [{"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 20.8], "score": 0.9}])  # IoU 0.52
    assert scores.map50 == pytest.approx(1.0)
    assert scores.per_class[0]["ap50"] == pytest.approx(1.0) and scores.per_class[0]["recall"] == pytest.approx(1.0)
    assert scores.misses == {}
