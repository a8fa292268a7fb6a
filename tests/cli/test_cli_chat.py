"""`hearth chat` and `hearth models list` as a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from desktop_app.cli import main


def hearth(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_models_list_json_names_the_default_model(capsys):
    assert main(["models", "list", "--json"]) == 0
    models = json.loads(capsys.readouterr().out)
    chat = [m for m in models if m["kind"] == "gguf"]
    assert chat and {"name", "kind", "path", "size_bytes"} <= set(chat[0])
    assert chat[0]["name"] == "SmolLM2-135M-Instruct" and chat[0]["size_bytes"] == 98_362_432


def test_chat_with_a_path_to_a_tiny_model_prints_json(tiny_gguf, capsys):
    code = main(["chat", "--model", str(tiny_gguf), "--temperature", "0", "--max-tokens", "8", "--json", "hello"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert {"reply", "prompt_tokens", "completion_tokens", "ttft_s", "tokens_per_s", "model"} <= set(result)
    assert result["model"] == "tiny-llama" and 0 < result["completion_tokens"] <= 8


@pytest.mark.parametrize(
    "args, message",
    [
        (["--model", "/nonexistent/model.gguf"], "not found"),
        (["--model", "no-such-model"], "No model named"),
    ],
)
def test_bad_model_is_one_plain_line_and_nonzero_exit(args, message):
    result = hearth("chat", *args, "hello")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_corrupt_gguf_is_one_plain_line(tmp_path):
    bad = tmp_path / "corrupt.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    result = hearth("chat", "--model", str(bad), "hello")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "corrupt.gguf" in result.stderr


def test_empty_prompt_is_refused(tiny_gguf):
    result = hearth("chat", "--model", str(tiny_gguf), "   ")
    assert result.returncode != 0 and "empty" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_chat_json_answers_paris_with_the_default_model():
    result = hearth(
        "chat", "--system", "You are a helpful assistant.", "--temperature", "0", "--json", "What is the capital of France?"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Paris" in data["reply"]
    assert data["model"] == "SmolLM2-135M-Instruct"
    assert data["prompt_tokens"] > 10 and data["completion_tokens"] > 0
    assert data["ttft_s"] > 0 and data["tokens_per_s"] > 0


@pytest.mark.slow
def test_chat_streams_plain_text_to_stdout():
    result = hearth(
        "chat", "--system", "You are a helpful assistant.", "--temperature", "0", "--max-tokens", "24",
        "What is the capital of France?",
    )
    assert result.returncode == 0 and "Paris" in result.stdout
    assert result.stderr == ""


def test_speculative_switch_keeps_the_greedy_reply_and_reports_tokens_per_step(tiny_gguf, capsys):
    base = ["chat", "--model", str(tiny_gguf), "--temperature", "0", "--max-tokens", "24", "--json", "x y z x y z x y"]
    replies = {}
    for switch in ("off", "on"):
        assert main([*base, "--speculative", switch]) == 0
        replies[switch] = json.loads(capsys.readouterr().out)
    assert replies["on"]["reply"] == replies["off"]["reply"]
    assert replies["off"]["speculative"] is False and replies["off"]["draft_tokens"] == 0
    assert replies["off"]["tokens_per_step"] == 1.0
    assert replies["on"]["speculative"] is True and replies["on"]["tokens_per_step"] >= 1.0


def test_sampled_replies_draft_and_report_tokens_per_step(tiny_gguf, capsys):
    base = ["chat", "--model", str(tiny_gguf), "--temperature", "0.8", "--seed", "3", "--max-tokens", "24", "--json",
            "x y z x y z x y"]
    replies = {}
    for switch in ("off", "on"):
        assert main([*base, "--speculative", switch]) == 0
        replies[switch] = json.loads(capsys.readouterr().out)
    assert replies["off"]["speculative"] is False and replies["off"]["tokens_per_step"] == 1.0
    on = replies["on"]
    assert on["speculative"] is True and 0 <= on["accepted_tokens"] <= on["draft_tokens"]
    assert on["tokens_per_step"] == round(on["completion_tokens"] / (on["completion_tokens"] - on["accepted_tokens"]), 3)
