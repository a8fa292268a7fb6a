import hashlib
import threading

import pytest

from desktop_app.core import hashing
from desktop_app.core.errors import HearthError
from desktop_app.core.hashing import sha256_digest, sha256_file
from desktop_app.core.library.importing import copy_with_hash


@pytest.fixture
def blob(tmp_path, monkeypatch):
    monkeypatch.setattr(hashing, "CHUNK_BYTES", 1000)  # several chunks, with a short last one
    body = bytes(range(256)) * 37
    path = tmp_path / "blob.bin"
    path.write_bytes(body)
    return path, body


def test_file_hash_matches_hashlib_across_chunks(blob):
    path, body = blob
    assert sha256_file(path) == hashlib.sha256(body).hexdigest()


def test_running_digest_continues_with_bytes_that_follow(blob):
    path, body = blob
    digest = sha256_digest(path)
    digest.update(b"more")
    assert digest.hexdigest() == hashlib.sha256(body + b"more").hexdigest()
    assert sha256_digest().hexdigest() == hashlib.sha256().hexdigest()


def test_copy_hashes_what_it_writes_and_stops_on_cancel(blob, tmp_path):
    path, body = blob
    target = tmp_path / "copy.bin"
    assert copy_with_hash(path, target) == hashlib.sha256(body).hexdigest()
    assert target.read_bytes() == body
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(HearthError, match="cancelled"):
        copy_with_hash(path, tmp_path / "never.bin", cancel)
    assert not (tmp_path / "never.bin").exists() and not (tmp_path / "never.bin.part").exists()
