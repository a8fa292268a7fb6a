"""The model library: bundled defaults plus the user's manifest.

Panes and CLI ask the registry for models; nothing else scans folders.
Bundled defaults are described in ``models/defaults.json`` and read in place;
a default may live inside an installed Python package (located with
``importlib.util.find_spec``, never imported). User-added models are listed in
``<data dir>/models.json``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.errors import ModelNotFound

log = logging.getLogger(__name__)

KIND_BY_SUFFIX = {".gguf": "gguf", ".onnx": "onnx"}
TASKS_BY_KIND = {"gguf": ("chat",), "onnx": ("classify", "detect")}


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


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


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
        raise ModelNotFound(f"Model file not found: {path}")
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise ModelNotFound(f"{path.name} is not a model file Hearth can use (expected .gguf or .onnx).")
    return ModelEntry(
        name=path.stem,
        kind=kind,
        task=task or TASKS_BY_KIND[kind][0],
        path=path,
        source="path",
        size_bytes=path.stat().st_size,
    )


class ModelRegistry:
    def __init__(self, bundled_dir: Path | None = None, data_dir: Path | None = None):
        self.bundled_dir = bundled_dir or paths.bundled_models_dir()
        self.data_dir = data_dir or paths.data_dir()

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "models.json"

    def _user_entries(self) -> list[ModelEntry]:
        try:
            specs = json.loads(self.manifest_path.read_text(encoding="utf-8")).get("models", [])
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("model manifest %s unreadable: %s", self.manifest_path, exc)
            return []
        return [
            ModelEntry(
                name=s["name"],
                kind=s["kind"],
                task=s["task"],
                path=Path(s["path"]),
                source=s.get("source", "imported"),
                size_bytes=int(s.get("size_bytes") or 0),
                sha256=s.get("sha256"),
                license=s.get("license"),
                extra=s.get("extra", {}),
            )
            for s in specs
        ]

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
        raise ModelNotFound(f"No model named '{name}'. Installed models: {known}.")

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
            f"No {task} model is installed. Run 'make run' (or 'hearth models import FILE') to add one."
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
            raise ModelNotFound(f"The file for model '{entry.name}' is missing: {entry.path}")
        return entry
