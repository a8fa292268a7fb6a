"""Keeps one chat model resident and loads another only when asked for it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from desktop_app.core.llm.engine import LlamaEngine, LoadOptions, ModelInfo
from desktop_app.core.settings import Settings


class ModelFile(Protocol):
    """Anything with a path to a GGUF file (a library ModelEntry, for one)."""

    path: Path


def load_options(settings: Settings) -> LoadOptions:
    return LoadOptions(
        n_ctx=int(settings.context_length),
        gpu_layers=settings.gpu_layers,
        n_threads=settings.resolved_threads(),
    )


class LlamaHost:
    """One engine, one resident model: switching models closes the old one first."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.engine = LlamaEngine()
        self._loaded_key: tuple | None = None
        self._lock = threading.Lock()

    def ensure(self, entry: ModelFile, options: LoadOptions | None = None) -> ModelInfo:
        options = options or load_options(self.settings)
        key = (str(Path(entry.path).resolve()), options.n_ctx, str(options.gpu_layers), options.n_threads)
        with self._lock:
            if self._loaded_key == key and self.engine.loaded:
                return self.engine.info
            self._loaded_key = None
            info = self.engine.load(entry.path, options)
            self._loaded_key = key
            return info

    @property
    def info(self) -> ModelInfo | None:
        return self.engine.info

    def close(self) -> None:
        with self._lock:
            self._loaded_key = None
            self.engine.close()
