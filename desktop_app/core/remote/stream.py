"""A streamed reply (server-sent events) read within bounds: what arrived, how it ended, what the server said of it.

A reply ends when the server says so, or when Hearth ends it: more pieces than the tokens asked for, more
bytes than those tokens could need, no new text for the stated timeout, or past the reply's deadline.
Hearth's ending is a ``ReplyCutOff`` sentence that carries the text that arrived (the caller keeps it,
marked as incomplete); memory stays within the byte bound whatever the server sends.
"""

from __future__ import annotations

import enum
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from desktop_app.core.remote.connection import Connection, clean
from desktop_app.core.remote.deadlines import Tripped, Watch
from desktop_app.core.remote.errors import ConnectionDropped, ReplyCutOff
from desktop_app.core.texts import Text, translate

SECONDS_PER_TOKEN = 1.0  # the reply's deadline: the timeout, then a second a token (60x slower than a CPU server)
STREAM_BASE_BYTES = 1 << 20
BYTES_PER_TOKEN = 4096  # an SSE chunk of one token is ~200-600 bytes (llama.cpp's with timings); 4 KB is lavish
PIECE_SLACK = 4  # pieces beyond max_tokens tolerated (each piece carries at least one token)


class Cut(enum.StrEnum):
    TOKENS = "tokens"
    BYTES = "bytes"
    IDLE = "idle"
    TOTAL = "total"


@dataclass(frozen=True)
class ReplyLimits:
    max_tokens: int
    idle_s: float  # the longest wait for the next piece of text (and for the first)
    total_s: float
    max_bytes: int

    @classmethod
    def for_reply(cls, max_tokens: int, timeout: float) -> "ReplyLimits":
        max_tokens = max(1, int(max_tokens))
        return cls(max_tokens, timeout, timeout + max_tokens * SECONDS_PER_TOKEN, STREAM_BASE_BYTES + max_tokens * BYTES_PER_TOKEN)


@dataclass
class StreamedReply:
    parts: list[str] = field(default_factory=list)
    finish: str | None = None  # the server's finish_reason ("stop", "length"), "cancelled", or None (not said)
    usage: dict | None = None
    timings: dict | None = None  # llama.cpp's own figures
    started: float = 0.0
    first_at: float | None = None
    ended: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Stop(Exception):
    def __init__(self, cut: Cut):
        self.cut = cut


