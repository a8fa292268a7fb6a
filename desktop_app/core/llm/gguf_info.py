"""What a GGUF file says about itself, read from the header only.

The parser walks the key/value section and the tensor table with ``struct`` over an
mmap: tensor data is never touched, and large arrays (the vocabulary, merges) are
skipped by length, so a multi-gigabyte file is described in milliseconds. The
``gguf`` package supplies the type tables (quantization block sizes, file types),
not its reader, which decodes every vocabulary entry (about 3 s for a 50k vocab).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, LlamaFileType

from desktop_app.core.errors import InvalidModelFile
from desktop_app.core.texts import translate

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4
# value type id -> struct format (fixed-size scalars); 8 = string, 9 = array
SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
STRING, ARRAY = 8, 9


@dataclass(frozen=True)
class GGUFInfo:
    path: str
    version: int
    architecture: str
    name: str | None
    parameter_count: int
    size_label: str | None
    quantization: str  # "Q4_K_M", "F16", ... from general.file_type, else the commonest tensor type
    context_length: int
    block_count: int
    embedding_length: int
    feed_forward_length: int
    head_count: int
    head_count_kv: int
    key_length: int  # per head; embedding_length / head_count unless the file says otherwise
    value_length: int
    vocab_size: int
    license: str | None
    has_chat_template: bool
    tensor_count: int
    size_bytes: int
    metadata: dict = field(default_factory=dict, compare=False)  # scalar keys only

    def kv_bytes_per_token(self, bytes_per_element: int = 2) -> int:
        """K and V for one token across all layers (f16 cache by default)."""
        return self.block_count * self.head_count_kv * (self.key_length + self.value_length) * bytes_per_element

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("metadata")
        return data

    @classmethod
    def from_json(cls, data: dict) -> "GGUFInfo":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class _Cursor:
    def __init__(self, buffer, name: str):
        self.buf, self.pos, self.name = buffer, 0, name
        self.size = len(buffer)

    def take(self, fmt: str):
        width = struct.calcsize(fmt)
        if self.pos + width > self.size:
            raise InvalidModelFile(translate("ModelErrors", "{name} is truncated: its GGUF header "
                                                            "ends early. Download it again.").fill(name=self.name))
        value = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += width
        return value[0] if len(value) == 1 else value

    def string(self, limit: int = 1 << 26) -> str:
        length = self.take("Q")
        if length > limit or self.pos + length > self.size:
            raise InvalidModelFile(translate("ModelErrors", "{name} is truncated or corrupt (a "
                                                            "header string runs past the end).").fill(name=self.name))
        raw = bytes(self.buf[self.pos : self.pos + length])
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def skip_array(self, elem_type: int, count: int) -> None:
        if elem_type in SCALARS:
            self.pos += struct.calcsize(SCALARS[elem_type]) * count
        elif elem_type == STRING:
            for _ in range(count):
                if self.pos + 8 > self.size:
                    self.pos = self.size + 1
                    break
                self.pos += 8 + struct.unpack_from("<Q", self.buf, self.pos)[0]
        else:
            raise InvalidModelFile(translate("ModelErrors", "{name} is corrupt (nested or unknown "
                                                            "array type {elem_type}).").fill(name=self.name, elem_type=elem_type))
        if self.pos > self.size:
            raise InvalidModelFile(translate("ModelErrors", "{name} is truncated: its GGUF header "
                                                            "ends early. Download it again.").fill(name=self.name))


def _read_value(cur: _Cursor, value_type: int):
    if value_type in SCALARS:
        return cur.take(SCALARS[value_type])
    if value_type == STRING:
        return cur.string()
    if value_type == ARRAY:
        elem_type, count = cur.take("I"), cur.take("Q")
        if elem_type in SCALARS and count <= 16:
            return [cur.take(SCALARS[elem_type]) for _ in range(count)]
        cur.skip_array(elem_type, count)
        return _ArrayLength(count)
    raise InvalidModelFile(translate("ModelErrors", "{name} is corrupt (unknown metadata type "
                                                    "{value_type}).").fill(name=cur.name, value_type=value_type))


class _ArrayLength(int):
    """A skipped array: only its length is kept."""


def _read_tensors(cur: _Cursor, count: int) -> tuple[int, dict[int, int], int]:
    """Parameter count, elements per ggml type, and the end offset of the furthest tensor's data."""
    params, by_type, data_end = 0, {}, 0
    for _ in range(count):
        cur.string(limit=1 << 16)
        n_dims = cur.take("I")
        if n_dims > MAX_DIMS:
            raise InvalidModelFile(translate("ModelErrors", "{name} is corrupt (a tensor with "
                                                            "{n_dims} dimensions).").fill(name=cur.name, n_dims=n_dims))
        elements = 1
        for _ in range(n_dims):
            elements *= cur.take("Q")
        ggml_type, offset = cur.take("I"), cur.take("Q")
        params += elements
        by_type[ggml_type] = by_type.get(ggml_type, 0) + elements
        data_end = max(data_end, offset + _tensor_bytes(ggml_type, elements, cur.name))
    return params, by_type, data_end


