"""Fetch a model over HTTP: streamed, resumable, verified, and atomic.

Plain URLs go through ``requests`` (streaming, ``Range`` resume). Hugging Face files are
located with ``huggingface_hub`` (``hf_hub_url`` and ``get_hf_file_metadata``, which also
gives the LFS sha256 and size) and then fetched by the same downloader, rather than with
``hf_hub_download``: that one writes into the Hub cache (blobs and symlinks) instead of
our library, and reports progress only through tqdm, with no pause.

The body is written to a ``.part`` file and hashed as it arrives; the file gets its final
name only after the sha256 matches. A dropped connection or a timeout is retried with a
Range request from where it stopped; pausing closes the connection and resumes the same
way. Nothing is registered until the finished file has passed the library's validation.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlparse

import requests

from desktop_app.core.errors import DownloadError, HearthError
from desktop_app.core.privacy import network_activity
from desktop_app.core.hashing import sha256_digest
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

CHUNK = 64 * 1024  # small enough that a dropped connection loses little
DISK_MARGIN_BYTES = 100 * 1024 * 1024
PROGRESS_INTERVAL_S = 0.1
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class DownloadCancelled(HearthError):
    """The user stopped the download; never shown as an error."""


class DownloadState(StrEnum):
    CONNECTING = "connecting"
    DOWNLOADING = "downloading"
    PAUSED = "paused"
    VERIFYING = "verifying"  # checking the sha256
    VALIDATING = "validating"  # checking the model file before it is registered
    DONE = "done"


@dataclass
class DownloadProgress:
    state: DownloadState
    downloaded_bytes: int
    total_bytes: int | None
    speed_bps: float = 0.0
    eta_s: float | None = None
    attempt: int = 1
    host: str = ""  # where the bytes come from, after any redirect

    @property
    def fraction(self) -> float | None:
        return self.downloaded_bytes / self.total_bytes if self.total_bytes else None


@dataclass
class DownloadResult:
    path: Path
    sha256: str
    size_bytes: int
    resumed: bool  # the .part file of an earlier attempt was reused


OnProgress = Callable[[DownloadProgress], None]


def disk_free(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def check_disk_space(folder: Path, needed_bytes: int) -> None:
    free = disk_free(folder)
    if needed_bytes + DISK_MARGIN_BYTES > free:
        raise DownloadError(
            translate("LibraryErrors", "Not enough disk space: the download needs {needed_bytes} "
                                       "(plus {value} MB to spare) but only {free} is free in "
                                       "{folder}.").fill(needed_bytes=readable_size(needed_bytes), value=DISK_MARGIN_BYTES // 2 ** 20, free=readable_size(free), folder=folder)
        )


def readable_size(size_bytes: int) -> str:
    """'3.42 GB', '12.5 MB', '800 KB': never '0.00 GB' for a small file."""
    if size_bytes >= 1e9:
        return f"{size_bytes / 1e9:.2f} GB"
    if size_bytes >= 1e6:
        return f"{size_bytes / 1e6:.1f} MB"
    return f"{max(1, round(size_bytes / 1e3))} KB"


def normalise_sha256(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().removeprefix("sha256:")
    if not SHA256_RE.match(value):
        raise DownloadError(translate("LibraryErrors", "'{value}' is not a sha256 (64 hexadecimal "
                                                       "characters).").fill(value=value))
    return value


def filename_from_url(url: str) -> str:
    name = unquote(Path(urlparse(url).path).name)
    return name or "download"


class _Speed:
    """Bytes per second over the last few seconds, for speed and time-left figures."""

    def __init__(self, window_s: float = 3.0):
        self.window_s = window_s
        self.samples: list[tuple[float, int]] = []

    def add(self, done: int) -> float:
        now = time.monotonic()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.window_s:
            self.samples.pop(0)
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0


@dataclass
class Downloader:
    """One download: call ``run()`` on a worker thread; ``cancel``/``pause`` are set from anywhere."""

    url: str
    dest: Path  # final name; the body goes to ``part_path`` until verified
    sha256: str | None = None
    expected_size: int | None = None
    on_progress: OnProgress | None = None
    cancel: threading.Event | None = None
    pause: threading.Event | None = None
    headers: dict | None = None
    timeout: tuple[float, float] = (10.0, 30.0)  # connect, read (seconds without a byte)
    retries: int = 3  # reconnections after a drop or a timeout, resuming with Range
    part_path: Path | None = None
    session: requests.Session | None = None

    def __post_init__(self) -> None:
        self.dest = Path(self.dest)
        self.part_path = Path(self.part_path) if self.part_path else self.dest.with_name(self.dest.name + ".part")
        self.sha256 = normalise_sha256(self.sha256)
        self.cancel = self.cancel or threading.Event()
        self.pause = self.pause or threading.Event()
        self._speed = _Speed()
        self._last_report = 0.0
        self._total: int | None = self.expected_size
        self._digest = None  # sha256 of the first ``_hashed`` bytes of the part file
        self._hashed = 0
        self._host = urlparse(self.url).hostname or ""

    # public

    def run(self) -> DownloadResult:
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        if self.expected_size:
            check_disk_space(self.part_path.parent, self.expected_size - self._part_size())
        resumed = self._part_size() > 0
        session = self.session or requests.Session()
        try:
            with network_activity.online(self._host):
                digest = self._fetch(session)
        except DownloadCancelled:
            self.part_path.unlink(missing_ok=True)
            raise
        finally:
            if self.session is None:
                session.close()
        return self._finish(digest, resumed)

    # steps

    def _part_size(self) -> int:
        try:
            return self.part_path.stat().st_size
        except FileNotFoundError:
            return 0

    def _digest_for(self, offset: int):
        """A hash of the first ``offset`` bytes, so a resumed download still verifies the whole file.

        Reused from the previous attempt when it covers exactly those bytes; otherwise the
        partial file left by an earlier run is read back once.
        """
        if self._digest is not None and self._hashed == offset:
            return self._digest
        digest = sha256_digest(self.part_path if offset else None)
        self._digest, self._hashed = digest, offset
        return digest

    def _fetch(self, session: requests.Session):
        attempt, last_error = 0, None
        while attempt <= self.retries:
            self._check_cancel()
            try:
                outcome = self._stream(session, attempt + 1)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                self._check_cancel()  # the watcher cut the connection for a cancel: not a network error
                if self.pause.is_set():
                    self._wait_while_paused()
                    continue
                last_error, attempt = exc, attempt + 1
                log.info("download of %s interrupted (%s); attempt %d", self.url, exc, attempt)
                if self.cancel.wait(min(2.0, 0.2 * attempt)):
                    self._check_cancel()
                continue
            if outcome == "paused":
                self._wait_while_paused()
                continue  # a resume is not a retry
            return self._digest_for(self._part_size())
        raise DownloadError(self._describe_failure(last_error))

    def _stream(self, session: requests.Session, attempt: int) -> str:
        offset = self._part_size()
        headers = dict(self.headers or {})
        if offset:
            headers["Range"] = f"bytes={offset}-"
        self._report(DownloadState.CONNECTING, offset, attempt, force=True)
        with session.get(self.url, headers=headers, stream=True, timeout=self.timeout, allow_redirects=True,
                         hooks={"response": self._check_redirect}) as response:
            self._host = urlparse(response.url).hostname or self._host
            streaming = threading.Event()
            threading.Thread(target=self._cut_on_request, args=(response, streaming), daemon=True).start()
            try:
                return self._handle_response(response, offset, attempt)
            finally:
                streaming.set()

    def _check_redirect(self, response, *args, **kwargs):
        """Called for every response, redirects included: follow a redirect only to http(s)."""
        location = response.headers.get("Location") if response.is_redirect else None
        if location:
            target = urlparse(urljoin(response.url, location))
            if target.scheme not in ("http", "https"):
                response.close()
                raise DownloadError(
                    translate("LibraryErrors", "{hostname} redirected the download to a {value}: "
                                               "address; Hearth follows redirects only to http(s) "
                                               "addresses.").fill(hostname=urlparse(response.url).hostname, value=target.scheme or 'relative')
                )
        return response

    def _cut_on_request(self, response, streaming: threading.Event) -> None:
        """Cancel and pause must not wait for a stalled read to time out: shut the socket down instead."""
        while not streaming.wait(0.1):
            if self.cancel.is_set() or self.pause.is_set():
                sock = getattr(getattr(response.raw, "connection", None), "sock", None)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return

    def _handle_response(self, response, offset: int, attempt: int) -> str:
        if response.status_code == 416 and offset:
            return self._range_not_satisfiable(response, offset)
        self._raise_for_status(response)
        if offset and response.status_code != 206:
            log.info("server ignored the Range request; starting %s again", self.url)
            offset = 0
        return self._write_body(response, offset, attempt)

    def _range_not_satisfiable(self, response, offset: int) -> str:
        total = _total_from_content_range(response.headers.get("Content-Range"))
        if total is not None and total == offset:
            self._total = total
            return "complete"  # an earlier attempt had already received everything
        self.part_path.unlink(missing_ok=True)
        raise requests.ConnectionError(translate("LibraryErrors", "the partial file no longer "
                                                                  "matches the server's; starting "
                                                                  "again"))

    def _write_body(self, response, offset: int, attempt: int) -> str:
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length and length.isdigit() else None
        total = _total_from_content_range(response.headers.get("Content-Range")) or total
        if total:
            self._total = total
            check_disk_space(self.part_path.parent, total - offset)
        digest = self._digest_for(offset)
        done = offset
        try:
            with open(self.part_path, "ab" if offset else "wb") as handle:
                for chunk in response.iter_content(CHUNK):
                    self._check_cancel()
                    if self.pause.is_set():
                        return "paused"
                    handle.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    self._hashed = done
                    self._report(DownloadState.DOWNLOADING, done, attempt)
        except OSError as exc:
            if exc.errno == 28:
                self.part_path.unlink(missing_ok=True)
                raise DownloadError(translate("LibraryErrors", "The disk filled up during the "
                                                               "download; the partial file was "
                                                               "removed.")) from exc
            raise
        self._report(DownloadState.DOWNLOADING, done, attempt, force=True)  # quick downloads still show their last figures
        if self._total and done < self._total:
            raise requests.exceptions.ChunkedEncodingError(translate("LibraryErrors", "connection "
                                                                                      "closed after "
                                                                                      "{done} of "
                                                                                      "{total} bytes").fill(done=done, total=self._total))
        return "complete"

    def _wait_while_paused(self) -> None:
        self._report(DownloadState.PAUSED, self._part_size(), 1, force=True)
        while self.pause.is_set():
            if self.cancel.wait(0.1):
                self._check_cancel()

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise DownloadCancelled(translate("LibraryErrors", "Download cancelled."))

    def _finish(self, digest, resumed: bool) -> DownloadResult:
        size = self._part_size()
        self._report(DownloadState.VERIFYING, size, 1, force=True)
        actual = digest.hexdigest()
        if self.sha256 and actual != self.sha256:
            self.part_path.unlink(missing_ok=True)
            raise DownloadError(
                translate("LibraryErrors", "The downloaded file does not match its sha256 (expected "
                                           "{sha256}..., got {actual}...). It was deleted; the file "
                                           "on the server may have changed or been corrupted.").fill(sha256=self.sha256[:12], actual=actual[:12])
            )
        os.replace(self.part_path, self.dest)
        return DownloadResult(self.dest, actual, size, resumed)

    def _raise_for_status(self, response) -> None:
        code = response.status_code
        if code < 400:
            return
        if code == 404:
            raise DownloadError(translate("LibraryErrors", "Nothing to download at {url} (HTTP 404 "
                                                           "Not Found). Check the address or file "
                                                           "name.").fill(url=self.url))
        if code in (401, 403):
            raise DownloadError(
                translate("LibraryErrors", "The server refused the download (HTTP {code}). On "
                                           "Hugging Face this usually means the model is gated: "
                                           "accept its licence on the website and log in with "
                                           "'huggingface-cli login'.").fill(code=code)
            )
        raise DownloadError(f"The server answered HTTP {code} {response.reason or ''} for {self.url}.".replace("  ", " "))

    def _describe_failure(self, exc: BaseException | None) -> str:
        kept = self._part_size()
        tail = f" {kept / 1e6:.1f} MB were kept; start the download again to resume." if kept else ""
        # a read timeout mid-body arrives as a ConnectionError wrapping urllib3's ReadTimeoutError
        if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
            return f"The server stopped responding (timed out after {self.retries + 1} tries).{tail}"
        if not kept and any(s in str(exc) for s in ("NewConnectionError", "Failed to resolve", "Name or service")):
            host = urlparse(self.url).netloc
            return translate("LibraryErrors", "Could not connect to {host}. Check the address and "
                                              "the internet connection.").fill(host=host)
        return f"The connection to the server was lost ({_short(exc)}) after {self.retries + 1} tries.{tail}"

    def _report(self, state: DownloadState, done: int, attempt: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.on_progress is None or (not force and now - self._last_report < PROGRESS_INTERVAL_S):
            return
        self._last_report = now
        speed = self._speed.add(done) if state == DownloadState.DOWNLOADING else 0.0
        eta = (self._total - done) / speed if speed > 0 and self._total else None
        self.on_progress(DownloadProgress(state, done, self._total, speed, eta, attempt, self._host))


def _total_from_content_range(value: str | None) -> int | None:
    """'bytes 100-199/1000' or 'bytes */1000' -> 1000."""
    if not value or "/" not in value:
        return None
    total = value.rsplit("/", 1)[1].strip()
    return int(total) if total.isdigit() else None


def _short(exc: BaseException | None) -> str:
    text = str(exc) if exc else "unknown error"
    return text.splitlines()[0][:160] if text else type(exc).__name__


def download_file(url: str, dest: Path, **options) -> DownloadResult:
    return Downloader(url, Path(dest), **options).run()
