"""One suite, both engines: the local LlamaEngine and a RemoteEngine talking to llama.cpp's llama-server on
127.0.0.1, each on the tiny GGUF, meet the Engine protocol that Chat, Documents and Evaluate drive."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.errors import PromptTooLong
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.protocol import Engine
from desktop_app.core.llm.types import ChatMessage, LoadOptions, StopReason
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.serve import ServeEngine
from desktop_app.core.sampling import SamplingParams
from serve_factory import running_server

pytestmark = pytest.mark.allow_loopback
N_CTX = 512
GREEDY = SamplingParams(temperature=0, max_tokens=12)


@pytest.fixture(scope="module")
def served(tiny_gguf):
    with running_server(tiny_gguf, ServeEngine.LLAMA_SERVER, n_ctx=N_CTX) as server:
        yield server


@pytest.fixture(params=["local", "remote"])
def engine(request, tiny_gguf, served):  # served up front: its threads start before the test's own are counted
    if request.param == "local":
        engine = LlamaEngine()
        engine.load(tiny_gguf, LoadOptions(n_ctx=N_CTX, n_threads=1))
    else:
        engine = RemoteEngine(served.base_url, timeout=30)
        engine.connect()
    yield engine
    engine.close()


def test_is_an_engine(engine):
    assert isinstance(engine, Engine)
    assert engine.loaded and engine.info.n_ctx == N_CTX


def test_counts_tokens_as_it_tokenizes(engine):
    text = "The harbour master's boat is called Aurelia Seven."
    assert engine.count_tokens(text) == len(engine.tokenize(text)) > 3
    assert engine.count_tokens("") == 0
    assert "Aurelia Seven" in engine.render([ChatMessage("user", text)])


def test_streams_what_it_returns_and_stops_at_the_token_limit(engine):
    pieces: list[str] = []
    result = engine.chat([ChatMessage("user", "count: one two three four")], SamplingParams(
        temperature=0, max_tokens=8, ignore_eos=True), on_text=pieces.append)
    assert "".join(pieces) == result.text and result.text
    assert result.stats.stop_reason == StopReason.LENGTH and result.stats.completion_tokens == 8
    assert result.stats.prompt_tokens > 0


def test_greedy_replies_repeat(engine):
    messages = [ChatMessage("system", "Be brief."), ChatMessage("user", "hello there")]
    assert engine.chat(messages, GREEDY).text == engine.chat(messages, GREEDY).text


def test_completes_raw_text(engine):
    result = engine.complete("Once upon a time", SamplingParams(temperature=0, max_tokens=6, ignore_eos=True))
    assert result.text and result.stats.completion_tokens == 6


def test_a_set_cancel_stops_the_reply(engine):
    cancel = threading.Event()
    pieces: list[str] = []

    def on_text(piece: str) -> None:
        pieces.append(piece)
        cancel.set()

    result = engine.chat([ChatMessage("user", "tell me a long story")], SamplingParams(
        temperature=0, max_tokens=200, ignore_eos=True), on_text=on_text, cancel=cancel)
    assert result.stats.stop_reason == StopReason.CANCELLED
    assert result.stats.completion_tokens < 200


def test_the_oldest_turns_are_left_out_to_fit_the_context(engine):
    long_turn = " ".join(["harbour"] * 150)
    history = [ChatMessage("system", "Be brief.")]
    for i in range(4):
        history += [ChatMessage("user", f"{i} {long_turn}"), ChatMessage("assistant", "ok")]
    history.append(ChatMessage("user", "and now?"))
    result = engine.chat(history, GREEDY)
    assert result.stats.dropped_messages >= 2 and result.stats.dropped_messages % 2 == 0


def test_a_single_message_too_long_for_the_context_is_refused(engine):
    with pytest.raises(PromptTooLong):
        engine.chat([ChatMessage("user", " ".join(["harbour"] * 2000))], GREEDY)
