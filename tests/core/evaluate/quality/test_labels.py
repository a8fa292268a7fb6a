from desktop_app.core.evaluate import history
from desktop_app.core.evaluate.quality.labels import label_to_class, suggest_labels, suggest_mapping
from desktop_app.core.evaluate.quality.results import QualityRun, QualityTask
from desktop_app.core.storage.store import Store
from tests.evaluation_factory import sample_report

LABELS = ("tabby", "tiger cat", "Persian cat", "coffee mug", "cup", "traffic light", "golden retriever")


def test_suggestions_by_name():
    assert suggest_labels("cup", LABELS) == ["cup"]  # the same name wins
    assert suggest_labels("cat", LABELS) == ["tiger cat", "Persian cat"]  # every label holding the folder's words
    assert suggest_labels("traffic_lights", LABELS) == ["traffic light"]  # close enough
    assert suggest_labels("Golden-Retriever", LABELS) == ["golden retriever"]
    assert suggest_labels("spaceship", LABELS) == []


def test_saved_mapping_wins_and_the_inverse_takes_the_first_folder():
    mapping = suggest_mapping(["cat", "mug"], LABELS, {"cat": ["tabby"]})
    assert mapping == {"cat": ["tabby"], "mug": ["coffee mug"]}
    assert label_to_class({"a": ["x", "y"], "b": ["y"]}) == {"x": "a", "y": "a"}


def test_the_newest_kept_mapping_for_a_folder_and_model():
    store = Store.in_memory()
    try:
        for mapping in ({"cat": ["tabby"]}, {"cat": ["tiger cat"]}):
            report = sample_report()
            report.quality = [QualityRun(QualityTask.CLASSIFY, "/data/pets", labels={"Net": mapping})]
            history.keep_report(store, report)
        assert history.saved_labels(store, "/data/pets", "Net") == {"cat": ["tiger cat"]}
        assert history.saved_labels(store, "/data/other", "Net") == {}
        assert history.saved_labels(store, "/data/pets", "Other") == {}
    finally:
        store.close()
