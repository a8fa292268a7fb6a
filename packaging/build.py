"""Build the one-folder bundle (dist/hearth/) and, with --archive, the archive users download.

    python packaging/build.py [--if-stale] [--archive] [--self-test]

--if-stale skips PyInstaller when dist/hearth was built from the same sources and
installed packages (a fingerprint kept in build/); tests use it so a suite run builds
at most once. Builds are serialised with a lock file: two at once would share build/.
--self-test runs the frozen `hearth self-test --json` of the built bundle with a fresh data dir
(`make bundle-selftest`, the last step of .github/workflows/bundle.yml on every platform).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "hearth"
WORK = ROOT / "build"
FINGERPRINT = WORK / "hearth-bundle.fingerprint"
SOURCES = ("desktop_app", "models", "assets", "packaging")
sys.path.insert(0, str(Path(__file__).resolve().parent))
ICON_SIZES = [16, 24, 32, 48, 64, 128, 256]


def executable_path(bundle: Path = BUNDLE) -> Path:
    if sys.platform == "win32":
        return bundle / "hearth-cli.exe"
    if sys.platform == "darwin":
        return DIST / "Hearth.app" / "Contents" / "MacOS" / "Hearth"
    return bundle / "hearth"


def fingerprint() -> str:
    """Changes whenever a file that goes into the bundle, or an installed package, changes."""
    digest = hashlib.sha256(f"{sys.version} {platform.platform()}".encode())
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def is_fresh() -> bool:
    return executable_path().is_file() and FINGERPRINT.is_file() and FINGERPRINT.read_text() == fingerprint()


@contextmanager
def build_lock():
    WORK.mkdir(exist_ok=True)
    with open(WORK / "package.lock", "w") as handle:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)  # waits for a build already running
        yield


def make_icons() -> None:
    """hearth.ico (Windows) and hearth.icns (macOS) from the one 512 px master."""
    from PIL import Image

    master = Image.open(ROOT / "assets" / "hearth-512.png").convert("RGBA")
    icons = WORK / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    master.save(icons / "hearth.ico", sizes=[(s, s) for s in ICON_SIZES])
    master.save(icons / "hearth.icns")


def run_pyinstaller() -> None:
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level=WARN",
        "--distpath", str(DIST), "--workpath", str(WORK / "pyinstaller"),
        str(ROOT / "packaging" / "hearth.spec"),
    ]
    subprocess.run(command, check=True, cwd=ROOT)


def add_linux_desktop_files() -> None:
    """The menu entry, its icon and the script that installs both for the current user."""
    linux = ROOT / "packaging" / "linux"
    for name in ("hearth.desktop", "install-desktop-entry.sh"):
        shutil.copy2(linux / name, BUNDLE / name)
    shutil.copy2(ROOT / "assets" / "hearth-512.png", BUNDLE / "hearth.png")


def build(if_stale: bool) -> None:
    with build_lock():
        if if_stale and is_fresh():
            print(f"{BUNDLE} is up to date")
            return
        started = time.monotonic()
        FINGERPRINT.unlink(missing_ok=True)
        make_icons()
        run_pyinstaller()
        if sys.platform.startswith("linux"):
            from shrink import shrink  # packaging/shrink.py, next to this file

            for step, size in shrink(BUNDLE).items():
                print(f"{step}: {size / 1e6:.1f} MB saved")
            add_linux_desktop_files()
        FINGERPRINT.write_text(fingerprint())
        print(f"built {BUNDLE} in {time.monotonic() - started:.0f} s, {folder_size(BUNDLE) / 1e6:.0f} MB")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def archive_name() -> str:
    from desktop_app import __version__

    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return f"hearth-{__version__}-{system}-{machine}"


def make_archive() -> Path:
    if sys.platform.startswith("linux"):
        target = DIST / f"{archive_name()}.tar.gz"
        with tarfile.open(target, "w:gz", compresslevel=6) as tar:
            tar.add(BUNDLE, arcname="hearth")
        return target
    source = DIST / "Hearth.app" if sys.platform == "darwin" else BUNDLE
    return Path(shutil.make_archive(str(DIST / archive_name()), "zip", source.parent, source.name))


def self_test() -> int:
    """The frozen `hearth self-test --json`, run as a user would: no Python variables, a fresh data dir."""
    executable = executable_path()
    if not executable.is_file():
        print(f"{executable} is missing: build the bundle first (make package)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="hearth self-test ") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["HEARTH_DATA_DIR"] = data
        done = subprocess.run([str(executable), "self-test", "--json"], env=env, capture_output=True, encoding="utf-8", errors="replace", timeout=1800)
    print(done.stdout)
    print(done.stderr, file=sys.stderr)
    try:
        passed = json.loads(done.stdout)["passed"] is True
    except (ValueError, KeyError, TypeError):
        passed = False
    if done.returncode != 0 or not passed:
        print(f"the frozen self-test failed (exit code {done.returncode})", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-stale", action="store_true", help="skip the build when dist/hearth is up to date")
    parser.add_argument("--archive", action="store_true", help="also write the archive users download")
    parser.add_argument("--self-test", action="store_true", help="only run the frozen self-test of the built bundle")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    sys.path.insert(0, str(ROOT))
    build(args.if_stale)
    if args.archive:
        target = make_archive()
        print(f"wrote {target} ({target.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
