"""The one settings object: a dataclass loaded and saved as JSON in the data dir.

Qt's QSettings is used only for window geometry; everything that changes
behaviour lives here so the CLI and the GUI agree.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import StorageError, describe_os_error
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

AUTO = "auto"


@dataclass
class Settings:
    gpu_layers: str | int = AUTO  # "auto", 0 (CPU only) or a layer count
    n_threads: int = 0  # 0: chat models use the cores other programs leave free (core/llm/threads.py), ONNX all cores
    context_length: int = 4096  # capped by the model's own training context
    language: str = AUTO  # "auto", "en" or "zh_CN"
    theme: str = AUTO  # "auto", "light" or "dark"
    default_models: dict[str, str] = field(default_factory=dict)  # task -> model name
    lock_after_minutes: int = 0  # an encrypted workspace locks after this long idle; 0: never
    encryption_offered: bool = False  # the first-start offer to encrypt was shown (and answered or dismissed)
    speculative: bool = True  # prompt-lookup drafts checked in one batched decode (greedy and sampled replies)
    sampling: SamplingParams = field(default_factory=SamplingParams)  # defaults for new conversations
    engines: list[dict] = field(default_factory=list)  # remote engines: {"name", "base_url", "model", "key"} (core/remote/engines.py)
    extract_templates: dict[str, str] = field(default_factory=dict)  # Documents > Extract: name -> "field, field"

    @classmethod
    def load(cls, path: Path | None = None) -> "Settings":
        path = path or paths.settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        return cls.from_dict(raw if isinstance(raw, dict) else {})

    @classmethod
    def from_dict(cls, raw: dict) -> "Settings":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known and k != "sampling"}
        sampling_raw = raw.get("sampling") if isinstance(raw.get("sampling"), dict) else {}
        return cls(**values, sampling=SamplingParams.from_dict(sampling_raw))

    def save(self, path: Path | None = None) -> None:
        """Written whole or not at all; a disk that refuses it raises StorageError with a plain sentence."""
        path = path or paths.settings_path()
        try:
            write_text_atomic(path, json.dumps(asdict(self), indent=2))
        except OSError as exc:
            log.warning("the settings could not be saved to %s", path, exc_info=True)
            raise StorageError(describe_os_error(exc, translate("Errors", "Could not save the settings to {path}"), path)) from exc

    def resolved_threads(self) -> int:
        if self.n_threads and self.n_threads > 0:
            return int(self.n_threads)
        import psutil

        return max(1, psutil.cpu_count(logical=False) or psutil.cpu_count() or 1)
