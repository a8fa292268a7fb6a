"""Hostile evaluation files, built small: zip bombs of a few KB, sparse files whose long line costs no disk,
and a child process that reports its own peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]


def sparse_line(path: Path, before: bytes, size: int, after: bytes) -> Path:
    """``before``, then a line of ``size`` NUL bytes that the file system stores as a hole, then ``after``."""
    with path.open("wb") as handle:
        handle.write(before)
        handle.truncate(len(before) + size)
        handle.seek(len(before) + size)
        handle.write(b"\n" + after)
    return path


def question_workbook(path: Path, rows=(("Capital of Peru?", "Lima"),)) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["prompt", "expected"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def replace_entry(path: Path, name: str, head: bytes, piece: bytes, count: int, tail: bytes,
                  declared: int | None = None) -> Path:
    """Rewrite the zip with ``name`` streamed as head + piece * count + tail (deflated: a few KB for tens of MB).
    ``declared``: the uncompressed size written into the zip's headers instead of the real one (a lying bomb)."""
    with zipfile.ZipFile(path) as source:
        others = [(info, source.read(info)) for info in source.infolist() if info.filename != name]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in others:
            target.writestr(info, data)
        with target.open(name, "w", force_zip64=True) as stream:
            stream.write(head)
            for _ in range(count):
                stream.write(piece)
            stream.write(tail)
    if declared is not None:
        _lie_about_size(path, name, declared)
    return path


def _lie_about_size(path: Path, name: str, declared: int) -> None:
    """Write a small uncompressed size into the entry's central directory record (the one readers trust)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    encoded = name.encode("utf-8")
    record = data.find(b"PK\x01\x02")
    while record >= 0:
        name_length = int.from_bytes(data[record + 28 : record + 30], "little")
        if bytes(data[record + 46 : record + 46 + name_length]) == encoded:
            break
        record = data.find(b"PK\x01\x02", record + 4)
    assert record >= 0 and info.file_size > declared
    if int.from_bytes(data[record + 24 : record + 28], "little") == 0xFFFFFFFF:  # zip64: the size is in the extra field
        extra = record + 46 + name_length
        size_at = data.find(info.file_size.to_bytes(8, "little"), extra)
        data[size_at : size_at + 8] = declared.to_bytes(8, "little")
    else:
        data[record + 24 : record + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>prompt</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>expected</t></is></c></row>')


PEAK_KIB = (
    "def peak_kib():\n"
    "    # VmHWM: this process image's own peak. ru_maxrss would also count the parent's memory, which a child\n"
    "    # started by vfork/exec inherits as its high-water mark on Linux\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            return next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        import resource\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
)


def run_with_peak(code: str, *args: str, timeout: int = 120) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``code`` in a fresh interpreter; returns the result and the child's own peak memory in MB
    (it prints it last on stderr; ``peak_kib()`` is there for the code's own use)."""
    wrapper = (
        "import sys\n" + PEAK_KIB
        + "try:\n"
        + "".join(f"    {line}\n" for line in code.strip().splitlines())
        + "finally:\n"
        "    print(f'PEAK {peak_kib()}', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    peak_line = [line for line in result.stderr.splitlines() if line.startswith("PEAK ")]
    assert peak_line, result.stderr[-2000:]
    kib = int(peak_line[-1].split()[1])
    result.stderr = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("PEAK "))
    return result, kib / 1024


HEARTH = "from desktop_app.cli import main\ncode = main(sys.argv[1:])\nsys.stdout.flush()\nsys.exit(code)"
