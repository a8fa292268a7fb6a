"""GGUF header metadata: the real default model, tiny synthetic models, and broken files."""

from __future__ import annotations

import struct

import gguf
import pytest

from desktop_app.core.errors import InvalidModelFile
from desktop_app.core.llm import gguf_info
from desktop_app.core.llm.gguf_info import format_parameters, read_gguf_info
from gguf_factory import write_tiny_llama


def read_recording_reach(path, monkeypatch):
    """read_gguf_info, and the furthest byte its header cursor reached."""
    reach = [0]

    class Recording(gguf_info._Cursor):
        def take(self, fmt):
            value = super().take(fmt)
            reach[0] = max(reach[0], self.pos)
            return value

        def string(self, limit: int = 1 << 26) -> str:
            value = super().string(limit)
            reach[0] = max(reach[0], self.pos)
            return value

        def skip_array(self, elem_type: int, count: int) -> None:
            super().skip_array(elem_type, count)
            reach[0] = max(reach[0], self.pos)

    monkeypatch.setattr(gguf_info, "_Cursor", Recording)
    return read_gguf_info(path), reach[0]


def assert_header_only(path, reach: int) -> None:
    """The cursor read the whole tensor table and stopped where the (aligned) tensor data starts."""
    data_offset = gguf.GGUFReader(str(path)).data_offset
    assert data_offset - gguf_info.DEFAULT_ALIGNMENT < reach <= data_offset, (reach, data_offset)


def test_only_the_header_is_read(tiny_gguf, monkeypatch):
    info, reach = read_recording_reach(tiny_gguf, monkeypatch)
    assert info.tensor_count == 21
    assert_header_only(tiny_gguf, reach)


@pytest.mark.slow
def test_real_default_model_metadata(default_chat_model, monkeypatch):
    info, reach = read_recording_reach(default_chat_model, monkeypatch)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.block_count == 30 and info.head_count == 9 and info.head_count_kv == 3
    assert info.key_length == info.value_length == 64
    assert info.vocab_size == 49152
    assert info.has_chat_template and info.license == "apache-2.0"
    assert 134e6 < info.parameter_count < 136e6 and format_parameters(info.parameter_count) == "135M"
    assert info.kv_bytes_per_token() == 30 * 3 * (64 + 64) * 2
    assert_header_only(default_chat_model, reach)  # tensors are never read


def test_tiny_model_matches_the_gguf_package_reader(tiny_gguf):
    info = read_gguf_info(tiny_gguf)
    reader = gguf.GGUFReader(str(tiny_gguf))
    assert info.parameter_count == sum(int(t.n_elements) for t in reader.tensors)
    assert info.tensor_count == len(reader.tensors)
    assert (info.architecture, info.quantization, info.context_length) == ("llama", "F32", 512)
    assert (info.block_count, info.embedding_length, info.head_count, info.key_length) == (2, 64, 4, 16)
    assert info.has_chat_template and info.name == "tiny-test-llama"


def test_missing_chat_template_is_reported(tiny_gguf_no_template):
    assert read_gguf_info(tiny_gguf_no_template).has_chat_template is False


def test_truncated_tensor_data_is_detected(tiny_gguf, tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(tiny_gguf.read_bytes()[:-1000])
    with pytest.raises(InvalidModelFile, match="truncated.*Download it again"):
        read_gguf_info(cut)


def test_truncated_header_is_detected(tiny_gguf, tmp_path):
    cut = tmp_path / "header.gguf"
    cut.write_bytes(tiny_gguf.read_bytes()[:300])
    with pytest.raises(InvalidModelFile, match="truncated"):
        read_gguf_info(cut)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04 this is a zip file, not a model" * 4, "not a GGUF"),
        (b"", "not a GGUF"),
        (b"GGUF" + struct.pack("<IQQ", 1, 0, 0), "version 1"),
        (b"GGUF" + struct.pack("<IQQ", 3, 2**40, 2**40), "implausible"),
    ],
)
def test_files_that_are_not_usable_gguf(tmp_path, content, message):
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(InvalidModelFile, match=message):
        read_gguf_info(path)


def test_file_type_names_follow_llama_cpp(tmp_path):
    path = write_tiny_llama(tmp_path / "q.gguf", architecture="llama")
    data = bytearray(path.read_bytes())
    # general.file_type is stored as a uint32 right after its key; rewrite ALL_F32 (0) as MOSTLY_Q4_K_M (15)
    key = b"general.file_type"
    at = data.index(key) + len(key) + 4
    assert struct.unpack_from("<I", data, at)[0] == 0
    struct.pack_into("<I", data, at, 15)
    path.write_bytes(bytes(data))
    assert read_gguf_info(path).quantization == "Q4_K_M"
