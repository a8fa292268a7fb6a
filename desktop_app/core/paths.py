"""The one place that knows where files live.

User data (database, settings, imported and downloaded models, logs) goes to
the platform's user data dir, or to ``$HEARTH_DATA_DIR`` when set (tests use
it). Bundled defaults are read in place and never written to.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import platformdirs

from desktop_app import APP_NAME

from desktop_app.core.texts import translate

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


def model_file_problem(path: Path) -> str | None:
    """None for a regular file; otherwise one sentence saying what the name points at instead."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return translate("ModelErrors", "{name} is a symbolic link that loops back on itself, not a model "
                                            "file.").fill(name=path.name)
        if path.is_symlink():
            return translate("ModelErrors", "{name} is a symbolic link to a file that does not exist.").fill(
                name=path.name)
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return translate("ModelErrors", "Model file not found: {path}").fill(path=path)
        return translate("ModelErrors", "{name} cannot be read (permission denied or a disk error).").fill(
            name=path.name)
    if stat.S_ISDIR(mode):
        return translate("ModelErrors", "{name} is a folder, not a model file. Choose the model file inside "
                                        "it.").fill(name=path.name)
    if not stat.S_ISREG(mode):
        return translate("ModelErrors", "{name} is not a regular file (a device or a pipe), so it cannot be a "
                                        "model.").fill(name=path.name)
    return None


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


LLAMA_SERVER = "llama-server.exe" if sys.platform == "win32" else "llama-server"


def llama_server_being_built(venv: Path | None = None) -> bool:
    """True while `make run` builds llama-server in the background (scripts/build_llama.sh marks it in the venv)."""
    marker = (venv or Path(sys.prefix)) / ".llama-server-building"
    try:
        pid = int(marker.read_text().strip())
    except (OSError, ValueError):
        return False
    import psutil

    return psutil.pid_exists(pid)


def llama_server_binary() -> Path | None:
    """llama.cpp's server: in the bundle, next to the venv's python (make server puts it there), else on PATH."""
    import shutil

    for folder in (bundle_root(), bundle_root() / "bin", Path(sys.executable).parent):
        candidate = folder / LLAMA_SERVER
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(LLAMA_SERVER)
    return Path(found) if found else None
