"""A hostile chat template in a GGUF cannot hang or exhaust the load: the probe child tries it under limits."""

from __future__ import annotations

import time

import pytest
from gguf_factory import write_tiny_llama

from desktop_app.core.llm import template as template_module
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.types import ChatMessage, LoadOptions

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x"
HUGE_STRING = "{{ 'x' * 1000000000 }}"


def test_a_template_that_loops_forever_is_stopped_in_the_child(monkeypatch):
    monkeypatch.setattr(template_module, "RENDER_LIMIT_S", 1)
    started = time.monotonic()
    assert template_module.template_problem(NESTED_LOOPS) == "takes longer than 1 s to render"
    assert time.monotonic() - started < 5


def test_a_template_that_builds_gigabytes_hits_the_memory_limit():
    assert template_module.template_problem(HUGE_STRING) == "needs more than 512 MB to render"


def test_a_template_that_raises_is_named_without_its_message():
    problem = template_module.template_problem("{{ raise_exception('secret question: ' + messages[0]['content']) }}")
    assert problem.startswith("fails to render (") and "test" not in problem


def test_a_normal_template_passes():
    assert template_module.template_problem("{% for m in messages %}{{ m['content'] }}{% endfor %}") is None


@pytest.mark.parametrize("hostile", [NESTED_LOOPS, HUGE_STRING], ids=["nested-loops", "huge-string"])
def test_loading_a_model_with_a_hostile_template_falls_back_with_a_visible_note(tmp_path, hostile, caplog):
    path = write_tiny_llama(tmp_path / "hostile.gguf", chat_template=hostile)
    with LlamaEngine() as engine:
        info = engine.load(path, LoadOptions(n_ctx=256))
        assert info.template_source == "fallback"
        assert "own chat template was not used" in info.template_note and "ChatML" in info.template_note
        assert "<|im_start|>user\nhi<|im_end|>" in engine.render([ChatMessage("user", "hi")])
