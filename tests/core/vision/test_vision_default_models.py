"""The bundled default models on real photos (scikit-image's sample data)."""

from __future__ import annotations

import json

import pytest
from vision_factory import photo

from desktop_app.core import paths
from desktop_app.core.hashing import sha256_file
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.vision import ClassifierEngine, DetectorEngine, open_registry_engine

CAT_CLASSES = {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classifier():
    engine = open_registry_engine(ModelRegistry().default("classify"))
    yield engine
    engine.close()


@pytest.fixture(scope="module", params=["CenterNet-MobileNetV3", "NanoDet-g"])
def detector(request):
    engine = open_registry_engine(ModelRegistry().get(request.param))
    yield engine
    engine.close()


def test_defaults_registered_with_matching_sha256():
    manifest = json.loads((paths.bundled_models_dir() / "defaults.json").read_text())
    vision = [m for m in manifest["models"] if m["kind"] == "onnx"]
    assert {m["task"] for m in vision} == {"classify", "detect"}
    for spec in vision:
        path = paths.bundled_models_dir() / spec["file"]
        assert path.stat().st_size == spec["size_bytes"] < 20_000_000
        assert sha256_file(path) == spec["sha256"]
        assert (paths.bundled_models_dir() / spec["sidecar"]).is_file()


def test_default_classifier_describes_itself(classifier):
    assert isinstance(classifier, ClassifierEngine)
    assert (classifier.spec.input.width, classifier.spec.input.height) == (224, 224)
    assert classifier.spec.label_count == 1000
    assert classifier.provider == "CPU"


def test_coffee_is_espresso(classifier):
    result = classifier.classify(photo("coffee.png"), k=5)
    assert result.top.label == "espresso"
    assert result.top.score > 0.5
    assert [p.score for p in result.predictions] == sorted((p.score for p in result.predictions), reverse=True)


def test_chelsea_is_a_cat_in_top_3(classifier):
    result = classifier.classify(photo("chelsea.png"), k=3)
    assert CAT_CLASSES & {p.label for p in result.predictions}


def test_astronaut_has_a_person(detector):
    assert isinstance(detector, DetectorEngine)
    result = detector.detect(photo("astronaut.png"), conf=0.3, iou=0.5)
    people = [d for d in result.detections if d.label == "person"]
    assert people
    x1, y1, x2, y2 = people[0].box
    assert 0 <= x1 < x2 <= result.width and 0 <= y1 < y2 <= result.height
    assert (x2 - x1) * (y2 - y1) > 0.3 * result.width * result.height  # she fills much of the frame


def test_chelsea_has_a_cat(detector):
    result = detector.detect(photo("chelsea.png"), conf=0.3, iou=0.5)
    assert "cat" in {d.label for d in result.detections}
    assert (result.width, result.height) == (451, 300)


def test_refilter_uses_stored_candidates(detector):
    result = detector.detect(photo("astronaut.png"), conf=0.3, iou=0.5)
    loose = result.refilter(0.05, 0.9)
    strict = result.refilter(0.6, 0.3)
    assert len(loose) > len(strict) > 0
    assert all(d.score >= 0.6 for d in strict)
    # the stored candidates give what running the model again at those thresholds gives
    assert strict == detector.detect(photo("astronaut.png"), conf=0.6, iou=0.3).detections
