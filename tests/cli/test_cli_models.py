"""`hearth models info/import/remove/download` and `hearth hardware` as a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import onnxruntime
import psutil
import pytest

from desktop_app.cli import main
from desktop_app.core.library.registry import ModelRegistry


def test_list_json_carries_metadata_fields(capsys):
    assert main(["models", "list", "--json"]) == 0
    models = {m["name"]: m for m in json.loads(capsys.readouterr().out)}
    chat = models["SmolLM2-135M-Instruct"]
    assert {"name", "kind", "path", "size_bytes", "sha256", "context_length", "quantization", "architecture"} <= set(chat)
    assert (chat["quantization"], chat["context_length"], chat["architecture"]) == ("Q4_1", 8192, "llama")
    assert models["NanoDet-g"]["opset"] == 13 and models["NanoDet-g"]["label_count"] == 80


def test_info_by_path_and_name(tiny_gguf, capsys):
    assert main(["models", "info", str(tiny_gguf), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "gguf" and info["context_length"] == 512 and info["has_chat_template"] is True
    assert info["memory_estimate"]["n_ctx"] == 512 and info["memory_estimate"]["fits"] is True
    assert main(["models", "info", "EfficientNet-Lite0"]) == 0
    assert "opset: 17" in capsys.readouterr().out


def test_import_then_remove(tiny_gguf, capsys, data_dir):
    assert main(["models", "import", str(tiny_gguf), "--name", "Tiny"]) == 0
    assert "Imported 'Tiny'" in capsys.readouterr().out
    assert (data_dir / "models" / "Tiny.gguf").exists()
    assert main(["models", "import", str(tiny_gguf), "--name", "Tiny"]) == 1
    assert "already in the library" in capsys.readouterr().err
    assert main(["models", "remove", "Tiny"]) == 0
    assert not (data_dir / "models" / "Tiny.gguf").exists()


def test_bad_input_is_one_line_on_stderr(tmp_path, capsys):
    junk = tmp_path / "junk.gguf"
    junk.write_text("hello")
    assert main(["models", "import", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hearth: ") and err.count("\n") == 1 and "not a GGUF" in err
    assert main(["models", "remove", "SmolLM2-135M-Instruct"]) == 1
    assert "cannot be removed" in capsys.readouterr().err


@pytest.mark.allow_loopback
def test_download_url_with_progress_on_stderr_and_json_listing(model_server, tiny_gguf, data_dir):
    url = model_server.add("/files/tiny.gguf", tiny_gguf.read_bytes())
    sha = model_server.files["/files/tiny.gguf"].sha256
    env = {**os.environ, "HEARTH_DATA_DIR": str(data_dir)}
    done = subprocess.run([sys.executable, "-m", "desktop_app", "models", "download", "--url", url, "--sha256", sha,
                           "--name", "Fetched"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "sha256 verified" in done.stdout and "downloading" in done.stderr and "verifying" in done.stderr
    assert ModelRegistry().get("Fetched").source == "downloaded"
    bad = subprocess.run([sys.executable, "-m", "desktop_app", "models", "download", "--url", url, "--sha256", "1" * 64,
                          "--name", "Bad"], capture_output=True, text=True, timeout=120, env=env)
    assert bad.returncode == 1 and "does not match its sha256" in bad.stderr.splitlines()[-1]
    missing = subprocess.run([sys.executable, "-m", "desktop_app", "models", "download", "--url", url.replace("tiny.gguf", "absent.gguf")],
                             capture_output=True, text=True, timeout=120, env=env)
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr


def test_hardware_json_and_text(capsys):
    assert main(["hardware", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ram_total_bytes"] == psutil.virtual_memory().total
    assert report["cpu_count"] == psutil.cpu_count(logical=True)
    assert report["onnx_providers"] == onnxruntime.get_available_providers()
    assert main(["hardware"]) == 0
    text = capsys.readouterr().out
    memory = next(line for line in text.splitlines() if line.startswith("Memory:"))
    assert memory.endswith(f"free of {report['ram_total_bytes'] / 1e9:.1f} GB")  # decimal GB, as the pane
    assert f"onnxruntime: {', '.join(report['onnx_providers'])}" in text
    assert report["recommendation"] in text
