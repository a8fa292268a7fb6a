"""Integration: the real default model (SmolLM2-135M-Instruct Q4_1)."""

from __future__ import annotations

import pytest

from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage
from desktop_app.core.hashing import sha256_file
from desktop_app.core.library.registry import ModelRegistry

pytestmark = pytest.mark.slow

QUESTION = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", "What is the capital of France?")]


def test_default_model_is_installed_and_verified():
    entry = ModelRegistry().default("chat")
    assert entry.exists and entry.source == "bundled"
    assert entry.path.stat().st_size == entry.size_bytes == 98_362_432
    assert sha256_file(entry.path) == entry.sha256


def test_capital_of_france_is_paris(real_engine):
    result = real_engine.chat(QUESTION, SamplingParams(temperature=0, max_tokens=48))
    assert "Paris" in result.text
    assert result.stats.stop_reason == "stop"
    assert real_engine.info.template_source == "embedded"


def test_greedy_matches_llama_cpp_python_itself(real_engine, default_chat_model):
    """--temperature 0 is plain greedy: the same tokens llama.cpp's own greedy sampler picks."""
    from llama_cpp import Llama

    ours = real_engine.chat(QUESTION, SamplingParams(temperature=0, max_tokens=40)).text
    reference = Llama(str(default_chat_model), n_ctx=2048, n_threads=2, verbose=False)
    try:
        theirs = reference.create_chat_completion(
            [{"role": m.role, "content": m.content} for m in QUESTION],
            temperature=0.0,
            top_k=1,
            repeat_penalty=1.0,
            max_tokens=40,
        )["choices"][0]["message"]["content"]
    finally:
        reference.close()
    assert ours.strip() == theirs.strip()


def test_chinese_round_trip(real_engine):
    tokens = real_engine.tokenize("巴黎是法国的首都。")
    assert real_engine.detokenize(tokens) == "巴黎是法国的首都。"


def test_chinese_cut_by_the_token_limit_shows_no_replacement_character(real_engine, monkeypatch):
    """SmolLM2 writes most Chinese characters as two or three byte tokens; a reply stopped by the
    token limit often ends inside one. Those bytes are a split, not the model's output: never a U+FFFD."""
    import codecs

    pieces: list[bytes] = []
    original = real_engine._piece
    monkeypatch.setattr(real_engine, "_piece", lambda token, special: pieces.append(original(token, special)) or pieces[-1])
    question = [ChatMessage("user", "请用中文介绍北京的历史和文化。")]
    for seed in range(20):
        pieces.clear()
        result = real_engine.chat(question, SamplingParams(temperature=0.7, max_tokens=60, seed=seed))
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        whole_characters = decoder.decode(b"".join(pieces))
        if result.stats.stop_reason == "length" and decoder.getstate()[0]:  # ended inside a character
            assert result.text == whole_characters and not result.text.endswith("\ufffd")
            return
    pytest.fail("no reply ended inside a character in 20 tries; the split case was not exercised")
