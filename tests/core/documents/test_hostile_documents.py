"""A DOCX zip bomb is refused from its sizes, before python-docx inflates it."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import docx
import pytest
from document_factory import write_docx

from desktop_app.core.documents import load
from desktop_app.core.errors import UnsupportedDocument

PARAGRAPH = b"<w:p><w:r><w:t>all work and no play</w:t></w:r></w:p>"


def write_docx_bomb(path: Path, inflated_bytes: int) -> Path:
    """A real DOCX whose word/document.xml is ``inflated_bytes`` of small paragraphs (it compresses ~500:1)."""
    template = write_docx(path.with_name("template.docx"))
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, source.read(item))
                continue
            head, tail = source.read(item).split(b"<w:body>")
            with bomb.open("word/document.xml", "w") as xml:
                xml.write(head + b"<w:body>")
                for _ in range(inflated_bytes // len(PARAGRAPH)):
                    xml.write(PARAGRAPH)
                xml.write(b"</w:body></w:document>")
    return path


def declare_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the central directory so ``member`` claims ``declared`` uncompressed bytes."""
    raw = bytearray(path.read_bytes())
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46 : at + 46 + struct.unpack_from("<H", raw, at + 28)[0]] != member.encode():
        at = raw.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", raw, at + 24, declared)
    path.write_bytes(bytes(raw))


def small_limits(monkeypatch):
    monkeypatch.setattr(load, "MAX_DOCX_PART_BYTES", 1_000_000)
    monkeypatch.setattr(docx, "Document", lambda *a: pytest.fail("python-docx was asked to inflate the bomb"))


def test_a_docx_bomb_is_refused_from_its_declared_size(tmp_path, monkeypatch):
    bomb = write_docx_bomb(tmp_path / "bomb.docx", 3_000_000)
    small_limits(monkeypatch)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(UnsupportedDocument, match="zip bomb"):
        load.load_document(bomb)


def test_a_docx_bomb_that_lies_about_its_size_is_stopped_while_reading(tmp_path, monkeypatch):
    bomb = write_docx_bomb(tmp_path / "liar.docx", 3_000_000)
    declare_size(bomb, "word/document.xml", 2_000)
    assert zipfile.ZipFile(bomb).getinfo("word/document.xml").file_size == 2_000
    small_limits(monkeypatch)
    with pytest.raises(UnsupportedDocument):
        load.load_document(bomb)


def test_a_docx_under_the_limits_still_opens(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_DOCX_PART_BYTES", 1_000_000)
    document = load.load_document(write_docx_bomb(tmp_path / "fine.docx", 200_000))
    assert document.text.count("all work and no play") == 200_000 // len(PARAGRAPH)
