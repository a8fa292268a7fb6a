"""`hearth engines add|list|remove` and `--engine` on chat and summarize, against a real server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.core.settings import Settings
from serve_factory import free_port, running_server

pytestmark = pytest.mark.allow_loopback


@pytest.fixture(scope="module")
def server(tiny_gguf):
    # 2048: what a client assumes of a server that does not say its context (llama-cpp-python's)
    with running_server(tiny_gguf, n_ctx=2048) as running:
        yield running


def test_add_list_chat_remove(server, capsys):
    assert main(["engines", "add", "box", server.url]) == 0
    assert Settings.load().engines[0]["base_url"] == server.base_url
    capsys.readouterr()
    assert main(["engines", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["name"] == "box" and listed[0]["models"] == ["tiny-llama"]
    assert main(["chat", "--engine", "box", "--temperature", "0", "--max-tokens", "24", "--json", "hello there"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["engine"] == server.url and reply["model"] == "tiny-llama" and 0 < reply["completion_tokens"] <= 24
    assert reply["prompt_tokens"] > 0  # counted by the server's tokenizer: this server sends no usage
    assert main(["engines", "remove", "box"]) == 0
    assert Settings.load().engines == []


def test_summarize_with_a_one_off_url(server, tmp_path, capsys):
    document = tmp_path / "notes.txt"
    document.write_text("The cat sat on the mat. " * 40, encoding="utf-8")
    code = main(["summarize", str(document), "--engine", server.url, "--no-history", "--length", "short", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["engine"] == server.url and result["summary"].strip() and not result["cancelled"]


def test_unreachable_engine_is_one_line_and_never_a_local_fallback(capsys):
    code = main(["chat", "--engine", f"http://127.0.0.1:{free_port()}", "hello"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert "Could not reach" in captured.err and len(captured.err.strip().splitlines()) == 1


def test_an_unknown_engine_name_says_how_to_add_one(capsys):
    assert main(["chat", "--engine", "nowhere", "hello"]) == 1
    assert "hearth engines add" in capsys.readouterr().err


def test_eval_speed_times_a_remote_model(server, capsys):
    code = main(["eval", "speed", "--engine", server.url, "--shapes", "64/16", "--reps", "1", "--no-history", "--json"])
    assert code == 0
    row = json.loads(capsys.readouterr().out)["language"][0]
    assert row["status"] == "ok" and row["device"] == "remote" and row["name"].startswith("tiny-llama @ ")
    shape = row["shapes"][0]
    assert shape["status"] == "measured" and shape["prompt_tps"]["median"] > 0 and shape["reps"][0]["generated"] > 0
    assert row["energy"] is None and any(server.url in note for note in row["notes"])


def test_a_grammar_constrains_a_remote_reply(server):
    from desktop_app.core.llm.types import ChatMessage
    from desktop_app.core.remote.client import RemoteEngine
    from desktop_app.core.sampling import SamplingParams

    with RemoteEngine(server.url) as engine:
        engine.connect()
        sampling = SamplingParams(temperature=0.9, seed=3, max_tokens=8)
        # the tiny random model writes noise unless the server applies the grammar Hearth sends
        replies = {engine.chat([ChatMessage("user", f"question {i}")], sampling, grammar='root ::= "yes" | "no"').text
                   for i in range(3)}
    assert replies <= {"yes", "no"}


def test_extract_runs_on_a_remote_engine(server, tmp_path, capsys):
    from document_factory import write_contracts

    folder = tmp_path / "in"
    write_contracts(folder, 2)
    code = main(["extract", str(folder), "--fields", "client, start date", "--engine", server.url, "--json"])
    assert code == 0
    table = json.loads(capsys.readouterr().out)
    assert [r["document"] for r in table["rows"]] == ["contract-01.txt", "contract-02.txt"]
    assert all(r["read"].startswith("Read ") and not r["error"] for r in table["rows"])
