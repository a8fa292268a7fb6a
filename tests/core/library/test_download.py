"""Downloads against a real HTTP server on 127.0.0.1 serving a real (tiny) GGUF."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.library import download as download_module
from desktop_app.core.library.download import DownloadCancelled, Downloader, download_file
from desktop_app.core.errors import DownloadError, HearthError, InvalidModelFile, ModelNameTaken
from desktop_app.core.library.remote import download_model, remote_from_hf, remote_from_url
from desktop_app.core.library.registry import ModelRegistry

pytestmark = pytest.mark.allow_loopback  # the model server on 127.0.0.1


@pytest.fixture(scope="module")
def gguf_bytes(tmp_path_factory) -> bytes:
    from gguf_factory import write_tiny_llama

    return write_tiny_llama(tmp_path_factory.mktemp("served") / "tiny.gguf").read_bytes()


def test_full_download_verifies_and_renames(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/m/tiny.gguf", gguf_bytes)
    seen = []
    result = download_file(url, tmp_path / "tiny.gguf", sha256=model_server.files["/m/tiny.gguf"].sha256, on_progress=seen.append)
    assert result.path.read_bytes() == gguf_bytes
    assert result.sha256 == model_server.files["/m/tiny.gguf"].sha256
    assert not (tmp_path / "tiny.gguf.part").exists()
    assert seen[0].state == "connecting" and seen[-1].state == "verifying"
    assert seen[-1].total_bytes == len(gguf_bytes)


def test_dropped_connection_resumes_with_range(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/drop.gguf", gguf_bytes, "drop_once")
    served = model_server.files["/drop.gguf"]
    result = download_file(url, tmp_path / "drop.gguf", sha256=served.sha256)
    assert result.path.read_bytes() == gguf_bytes
    assert served.gets == 2 and served.ranges[0] is None and served.ranges[1].startswith("bytes=")
    assert int(served.ranges[1].split("=")[1].rstrip("-")) > 0


def test_server_that_keeps_dropping_fails_keeps_part_and_a_later_run_resumes(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/flaky.gguf", gguf_bytes, "drop_always")
    served = model_server.files["/flaky.gguf"]
    dest = tmp_path / "flaky.gguf"
    with pytest.raises(DownloadError, match="connection to the server was lost.*resume"):
        download_file(url, dest, sha256=served.sha256, retries=1)
    part = tmp_path / "flaky.gguf.part"
    kept = part.stat().st_size
    assert 0 < kept < len(gguf_bytes) and not dest.exists()
    served.behaviour = "ok"
    result = download_file(url, dest, sha256=served.sha256)
    assert result.resumed and result.path.read_bytes() == gguf_bytes
    assert served.ranges[-1] == f"bytes={kept}-"


def test_pause_closes_the_connection_and_resume_uses_range(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/pause.gguf", gguf_bytes)
    served = model_server.files["/pause.gguf"]
    pause = threading.Event()
    states = []

    def on_progress(p):
        states.append(p.state)
        if p.state == "downloading" and not pause.is_set() and served.gets == 1:
            pause.set()
        elif p.state == "paused":
            pause.clear()  # the "user" presses Resume

    downloader = Downloader(url, tmp_path / "p.gguf", sha256=served.sha256, pause=pause, on_progress=on_progress)
    download_module.PROGRESS_INTERVAL_S, old = 0.0, download_module.PROGRESS_INTERVAL_S
    try:
        result = downloader.run()
    finally:
        download_module.PROGRESS_INTERVAL_S = old
    assert result.path.read_bytes() == gguf_bytes
    assert "paused" in states and served.gets == 2 and served.ranges[1].startswith("bytes=")


def test_hash_mismatch_deletes_everything(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/bad.gguf", gguf_bytes)
    with pytest.raises(DownloadError, match="does not match its sha256"):
        download_file(url, tmp_path / "bad.gguf", sha256="0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_404_is_a_plain_error(model_server, tmp_path):
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_file(model_server.base_url + "/missing.gguf", tmp_path / "x.gguf")
    assert list(tmp_path.iterdir()) == []


def test_timeout_is_reported_after_retries(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/slow.gguf", gguf_bytes, "stall")
    with pytest.raises(DownloadError, match="stopped responding"):
        download_file(url, tmp_path / "slow.gguf", timeout=(2.0, 0.3), retries=1)
    assert model_server.files["/slow.gguf"].gets == 2


def test_server_ignoring_range_restarts_cleanly(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/norange.gguf", gguf_bytes, "ignore_range")
    (tmp_path / "n.gguf.part").write_bytes(b"stale partial bytes")
    result = download_file(url, tmp_path / "n.gguf", sha256=model_server.files["/norange.gguf"].sha256)
    assert result.path.read_bytes() == gguf_bytes


def test_cancel_removes_the_partial_file(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/c.gguf", gguf_bytes)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadCancelled):
        download_file(url, tmp_path / "c.gguf", cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_is_refused_before_writing(model_server, gguf_bytes, tmp_path, monkeypatch):
    url = model_server.add("/big.gguf", gguf_bytes)
    monkeypatch.setattr(download_module, "disk_free", lambda folder: 1000)
    with pytest.raises(DownloadError, match="Not enough disk space"):
        download_file(url, tmp_path / "big.gguf")
    assert list(tmp_path.iterdir()) == []  # refused before a byte, or an empty .part file, was written


def test_download_model_registers_only_a_valid_verified_file(model_server, gguf_bytes):
    registry = ModelRegistry()
    url = model_server.add("/lib/tiny-chat.gguf", gguf_bytes)
    entry = download_model(registry, remote_from_url(url, model_server.files["/lib/tiny-chat.gguf"].sha256), name="Tiny")
    assert entry.source == "downloaded" and entry.kind == "gguf" and entry.path.read_bytes() == gguf_bytes
    assert entry.path.parent == registry.library_dir
    with pytest.raises(ModelNameTaken):
        download_model(registry, remote_from_url(url), name="tiny")
    assert model_server.files["/lib/tiny-chat.gguf"].gets == 1  # the clash was caught before fetching


def test_download_of_a_non_model_leaves_nothing_registered(model_server):
    registry = ModelRegistry()
    url = model_server.add("/fake.gguf", b"<html>not a model</html>" * 10)
    with pytest.raises(InvalidModelFile, match="not a GGUF"):
        download_model(registry, remote_from_url(url))
    assert [e.name for e in registry.list() if e.source == "downloaded"] == []
    assert not any(p.suffix == ".gguf" for p in registry.library_dir.iterdir())


def test_hugging_face_file_is_located_through_huggingface_hub(model_server, gguf_bytes):
    model_server.add("/someone/tiny-GGUF/resolve/main/tiny-q8.gguf", gguf_bytes)
    remote = remote_from_hf("someone/tiny-GGUF", "tiny-q8.gguf", endpoint=model_server.base_url)
    assert remote.sha256 == model_server.files["/someone/tiny-GGUF/resolve/main/tiny-q8.gguf"].sha256  # from the ETag
    assert remote.size_bytes == len(gguf_bytes)
    entry = download_model(ModelRegistry(), remote)
    assert entry.name == "tiny-q8" and entry.extra["url"] == "hf:someone/tiny-GGUF/tiny-q8.gguf"
    with pytest.raises(DownloadError, match="not found"):
        remote_from_hf("someone/tiny-GGUF", "absent.gguf", endpoint=model_server.base_url)


def test_cancel_during_a_stalled_read_is_prompt(model_server, gguf_bytes, tmp_path):
    url = model_server.add("/stuck.gguf", gguf_bytes, "stall")
    cancel = threading.Event()
    outcome = []

    def on_progress(p):
        if p.state == "connecting":
            threading.Timer(0.3, cancel.set).start()

    def run():
        try:
            download_file(url, tmp_path / "stuck.gguf", cancel=cancel, on_progress=on_progress, timeout=(5.0, 60.0))
        except DownloadCancelled:
            outcome.append("cancelled")

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=10)  # far below the 60 s read timeout
    assert outcome == ["cancelled"] and not worker.is_alive()
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_to_a_file_address_is_refused_in_one_sentence(model_server, tmp_path):
    url = model_server.redirect("/evil.gguf", "file:///etc/passwd")
    with pytest.raises(DownloadError, match=r"redirected the download to a file: address; .*only to http\(s\)"):
        download_file(url, tmp_path / "evil.gguf", retries=0)
    assert not (tmp_path / "evil.gguf").exists()


def test_a_redirect_to_another_host_is_followed_and_the_final_host_is_shown(model_server, gguf_bytes, tmp_path):
    model_server.add("/real/tiny.gguf", gguf_bytes)
    port = model_server.base_url.rsplit(":", 1)[1]
    url = model_server.redirect("/moved/tiny.gguf", f"http://localhost:{port}/real/tiny.gguf")
    seen = []
    download_file(url, tmp_path / "tiny.gguf", on_progress=seen.append)
    assert seen[0].host == "127.0.0.1"  # connecting: the address asked for
    assert {p.host for p in seen if p.state == "downloading"} == {"localhost"}


def test_the_status_knows_something_is_online_only_while_a_download_runs(model_server, gguf_bytes, tmp_path):
    from desktop_app.core.privacy import network_activity

    url = model_server.add("/m/online.gguf", gguf_bytes)
    during = []
    download_file(url, tmp_path / "online.gguf", on_progress=lambda p: during.append((p.state, network_activity.is_online())))
    fetching = [online for state, online in during if state in ("connecting", "downloading")]
    assert len(fetching) >= 2 and all(fetching)
    assert ("verifying", False) in during  # the bytes are here: nothing is online any more
    assert not network_activity.is_online()


def test_disk_message_for_a_small_file_names_a_real_size(tmp_path, monkeypatch):
    monkeypatch.setattr(download_module, "disk_free", lambda folder: 50 * 1024 * 1024)
    with pytest.raises(DownloadError) as caught:
        download_module.check_disk_space(tmp_path, 600_000)
    assert "needs 600 KB" in str(caught.value) and "0.00 GB" not in str(caught.value)


def test_a_read_only_library_is_one_plain_sentence(model_server, gguf_bytes, monkeypatch):
    import errno
    import os

    url = model_server.add("/m/ro.gguf", gguf_bytes)
    real_mkdir = os.mkdir

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    monkeypatch.setattr(os, "mkdir", read_only)
    registry = ModelRegistry()
    with pytest.raises(HearthError, match="cannot write to .*the disk is read-only.*HEARTH_DATA_DIR"):
        download_model(registry, remote_from_url(url))
    monkeypatch.setattr(os, "mkdir", real_mkdir)


def test_importing_into_a_read_only_library_is_one_plain_sentence(tiny_gguf, monkeypatch):
    import errno
    import os

    from desktop_app.core.library.importing import import_model

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    monkeypatch.setattr(os, "mkdir", read_only)
    with pytest.raises(HearthError, match="cannot write to .*the disk is read-only"):
        import_model(ModelRegistry(), tiny_gguf, probe=False)


def test_a_curated_file_is_downloaded_only_against_a_sha256(model_server, gguf_bytes, monkeypatch):
    from desktop_app.core.library import remote as remote_module

    good = model_server.add("/team/tiny-GGUF/resolve/main/good.gguf", gguf_bytes)
    model_server.add("/team/tiny-GGUF/resolve/main/unlisted.gguf", gguf_bytes, "git_etag")
    pinned = model_server.files["/team/tiny-GGUF/resolve/main/good.gguf"].sha256
    curated = [{"repo": "team/tiny-GGUF", "file": "good.gguf", "sha256": pinned},
               {"repo": "team/tiny-GGUF", "file": "bad-pin.gguf", "sha256": "0" * 64},
               {"repo": "team/tiny-GGUF", "file": "unlisted.gguf", "sha256": None}]
    monkeypatch.setattr(remote_module, "curated_models", lambda: curated)
    assert remote_from_hf("team/tiny-GGUF", "good.gguf", endpoint=model_server.base_url).sha256 == pinned
    model_server.add("/team/tiny-GGUF/resolve/main/bad-pin.gguf", gguf_bytes)
    with pytest.raises(DownloadError, match="does not match the one Hugging Face lists"):
        remote_from_hf("team/tiny-GGUF", "bad-pin.gguf", endpoint=model_server.base_url)
    with pytest.raises(DownloadError, match="lists no sha256"):  # the Hub's ETag is no sha256 and none is pinned
        remote_from_hf("team/tiny-GGUF", "unlisted.gguf", endpoint=model_server.base_url)
    curated.pop()  # the same file, not from the list: downloaded as asked, and recorded as unverified
    loose = remote_from_hf("team/tiny-GGUF", "unlisted.gguf", endpoint=model_server.base_url)
    assert loose.sha256 is None
    assert good.endswith("good.gguf")


def test_every_curated_entry_says_what_it_suits():
    from desktop_app.core.library.remote import curated_models

    models = curated_models()
    assert len(models) >= 8
    for m in models:
        assert m["repo"] and m["file"].endswith(".gguf") and m["license"]
        assert m["languages"] and m["context"] >= 2048 and m["suits"] and m["approx_size_gb"] > 0.1
        assert m["sha256"] is None or len(m["sha256"]) == 64
    assert any("zh" in m["languages"] for m in models)
