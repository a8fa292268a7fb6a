"""Telemetry is off before any library runs, in every entry point; online activity is counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from desktop_app.core.privacy import TELEMETRY_SWITCHES, NetworkActivity

SHOW = (
    "import json, os, sys; {imports}; "
    "import huggingface_hub.constants as c; "
    "print(json.dumps({{'env': {{k: os.environ.get(k) for k in {keys!r}}}, "
    "'hf_telemetry_off': c.HF_HUB_DISABLE_TELEMETRY, 'ort_loaded': 'onnxruntime' in sys.modules}}))"
)


def _run(imports: str) -> dict:
    env = {**os.environ, "ORT_DISABLE_TELEMETRY": "0", "HF_HUB_DISABLE_TELEMETRY": "0", "DO_NOT_TRACK": ""}
    code = SHOW.format(imports=imports, keys=sorted(TELEMETRY_SWITCHES))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_any_entry_point_switches_telemetry_off_before_the_libraries_load():
    # the vision engine imports onnxruntime at module level: the switches must already be set
    seen = _run("import desktop_app.core.vision.engine")
    assert seen["ort_loaded"]
    assert seen["env"] == TELEMETRY_SWITCHES
    assert seen["hf_telemetry_off"] is True


def test_the_cli_entry_point_switches_telemetry_off():
    seen = _run("import desktop_app.cli")
    assert seen["env"] == TELEMETRY_SWITCHES


def test_network_activity_counts_nested_operations_and_tells_listeners_once_per_change():
    activity = NetworkActivity()
    changes = []
    unsubscribe = activity.subscribe(changes.append)
    assert not activity.is_online()
    with activity.online("huggingface.co"):
        with activity.online("huggingface.co"):
            assert activity.hosts() == ["huggingface.co"]
        assert activity.is_online()
    assert not activity.is_online() and activity.hosts() == []
    assert changes == [True, False]
    unsubscribe()
    with activity.online("example.org"):
        pass
    assert changes == [True, False]


def test_network_activity_ends_when_the_operation_raises():
    activity = NetworkActivity()
    try:
        with activity.online("example.org"):
            raise OSError("dropped")
    except OSError:
        pass
    assert not activity.is_online()
