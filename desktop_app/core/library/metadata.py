"""Metadata of library models, parsed once and cached by (path, size, mtime).

Listing fifty models must not re-parse fifty headers on every start: the cache is a
JSON file in the data dir, rewritten atomically only when something new was parsed.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import HearthError
from desktop_app.core.llm.gguf_info import GGUFInfo, read_gguf_info
from desktop_app.core.vision.onnx_info import ONNXInfo, read_onnx_info

log = logging.getLogger(__name__)

CACHE_VERSION = 1


@dataclass(frozen=True)
class ModelMetadata:
    kind: str
    gguf: GGUFInfo | None = None
    onnx: ONNXInfo | None = None
    error: str | None = None  # the file exists but could not be described

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "gguf": self.gguf.to_json() if self.gguf else None,
            "onnx": self.onnx.to_json() if self.onnx else None,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ModelMetadata":
        return cls(
            kind=data["kind"],
            gguf=GGUFInfo.from_json(data["gguf"]) if data.get("gguf") else None,
            onnx=ONNXInfo.from_json(data["onnx"]) if data.get("onnx") else None,
            error=data.get("error"),
        )


def cache_key(path: Path, sidecar: Path | None = None) -> str | None:
    """None when the file is missing. A sidecar's own mtime is part of an ONNX model's key."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    if sidecar is not None and sidecar.is_file():
        key += f"|{sidecar.stat().st_mtime_ns}"
    return key


def parse_metadata(kind: str, path: Path, sidecar: Path | None = None) -> ModelMetadata:
    try:
        if kind == "gguf":
            return ModelMetadata(kind, gguf=read_gguf_info(path))
        return ModelMetadata(kind, onnx=read_onnx_info(path, sidecar))
    except HearthError as exc:
        return ModelMetadata(kind, error=str(exc))


class MetadataCache:
    def __init__(self, path: Path | None = None):
        self.path = path or paths.data_dir() / "model-metadata-cache.json"
        self._lock = threading.Lock()
        self._entries: dict[str, dict] | None = None
        self.parsed = 0  # files parsed (not served from the cache) by this object, for tests and benchmarks

    def _load(self) -> dict[str, dict]:
        if self._entries is None:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                ok = isinstance(raw, dict) and raw.get("version") == CACHE_VERSION
                self._entries = raw.get("entries", {}) if ok else {}
            except (OSError, ValueError):
                self._entries = {}
        return self._entries

    def get_many(self, requests: list[tuple[str, Path, Path | None]]) -> list[ModelMetadata | None]:
        """(kind, path, sidecar) -> metadata, or None for a missing file. Saves once if anything was parsed."""
        results: list[ModelMetadata | None] = []
        changed = False
        with self._lock:
            entries = self._load()
            for kind, path, sidecar in requests:
                key = cache_key(path, sidecar)
                if key is None:
                    results.append(None)
                    continue
                cached = entries.get(key)
                if cached is None:
                    metadata = parse_metadata(kind, path, sidecar)
                    self.parsed += 1
                    entries[key] = cached = metadata.to_json()
                    changed = True
                results.append(ModelMetadata.from_json(cached))
            if changed:
                self._prune_and_save(entries)
        return results

    def get(self, kind: str, path: Path, sidecar: Path | None = None) -> ModelMetadata | None:
        return self.get_many([(kind, path, sidecar)])[0]

    def _prune_and_save(self, entries: dict[str, dict]) -> None:
        # entries for files that changed or vanished are dropped so the cache stays small
        live = {}
        for key, value in entries.items():
            path_text, size, mtime = key.split("|")[:3]
            try:
                stat = Path(path_text).stat()
            except OSError:
                continue
            if str(stat.st_size) == size and str(stat.st_mtime_ns) == mtime:
                live[key] = value
        entries.clear()
        entries.update(live)
        try:
            write_text_atomic(self.path, json.dumps({"version": CACHE_VERSION, "entries": live}))
        except OSError as exc:  # an unwritable data dir only costs a re-parse next time
            log.info("could not save the model metadata cache: %s", exc)