def stream_reply(
    connection: Connection,
    path: str,
    body: dict,
    chat: bool,
    limits: ReplyLimits,
    on_text: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> StreamedReply:
    """POST ``body`` (with ``stream: true``) and read the reply piece by piece within ``limits``."""
    reply = StreamedReply(started=time.perf_counter())
    answered = False  # the head arrived: from here on, a failure ends a reply (what arrived is kept)
    with Watch(limits.idle_s, limits.total_s, cancel) as watch:
        try:
            with connection.open("POST", path, body, watch) as response:
                answered = True
                _read(response, watch, limits, chat, reply, on_text)
        except _Stop as stop:
            raise _cut_off(connection.shown, stop.cut, limits, reply.text) from None
        except Exception as exc:  # noqa: BLE001 - the connection broke, a deadline passed, or the server sent something else
            if not answered:
                raise connection.explain(exc, watch) from exc
            watch.check()  # a read that timed out (httpx's own bound) is the silence the watch bounds too
            if watch.tripped is Tripped.CANCELLED:
                reply.finish = "cancelled"
            elif watch.tripped is not None:
                raise _cut_off(connection.shown, Cut(str(watch.tripped)), limits, reply.text) from exc
            elif not reply.parts and not isinstance(exc, _ServerStopped):
                raise connection.explain(exc, watch) from exc
            else:
                raise _dropped(connection.shown, exc, reply.text) from exc
    reply.ended = time.perf_counter()
    if reply.finish is None:
        raise ConnectionDropped(translate("RemoteErrors", "{where} ended the reply without saying it was finished. {kept}").fill(
            where=connection.shown, kept=_kept(reply.text)), reply.text)
    return reply


def _read(response, watch: Watch, limits: ReplyLimits, chat: bool, reply: StreamedReply, on_text) -> None:
    pieces = 0
    for event in _events(response, watch, limits):
        if not isinstance(event, dict):
            raise ValueError("an event that is not a JSON object")
        if event.get("error"):
            raise _ServerStopped(event["error"])
        if event.get("usage"):
            reply.usage = event["usage"]
        if isinstance(event.get("timings"), dict):
            reply.timings = event["timings"]
        for choice in event.get("choices") or ():
            text = (choice.get("delta") or {}).get("content") if chat else choice.get("text")
            if text:
                if not isinstance(text, str):
                    raise ValueError("text that is not a string")
                pieces += 1
                if pieces > limits.max_tokens + PIECE_SLACK:
                    raise _Stop(Cut.TOKENS)
                if reply.first_at is None:
                    reply.first_at = time.perf_counter()
                reply.parts.append(text)
                watch.fed()
                if on_text is not None:
                    on_text(text)
            if choice.get("finish_reason"):
                reply.finish = str(choice["finish_reason"])
        watch.raise_if_tripped()


def _events(response, watch: Watch, limits: ReplyLimits) -> Iterator[Any]:
    """The JSON of each event's data, until ``[DONE]`` or the end; comments (keep-alive pings) are skipped.
    Everything held (a line not yet ended included) is within the bytes received, so within ``max_bytes``."""
    received = 0
    pending = bytearray()  # a line not yet ended
    data: list[bytes] = []  # the data lines of the event being read
    for chunk in response.iter_bytes():  # identity only (open() refuses other encodings): the bytes as sent
        received += len(chunk)
        if received > limits.max_bytes:
            raise _Stop(Cut.BYTES)
        pending += chunk
        if b"\n" in chunk:
            *lines, rest = pending.split(b"\n")
            pending = bytearray(rest)
            for line in lines:
                line = line.rstrip(b"\r")
                if not line:
                    if data:
                        yield json.loads(b"\n".join(data))
                        data = []
                elif line.startswith(b"data:"):
                    value = line[5:].removeprefix(b" ")
                    if value == b"[DONE]":
                        return
                    data.append(value)
        watch.raise_if_tripped()
    watch.raise_if_tripped()  # the watch shut the socket: this end is not the server's
    if data:
        yield json.loads(b"\n".join(data))


class _ServerStopped(Exception):
    """The server sent an error event in the middle of the reply."""

    def __init__(self, error):
        message = error.get("message") if isinstance(error, dict) else error
        super().__init__(str(message)[:200] if message else "")


_PROTOCOL_ERRORS = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def _kept(text: str) -> Text:
    if text:
        return translate("RemoteErrors", "The {chars} characters that arrived are kept, marked as incomplete.").fill(
            chars=len(text))
    return translate("RemoteErrors", "Nothing of the reply had arrived.")


def _cut_off(where: str, cut: Cut, limits: ReplyLimits, text: str) -> ReplyCutOff:
    kept = _kept(text)
    if cut is Cut.TOKENS:
        sentence = translate("RemoteErrors", "{where} sent more than the {tokens} tokens asked for; Hearth cut the reply "
                             "off there. {kept}").fill(where=where, tokens=limits.max_tokens, kept=kept)
    elif cut is Cut.BYTES:
        sentence = translate("RemoteErrors", "{where} sent more than {mb:g} MB for one reply, far more than {tokens} "
                             "tokens need; Hearth cut it off there. {kept}").fill(
            where=where, mb=round(limits.max_bytes / (1 << 20), 1), tokens=limits.max_tokens, kept=kept)
    elif cut is Cut.IDLE:
        sentence = translate("RemoteErrors", "{where} sent no new text for {seconds:g} seconds; Hearth cut the reply "
                             "off there. {kept}").fill(where=where, seconds=limits.idle_s, kept=kept)
    else:
        sentence = translate("RemoteErrors", "{where} did not finish the reply within {seconds:g} seconds; Hearth cut "
                             "it off there. {kept}").fill(where=where, seconds=limits.total_s, kept=kept)
    return ReplyCutOff(sentence, text)


def _dropped(where: str, exc: BaseException, text: str) -> ConnectionDropped:
    kept = _kept(text)
    if isinstance(exc, _ServerStopped):
        sentence = translate("RemoteErrors", "{where} stopped the reply with an error ({detail}). {kept}").fill(
            where=where, detail=clean(str(exc)) or "-", kept=kept)
    elif isinstance(exc, _PROTOCOL_ERRORS):
        sentence = translate("RemoteErrors", "{where} sent something that is not the OpenAI protocol in the middle of "
                             "the reply. {kept}").fill(where=where, kept=kept)
    else:
        sentence = translate("RemoteErrors", "The connection to {where} dropped in the middle of the reply. {kept}").fill(
            where=where, kept=kept)
    return ConnectionDropped(sentence, text)
