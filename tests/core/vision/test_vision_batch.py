"""The batch runner: bad files are reported and skipped, cancel stops early, progress adds up."""

from __future__ import annotations

import shutil
import threading

import pytest
from vision_factory import photo, write_bad_images, write_odd_images

from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.vision import ClassificationResult, ImageFailure, collect_images, open_registry_engine, run_batch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classifier():
    engine = open_registry_engine(ModelRegistry().default("classify"))
    yield engine
    engine.close()


def test_bad_inputs_never_stop_a_batch(tmp_path, classifier):
    bad = write_bad_images(tmp_path / "bad")
    odd = write_odd_images(tmp_path / "odd")
    shutil.copy(photo("coffee.png"), tmp_path / "coffee.png")
    sources = collect_images([tmp_path])
    items, progress = [], []
    summary = run_batch(classifier, sources, lambda p: classifier.run(p, 3), on_item=items.append, on_progress=progress.append)
    failed = {f.image.rsplit("/", 1)[-1]: f.message for f in summary.failures}
    assert set(failed) == {p.name for p in bad.values()}
    assert all(isinstance(i, (ClassificationResult, ImageFailure)) for i in items)
    done = {r.image.rsplit("/", 1)[-1]: r for r in summary.results}
    assert set(done) == {p.name for p in odd.values()} | {"coffee.png"}
    assert done["cmyk.jpg"].top.label == "espresso" and done["cmyk.jpg"].notes == ["converted from CMYK"]
    assert done["sixteen.png"].notes == ["16-bit pixels scaled to 8-bit"]
    assert [p.done for p in progress] == list(range(1, len(sources) + 1))
    assert progress[-1].failed == len(bad) and progress[-1].total == len(sources)
    assert progress[-1].images_per_s > 0 and progress[-1].eta_s == 0


def test_cancel_stops_between_images(classifier):
    cancel = threading.Event()
    seen = []

    def on_item(item):
        seen.append(item)
        if len(seen) == 2:
            cancel.set()

    sources = [photo("coffee.png")] * 20
    summary = run_batch(classifier, sources, lambda p: classifier.run(p), on_item=on_item, cancel=cancel)
    assert summary.cancelled
    assert summary.processed == 2
