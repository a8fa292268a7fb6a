"""One engine's HTTP connection: every request bounded in time and size, redirects kept at home, failures in words.

httpx (one keep-alive client per engine) does the HTTP; this module adds what the engine's users need:
- a redirect to another host, port or scheme is never followed (it would carry the user's message
  there): the sentence says where it pointed; a redirect within the server is followed;
- the answer's head must arrive within the stated timeout, retries included (a transient refusal is
  retried once, in the time left), and a whole JSON answer too (``deadlines.Watch``);
- a JSON answer is read up to a byte bound before it is parsed (a 1 GB model list is refused at 8 MB);
- every httpx failure becomes one ``RemoteError`` sentence (``explain``), never a class name.
A login in the address is sent as HTTP Basic auth and never shown (``address.shown``).
"""

from __future__ import annotations

import json
import logging
import re
import ssl
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from desktop_app.core.remote.address import basic_auth, normalize_url, origin, shown, split_login
from desktop_app.core.remote.deadlines import DeadlinePassed, Tripped, Watch
from desktop_app.core.remote.errors import (
    AnswerTooLarge,
    NotOpenAICompatible,
    RemoteAuthFailed,
    RemoteError,
    RemoteRedirected,
    RemoteTimeout,
    RemoteUnreachable,
)
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 120.0
JSON_LIMIT = 8 << 20  # a model list, /props (with its chat template), metrics: real ones are KBs
ERROR_LIMIT = 64 << 10  # the body of a refusal: only its message is shown
MAX_REDIRECTS = 5  # within one server
RETRY_STATUSES = (429, 502, 503)  # busy or restarting: worth one more try in the time left
RETRY_PAUSE_S = 0.5
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class Connection:
    """The HTTP side of one remote engine. Thread-safe (httpx's client is)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        login: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = 1,
        transport=None,
    ):
        """``login``: ``user:password`` for HTTP Basic auth (one in ``base_url`` is taken out and used too).
        ``transport``: an httpx transport for every request (benchmarks replay a recorded stream with one)."""
        import httpx

        self.base_url, in_address = split_login(normalize_url(base_url))
        self.server_root = self.base_url[: -len("/v1")]
        self.shown = shown(self.server_root)
        self.login = login or in_address
        self.timeout = timeout
        self.max_retries = max_retries
        headers = {"Accept-Encoding": "identity"}  # compressed answers could expand past every bound
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(
            headers=headers, timeout=timeout, follow_redirects=False, transport=transport,
            auth=httpx.BasicAuth(*basic_auth(self.login)) if self.login else None,
        )
        self._closed = threading.Event()

    def close(self) -> None:
        self._closed.set()
        self._client.close()

    # requests

    def get_json(self, path: str, limit: int = JSON_LIMIT, missing: str | None = None) -> Any:
        return self.request_json("GET", path, None, limit, missing)

    def request_json(self, method: str, path: str, body: Any, limit: int = JSON_LIMIT, missing: str | None = None,
                     timeout: float | None = None) -> Any:
        """One JSON answer, read whole within ``timeout`` (the stated one by default) and ``limit`` bytes.
        ``missing``: the sentence for a 404 (default: the server has no such endpoint)."""
        with Watch(idle_s=timeout or self.timeout, total_s=timeout or self.timeout) as watch:
            try:
                with self.open(method, path, body, watch, missing) as response:
                    data = read_limited(response, limit, watch, self.shown)
                return json.loads(data)
            except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
                raise self.explain(exc, watch) from exc

    @contextmanager
    def open(self, method: str, path: str, body: Any, watch: Watch, missing: str | None = None) -> Iterator:
        """The answer's head, its status checked: a refusal raises its sentence; the body is the caller's to read."""
        response = self._send(method, self.server_root + path, body, watch)
        try:
            if response.status_code >= 400:
                detail = _error_detail(read_limited(response, ERROR_LIMIT, watch, self.shown))
                raise self.refusal(response.status_code, detail, missing or self._no_endpoint(path))
            encoding = response.headers.get("content-encoding", "identity").lower()
            if encoding not in ("identity", ""):
                raise NotOpenAICompatible(translate(
                    "RemoteErrors", "{where} answered in a compressed form ({encoding}) Hearth did not ask for. "
                    "Check the address and port.").fill(where=self.shown, encoding=clean(encoding)[:40]))
            watch.attach(response)
            yield response
        finally:
            response.close()

    def _send(self, method: str, url: str, body: Any, watch: Watch):
        """Send, following redirects only within the server, retrying a transient failure once in the time left."""
        import httpx

        request = self._client.build_request(method, url, json=body)
        retries, hops = self.max_retries, 0
        while True:
            left = watch.remaining()
            if left <= 0:
                raise httpx.ReadTimeout("no time left for the answer's head")
            request.extensions["timeout"] = httpx.Timeout(min(self.timeout, left)).as_dict()
            try:
                response = self._client.send(request, stream=True)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                # a keep-alive connection the server closed meanwhile ends like this too: one more try
                if retries <= 0 or watch.remaining() <= 0 or self._closed.is_set():
                    raise
                log.info("%s: %s; trying once more", self.shown, type(exc).__name__)
                retries -= 1
                continue
            if response.next_request is not None:
                response.close()
                target = response.next_request.url
                if origin(str(target)) != origin(str(request.url)):
                    raise self.redirected(str(target))
                hops += 1
                if hops > MAX_REDIRECTS:
                    raise RemoteError(translate(
                        "RemoteErrors", "{where} redirected the request more than {n} times. Check the address.").fill(
                        where=self.shown, n=MAX_REDIRECTS))
                request = response.next_request
                continue
            if response.status_code in RETRY_STATUSES and retries > 0 and watch.remaining() > RETRY_PAUSE_S:
                response.close()
                retries -= 1
                if self._closed.wait(RETRY_PAUSE_S):
                    raise RemoteUnreachable(translate("RemoteErrors", "The connection to {where} was closed.").fill(
                        where=self.shown))
                continue
            return response

    # sentences

    def redirected(self, target: str) -> RemoteRedirected:
        return RemoteRedirected(translate(
            "RemoteErrors", "{where} redirected the request to {target}, a different address; Hearth did not follow it, "
            "so nothing was sent there. If that is the right server, use its address instead.").fill(
            where=self.shown, target=shown(target)), target=shown(target))

    def _no_endpoint(self, path: str) -> str:
        return translate("RemoteErrors", "{where} has no {path} endpoint.").fill(where=self.shown, path=path)

    def refusal(self, status: int, detail: str, missing: str) -> RemoteError:
        if status in (401, 403):
            error = RemoteAuthFailed(translate(
                "RemoteErrors", "{where} refused the API key (wrong or missing). Enter the key its owner gave you.").fill(
                where=self.shown) if not self.login else translate(
                "RemoteErrors", "{where} refused the login in its address or the API key. Check both with the server's "
                "owner.").fill(where=self.shown))
        elif status == 404:
            error = RemoteError(missing)
        elif detail:
            error = RemoteError(translate("RemoteErrors", "{where} refused the request ({status}: {detail}).").fill(
                where=self.shown, status=status, detail=detail))
        else:
            error = RemoteError(translate("RemoteErrors", "{where} refused the request (HTTP status {status}).").fill(
                where=self.shown, status=status))
        error.status, error.detail = status, detail
        return error

    def explain(self, exc: BaseException, watch: Watch | None = None) -> RemoteError:
        """One sentence for any failure of a request (the reply stream has its own, keeping what arrived)."""
        import httpx

        where = self.shown
        tripped = watch.tripped if watch is not None else None
        if isinstance(exc, RemoteError) and tripped is None:
            return exc
        if tripped is Tripped.CANCELLED:
            return RemoteError(translate("RemoteErrors", "The request to {where} was stopped.").fill(where=where))
        if tripped is not None or isinstance(exc, (httpx.ReadTimeout, httpx.PoolTimeout, DeadlinePassed)):
            seconds = {Tripped.IDLE: watch.idle_s, Tripped.TOTAL: watch.total_s}.get(tripped, self.timeout) if watch else self.timeout
            return RemoteTimeout(translate(
                "RemoteErrors", "{where} did not answer within {seconds:g} seconds. The server may be overloaded; "
                "try again, or raise the timeout.").fill(where=where, seconds=seconds))
        if isinstance(exc, httpx.ConnectTimeout):
            return RemoteTimeout(translate(
                "RemoteErrors", "{where} did not accept a connection within {seconds:g} seconds. Check the address, "
                "that the server is running and that this computer can reach it.").fill(where=where, seconds=self.timeout))
        if isinstance(exc, httpx.WriteTimeout):
            return RemoteTimeout(translate(
                "RemoteErrors", "{where} did not take the request within {seconds:g} seconds. The server may be "
                "overloaded; try again.").fill(where=where, seconds=self.timeout))
        if isinstance(exc, httpx.ConnectError) and _is_certificate_problem(exc):
            return RemoteUnreachable(translate(
                "RemoteErrors", "{where} offered a certificate this computer does not trust, so nothing was sent. "
                "Check the address, or ask the server's owner.").fill(where=where))
        if isinstance(exc, httpx.ConnectError):
            return RemoteUnreachable(translate(
                "RemoteErrors", "Could not reach {where}. Check the address, that the server is running and that "
                "this computer can reach it on the network.").fill(where=where))
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            return RemoteError(translate(
                "RemoteErrors", "{where} pointed to an address Hearth cannot use (only http:// and https:// work).").fill(
                where=where))
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
            return RemoteUnreachable(translate(
                "RemoteErrors", "The connection to {where} broke before the answer was complete. Try again; if it "
                "keeps happening, check the server.").fill(where=where))
        if isinstance(exc, (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
                            httpx.DecodingError)):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            return NotOpenAICompatible(translate(
                "RemoteErrors", "{where} answered with something that is not the OpenAI protocol. Check the address "
                "and port.").fill(where=where))
        log.warning("unexpected failure of a request to %s", where, exc_info=exc)
        return RemoteError(translate(
            "RemoteErrors", "The request to {where} failed. Try again; if it keeps happening, the log file has the "
            "details.").fill(where=where))


def read_limited(response, limit: int, watch: Watch | None, where: str) -> bytes:
    """The whole body, refused as soon as it passes ``limit`` bytes (before anything is parsed)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(where, limit)
    data = bytearray()
    for chunk in response.iter_bytes():  # identity only (open() refuses other encodings): the bytes as sent
        data += chunk
        if len(data) > limit:
            raise _too_large(where, limit)
        if watch is not None:
            watch.fed()
            watch.raise_if_tripped()
    if watch is not None and watch.tripped is not None:  # the watch shut the socket: this end is not the body's
        raise DeadlinePassed(watch.tripped)
    return bytes(data)


def _too_large(where: str, limit: int) -> AnswerTooLarge:
    return AnswerTooLarge(translate(
        "RemoteErrors", "{where} sent an answer larger than {mb:g} MB, far more than any real one; Hearth stopped "
        "reading it. Check the address and port.").fill(where=where, mb=round(limit / (1 << 20), 2)))


def clean(text: str) -> str:
    """A server's words, safe for one line of a terminal: no control characters, not too long."""
    return CONTROL.sub(" ", text).strip()


def _error_detail(body: bytes) -> str:
    """The message in a refusal's JSON body (OpenAI's {"error": {"message": …}}), if there is one."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    error = parsed.get("error", parsed) if isinstance(parsed, dict) else None
    message = error.get("message") if isinstance(error, dict) else error if isinstance(error, str) else None
    return clean(message)[:200] if isinstance(message, str) else ""


def _is_certificate_problem(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
