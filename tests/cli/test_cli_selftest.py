"""`hearth self-test` on the real default models, a broken bundle, and the hidden startup probe."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core import paths
PANE_JOBS = {"models", "chat", "summarize", "classify", "detect"}
# written out, not read from main_window.PANES: a pane dropped from that list must fail here
EVERY_PANE = ["chat", "summarize", "classify", "detect", "models", "evaluate", "serve"]


@pytest.mark.slow
def test_self_test_runs_every_default_model_and_passes(capsys):
    assert main(["self-test", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True and report["frozen"] is False
    jobs = report["jobs"]
    assert {j["job"] for j in jobs} == PANE_JOBS
    assert all(j["ok"] for j in jobs), jobs
    vision_models = {j["model"] for j in jobs if j["job"] in {"classify", "detect"}}
    assert vision_models == {"EfficientNet-Lite0", "CenterNet-MobileNetV3", "NanoDet-g"}
    assert "Paris" in next(j["result"] for j in jobs if j["job"] == "chat")
    assert all(j["seconds"] > 0 and j["peak_rss_mb"] > 50 for j in jobs)


def _vision_only_bundle(folder: Path, broken: str) -> Path:
    """A copy of models/ with only the ONNX defaults, one of them replaced by junk."""
    source = paths.bundled_models_dir()
    shutil.copytree(source / "labels", folder / "labels")
    manifest = json.loads((source / "defaults.json").read_text(encoding="utf-8"))
    models = [m for m in manifest["models"] if m["kind"] == "onnx"]
    for spec in models:
        shutil.copy(source / spec["sidecar"], folder / spec["sidecar"])
        if spec["name"] == broken:
            (folder / spec["file"]).write_bytes(b"this is not an onnx graph")
            spec["sha256"] = None  # the models job passes; loading it must fail
        else:
            shutil.copy(source / spec["file"], folder / spec["file"])
    (folder / "defaults.json").write_text(json.dumps({"models": models}), encoding="utf-8")
    return folder


@pytest.mark.slow  # runs the real default vision models
def test_a_broken_model_fails_its_job_and_the_exit_code_but_not_the_others(tmp_path, monkeypatch, capsys):
    bundle = _vision_only_bundle(tmp_path / "models", broken="EfficientNet-Lite0")
    monkeypatch.setattr(paths, "bundled_models_dir", lambda: bundle)
    assert main(["self-test"]) == 1
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[2:-1]}
    assert "FAIL" in lines["classify"] and "EfficientNet-Lite0" in lines["classify"]
    assert "FAIL" not in lines["models"] and "cat" in lines["detect"]
    assert out.splitlines()[-1] == "FAILED: classify"


def test_no_bundled_models_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "bundled_models_dir", lambda: tmp_path / "nothing-here")
    assert main(["self-test", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False
    assert report["jobs"][0]["job"] == "models" and "no bundled models" in report["jobs"][0]["result"]


@pytest.mark.slow  # building every pane loads the real default models in the child
def test_startup_probe_shows_the_main_window_and_quits(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "_startup-probe"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    line, panes = done.stdout.strip().splitlines()[-2:]
    assert line.startswith("startup_s=") and "'Hearth'" in line
    assert panes == f"panes={EVERY_PANE!r}"
    assert 0 < float(line.split()[0].split("=")[1]) < 60
