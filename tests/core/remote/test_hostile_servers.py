"""RemoteEngine against servers that misbehave on purpose (tests/hostile_server.py, real on 127.0.0.1):
replies that never end, keep-alive pings and nothing else, 1 GB answers, no head at all, redirects to another
server, a tokenizer that fails once. Each ends in one sentence, in bounded time, keeping what arrived."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from desktop_app.core.llm.types import ChatMessage, StopReason
from desktop_app.core.remote import tokens
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.connection import Connection
from desktop_app.core.remote.errors import (
    AnswerTooLarge,
    NotOpenAICompatible,
    RemoteError,
    RemoteModelUnknown,
    RemoteRedirected,
    RemoteTimeout,
    ReplyCutOff,
)
from desktop_app.core.remote.stream import ReplyLimits, stream_reply
from desktop_app.core.sampling import SamplingParams
from hostile_server import HostileServer

pytestmark = pytest.mark.allow_loopback
HELLO = [ChatMessage("user", "hello")]
RAW_WORDS = ("Error:", "Exception", "httpx", "Traceback", "ConnectError", "ReadTimeout")


def chat(server: HostileServer, max_tokens: int = 16, timeout: float = 5.0, **options):
    with RemoteEngine(server.url, timeout=timeout, max_retries=1, n_ctx=4096, **options) as engine:
        return engine.chat(HELLO, SamplingParams(max_tokens=max_tokens))


def plain(sentence: str) -> bool:
    return not any(word in sentence for word in RAW_WORDS)


def test_a_well_behaved_reply_still_arrives_whole():
    with HostileServer("ok") as server:
        result = chat(server)
    assert result.text == "Hello there!" and result.stats.stop_reason == StopReason.STOP


def test_a_model_the_server_refuses_to_know_is_named():
    with HostileServer("unknown_model") as server:
        with pytest.raises(RemoteModelUnknown) as caught:
            chat(server)
    assert str(caught.value) == f"{server.url} does not know the model 'm'. Choose one it lists."


def test_an_endless_stream_of_tokens_is_cut_at_the_tokens_asked_for():
    with HostileServer("endless_tokens") as server:
        started = time.monotonic()
        with pytest.raises(ReplyCutOff) as caught:
            chat(server, max_tokens=16)
    assert time.monotonic() - started < 5
    assert str(caught.value) == (
        f"{server.url} sent more than the 16 tokens asked for; Hearth cut the reply off there. "
        "The 20 characters that arrived are kept, marked as incomplete.")
    assert caught.value.partial == "a" * 20


def test_keep_alive_pings_without_text_end_after_the_stated_timeout():
    with HostileServer("pings") as server:
        started = time.monotonic()
        with pytest.raises(ReplyCutOff) as caught:
            chat(server, timeout=0.5)
        elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 2.0, elapsed
    assert str(caught.value) == (f"{server.url} sent no new text for 0.5 seconds; Hearth cut the reply off there. "
                                 "Nothing of the reply had arrived.")


@pytest.mark.parametrize("kind", ["big_pieces", "endless_line"])
def test_a_1_gb_reply_is_cut_at_the_byte_bound(kind):
    with HostileServer(kind) as server:
        with pytest.raises(ReplyCutOff) as caught:
            chat(server, max_tokens=16)
    limit = ReplyLimits.for_reply(16, 5.0).max_bytes
    assert f"sent more than {round(limit / (1 << 20), 1):g} MB for one reply" in str(caught.value)
    assert len(caught.value.partial) <= limit


def test_a_server_silent_in_the_middle_of_a_reply_is_cut_and_what_arrived_kept():
    with HostileServer("one_then_silence") as server:
        started = time.monotonic()
        with pytest.raises(ReplyCutOff) as caught:
            chat(server, timeout=0.5)
        assert time.monotonic() - started < 2.0
    assert caught.value.partial == "one"
    assert str(caught.value).endswith("The 3 characters that arrived are kept, marked as incomplete.")


def test_the_reply_deadline_holds_against_a_slow_drip():
    """A piece every 3 s keeps the silence short; the deadline of 1 s ends the reply at 1 s, not at the next piece
    (the watch shuts the socket of the blocked read)."""
    with HostileServer("drip", drip_s=3.0) as server:
        connection = Connection(server.url, timeout=5.0)
        limits = ReplyLimits(max_tokens=100, idle_s=5.0, total_s=1.0, max_bytes=1 << 20)
        started = time.monotonic()
        try:
            with pytest.raises(ReplyCutOff) as caught:
                stream_reply(connection, "/v1/chat/completions", {"messages": []}, True, limits)
        finally:
            connection.close()
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.0, elapsed
    assert str(caught.value) == (f"{server.url} did not finish the reply within 1 seconds; Hearth cut it off there. "
                                 "The 1 characters that arrived are kept, marked as incomplete.")


def test_stop_ends_a_reply_blocked_on_a_silent_server_at_once():
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    with HostileServer("one_then_silence") as server:
        with RemoteEngine(server.url, timeout=30, n_ctx=4096) as engine:
            started = time.monotonic()
            timer.start()
            try:
                result = engine.chat(HELLO, SamplingParams(max_tokens=16), cancel=cancel)
            finally:
                timer.join()
            elapsed = time.monotonic() - started
    assert result.stats.stop_reason == StopReason.CANCELLED and result.text == "one"
    assert elapsed < 2.0, elapsed


def test_a_server_that_never_answers_fails_at_the_stated_timeout_retries_included():
    with HostileServer("ok", models="no_head") as server:
        with RemoteEngine(server.url, timeout=1.0, max_retries=1) as engine:
            started = time.monotonic()
            with pytest.raises(RemoteTimeout) as caught:
                engine.connect()
            elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 1.5, elapsed  # not 2 s: a retry gets only the time left
    assert str(caught.value) == (f"{server.url} did not answer within 1 seconds. The server may be overloaded; "
                                 "try again, or raise the timeout.")


def test_a_retry_gets_only_the_time_left():
    """The server hangs up after 0.9 s without answering, each time: the one retry has 0.1 s, not another second."""
    with HostileServer("ok", models="hang_up", hang_up_s=0.9) as server:
        with RemoteEngine(server.url, timeout=1.0, max_retries=1) as engine:
            started = time.monotonic()
            with pytest.raises(RemoteError) as caught:
                engine.connect()
            elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.5, elapsed
    assert len(server.requests) == 2 and plain(str(caught.value))


def test_a_chat_reply_that_never_starts_says_what_timed_out():
    with HostileServer("no_head") as server:
        started = time.monotonic()
        with pytest.raises(RemoteTimeout, match="did not answer within 0.5 seconds"):
            chat(server, timeout=0.5)
        assert time.monotonic() - started < 1.5


def test_a_1_gb_model_list_is_refused_at_its_bound():
    """(Its memory is measured on a real `hearth engines add` in tests/cli/test_cli_hostile_engines.py.)"""
    with HostileServer("ok", models="huge") as server:
        with RemoteEngine(server.url, timeout=10) as engine:
            started = time.monotonic()
            with pytest.raises(AnswerTooLarge) as caught:
                engine.list_models()
            assert time.monotonic() - started < 5
    assert str(caught.value) == (f"{server.url} sent an answer larger than 8 MB, far more than any real one; Hearth "
                                 "stopped reading it. Check the address and port.")


def test_a_compressed_answer_nobody_asked_for_is_refused_unopened():
    with HostileServer("ok", models="gzip") as server:
        with RemoteEngine(server.url, timeout=5) as engine:
            with pytest.raises(NotOpenAICompatible) as caught:
                engine.list_models()
    assert server.requests[0][3]["Accept-Encoding"] == "identity"
    assert str(caught.value) == (f"{server.url} answered in a compressed form (gzip) Hearth did not ask for. Check the "
                                 "address and port.")


def test_a_redirect_to_another_server_is_not_followed_and_says_where_it_pointed():
    message = "my secret plans for the merger"
    with HostileServer("ok") as elsewhere, HostileServer("ok") as engine_server:
        engine_server.redirect_to = elsewhere.url  # another port on the same host: another server
        connection = Connection(engine_server.url, timeout=5.0)
        try:
            with pytest.raises(RemoteRedirected) as caught:
                stream_reply(connection, "/v1/chat/completions", {"messages": [{"role": "user", "content": message}]},
                             True, ReplyLimits.for_reply(16, 5.0))
            with pytest.raises(RemoteRedirected):
                connection.get_json("/v1/models")
        finally:
            connection.close()
    assert elsewhere.requests == []  # nothing, the user's message least of all, reached the other server
    assert message.encode() in engine_server.posted("/v1/chat/completions")[0]
    assert str(caught.value) == (
        f"{engine_server.url} redirected the request to {elsewhere.url}/v1/chat/completions, a different address; "
        "Hearth did not follow it, so nothing was sent there. If that is the right server, use its address instead.")


def test_a_redirect_to_another_scheme_on_the_same_port_is_not_followed():
    with HostileServer("ok") as server:
        server.redirect_to = server.url.replace("http://", "https://")
        with RemoteEngine(server.url, timeout=5.0) as engine:
            with pytest.raises(RemoteRedirected, match="to https://127.0.0.1"):
                engine.list_models()
    assert len(server.requests) == 1


def test_a_redirect_within_the_server_is_followed():
    with HostileServer("ok") as server:
        server.redirect_to = server.url  # the same path again: followed, until the hop limit
        with RemoteEngine(server.url, timeout=5.0) as engine:
            with pytest.raises(RemoteError, match="redirected the request more than 5 times"):
                engine.list_models()
    assert len(server.requests) == 6


def test_a_login_in_the_address_is_sent_as_basic_auth_and_never_shown():
    with HostileServer("ok") as server:
        address = server.url.replace("http://", "http://alice:s3cr%3At@")
        with RemoteEngine(address, timeout=5.0) as engine:
            assert engine.list_models() == ["m"]
            assert "s3cr" not in engine.server_root + engine.base_url and engine.server_root == server.url
        headers = server.requests[0][3]
    assert headers["Authorization"] == httpx.BasicAuth("alice", "s3cr:t")._auth_header
    closed = address.rsplit(":", 1)[0] + ":1"  # nothing listens on port 1
    with RemoteEngine(closed, timeout=2.0, max_retries=0) as engine:
        with pytest.raises(RemoteError) as caught:
            engine.list_models()
    assert "s3cr" not in str(caught.value) and "alice" not in str(caught.value)
    with pytest.raises(RemoteError) as caught:
        RemoteEngine("ftp://alice:s3cret@host/")
    assert "s3cret" not in str(caught.value)


def test_one_failed_tokenizer_probe_does_not_downgrade_counting(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(tokens, "clock", lambda: now[0])
    with HostileServer("ok", tokenize="flaky", flaky_failures=2) as server:
        with RemoteEngine(server.url, timeout=5.0, n_ctx=4096) as engine:
            engine.connect()  # the probe meets a 503, and its one retry too: counts are estimated for now
            assert engine.info.metadata["token_counts"] == "unknown"
            assert engine.count_tokens("abcdef") == tokens.estimate_tokens("abcdef") == 3
            assert not engine.counts_exactly and len(server.posted("/tokenize")) == 2  # not asked again at once
            now[0] += tokens.PROBE_AGAIN_S
            assert engine.count_tokens("abcdefgh") == 8  # asked again: the server's own count (a token per byte)
            assert engine.counts_exactly


def test_a_server_without_a_tokenizer_is_asked_once():
    with HostileServer("ok", tokenize="absent") as server:
        with RemoteEngine(server.url, timeout=5.0, n_ctx=4096) as engine:
            engine.connect()
            asked = len(server.requests)
            assert engine.count_tokens("abcdef") == 3 and not engine.counts_exactly
            assert len(server.requests) == asked  # the 404s were definite: not asked again


@pytest.mark.parametrize("failure", [
    httpx.ConnectError("[Errno 111] Connection refused"),
    httpx.ConnectTimeout("timed out"),
    httpx.ReadTimeout("timed out"),
    httpx.WriteTimeout("timed out"),
    httpx.PoolTimeout("timed out"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.ReadError("[Errno 104] Connection reset by peer"),
    httpx.WriteError("[Errno 32] Broken pipe"),
    httpx.CloseError("close"),
    httpx.ProxyError("proxy"),
    httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."),
    httpx.LocalProtocolError("Illegal header value"),
    httpx.DecodingError("bad gzip"),
    httpx.TooManyRedirects("too many"),
    httpx.InvalidURL("bad url"),
    ValueError("Expecting value: line 1 column 1 (char 0)"),
    RecursionError("maximum recursion depth exceeded"),
    OSError(28, "No space left on device"),
])
def test_every_http_failure_is_one_plain_sentence(failure, caplog):
    connection = Connection("http://127.0.0.1:9", timeout=3.0)
    try:
        error = connection.explain(failure)
    finally:
        connection.close()
    sentence = str(error)
    assert isinstance(error, RemoteError) and plain(sentence), sentence
    assert "http://127.0.0.1:9" in sentence and sentence.endswith(".") and "\n" not in sentence
    assert str(failure) not in sentence  # the library's own words stay in the log