def _tensor_bytes(ggml_type: int, elements: int, name: str) -> int:
    try:
        block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError):
        raise InvalidModelFile(translate("ModelErrors", "{name} uses a tensor type ({ggml_type}) "
                                                        "this version of Hearth does not know.").fill(name=name, ggml_type=ggml_type)) from None
    return elements // block * type_size


def _quantization(meta: dict, by_type: dict[int, int]) -> str:
    file_type = meta.get("general.file_type")
    if isinstance(file_type, int):
        try:
            return LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            pass
    if not by_type:
        return "unknown"
    commonest = max(by_type, key=by_type.get)
    try:
        return GGMLQuantizationType(commonest).name
    except ValueError:
        return f"type {commonest}"


def read_gguf_info(path: Path | str) -> GGUFInfo:
    """Describe a GGUF file; InvalidModelFile (a plain sentence) for anything that is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if size < 24 or handle.read(4) != MAGIC:
                raise InvalidModelFile(translate("ModelErrors", "{name} is not a GGUF model file (it "
                                                                "does not start with 'GGUF').").fill(name=path.name))
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer:
                return _parse(buffer, path, size)
    except OSError as exc:
        raise InvalidModelFile(translate("ModelErrors", "{name} could not be read: {value}.").fill(name=path.name, value=exc.strerror or exc)) from exc


def _parse(buffer, path: Path, size: int) -> GGUFInfo:
    cur = _Cursor(buffer, path.name)
    cur.pos = 4
    version = cur.take("I")
    if version not in (2, 3):
        raise InvalidModelFile(translate("ModelErrors", "{name} is GGUF version {version}; Hearth "
                                                        "reads versions 2 and 3.").fill(name=path.name, version=version))
    tensor_count, kv_count = cur.take("Q"), cur.take("Q")
    if tensor_count > 1 << 24 or kv_count > 1 << 20:
        raise InvalidModelFile(translate("ModelErrors", "{name} is corrupt (implausible header "
                                                        "counts).").fill(name=path.name))
    meta: dict = {}
    arrays: dict[str, int] = {}
    for _ in range(kv_count):
        key = cur.string(limit=1 << 16)
        value = _read_value(cur, cur.take("I"))
        if isinstance(value, _ArrayLength):
            arrays[key] = int(value)
        else:
            meta[key] = value
    params, by_type, data_end = _read_tensors(cur, tensor_count)
    alignment = int(meta.get("general.alignment", DEFAULT_ALIGNMENT)) or DEFAULT_ALIGNMENT
    data_start = -(-cur.pos // alignment) * alignment
    if data_start + data_end > size:
        raise InvalidModelFile(
            translate("ModelErrors", "{name} is truncated: it is {size:,} bytes but its tensors need "
                                     "{value:,}. Download it again.").fill(name=path.name, size=size, value=data_start + data_end)
        )
    return _describe(path, version, meta, arrays, params, by_type, tensor_count, size)


def _describe(path, version, meta, arrays, params, by_type, tensor_count, size) -> GGUFInfo:
    arch = str(meta.get("general.architecture", "unknown"))

    def num(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}", default)
        return int(value[0] if isinstance(value, list) and value else value or default)  # per-layer arrays: first

    n_embd, n_head = num("embedding_length"), num("attention.head_count")
    head_dim = n_embd // n_head if n_head else 0
    template = meta.get("tokenizer.chat_template")
    scalars = {k: v for k, v in meta.items() if k != "tokenizer.chat_template"}
    return GGUFInfo(
        path=str(path),
        version=version,
        architecture=arch,
        name=meta.get("general.name"),
        parameter_count=params,
        size_label=meta.get("general.size_label"),
        quantization=_quantization(meta, by_type),
        context_length=num("context_length"),
        block_count=num("block_count"),
        embedding_length=n_embd,
        feed_forward_length=num("feed_forward_length"),
        head_count=n_head,
        head_count_kv=num("attention.head_count_kv", n_head) or n_head,
        key_length=num("attention.key_length", head_dim) or head_dim,
        value_length=num("attention.value_length", head_dim) or head_dim,
        vocab_size=num("vocab_size") or arrays.get("tokenizer.ggml.tokens", 0),
        license=meta.get("general.license"),
        has_chat_template=bool(template),
        tensor_count=tensor_count,
        size_bytes=size,
        metadata=scalars,
    )


def format_parameters(count: int) -> str:
    """135M, 1.7B, 7.2B: how model cards name sizes."""
    if count >= 1e9:
        return f"{count / 1e9:.1f}B"
    if count >= 1e6:
        return f"{count / 1e6:.0f}M"
    return f"{count / 1e3:.0f}K" if count >= 1e3 else str(count)
