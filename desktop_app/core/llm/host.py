"""Keeps one chat model resident, loads another only when asked, and says who is using it.

Chat, Summarize, Ask, Extract and Evaluate share one engine (a llama.cpp context serves one caller at a
time, and on a CPU two generations would only split the same cores). Whoever runs on it holds it under
its own ``EngineTask``; another pane reads ``holder`` to tell the user who is using the model and can
cancel that work. Counting tokens goes through a vocab-only ``LlamaTokenizer`` instead, so it never waits
for or evicts the resident model.

Locks: ``_load_lock`` is held for a whole model load, so only the engine's own thread takes it.
``_remote_lock`` guards the cache of remote engines and is never held across anything slow (a load,
a keychain read, a socket), so the GUI thread may call ``holder``, ``cancel_holder`` and
``forget_remote`` without ever waiting for a load.
"""

from __future__ import annotations

import enum
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.types import LoadOptions, ModelInfo
from desktop_app.core.llm.tokenizer import LlamaTokenizer
from desktop_app.core.privacy import network_activity
from desktop_app.core.settings import Settings


TOKENIZER_CACHE = 4


class ModelFile(Protocol):
    """Anything with a path to a GGUF file (a library ModelEntry, for one)."""

    path: Path


class RemoteModelFile(Protocol):
    """A model on a remote engine (core/remote/engines.RemoteModel): ``is_remote`` and ``open(settings)``."""

    is_remote: bool
    name: str

    def open(self, settings: Settings): ...


def is_remote(entry) -> bool:
    return bool(getattr(entry, "is_remote", False))


class EngineTask(enum.Enum):
    """Who holds the engine: one per kind of job, so a wait notice names the real holder."""

    CHAT = "chat"
    SUMMARIZE = "summarize"
    ASK = "ask"
    EXTRACT = "extract"
    EVALUATE = "evaluate"


@dataclass(frozen=True)
class EngineHolder:
    task: EngineTask
    cancel: threading.Event  # the holder's own cancel flag: setting it stops its work


def load_options(settings: Settings) -> LoadOptions:
    return LoadOptions(
        n_ctx=int(settings.context_length),
        gpu_layers=settings.gpu_layers,
        n_threads=max(0, int(settings.n_threads or 0)),  # 0: follow what other programs leave free (threads.py)
    )


class LlamaHost:
    """One engine, one resident model: switching models closes the old one first."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.engine = LlamaEngine()
        self._loaded_key: tuple | None = None
        self._load_lock = threading.Lock()  # held across a load: the engine's thread only
        self._remote_lock = threading.Lock()  # held only to read or change ``_remotes``
        self._holder: EngineHolder | None = None
        self._tokenizers: dict[tuple, LlamaTokenizer] = {}
        self._tokenizer_lock = threading.Lock()
        self._remotes: dict[str, object] = {}  # remote model name -> its RemoteEngine (no model loaded here)

    def engine_for(self, entry: ModelFile | RemoteModelFile):
        """The engine that runs ``entry``: the resident local one, or the remote engine serving it.
        Opening a remote engine reads its key (the keychain, the workspace): call this on a worker."""
        if not is_remote(entry):
            return self.engine
        with self._remote_lock:
            engine = self._remotes.get(entry.name)
        if engine is not None:
            return engine
        opened = entry.open(self.settings)  # outside the lock: a keychain may take its time
        with self._remote_lock:
            engine = self._remotes.setdefault(entry.name, opened)
        if engine is not opened:  # another thread opened it meanwhile: keep one
            opened.close()
        return engine

    def ensure(self, entry: ModelFile | RemoteModelFile, options: LoadOptions | None = None) -> ModelInfo:
        if is_remote(entry):
            engine = self.engine_for(entry)
            info = engine.info or engine.connect()
            network_activity.set_remote_engine(engine.server_root)
            return info
        network_activity.set_remote_engine(None)
        options = options or load_options(self.settings)
        key = (str(Path(entry.path).resolve()), options.n_ctx, str(options.gpu_layers), options.n_threads)
        with self._load_lock:
            self.engine.speculative = bool(self.settings.speculative)
            if self._loaded_key == key and self.engine.loaded:
                return self.engine.info
            self._loaded_key = None
            info = self.engine.load(entry.path, options)
            self._loaded_key = key
            return info

    @property
    def info(self) -> ModelInfo | None:
        return self.engine.info

    # who is using the engine

    @contextmanager
    def hold(self, task: EngineTask, cancel: threading.Event) -> Iterator[EngineHolder]:
        """Mark the engine as used by ``task`` while the block runs (on the engine's thread)."""
        holder = EngineHolder(task, cancel)
        self._holder = holder
        try:
            yield holder
        finally:
            if self._holder is holder:
                self._holder = None

    @property
    def holder(self) -> EngineHolder | None:
        return self._holder

    def cancel_holder(self, task: EngineTask) -> bool:
        """Stop ``task``'s work if it is the one using the engine; False when it is not."""
        holder = self._holder
        if holder is None or holder.task is not task:
            return False
        holder.cancel.set()
        return True

    # tokenizers

    def tokenizer(self, entry: ModelFile, n_ctx: int | None = None) -> LlamaTokenizer:
        """The model's vocabulary alone, cached per file: any thread, no effect on the loaded model.
        A remote model's tokenizer is its engine (the server's tokenize endpoint)."""
        if is_remote(entry):
            engine = self.engine_for(entry)
            if engine.info is None:
                engine.connect()
            return engine
        n_ctx = int(n_ctx or self.settings.context_length)
        path = Path(entry.path).resolve()
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, n_ctx)
        with self._tokenizer_lock:
            tokenizer = self._tokenizers.get(key)
            if tokenizer is None:
                tokenizer = self._tokenizers[key] = LlamaTokenizer(path, n_ctx)
                while len(self._tokenizers) > TOKENIZER_CACHE:
                    # dropped, not closed: a job on another thread may still be counting with it
                    self._tokenizers.pop(next(iter(self._tokenizers)))
            return tokenizer

    def forget_remote(self, name: str | None = None) -> list:
        """Drop cached remote engines (one engine's, or all): their settings or key changed, or they were removed.
        Returns them for the caller to close off the GUI thread (closing waits for their connections)."""
        with self._remote_lock:
            keys = [k for k in self._remotes if name is None or k == name or k.endswith(" @ " + name)]
            return [self._remotes.pop(key) for key in keys]

    def close(self) -> None:
        for engine in self.forget_remote():
            engine.close()
        network_activity.set_remote_engine(None)
        with self._load_lock:
            self._loaded_key = None
            self.engine.close()
        with self._tokenizer_lock:
            for tokenizer in self._tokenizers.values():
                tokenizer.close()
            self._tokenizers.clear()
