"""`hearth summarize` as a script would run it: JSON on stdout, one-line errors, history kept."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys

import pytest
from document_factory import english_paragraphs, write_docx, write_encrypted_pdf, write_pdf, write_scanned_pdf

from desktop_app.cli import main
from desktop_app.core import paths
from desktop_app.core.storage.store import Store


def hearth(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )


def test_json_summary_of_a_multi_part_pdf(tmp_path, tiny_2k, capsys):
    pages = ["\n\n".join(english_paragraphs(4, seed=p)) for p in range(6)]
    pdf = write_pdf(tmp_path / "report.pdf", pages)
    code = main(["summarize", str(pdf), "--model", str(tiny_2k), "--words", "60", "--style", "bullets", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert {"summary", "chunks", "source_tokens", "seconds", "model", "estimated_seconds", "cancelled"} <= set(result)
    assert result["model"] == "tiny-2k" and result["chunks"] > 1 and len(result["partials"]) == result["chunks"]
    assert result["source_tokens"] > 2048 and result["pages"] == 6 and result["format"] == "pdf"
    assert result["settings"]["target_words"] == 60 and result["settings"]["style"] == "bullets"
    history = Store(paths.database_path()).list_summaries()
    assert [(h.source_name, h.model, h.status) for h in history] == [("report.pdf", "tiny-2k", "done")]
    assert history[0].stats["chunks"] == result["chunks"]


def test_docx_streams_to_stdout_with_progress_on_stderr(tmp_path, tiny_2k, capsys):
    code = main(["summarize", str(write_docx(tmp_path / "a.docx")), "--model", str(tiny_2k), "--no-history"])
    assert code == 0
    captured = capsys.readouterr()
    assert captured.out.strip()
    assert "a.docx:" in captured.err and "1 part(s)" in captured.err
    assert Store(paths.database_path()).list_summaries() == []


def test_stdin_text(tiny_2k):
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "summarize", "-", "--model", str(tiny_2k), "--json", "--no-history"],
        input="The bridge opened in May. It cost 1200 pounds.",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["chunks"] == 1


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.pdf", "not found"),
        (lambda d: _write(d / "empty.txt", b""), "is empty"),
        (lambda d: _write(d / "junk.pdf", os.urandom(2048)), "not a readable PDF"),
        (lambda d: _write(d / "junk.docx", os.urandom(2048)), "not a readable Word document"),
        (lambda d: _write(d / "sheet.xlsx", b"PK"), "cannot be summarized"),
        (lambda d: write_scanned_pdf(d / "scan.pdf"), "no text layer"),
        (lambda d: write_encrypted_pdf(d / "locked.pdf"), "password-protected"),
        (lambda d: _sparse(d / "huge.pdf", 500), "too large"),
    ],
)
def test_bad_documents_are_one_plain_line_and_nonzero_exit(tmp_path, make, message):
    result = hearth("summarize", str(make(tmp_path)))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_bad_options_are_refused(tmp_path, tiny_2k):
    text = write_pdf(tmp_path / "a.pdf", ["Hello there."])
    result = hearth("summarize", str(text), "--style", "haiku")
    assert result.returncode == 2 and "invalid choice" in result.stderr
    result = hearth("summarize", str(text), "--model", "no-such-model")
    assert result.returncode != 0 and "No model named" in result.stderr and "Traceback" not in result.stderr


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _sparse(path, megabytes: int):
    with open(path, "wb") as handle:
        handle.truncate(megabytes * 1024 * 1024)
    return path


def test_ctrl_c_stops_and_prints_the_partial_results(tmp_path, tiny_2k):
    import signal

    text = tmp_path / "long.txt"
    text.write_text("\n\n".join(english_paragraphs(60)), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "summarize", str(text), "--model", str(tiny_2k), "--no-history"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("hearth: part 2 of"):  # part 1 is done
            process.send_signal(signal.SIGINT)
            break
    out, err = process.communicate(timeout=120)
    err = "".join(seen) + err
    assert process.returncode == 130, err
    assert out.strip(), "the finished partial summaries are printed"
    assert "cancelled after" in err and "Traceback" not in err


def test_a_summary_estimated_past_30_minutes_needs_yes(tmp_path, tiny_2k, capsys, monkeypatch):
    from desktop_app.core.documents import estimate

    monkeypatch.setattr(estimate, "LONG_JOB_SECONDS", 0)  # the tiny model is fast: make every job "long"
    text = tmp_path / "minutes.txt"
    text.write_text("The committee met on Tuesday. The bridge opened in May.\n", encoding="utf-8")
    assert main(["summarize", str(text), "--model", str(tiny_2k), "--no-history"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was started
    assert re.fullmatch(r"hearth: This summary would read about \d+ tokens in 1 part\(s\) and take about 1 minute on "
                        r"this computer \(estimated\); it was not started: run it again with --yes to start it anyway, "
                        r"or give it a shorter document\.", captured.err.strip())
    assert main(["summarize", str(text), "--model", str(tiny_2k), "--no-history", "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] is not None
