"""What every pane receives: the one settings object, registry, store and engine hosts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.llm.host import LlamaHost
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store
from desktop_app.ui import workers
from desktop_app.ui.workers import SerialExecutor


@dataclass
class AppContext:
    settings: Settings
    registry: ModelRegistry
    store: Store
    llm: LlamaHost
    llm_thread: SerialExecutor
    storage_warning: str = ""  # set when conversations cannot be saved to disk
    database_key: bytes | None = None  # the open workspace's key when it is encrypted
    damaged_database: Path | None = None  # a damaged database the app did not open (it offers to recover it)

    def close(self) -> None:
        workers.cancel_all()
        workers.wait_all(30.0)
        self.llm.close()
        self.store.close()
