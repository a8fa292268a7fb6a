"""The log file never holds message or document text, not even inside an exception's message."""

from __future__ import annotations

import logging
import uuid

import pytest
from document_factory import english_paragraphs, write_text
from gguf_factory import CHATML, write_tiny_llama

from desktop_app.cli import main
from desktop_app.core import logs

# passes the probe's one-word trial, then quotes the user's question in its error, as a hostile template can
QUOTING_TEMPLATE = (
    "{% if messages[-1]['content'] != 'test' %}{{ raise_exception('cannot answer: ' + messages[-1]['content']) }}"
    "{% endif %}" + CHATML
)


@pytest.fixture
def log_file(data_dir):
    """A fresh Hearth log under this test's data dir, at DEBUG so nothing hides below the threshold."""
    root = logging.getLogger()
    before_level = root.level
    earlier = [h for h in root.handlers if getattr(h, "_hearth", False)]
    for handler in earlier:
        root.removeHandler(handler)
    path = logs.configure(logging.DEBUG)
    assert path is not None
    yield path
    for handler in [h for h in root.handlers if getattr(h, "_hearth", False)]:
        root.removeHandler(handler)
        handler.close()
    for handler in earlier:
        root.addHandler(handler)
    root.setLevel(before_level)


def _logged(path: str) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_chat_and_summarize_leave_no_user_text_in_the_log(tmp_path, log_file, capsys):
    marker = f"ZEBRA{uuid.uuid4().hex}"
    chat_model = write_tiny_llama(tmp_path / "tiny.gguf")
    quoting_model = write_tiny_llama(tmp_path / "quoting.gguf", chat_template=QUOTING_TEMPLATE)
    summary_model = write_tiny_llama(tmp_path / "tiny-2k.gguf", context_length=2048)
    document = write_text(tmp_path / "notes.txt", "\n\n".join(english_paragraphs(6) + [f"The code word is {marker}."]))
    question = f"What does {marker} mean?"

    assert main(["chat", "--model", str(chat_model), "--temperature", "0", "--max-tokens", "4", question]) == 0
    assert main(["chat", "--model", str(quoting_model), "--max-tokens", "4", question]) != 0
    assert main(["summarize", str(document), "--model", str(summary_model), "--words", "20", "--no-history"]) == 0
    err = capsys.readouterr().err
    assert "chat template failed on this conversation (ValueError)" in err and marker not in err

    logging.getLogger("hearth.test").exception("a stray log call with user text: %s", "none", exc_info=ValueError(marker))
    text = _logged(log_file)
    assert "ValueError (message not logged)" in text  # the traceback itself is kept
    assert marker not in text


def test_an_unexpected_error_quoting_the_document_is_logged_as_its_type_only(tmp_path, log_file, monkeypatch, capsys):
    marker = f"ZEBRA{uuid.uuid4().hex}"
    document = write_text(tmp_path / "notes.txt", "plain words")

    def parser_that_quotes(*_args, **_kwargs):
        try:
            raise KeyError(f"unexpected token near '{marker}'")
        except KeyError as exc:
            raise RuntimeError(f"could not parse: {marker}") from exc

    monkeypatch.setattr("desktop_app.commands.summarize.load_document", parser_that_quotes)
    assert main(["summarize", str(document), "--no-history"]) == 70
    capsys.readouterr()
    text = _logged(log_file)
    assert "KeyError (message not logged)" in text and "RuntimeError (message not logged)" in text
    assert "direct cause" in text and "parser_that_quotes" in text  # the frames are still there
    assert marker not in text
