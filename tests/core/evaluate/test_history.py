"""Evaluation reports kept in the app's database: newest first, read back whole, predictions found later."""

from __future__ import annotations

import pytest
from evaluation_factory import sample_report

from desktop_app.core.errors import StorageError
from desktop_app.core.evaluate.history import keep_report, kept_runs, latest_predictions, open_kept, run_title
from desktop_app.core.storage.migrations import MIGRATIONS
from desktop_app.core.storage.store import Store


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    yield store
    store.close()


def test_kept_runs_newest_first_and_read_back_whole(store):
    old, new = sample_report("Old laptop"), sample_report("New desktop", gen=(40.0, 44.0, 42.0))
    old.created_at, new.created_at = 1000.0, 2000.0
    old_id, new_id = keep_report(store, old), keep_report(store, new)
    runs = kept_runs(store)
    assert [r.id for r in runs] == [new_id, old_id] and runs[1].created_at == 1000.0
    assert runs[0].title == "Chatty, Huge, Seer on New desktop"
    assert open_kept(store, old_id) == old and open_kept(store, new_id) == new
    store.delete_evaluation(old_id)
    with pytest.raises(StorageError, match="no longer exists"):
        open_kept(store, old_id)


def test_the_newest_run_with_predictions_is_the_one_checked_next(store):
    with_predictions, without = sample_report(), sample_report()
    with_predictions.predictions = [{"name": "Big", "gen_tps": 9.0}]
    with_predictions.created_at, without.created_at = 1.0, 2.0
    assert latest_predictions(store) == []
    keep_report(store, with_predictions)
    keep_report(store, without)  # a later run that predicted nothing (no language model measured)
    assert latest_predictions(store) == [{"name": "Big", "gen_tps": 9.0}]


def test_a_title_names_a_few_models_then_counts(store):
    report = sample_report()
    report.vision = report.vision * 3
    report.vision[2] = type(report.vision[0])("Other", "/o.onnx", "detect")
    report.cancelled = True
    assert run_title(report) == "Chatty, Huge, Seer and 1 more on Test CPU 9000 (cancelled)"


def test_a_version_3_database_gains_the_evaluations_table(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:3], 1):
        db.executescript(f"BEGIN; {script}; PRAGMA user_version = {version}; COMMIT;")
    db.close()
    store = Store(path)
    try:
        assert store.schema_version == len(MIGRATIONS) and kept_runs(store) == []
        keep_report(store, sample_report())
        assert len(kept_runs(store)) == 1
    finally:
        store.close()


def test_a_damaged_kept_report_is_a_plain_storage_error(store):
    evaluation_id = store.add_evaluation("broken", {"format": "something else"})
    with pytest.raises(StorageError, match=f"kept evaluation {evaluation_id} cannot be read"):
        open_kept(store, evaluation_id)
    assert latest_predictions(store) == []
