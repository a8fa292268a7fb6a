"""The model library: bundled defaults plus the user's manifest.

Panes and CLI ask the registry for models; nothing else scans folders.
Bundled defaults are described in ``models/defaults.json`` and read in place;
a default may live inside an installed Python package (located with
``importlib.util.find_spec``, never imported). User-added models are listed in
``<data dir>/models.json`` (paths inside the data dir are stored relative to it, so
moving ``HEARTH_DATA_DIR`` moves the library). Header metadata (architecture,
quantization, opset, ...) comes from :mod:`model_metadata`, cached by path, size and mtime.
Validating and copying new files is :mod:`model_import`'s job.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import ModelNameTaken, ModelNotFound, ModelRemovalRefused, StorageError
from desktop_app.core.library.metadata import MetadataCache, ModelMetadata
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

KIND_BY_SUFFIX = {".gguf": "gguf", ".onnx": "onnx"}
TASKS_BY_KIND = {"gguf": ("chat",), "onnx": ("classify", "detect")}
_manifest_lock = threading.Lock()  # one writer at a time within the app
MAX_NAME_CHARS = 120


def clean_model_name(name: str) -> str:
    """A display name with no path in it: no separators, no '.'/'..' parts, no control or bidi
    characters. The file already lands safely (safe_file_stem); the name is shown and matched too."""
    visible = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in name)
    parts = [p.strip() for p in re.split(r"[/\\]+", visible)]
    kept = [p for p in parts if p.strip(". ")]
    cleaned = re.sub(r"\s+", " ", "-".join(kept)).strip().lstrip(".").strip()
    return cleaned[:MAX_NAME_CHARS].rstrip()


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str  # "gguf" or "onnx"
    task: str  # "chat", "classify" or "detect"
    path: Path
    source: str  # "bundled", "imported" or "downloaded"
    size_bytes: int = 0
    sha256: str | None = None
    license: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    @property
    def sidecar_path(self) -> Path | None:
        """The vision sidecar: named in ``extra`` (relative to the model's folder), else none."""
        sidecar = (self.extra or {}).get("sidecar")
        return self.path.parent / sidecar if sidecar else None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "task": self.task,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
            "source": self.source,
            "license": self.license,
            "available": self.exists,
        }


def _locate_bundled(spec: dict, bundled_dir: Path) -> Path:
    package = spec.get("python_package")
    if package:
        found = importlib.util.find_spec(package)
        locations = list(found.submodule_search_locations or []) if found else []
        base = Path(locations[0]) if locations else bundled_dir / package
        return base / spec["file"]
    return bundled_dir / spec["file"]


