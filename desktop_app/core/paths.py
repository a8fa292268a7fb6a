"""The one place that knows where files live.

User data (database, settings, imported and downloaded models, logs) goes to
the platform's user data dir, or to ``$HEARTH_DATA_DIR`` when set (tests use
it). Bundled defaults are read in place and never written to.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from desktop_app import APP_NAME

DATA_DIR_ENV = "HEARTH_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    return data_dir() / "hearth.sqlite3"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def library_dir() -> Path:
    """Where imported and downloaded models are copied to."""
    return data_dir() / "models"


def log_dir() -> Path:
    return data_dir() / "logs"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """Root of the read-only app resources: the PyInstaller bundle or the source tree."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def bundled_models_dir() -> Path:
    return bundle_root() / "models"


def assets_dir() -> Path:
    return bundle_root() / "assets"
