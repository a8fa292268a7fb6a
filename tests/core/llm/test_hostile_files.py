"""Hostile model paths and headers get one plain sentence each; a character cut by the end of a
generation is never shown as U+FFFD."""

from __future__ import annotations

import os
import struct

import pytest

from desktop_app.core.errors import InvalidModelFile, ModelLoadError
from desktop_app.core.library.importing import validate_model_file
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.text_stream import TextStream

MAX_SENTENCE = 160  # a message the user reads in a pane, not a log dump


def _gguf_header(n_tensors: int, n_kv: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, n_tensors, n_kv)


def _gguf_string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


HUGE_HEADERS = {
    "kv-count-in-billions": _gguf_header(0, 2_000_000_000),
    "string-array-of-50-million": _gguf_header(0, 1)
    + _gguf_string("tokenizer.ggml.tokens")
    + struct.pack("<IIQ", 9, 8, 50_000_000),  # type ARRAY of STRING, 50 M entries, then the file ends
    "string-of-a-terabyte": _gguf_header(0, 1) + _gguf_string("general.name") + struct.pack("<IQ", 8, 1 << 40),
    "tensor-count-in-trillions": _gguf_header(10**12, 0),
}


@pytest.mark.parametrize("content", HUGE_HEADERS.values(), ids=HUGE_HEADERS.keys())
def test_a_huge_header_is_one_short_sentence_without_llama_cpp_log(tmp_path, content):
    path = tmp_path / "huge.gguf"
    path.write_bytes(content + b"\0" * 64)
    with pytest.raises(ModelLoadError) as caught:
        LlamaEngine().load(path)
    message = str(caught.value)
    assert message.startswith("huge.gguf has a damaged or implausible header"), message
    assert len(message) < MAX_SENTENCE and "llama_model" not in message and "gguf_init" not in message


def _loop(tmp_path):
    link = tmp_path / "loop.gguf"
    link.symlink_to(link)
    return link


def _dangling(tmp_path):
    link = tmp_path / "dangling.gguf"
    link.symlink_to(tmp_path / "gone.gguf")
    return link


def _folder(tmp_path):
    folder = tmp_path / "folder.gguf"
    folder.mkdir()
    return folder


def _fifo(tmp_path):
    fifo = tmp_path / "pipe.gguf"
    os.mkfifo(fifo)
    return fifo


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and pipes")
@pytest.mark.parametrize(
    "make, message",
    [
        (_loop, "loop.gguf is a symbolic link that loops back on itself"),
        (_dangling, "dangling.gguf is a symbolic link to a file that does not exist"),
        (_folder, "folder.gguf is a folder, not a model file"),
        (_fifo, "pipe.gguf is not a regular file"),
    ],
    ids=["symlink-loop", "dangling-link", "folder", "fifo"],
)
def test_a_name_that_is_not_a_model_file_says_what_it_is(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(ModelLoadError, match=message):
        LlamaEngine().load(path)
    with pytest.raises(InvalidModelFile, match=message):
        validate_model_file(path)


def test_a_character_cut_by_the_end_of_a_generation_is_dropped_not_replaced():
    out: list[str] = []
    stream = TextStream([], out.append)
    data = "北京".encode()
    stream.feed(data[:2])  # one piece ends inside the 3-byte 北
    stream.feed(data[2:4])  # the next finishes it and starts 京
    stream.feed(data[4:5])  # the token limit stops generation one byte short of 京's end
    assert stream.finish() == "北" and "".join(out) == "北"


def test_invalid_bytes_the_model_wrote_mid_stream_stay_marked():
    stream = TextStream(["<|im_end|>"], None)
    stream.feed("好".encode()[:1])
    assert stream.feed(b"<|im_end|>")  # invalid here: the lead byte is followed by ASCII
    assert stream.finish() == "\ufffd"  # what the model wrote mid-stream is kept, marked as invalid
