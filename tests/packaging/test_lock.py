"""The lock: uv.lock matches pyproject.toml, the files `make setup` installs from are what `make lock` makes of
it, and this venv holds exactly the locked versions (a set-up that resolved anything anew fails here)."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest's own TOML reader
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
UV = Path(sys.executable).with_name("uv.exe" if sys.platform == "win32" else "uv")
EXPORT = ["export", "--frozen", "--all-extras", "--no-emit-project", "--format", "requirements-txt", "--no-header"]


def uv(*args: str) -> subprocess.CompletedProcess:
    # --offline: the check reads the lock and pyproject.toml only; a lock that needs resolving again fails
    return subprocess.run([str(UV), *args, "--offline"], cwd=ROOT, capture_output=True, text=True, timeout=120)


def body(text: str) -> str:
    """The requirement lines without the file's own comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


def locked_pins(text: str) -> dict[str, tuple[str, str | None]]:
    """{name: (version, marker)} of a requirements file written by `uv export`."""
    pins = {}
    for line in text.splitlines():
        found = re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+))?", line)
        if found:
            pins.setdefault(canonicalize_name(found[1]), []).append((found[2], (found[3] or "").strip() or None))
    return pins


def test_uv_lock_matches_pyproject():
    done = uv("lock", "--check")
    assert done.returncode == 0, f"uv.lock does not match pyproject.toml: run `make lock`\n{done.stderr}"


def test_uv_lock_check_fails_when_pyproject_changes(tmp_path):
    """The check above is not vacuous: a range the lock does not satisfy is caught."""
    for name in ("uv.lock", "README.md"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"psutil>=6,<8"' in pyproject
    (tmp_path / "pyproject.toml").write_text(pyproject.replace('"psutil>=6,<8"', '"psutil>=6,<6.1"'), encoding="utf-8")
    done = subprocess.run([str(UV), "lock", "--check", "--offline"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0


def test_requirements_files_are_the_export_of_uv_lock():
    done = uv(*EXPORT, "--no-emit-package", "llama-cpp-python")
    assert done.returncode == 0, done.stderr
    locked = (ROOT / "requirements" / "locked.txt").read_text(encoding="utf-8")
    assert body(locked) == body(done.stdout), "requirements/locked.txt is not uv.lock's export: run `make lock`"
    assert not re.search(r"^llama-cpp-python==", locked, re.MULTILINE)


def test_llama_cpp_source_is_pinned_by_sha256_from_the_lock():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (package,) = [p for p in lock["package"] if p["name"] == "llama-cpp-python"]
    pin = (ROOT / "requirements" / "llama-cpp-python.txt").read_text(encoding="utf-8")
    assert f"llama-cpp-python=={package['version']} " in pin
    assert f"--hash={package['sdist']['hash']}" in pin
    installed = importlib.metadata.version("llama-cpp-python")
    assert installed == package["version"]
    # scripts/build_llama.sh records which build it installed: version, source sha256 and backend
    built = (Path(sys.prefix) / ".llama-build").read_text(encoding="utf-8")
    assert built.startswith(f"llama-{package['version']}-{package['sdist']['hash'].removeprefix('sha256:')[:12]}")


def test_this_venv_holds_the_locked_versions():
    """Every package the lock names for this platform and Python is installed at the locked version."""
    pins = locked_pins((ROOT / "requirements" / "locked.txt").read_text(encoding="utf-8"))
    env = default_environment()
    wrong, checked = [], 0
    for name, choices in pins.items():
        versions = [v for v, marker in choices if marker is None or Requirement(f"x ; {marker}").marker.evaluate(env)]
        if not versions:
            continue  # another platform's or Python's package
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            wrong.append(f"{name} missing (locked {versions[0]})")
            continue
        checked += 1
        if installed not in versions:
            wrong.append(f"{name} {installed} (locked {versions[0]})")
    assert checked > 100
    assert not wrong, "installed versions differ from the lock: " + ", ".join(wrong)


@pytest.mark.parametrize("requirement", tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                         ["project"]["dependencies"])
def test_every_dependency_is_locked(requirement):
    name = canonicalize_name(Requirement(requirement).name)
    pins = locked_pins((ROOT / "requirements" / "locked.txt").read_text(encoding="utf-8"))
    if name == "llama-cpp-python":
        pins = locked_pins((ROOT / "requirements" / "llama-cpp-python.txt").read_text(encoding="utf-8"))
    assert name in pins
    assert all(Requirement(requirement).specifier.contains(version) for version, _ in pins[name])
