"""sha256 of files, streamed in chunks: the one loop for the registry, library imports and downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

CHUNK_BYTES = 4 << 20  # large reads keep hashing disk-bound; small enough to notice a cancel quickly


def read_chunks(handle: BinaryIO, check: Callable[[], None] | None = None) -> Iterator[bytes]:
    """The rest of ``handle`` in chunks; ``check()`` runs before each read (raise from it to stop)."""
    while True:
        if check is not None:
            check()
        chunk = handle.read(CHUNK_BYTES)
        if not chunk:
            return
        yield chunk


def sha256_digest(path: Path | None = None, check: Callable[[], None] | None = None):
    """A running sha256, already fed with the file at ``path`` when given: update it with what follows."""
    digest = hashlib.sha256()
    if path is not None:
        with open(path, "rb") as handle:
            for chunk in read_chunks(handle, check):
                digest.update(chunk)
    return digest


def sha256_file(path: Path, check: Callable[[], None] | None = None) -> str:
    return sha256_digest(path, check).hexdigest()
