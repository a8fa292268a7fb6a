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


LONG_OUTPUT = "{{ 'x' * 2000000 }}"  # renders at once, but past the probe's 1,000,000-character limit


def test_the_tokenizer_honours_the_probes_verdict_as_the_engine_does(tmp_path):
    """Review bug 1: LlamaTokenizer (Documents counts tokens with it) rendered the embedded template in-process
    whatever the probe child had found. It now sets the same template aside, with the same note."""
    from desktop_app.core.llm.tokenizer import LlamaTokenizer

    path = write_tiny_llama(tmp_path / "long.gguf", chat_template=LONG_OUTPUT)
    with LlamaTokenizer(path, n_ctx=256) as tokenizer:
        assert tokenizer.info.template_source == "fallback"
        assert "turns a one-word message into 2,000,000 characters" in tokenizer.info.template_note
        assert tokenizer.render([ChatMessage("user", "hi")]).startswith("<|im_start|>user\nhi<|im_end|>")
    with LlamaEngine() as engine:
        info = engine.load(path, LoadOptions(n_ctx=256))
        assert (info.template_source, info.template_note) == ("fallback", tokenizer.info.template_note)


@pytest.mark.parametrize("hostile", [NESTED_LOOPS, HUGE_STRING], ids=["nested-loops", "huge-string"])
def test_counting_tokens_with_a_hostile_template_neither_hangs_nor_eats_memory(tmp_path, hostile):
    """In a child with a time limit: before the fix the tokenizer rendered these in-process (hours, or 1 GB)."""
    from hostile_data_factory import run_with_peak

    path = write_tiny_llama(tmp_path / "hostile.gguf", chat_template=hostile)
    code = ("from desktop_app.core.llm.tokenizer import LlamaTokenizer\n"
            "from desktop_app.core.llm.types import ChatMessage\n"
            "with LlamaTokenizer(sys.argv[1], n_ctx=256) as t:\n"
            "    print(t.info.template_source, len(t.tokenize(t.render([ChatMessage('user', 'hi')]), special=True)))\n")
    done, peak_mb = run_with_peak(code, str(path), timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[0] == "fallback" and peak_mb < 400
