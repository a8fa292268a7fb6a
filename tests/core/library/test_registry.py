"""The library: import (copy or in place), validation, name clashes, removal, defaults, cached metadata."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from desktop_app.core.errors import InvalidModelFile, ModelNameTaken, ModelNotFound, ModelRemovalRefused
from desktop_app.core.library.importing import import_model
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.settings import Settings
from desktop_app.core.vision.spec import SidecarNeeded
from library_factory import write_mystery_onnx
from vision_factory import write_yolo_onnx



def _user_files(registry: ModelRegistry) -> list[str]:
    return sorted(p.name for p in registry.library_dir.glob("*")) if registry.library_dir.exists() else []


def test_import_copies_validates_and_records(tiny_gguf, data_dir):
    registry = ModelRegistry()
    entry = import_model(registry, tiny_gguf, name="Tiny Chat")
    assert entry.source == "imported" and entry.kind == "gguf" and entry.task == "chat"
    assert entry.path.parent == registry.library_dir and entry.path.read_bytes() == tiny_gguf.read_bytes()
    assert len(entry.sha256) == 64 and entry.size_bytes == tiny_gguf.stat().st_size
    manifest = json.loads((data_dir / "models.json").read_text())
    assert manifest["models"][0]["path"] == "models/Tiny-Chat.gguf"  # relative: HEARTH_DATA_DIR can move
    assert registry.get("Tiny Chat").path == entry.path
    assert registry.resolve("Tiny Chat", "chat").path == entry.path


def test_import_in_place_keeps_the_file_where_it_is_and_remove_never_deletes_it(tiny_gguf):
    registry = ModelRegistry()
    entry = import_model(registry, tiny_gguf, name="InPlace", copy=False)
    assert entry.path == tiny_gguf.resolve() and entry.extra["in_place"]
    assert _user_files(registry) == []
    registry.remove("InPlace")
    assert tiny_gguf.exists() and "InPlace" not in [e.name for e in registry.list()]


def test_remove_deletes_copied_files_and_refuses_bundled_defaults(tiny_gguf):
    registry = ModelRegistry()
    entry = import_model(registry, tiny_gguf, name="Copy")
    registry.remove("Copy")
    assert not entry.path.exists() and _user_files(registry) == []
    with pytest.raises(ModelRemovalRefused, match="ships with Hearth"):
        registry.remove("EfficientNet-Lite0")


def test_name_clash_is_refused_with_a_suggestion_and_leaves_nothing(tiny_gguf):
    registry = ModelRegistry()
    import_model(registry, tiny_gguf, name="Mine")
    with pytest.raises(ModelNameTaken, match=r"'mine' is already.*'mine \(2\)'"):
        import_model(registry, tiny_gguf, name="mine")
    with pytest.raises(ModelNameTaken):
        import_model(registry, tiny_gguf, name="EfficientNet-Lite0")
    assert _user_files(registry) == ["Mine.gguf"]


@pytest.mark.parametrize("kind", ["text", "truncated", "empty", "wrong_suffix"])
def test_bad_files_are_refused_with_a_sentence_and_nothing_is_copied(tiny_gguf, tmp_path, kind):
    path = {
        "text": tmp_path / "notes.gguf",
        "truncated": tmp_path / "cut.gguf",
        "empty": tmp_path / "empty.onnx",
        "wrong_suffix": tmp_path / "photo.jpg",
    }[kind]
    content = {
        "text": b"shopping list: eggs, milk\n" * 20,
        "truncated": tiny_gguf.read_bytes()[: tiny_gguf.stat().st_size // 2],
        "empty": b"",
        "wrong_suffix": b"\xff\xd8\xff\xe0 jpeg",
    }[kind]
    path.write_bytes(content)
    registry = ModelRegistry()
    with pytest.raises(InvalidModelFile) as caught:
        import_model(registry, path)
    assert path.name in str(caught.value), str(caught.value)
    assert _user_files(registry) == [] and [e for e in registry.list() if e.source != "bundled"] == []


def test_onnx_failing_the_checker_is_refused(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "undefined"], ["y"])],
        "broken",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 8, 8])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / "broken.onnx"
    onnx.save(model, str(path))
    with pytest.raises(InvalidModelFile, match="fails the ONNX checker"):
        import_model(ModelRegistry(), path)


def test_vision_model_with_metadata_imports_and_runs_through_the_registry(tmp_path):
    rows = np.zeros((4, 6), np.float32)
    path = write_yolo_onnx(tmp_path / "yolo.onnx", rows, ["cat", "dog"], size=32)
    entry = import_model(ModelRegistry(), path, name="Tiny YOLO")
    assert (entry.kind, entry.task) == ("onnx", "detect")
    details = ModelRegistry().describe(entry).to_json()
    assert details["label_count"] == 2 and details["opset"] == 13


def test_vision_model_without_sidecar_needs_the_form_then_imports(tmp_path):
    path = write_mystery_onnx(tmp_path / "mystery.onnx")
    registry = ModelRegistry()
    with pytest.raises(SidecarNeeded, match="sidecar"):
        import_model(registry, path)
    assert _user_files(registry) == []
    labels_file = tmp_path / "labels.txt"
    labels_file.write_text("a\nb\nc\n")
    form = {"task": "classify", "input": {"layout": "NCHW", "width": 64, "height": 64},
            "output": {"decoder": "softmax"}, "labels_file": str(labels_file)}
    entry = import_model(registry, path, name="Mystery", sidecar=form)
    sidecar = json.loads(entry.sidecar_path.read_text())
    assert sidecar["labels"] == ["a", "b", "c"] and entry.task == "classify"  # labels inlined: the copy stands alone
    assert ModelRegistry().describe(ModelRegistry().get("Mystery")).metadata.onnx.label_count == 3


def test_set_default_per_task(tiny_gguf, data_dir):
    registry = ModelRegistry()
    import_model(registry, tiny_gguf, name="Small")
    settings = Settings.load()
    registry.set_default("chat", "Small", settings)
    assert Settings.load().default_models["chat"] == "Small"
    assert registry.default("chat", Settings.load().default_models["chat"]).name == "Small"
    with pytest.raises(ModelNotFound, match="is a chat model"):
        registry.set_default("detect", "Small", settings)


def test_metadata_is_cached_by_path_size_and_mtime(tiny_gguf):
    registry = ModelRegistry()
    import_model(registry, tiny_gguf, name="Cached")
    first = registry.details()
    assert registry.metadata_cache.parsed == len(first)
    again = ModelRegistry()  # a fresh start reads the cache file
    second = again.details()
    assert again.metadata_cache.parsed == 0
    assert [d.to_json() for d in first] == [d.to_json() for d in second]
    cached = next(d for d in second if d.entry.name == "Cached")
    assert cached.to_json()["context_length"] == 512 and cached.to_json()["quantization"] == "F32"
    cached.entry.path.write_bytes(cached.entry.path.read_bytes()[:1000])  # changed file: parsed again
    third = ModelRegistry()
    changed = next(d for d in third.details() if d.entry.name == "Cached")
    assert third.metadata_cache.parsed == 1 and "truncated" in changed.to_json()["error"]


def test_unreadable_manifest_does_not_lose_bundled_models(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "models.json").write_text("{not json")
    assert {e.name for e in ModelRegistry().list()} >= {"EfficientNet-Lite0", "NanoDet-g"}


def test_remove_needs_the_full_name(tiny_gguf):
    registry = ModelRegistry()
    import_model(registry, tiny_gguf, name="Tiny Model")
    with pytest.raises(ModelNotFound, match="No model named 'Tiny'"):
        registry.remove("Tiny")
    assert registry.remove("tiny model").name == "Tiny Model"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../evil", "evil"),
        ("..\\..\\evil", "evil"),
        ("/etc/passwd", "etc-passwd"),
        ("org/model Q4", "org-model Q4"),
        ("a\x00b\nc\u202ed", "a b c d"),  # NUL, newline and a right-to-left override
        ("  ...hidden  ", "hidden"),
        ("x" * 500, "x" * 120),
    ],
)
def test_a_model_name_is_recorded_without_a_path_or_control_characters(tiny_gguf, data_dir, raw, clean):
    registry = ModelRegistry()
    entry = import_model(registry, tiny_gguf, name=raw)
    assert entry.name == clean
    manifest = json.loads((data_dir / "models.json").read_text())
    assert [m["name"] for m in manifest["models"]] == [clean]
    assert entry.path.parent == registry.library_dir


def test_a_name_that_is_only_a_path_falls_back_to_the_file_name(tiny_gguf):
    entry = import_model(ModelRegistry(), tiny_gguf, name="../..//./")
    assert entry.name == tiny_gguf.stem


def test_the_registry_cleans_a_name_it_is_handed_directly(tiny_gguf, data_dir):
    from desktop_app.core.library.registry import ModelEntry

    raw = ModelEntry(name="../../evil", kind="gguf", task="chat", path=tiny_gguf, source="downloaded")
    assert ModelRegistry().add(raw).name == "evil"
