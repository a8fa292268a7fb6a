"""Download a model into the library: from a URL or a Hugging Face repository and file.

The file is fetched by :class:`download.Downloader` into ``<library>/.partial/`` (kept
there between attempts so a later run resumes), verified, moved to its final name,
validated like an import, and only then recorded in the manifest. Any failure after
the move deletes the file, so nothing is ever half-registered.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from desktop_app.core.library.download import DownloadProgress, DownloadState, Downloader, OnProgress, filename_from_url, normalise_sha256
from desktop_app.core.errors import DownloadError, plain_storage_errors
from desktop_app.core.library.importing import free_target, safe_file_stem, validate_model_file
from desktop_app.core.library.registry import KIND_BY_SUFFIX, ModelEntry, ModelRegistry, clean_model_name
from desktop_app.core.privacy import network_activity
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

CURATED_FILE = Path(__file__).with_name("curated_models.json")


@dataclass(frozen=True)
class RemoteFile:
    url: str
    filename: str
    sha256: str | None
    size_bytes: int | None
    headers: dict
    source: str  # the URL, or "hf:REPO/FILE"


def remote_from_url(url: str, sha256: str | None = None) -> RemoteFile:
    if not url.lower().startswith(("http://", "https://")):
        raise DownloadError(translate("LibraryErrors", "'{url}' is not an http(s) address.").fill(url=url))
    return RemoteFile(url, filename_from_url(url), normalise_sha256(sha256), None, {}, url)


def remote_from_hf(repo_id: str, filename: str, revision: str | None = None, sha256: str | None = None,
                   endpoint: str | None = None) -> RemoteFile:
    """Locate a Hub file; for LFS files the Hub's ETag is the file's sha256, so it is verified even unasked.
    A file from the curated list is only ever downloaded against a sha256: its pinned one, checked against the
    Hub's, or else the Hub's; where the Hub publishes none, it is refused."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    url = hf_hub_url(repo_id, filename, revision=revision, endpoint=endpoint)
    headers = build_hf_headers()
    try:
        with network_activity.online(urlparse(url).hostname or "huggingface.co"):
            meta = get_hf_file_metadata(url, timeout=15, endpoint=endpoint)
    except Exception as exc:  # noqa: BLE001 - huggingface_hub raises several HTTP error types
        raise DownloadError(_describe_hub_error(repo_id, filename, exc)) from exc
    etag = (meta.etag or "").strip('"').lower()
    hub_sha = etag if len(etag) == 64 and all(c in "0123456789abcdef" for c in etag) else None
    curated = curated_entry(repo_id, filename)
    wanted = normalise_sha256(sha256) or normalise_sha256((curated or {}).get("sha256"))
    if wanted and hub_sha and wanted != hub_sha:
        raise DownloadError(translate(
            "LibraryErrors", "The sha256 Hearth expects for {repo}/{file} ({expected}...) does not match the one Hugging "
            "Face lists ({listed}...); Hearth did not download it.").fill(
            repo=repo_id, file=filename, expected=wanted[:12], listed=hub_sha[:12]))
    if curated is not None and not (wanted or hub_sha):
        raise DownloadError(translate(
            "LibraryErrors", "Hugging Face lists no sha256 for {repo}/{file}, so the download could not be checked; "
            "Hearth did not download it.").fill(repo=repo_id, file=filename))
    return RemoteFile(meta.location or url, Path(filename).name, wanted or hub_sha, meta.size, headers,
                      f"hf:{repo_id}/{filename}")


def _describe_hub_error(repo_id: str, filename: str, exc: Exception) -> str:
    name = type(exc).__name__
    if "EntryNotFound" in name or "404" in str(exc):
        return f"{filename} was not found in the Hugging Face repository {repo_id}."
    if "RepositoryNotFound" in name:
        return translate("LibraryErrors", "The Hugging Face repository {repo_id} does not exist (or "
                                          "is private).").fill(repo_id=repo_id)
    if "Gated" in name or "401" in str(exc) or "403" in str(exc):
        return f"{repo_id} is gated: accept its licence on huggingface.co and log in with 'huggingface-cli login'."
    return translate("LibraryErrors", "Could not reach Hugging Face for {repo_id}/{filename}: "
                                      "{value}.").fill(repo_id=repo_id, filename=filename, value=str(exc).splitlines()[0][:200] if str(exc) else name)


def partial_path(library: Path, remote: RemoteFile) -> Path:
    """Stable per source, so the next attempt finds and resumes it."""
    key = hashlib.sha256(remote.source.encode()).hexdigest()[:16]
    return library / ".partial" / f"{key}-{safe_file_stem(remote.filename)}.part"


@plain_storage_errors
def download_model(
    registry: ModelRegistry,
    remote: RemoteFile,
    *,
    name: str | None = None,
    on_progress: OnProgress | None = None,
    cancel=None,
    pause=None,
    timeout: tuple[float, float] = (10.0, 30.0),
    probe: bool = True,
) -> ModelEntry:
    suffix = Path(remote.filename).suffix.lower()
    if suffix not in KIND_BY_SUFFIX:
        raise DownloadError(translate("LibraryErrors", "{filename} is not a .gguf or .onnx file; "
                                                       "Hearth cannot use it.").fill(filename=remote.filename))
    name = clean_model_name(name or "") or clean_model_name(Path(remote.filename).stem) or "model"
    registry.check_name_free(name)  # fail before fetching gigabytes
    library = registry.library_dir
    library.mkdir(parents=True, exist_ok=True)
    target = free_target(library, safe_file_stem(name), suffix)
    downloader = Downloader(
        remote.url, target, sha256=remote.sha256, expected_size=remote.size_bytes, on_progress=on_progress,
        cancel=cancel, pause=pause, headers=remote.headers, timeout=timeout,
        part_path=partial_path(library, remote),
    )
    result = downloader.run()
    try:
        if on_progress:
            on_progress(DownloadProgress(DownloadState.VALIDATING, result.size_bytes, result.size_bytes))
        model = validate_model_file(result.path, probe=probe)
        entry = ModelEntry(
            name=name, kind=model.kind, task=model.task, path=result.path, source="downloaded",
            size_bytes=result.size_bytes, sha256=result.sha256, license=model.license,
            extra={"url": remote.source, "sha256_verified": bool(remote.sha256)},
        )
        added = registry.add(entry)
    except BaseException:
        result.path.unlink(missing_ok=True)
        raise
    if on_progress:
        on_progress(DownloadProgress(DownloadState.DONE, result.size_bytes, result.size_bytes))
    return added


def curated_entry(repo_id: str, filename: str) -> dict | None:
    """The curated list's entry for this Hub file, or None."""
    return next((m for m in curated_models() if m.get("repo") == repo_id and m.get("file") == filename), None)


def curated_models() -> list[dict]:
    """The short list offered to users who are online (see curated_models.json for how it was made)."""
    try:
        data = json.loads(CURATED_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("curated model list unreadable: %s", exc)
        return []
    return list(data.get("models", []))