def load_bundled(bundled_dir: Path | None = None) -> list[ModelEntry]:
    bundled_dir = bundled_dir or paths.bundled_models_dir()
    manifest = bundled_dir / "defaults.json"
    try:
        specs = json.loads(manifest.read_text(encoding="utf-8"))["models"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("no bundled model manifest at %s: %s", manifest, exc)
        return []
    entries = []
    for spec in specs:
        path = _locate_bundled(spec, bundled_dir)
        entries.append(
            ModelEntry(
                name=spec["name"],
                kind=spec["kind"],
                task=spec["task"],
                path=path,
                source="bundled",
                size_bytes=int(spec.get("size_bytes") or 0),
                sha256=spec.get("sha256"),
                license=spec.get("license"),
                extra={k: v for k, v in spec.items() if k not in {"name", "kind", "task", "file"}},
            )
        )
    return entries


def entry_for_path(path: Path, task: str | None = None) -> ModelEntry:
    """A model the user names by path, not registered in the library."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelNotFound(translate("LibraryErrors", "Model file not found: {path}").fill(path=path))
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise ModelNotFound(translate("LibraryErrors", "{name} is not a model file Hearth can use "
                                                       "(expected .gguf or .onnx).").fill(name=path.name))
    return ModelEntry(
        name=path.stem,
        kind=kind,
        task=task or TASKS_BY_KIND[kind][0],
        path=path,
        source="path",
        size_bytes=path.stat().st_size,
    )


@dataclass(frozen=True)
class ModelDetails:
    """A library entry with what its file says about itself."""

    entry: ModelEntry
    metadata: ModelMetadata | None  # None: the file is missing

    def to_json(self) -> dict:
        data = self.entry.to_json()
        meta = self.metadata
        data["error"] = meta.error if meta else "file missing"
        if meta and meta.gguf:
            g = meta.gguf
            data.update(
                architecture=g.architecture,
                parameter_count=g.parameter_count,
                size_label=g.size_label,
                quantization=g.quantization,
                context_length=g.context_length,
                has_chat_template=g.has_chat_template,
                block_count=g.block_count,
                license=self.entry.license or g.license,
            )
        if meta and meta.onnx:
            o = meta.onnx
            data.update(
                opset=o.opset,
                inputs=[{"name": t.name, "shape": t.shape, "dtype": t.dtype} for t in o.inputs],
                outputs=[{"name": t.name, "shape": t.shape, "dtype": t.dtype} for t in o.outputs],
                label_count=o.label_count,
                decoder=o.decoder,
                license=self.entry.license or o.license,
            )
        return data


def _spec_to_entry(spec: dict, data_dir: Path) -> ModelEntry:
    path = Path(spec["path"]).expanduser()
    extra = dict(spec.get("extra") or {})
    if extra.get("sidecar") and not Path(extra["sidecar"]).is_absolute():
        extra["sidecar"] = str(data_dir / extra["sidecar"])
    return ModelEntry(
        name=spec["name"],
        kind=spec["kind"],
        task=spec["task"],
        path=path if path.is_absolute() else data_dir / path,
        source=spec.get("source", "imported"),
        size_bytes=int(spec.get("size_bytes") or 0),
        sha256=spec.get("sha256"),
        license=spec.get("license"),
        extra=extra,
    )


def _relative_to(path: Path, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


class ModelRegistry:
    def __init__(self, bundled_dir: Path | None = None, data_dir: Path | None = None):
        self.bundled_dir = bundled_dir or paths.bundled_models_dir()
        self.data_dir = data_dir or paths.data_dir()
        self.metadata_cache = MetadataCache(self.data_dir / "model-metadata-cache.json")

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "models.json"

    @property
    def library_dir(self) -> Path:
        """Where imported and downloaded copies live (``paths.library_dir()`` for the default data dir)."""
        return self.data_dir / "models"

    def _read_manifest(self) -> list[dict]:
        try:
            specs = json.loads(self.manifest_path.read_text(encoding="utf-8")).get("models", [])
        except FileNotFoundError:
            return []
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("model manifest %s unreadable: %s", self.manifest_path, exc)
            return []
        return [s for s in specs if isinstance(s, dict) and {"name", "kind", "task", "path"} <= s.keys()]

    def _write_manifest(self, specs: list[dict]) -> None:
        try:
            write_text_atomic(self.manifest_path, json.dumps({"version": 1, "models": specs}, indent=2))
        except OSError as exc:
            raise StorageError(translate("LibraryErrors", "The model library could not be saved to "
                                                          "{manifest_path}: {value}.").fill(manifest_path=self.manifest_path, value=exc.strerror or exc)) from exc

    def _user_entries(self) -> list[ModelEntry]:
        return [_spec_to_entry(s, self.data_dir) for s in self._read_manifest()]

    def list(self, kind: str | None = None, task: str | None = None) -> list[ModelEntry]:
        entries = load_bundled(self.bundled_dir) + self._user_entries()
        return [e for e in entries if (kind is None or e.kind == kind) and (task is None or e.task == task)]

    def get(self, name: str) -> ModelEntry:
        entries = self.list()
        for entry in entries:
            if entry.name == name:
                return entry
        folded = name.casefold()
        matches = [e for e in entries if e.name.casefold().startswith(folded)]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(e.name for e in entries) or "none"
        raise ModelNotFound(translate("LibraryErrors", "No model named '{name}'. Installed models: "
                                                       "{known}.").fill(name=name, known=known))

    def default(self, task: str, preferred: str | None = None) -> ModelEntry:
        candidates = [e for e in self.list(task=task)]
        if preferred:
            for entry in candidates:
                if entry.name == preferred and entry.exists:
                    return entry
        for entry in candidates:
            if entry.exists:
                return entry
        raise ModelNotFound(
            translate("LibraryErrors", "No {task} model is installed. Run 'make run' (or 'hearth "
                                       "models import FILE') to add one.").fill(task=task)
        )

    def resolve(self, name_or_path: str | None, task: str, preferred: str | None = None) -> ModelEntry:
        """A name from the library, a path to a file, or the default for the task."""
        if not name_or_path:
            return self.default(task, preferred)
        candidate = Path(name_or_path).expanduser()
        if candidate.suffix.lower() in KIND_BY_SUFFIX and (candidate.exists() or "/" in name_or_path):
            return entry_for_path(candidate, task)
        entry = self.get(name_or_path)
        if not entry.exists:
            raise ModelNotFound(translate("LibraryErrors", "The file for model '{name}' is missing: "
                                                           "{path}").fill(name=entry.name, path=entry.path))
        return entry

    # metadata

    def details(self, kind: str | None = None, task: str | None = None) -> list[ModelDetails]:
        """Every entry with its header metadata (cached; only new or changed files are parsed)."""
        entries = self.list(kind, task)
        requests = [(e.kind, e.path, e.sidecar_path) for e in entries]
        return [ModelDetails(e, m) for e, m in zip(entries, self.metadata_cache.get_many(requests))]

    def describe(self, entry: ModelEntry) -> ModelDetails:
        return ModelDetails(entry, self.metadata_cache.get(entry.kind, entry.path, entry.sidecar_path))

    # changes (whole-manifest read-modify-write under a lock, written atomically)

    def name_taken(self, name: str) -> bool:
        folded = name.casefold()
        return any(e.name.casefold() == folded for e in self.list())

    def unique_name(self, base: str) -> str:
        name, n = base, 2
        while self.name_taken(name):
            name, n = f"{base} ({n})", n + 1
        return name

    def check_name_free(self, name: str) -> None:
        if not name.strip():
            raise ModelNameTaken(translate("LibraryErrors", "A model needs a name."))
        if self.name_taken(name):
            raise ModelNameTaken(
                translate("LibraryErrors", "A model named '{name}' is already in the library. Choose "
                                           "another name, for example '{value}'.").fill(name=name, value=self.unique_name(name))
            )

    def add(self, entry: ModelEntry) -> ModelEntry:
        """Record an entry whose file is already in place (import and download call this last)."""
        entry = replace(entry, name=clean_model_name(entry.name))
        with _manifest_lock:
            self.check_name_free(entry.name)
            extra = dict(entry.extra or {})
            if extra.get("sidecar"):
                extra["sidecar"] = _relative_to(Path(extra["sidecar"]), self.data_dir)
            spec = {
                "name": entry.name,
                "kind": entry.kind,
                "task": entry.task,
                "path": _relative_to(entry.path, self.data_dir),
                "source": entry.source,
                "size_bytes": entry.size_bytes,
                "sha256": entry.sha256,
                "license": entry.license,
                "extra": extra,
            }
            self._write_manifest(self._read_manifest() + [spec])
        return self.get(entry.name)

    def remove(self, name: str, delete_files: bool = True) -> ModelEntry:
        """Forget a user model; files Hearth copied or downloaded are deleted, files registered in place never."""
        exact = [e for e in self.list() if e.name.casefold() == name.casefold()]
        if not exact:  # no prefix matching here: removing must name the model in full
            raise ModelNotFound(translate("LibraryErrors", "No model named '{name}'. Run 'hearth "
                                                           "models list' to see the exact names.").fill(name=name))
        entry = exact[0]
        if entry.source == "bundled":
            raise ModelRemovalRefused(translate("LibraryErrors", "'{name}' ships with Hearth and "
                                                                 "cannot be removed.").fill(name=entry.name))
        with _manifest_lock:
            specs = self._read_manifest()
            kept = [s for s in specs if s["name"] != entry.name]
            self._write_manifest(kept)
        if delete_files and not entry.extra.get("in_place"):
            for owned in (entry.path, entry.sidecar_path):
                if owned is not None and self._owns(owned):
                    owned.unlink(missing_ok=True)
        return entry

    def _owns(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.library_dir.resolve())
            return True
        except ValueError:
            return False

    def set_default(self, task: str, name: str, settings) -> ModelEntry:
        """Make ``name`` the default model for ``task`` (chat, classify, detect) in the saved settings."""
        entry = self.get(name)
        if entry.task != task:
            raise ModelNotFound(translate("LibraryErrors", "'{name}' is a {task} model and cannot be "
                                                           "the default for {task2}.").fill(name=entry.name, task=entry.task, task2=task))
        settings.default_models[task] = entry.name
        settings.save()
        return entry
