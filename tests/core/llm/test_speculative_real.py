"""Speculative decoding on the real default model: greedy output token for token the same with it on and off."""

from __future__ import annotations

import pytest

from desktop_app.core.llm.engine import ChatMessage, SamplingParams

pytestmark = pytest.mark.slow

SOURCE = (
    "The Millbrook council met on 12 March 2024. The council approved a budget of 4.2 million pounds for the "
    "river bridge, and the mayor, Anna Weber, said the bridge would open in June 2026. The library will close "
    "on Sundays from April. Farmers asked for a new grain market near the railway station."
)
CODE = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n"
ZH = "北京是中国的首都。上海是中国最大的城市。长江是中国最长的河流，全长约六千三百公里。"
PROMPTS = [
    f"Summarize this text in two sentences:\n\n{SOURCE}",
    f"Who is the mayor and when will the bridge open? Answer from the text.\n\n{SOURCE}",
    f"List every number in this text:\n\n{SOURCE}",
    f"Repeat the first sentence of this text exactly:\n\n{SOURCE}",
    f"Extract the names of people and places:\n\n{SOURCE}",
    f"Rewrite this text for a child:\n\n{SOURCE}",
    "What is the capital of France?",
    "Write a haiku about winter.",
    "Tell me a short joke.",
    "Explain what a KV cache is in one paragraph.",
    f"Add a function `sub` to this Python code and show the whole file:\n\n{CODE}",
    f"Explain this code:\n\n{CODE}",
    "Write a Python function that reverses a string.",
    "Write a SQL query that counts the rows of a table named orders.",
    f"用一句话总结：{ZH}",
    f"根据下文回答：中国最长的河流是什么？\n\n{ZH}",
    f"把下面的文字重复一遍：{ZH}",
    "你好，请介绍一下你自己。",
    "The quick brown fox jumps over the lazy dog. Repeat the sentence above three times.",
    "Count from one to twenty in words.",
    "List the days of the week.",
    "Translate to French: The cat sleeps on the warm chair.",
]
TOKENS = SamplingParams(temperature=0, max_tokens=32)


def test_greedy_replies_are_identical_with_speculative_decoding(real_engine):
    accepted = drafted = 0
    try:
        for prompt in PROMPTS:
            messages = [ChatMessage("user", prompt)]
            real_engine.speculative = False
            plain = real_engine.chat(messages, TOKENS)
            real_engine.speculative = True
            fast = real_engine.chat(messages, TOKENS)
            assert fast.text == plain.text, prompt
            assert fast.stats.completion_tokens == plain.stats.completion_tokens
            accepted += fast.stats.accepted_tokens
            drafted += fast.stats.draft_tokens
    finally:
        real_engine.speculative = True
    assert accepted > 30  # copying prompts accept drafts: the comparison exercised the verify path
    assert accepted <= drafted
