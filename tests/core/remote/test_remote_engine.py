"""RemoteEngine against real servers on 127.0.0.1: llama-cpp-python's server on the tiny GGUF, a plain
HTTP server that is not OpenAI-compatible, a stalled one, a closed port. One server per module."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.documents.load import document_from_text
from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest
from desktop_app.core.llm.types import ChatMessage, StopReason
from desktop_app.core.remote.client import RemoteEngine, estimate_tokens, normalize_url
from desktop_app.core.remote.errors import (
    ConnectionDropped,
    NotOpenAICompatible,
    RemoteAuthFailed,
    RemoteError,
    RemoteModelUnknown,
    RemoteTimeout,
    RemoteUnreachable,
)
from desktop_app.core.sampling import SamplingParams
from serve_factory import free_port, running_server

pytestmark = pytest.mark.allow_loopback
GREEDY = SamplingParams(temperature=0, max_tokens=24)


@pytest.fixture(scope="module")
def server(tiny_gguf):
    with running_server(tiny_gguf) as running:
        yield running


@pytest.fixture
def remote(server):
    engine = RemoteEngine(server.base_url, n_ctx=512, timeout=30)
    yield engine
    engine.close()


def test_urls_are_normalized_to_the_v1_base():
    assert normalize_url("http://host:8080/") == "http://host:8080/v1"
    assert normalize_url("https://gpu.example/v1") == "https://gpu.example/v1"
    with pytest.raises(RemoteError, match="not a web address"):
        normalize_url("host:8080")


def test_lists_models_and_connects_to_the_served_one(remote):
    assert remote.list_models() == ["tiny-llama"]
    info = remote.connect()
    assert info.name == "tiny-llama" and info.n_ctx == 512 and remote.loaded


def test_unknown_model_is_named_with_what_the_server_has(server):
    with RemoteEngine(server.base_url, model="gpt-9") as engine:
        with pytest.raises(RemoteModelUnknown, match="no model named 'gpt-9'.*tiny-llama"):
            engine.connect()


def test_streams_a_chat_reply_piece_by_piece(remote):
    pieces: list[str] = []
    result = remote.chat([ChatMessage("user", "hello there")], GREEDY, on_text=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == result.text
    assert result.stats.stop_reason in (StopReason.STOP, StopReason.LENGTH)
    if result.stats.stop_reason == StopReason.LENGTH:  # this server sends no usage: it stopped at max_tokens
        assert result.stats.completion_tokens == GREEDY.max_tokens
    again = remote.chat([ChatMessage("user", "hello there")], GREEDY)
    assert again.text == result.text  # greedy: the same reply


def test_stop_mid_stream_keeps_what_arrived(remote):
    cancel = threading.Event()
    pieces: list[str] = []

    def on_text(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 3:
            cancel.set()

    sampling = SamplingParams(temperature=0, max_tokens=120, ignore_eos=True)
    result = remote.chat([ChatMessage("user", "tell me more")], sampling, on_text=on_text, cancel=cancel)
    assert result.stats.stop_reason == StopReason.CANCELLED
    assert result.text == "".join(pieces[:3]) and result.stats.completion_tokens < 120


def test_token_counts_come_from_the_server_tokenizer(remote):
    remote.connect()
    assert remote.counts_exactly
    tokens = remote.tokenize("the cat and the dog")
    assert tokens and all(isinstance(t, int) for t in tokens)
    assert remote.count_tokens("the cat and the dog") == len(tokens) != estimate_tokens("the cat and the dog")


def test_summarizes_a_multi_chunk_document_remotely(remote):
    remote.connect()
    text = "\n\n".join(f"Section {i}. " + "the cat and the dog sat on the mat. " * 8 for i in range(2))
    summarizer = DocumentSummarizer(remote, document_from_text(text, "long.txt"), SummaryRequest(length="short"))
    plan = summarizer.plan()
    assert plan.parts > 1
    result = summarizer.run()
    assert not result.cancelled and result.parts_done == plan.parts and result.summary.strip()
    assert result.llm_calls > plan.parts  # each part, then the combining call(s)


def test_a_closed_port_is_unreachable():
    with RemoteEngine(f"http://127.0.0.1:{free_port()}", max_retries=0, timeout=5) as engine:
        with pytest.raises(RemoteUnreachable, match="Could not reach"):
            engine.list_models()


def test_a_server_that_is_not_openai_compatible_says_so(model_server):
    with RemoteEngine(model_server.base_url, max_retries=0, timeout=5) as engine:
        with pytest.raises(NotOpenAICompatible, match="not an OpenAI-compatible server"):
            engine.connect()


def test_a_server_that_answers_html_is_not_openai_compatible(model_server):
    model_server.add("/v1/models", b"<html>router login</html>")
    with RemoteEngine(model_server.base_url, max_retries=0, timeout=5) as engine:
        with pytest.raises(NotOpenAICompatible, match="not the OpenAI protocol"):
            engine.connect()


def test_a_slow_server_hits_the_timeout(model_server):
    model_server.add("/v1/models", b'{"object": "list", "data": []}', "stall")
    with RemoteEngine(model_server.base_url, max_retries=0, timeout=0.5) as engine:
        with pytest.raises(RemoteTimeout, match="did not answer within 0.5 seconds"):
            engine.list_models()


def test_a_server_killed_mid_stream_keeps_the_partial_reply(tiny_gguf):
    with running_server(tiny_gguf) as server:
        engine = RemoteEngine(server.base_url, n_ctx=512, max_retries=0)
        pieces: list[str] = []

        def on_text(piece: str) -> None:
            pieces.append(piece)
            if len(pieces) == 1:
                server._process.kill()  # the server dies while the reply streams
                server._process.wait()

        sampling = SamplingParams(temperature=0, max_tokens=120, ignore_eos=True)
        with pytest.raises(ConnectionDropped, match="dropped|without saying it was finished") as caught:
            engine.chat([ChatMessage("user", "go on")], sampling, on_text=on_text)
        assert caught.value.partial == "".join(pieces) and caught.value.partial
        engine.close()


def test_wrong_or_missing_key_is_refused_in_plain_words(tiny_gguf):
    with running_server(tiny_gguf, api_key="s3cret") as server:
        with RemoteEngine(server.base_url, max_retries=0) as engine:
            with pytest.raises(RemoteAuthFailed, match="refused the API key"):
                engine.list_models()
        with RemoteEngine(server.base_url, api_key="s3cret", max_retries=0) as engine:
            assert engine.list_models() == ["tiny-llama"]


def test_a_reply_longer_than_the_context_has_room_for_stops_at_the_context(remote):
    remote.connect()
    prompt = "the cat and the dog sat on the mat. " * 12
    sampling = SamplingParams(temperature=0, max_tokens=400, ignore_eos=True)
    result = remote.chat([ChatMessage("user", prompt)], sampling)  # the server would fail past its 512 tokens
    assert result.stats.stop_reason == StopReason.CONTEXT
    assert result.stats.prompt_tokens + result.stats.completion_tokens <= 512


def test_a_long_history_drops_the_oldest_turns_and_keeps_the_system_prompt(remote):
    remote.connect()
    old = "the cat and the dog sat on the mat. " * 5
    history = [ChatMessage("system", "be brief")]
    for turn in range(6):
        history += [ChatMessage("user", f"{turn} {old}"), ChatMessage("assistant", old)]
    history.append(ChatMessage("user", "and now?"))
    result = remote.chat(history, SamplingParams(temperature=0, max_tokens=16))
    assert result.stats.dropped_messages >= 2 and result.stats.dropped_messages % 2 == 0


def test_the_stated_estimate_is_conservative_for_english_and_chinese():
    from desktop_app.core.remote.client import surely_fits

    assert estimate_tokens("") == 0
    assert estimate_tokens("the cat sat") == 6  # 11 ASCII bytes: one token per 2
    assert estimate_tokens("你好") == 6  # no CJK in the vocabulary: a token per UTF-8 byte
    assert surely_fits("abcd", 4) and not surely_fits("你好", 5)


def test_llama_cpp_python_servers_context_is_read_from_its_own_refusal(server):
    """That server says its context nowhere but in the error for a prompt too long; the probe is refused
    before anything is decoded, so it costs a tokenization, once per server and model."""
    from desktop_app.core.remote import context

    context._probed_contexts.clear()
    with RemoteEngine(server.base_url, timeout=30) as engine:
        info = engine.connect()
    assert info.n_ctx == server.options.n_ctx == 512 and info.metadata["n_ctx_source"] == "server"
    assert "assumes" not in info.metadata["remote_note"]
    assert context._probed_contexts == {(engine.server_root, "tiny-llama"): 512}


def test_reply_tokens_are_counted_by_the_servers_tokenizer_when_it_sends_no_usage(remote, server):
    import httpx

    # a grammar ends the reply before max_tokens (a stop, not a length): only the tokenizer can count it
    grammar = 'root ::= "the cat and the dog"'
    pieces: list[str] = []
    result = remote.chat([ChatMessage("user", "the cat")], SamplingParams(temperature=0.9, seed=5, max_tokens=64),
                         on_text=pieces.append, grammar=grammar)
    assert result.text == "the cat and the dog" and result.stats.stop_reason == StopReason.STOP
    root = remote.server_root
    counted = httpx.post(root + "/extras/tokenize", json={"input": result.text, "model": "tiny-llama"}).json()["tokens"]
    bos = httpx.post(root + "/extras/tokenize", json={"input": "", "model": "tiny-llama"}).json()["tokens"]
    assert result.stats.completion_tokens == len(counted) - len(bos) > 0 and len(pieces) != len(counted) - len(bos)
    assert remote.info.metadata["token_counts"] == "tokenizer"
    assert "counted with its tokenizer" in remote.info.metadata["remote_note"]


def test_a_server_that_says_no_context_gets_the_stated_assumption(model_server):
    from desktop_app.core.remote.client import DEFAULT_N_CTX

    model_server.add("/v1/models", b'{"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "x"}]}')
    with RemoteEngine(model_server.base_url, max_retries=0, timeout=5) as engine:
        info = engine.connect()
    assert info.n_ctx == DEFAULT_N_CTX and info.metadata["n_ctx_source"] == "assumed"
    assert f"assumes {DEFAULT_N_CTX} tokens" in info.metadata["remote_note"]


def test_vllms_max_model_len_is_its_context(model_server):
    body = b'{"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "vllm", "max_model_len": 32768}]}'
    model_server.add("/v1/models", body)
    with RemoteEngine(model_server.base_url, max_retries=0, timeout=5) as engine:
        info = engine.connect()
    assert info.n_ctx == 32768 and info.metadata["n_ctx_source"] == "server"


def test_token_counts_reuse_one_http_client(server, monkeypatch):
    """A reply's count is one more request on this server: it must not build a client (and TLS context) each time."""
    import httpx

    built = []
    original = httpx.Client.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    with RemoteEngine(server.base_url, n_ctx=512, timeout=30) as engine:
        engine.connect()
        monkeypatch.setattr(httpx.Client, "__init__", counting)
        counts = [engine.count_tokens(f"the cat number {i}") for i in range(4)]
    assert all(counts) and len(built) == 0
