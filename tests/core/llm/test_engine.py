"""The llama.cpp engine on a tiny random-weight GGUF (loads in milliseconds)."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.errors import EngineBusy, ModelLoadError, PromptTooLong
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.text_stream import TextStream
from desktop_app.core.llm.types import ChatMessage, LoadOptions

GREEDY = SamplingParams(temperature=0, max_tokens=24)


@pytest.fixture
def engine(tiny_gguf):
    with LlamaEngine() as engine:
        engine.load(tiny_gguf, LoadOptions(n_ctx=256, n_threads=1))
        yield engine


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage("user", text)]


def test_load_reports_model_facts(engine, tiny_gguf):
    info = engine.info
    assert info.architecture == "llama"
    assert info.n_ctx == 256 and info.n_ctx_train == 512
    assert info.n_layers == 2
    assert info.template_source == "embedded"
    assert info.gpu_layers == 0  # CPU build: auto means no offload


def test_context_is_capped_by_training_context(tiny_gguf):
    with LlamaEngine() as engine:
        assert engine.load(tiny_gguf, LoadOptions(n_ctx=100_000)).n_ctx == 512


def test_streamed_chunks_add_up_to_the_reply(engine):
    chunks: list[str] = []
    result = engine.chat(user("hello the capital"), GREEDY, on_text=chunks.append)
    assert result.stats.completion_tokens > 0
    assert "".join(chunks) == result.text
    assert result.stats.prompt_tokens == len(engine.tokenize(engine.render(user("hello the capital")), special=True))
    assert result.stats.ttft_s > 0 and result.stats.context_used > result.stats.prompt_tokens


def test_greedy_is_deterministic_and_reuses_the_kv_cache(engine):
    first = engine.chat(user("hello"), GREEDY)
    second = engine.chat(user("hello"), GREEDY)
    assert first.text == second.text
    assert first.stats.cached_tokens == 0
    assert second.stats.cached_tokens == second.stats.prompt_tokens - 1


def test_seeded_sampling_repeats_and_seeds_differ(engine):
    sampling = SamplingParams(temperature=1.5, top_k=0, top_p=1.0, max_tokens=24, seed=7)
    a = engine.chat(user("hello"), sampling)
    b = engine.chat(user("hello"), sampling)
    c = engine.chat(user("hello"), SamplingParams(temperature=1.5, top_k=0, top_p=1.0, max_tokens=24, seed=8))
    assert a.text == b.text and a.stats.seed == 7
    assert c.text != a.text


def test_max_tokens_limits_the_reply(engine):
    result = engine.chat(user("hello"), SamplingParams(temperature=0, max_tokens=5, ignore_eos=True))
    assert result.stats.completion_tokens == 5
    assert result.stats.stop_reason == "length"


class CancelAfter(threading.Event):
    """Reads as set from the (n+1)-th check on. The engine checks once before decoding the
    prompt and once before each token, so CancelAfter(n) is a cancel during token n-1."""

    def __init__(self, n: int):
        super().__init__()
        self.checks, self.n = 0, n

    def is_set(self) -> bool:
        self.checks += 1
        return self.checks > self.n


def test_cancel_stops_within_one_token(engine):
    result = engine.chat(user("hello"), SamplingParams(temperature=0, max_tokens=200), cancel=CancelAfter(5))
    assert result.stats.stop_reason == "cancelled"
    assert result.stats.completion_tokens == 4


def test_cancel_keeps_the_partial_text(engine):
    full = engine.chat(user("hello"), SamplingParams(temperature=0, max_tokens=40))
    partial = engine.chat(user("hello"), SamplingParams(temperature=0, max_tokens=40), cancel=CancelAfter(20))
    assert full.text.startswith(partial.text)
    assert partial.stats.completion_tokens == 19 < full.stats.completion_tokens


def test_a_cancel_during_the_prompt_leaves_a_cache_the_next_reply_can_trust(tiny_gguf):
    """Cancelled after the first of several prompt batches: the KV cache holds only that batch,
    so the next request on the same prompt must re-decode the rest (else it reads a hole)."""
    long = user(" ".join(f"w{i}" for i in range(120)))
    with LlamaEngine() as engine:
        engine.load(tiny_gguf, LoadOptions(n_ctx=512, n_batch=32, n_threads=1))
        cancelled = engine.chat(long, GREEDY, cancel=CancelAfter(1))
        assert cancelled.stats.stop_reason == "cancelled" and cancelled.stats.completion_tokens == 0
        assert cancelled.stats.prompt_tokens > 64  # at least three batches, of which one was decoded
        after = engine.chat(long, GREEDY)
    with LlamaEngine() as fresh:
        fresh.load(tiny_gguf, LoadOptions(n_ctx=512, n_batch=32, n_threads=1))
        expected = fresh.chat(long, GREEDY)
    assert after.stats.completion_tokens > 0 and after.text == expected.text


def test_a_second_request_while_generating_is_refused(engine):
    started, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def slow(chunk: str) -> None:
        started.set()
        release.wait(5)

    worker = threading.Thread(
        target=lambda: engine.chat(user("hello"), SamplingParams(temperature=0, max_tokens=3), on_text=slow)
    )
    worker.start()
    assert started.wait(5)
    try:
        engine.chat(user("hello"), GREEDY)
    except EngineBusy as exc:
        errors.append(exc)
    release.set()
    worker.join(5)
    assert len(errors) == 1 and "already being generated" in str(errors[0])


def test_oldest_turns_are_dropped_to_fit_the_context_and_system_kept(engine):
    long_turn = "hello the capital of France is Paris " * 6
    messages = [ChatMessage("system", "be brief")]
    for _ in range(6):
        messages += [ChatMessage("user", long_turn), ChatMessage("assistant", long_turn)]
    messages.append(ChatMessage("user", "hello"))
    tokens, dropped = engine.fit_messages(messages, reserve=24)
    assert dropped > 0 and dropped % 2 == 0
    assert len(tokens) + 24 <= engine.info.n_ctx
    prompt = engine.detokenize(tokens)
    assert "be brief" in prompt and prompt.rstrip().endswith("assistant")
    result = engine.chat(messages, GREEDY)
    assert result.stats.dropped_messages == dropped


def test_a_message_larger_than_the_context_is_refused_plainly(engine):
    with pytest.raises(PromptTooLong, match="too long for this model's context"):
        engine.chat(user("x" * 100_000), GREEDY)


def test_model_without_template_uses_a_labelled_fallback(tiny_gguf_no_template):
    with LlamaEngine() as engine:
        info = engine.load(tiny_gguf_no_template, LoadOptions(n_ctx=256))
        assert info.template_source == "fallback"
        assert "<|im_start|>user\nhi<|im_end|>" in engine.render(user("hi"))
        assert engine.chat(user("hi"), GREEDY).stats.completion_tokens > 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a GGUF model file"),
        (b"PK\x03\x04 this is a zip file" * 10, "not a GGUF model file"),
    ],
)
def test_files_that_are_not_gguf_are_refused(tmp_path, content, message):
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelLoadError, match=message):
        LlamaEngine().load(path)


def test_truncated_gguf_is_refused_and_engine_still_usable(tmp_path, tiny_gguf):
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(tiny_gguf.read_bytes()[:200_000])
    engine = LlamaEngine()
    with pytest.raises(ModelLoadError, match="truncated or corrupt"):
        engine.load(truncated)
    engine.load(tiny_gguf, LoadOptions(n_ctx=128))
    after = engine.chat(user("hi"), GREEDY)
    engine.close()
    with LlamaEngine() as fresh:  # the failed load left nothing behind: same reply as a clean engine
        fresh.load(tiny_gguf, LoadOptions(n_ctx=128))
        assert after.stats.completion_tokens > 0 and after.text == fresh.chat(user("hi"), GREEDY).text


def test_a_file_that_aborts_llama_cpp_is_refused_without_killing_the_app(tmp_path, tiny_gguf):
    from gguf_factory import write_tiny_llama

    bad = write_tiny_llama(tmp_path / "dup-vocab.gguf", duplicate_token=True)
    engine = LlamaEngine()
    with pytest.raises(ModelLoadError, match="dup-vocab.gguf is damaged"):
        engine.load(bad)
    engine.load(tiny_gguf, LoadOptions(n_ctx=128))  # this process is still alive and usable
    assert engine.chat(user("hi"), GREEDY).stats.completion_tokens > 0
    engine.close()


def test_a_file_that_passed_the_probe_is_not_probed_again(tmp_path, tiny_gguf, monkeypatch):
    from desktop_app.core.llm import probe

    probe.ensure_loadable(tiny_gguf)
    monkeypatch.setattr(probe.subprocess, "run", lambda *a, **k: pytest.fail("probed twice"))
    probe.ensure_loadable(tiny_gguf)


def test_the_probe_verdict_survives_a_restart_until_the_file_changes(tmp_path, tiny_gguf, monkeypatch):
    from desktop_app.core.llm import probe

    model = tmp_path / "copy.gguf"
    model.write_bytes(tiny_gguf.read_bytes())
    probe.ensure_loadable(model)  # a real probe in a child process
    real_run, runs = probe.subprocess.run, []
    monkeypatch.setattr(probe, "_passed_in_process", {})  # as after a restart: only the file on disk remains
    monkeypatch.setattr(probe.subprocess, "run", lambda *a, **k: runs.append(a) or real_run(*a, **k))
    probe.ensure_loadable(model)
    assert runs == [], "a file that passed in an earlier run was probed again"
    model.write_bytes(tiny_gguf.read_bytes() + b"\0" * 32)  # same path, other size: the old verdict no longer applies
    probe.ensure_loadable(model)
    assert len(runs) == 1


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelLoadError, match="not found"):
        LlamaEngine().load(tmp_path / "absent.gguf")


def test_generating_without_a_model_is_a_plain_error():
    with pytest.raises(ModelLoadError, match="No model is loaded"):
        LlamaEngine().chat(user("hi"), GREEDY)


def test_text_stream_holds_back_and_cuts_stop_strings():
    out: list[str] = []
    stream = TextStream(["<|im_end|>"], out.append)
    pieces = ["Hel", "lo <|im", "_end|> ignored"]
    stopped = [stream.feed(p.encode()) for p in pieces]
    assert stopped == [False, False, True]
    assert stream.finish() == "Hello "
    assert "".join(out) == "Hello "


def test_text_stream_joins_split_utf8_characters():
    out: list[str] = []
    stream = TextStream([], out.append)
    data = "巴黎".encode()
    for i in range(len(data)):
        stream.feed(data[i : i + 1])
    assert stream.finish() == "巴黎" and "".join(out) == "巴黎"


def test_batch_sizes_reach_llama_cpp(tiny_gguf):
    import llama_cpp

    with LlamaEngine() as engine:
        engine.load(tiny_gguf, LoadOptions(n_ctx=256, n_threads=1, n_batch=128, n_ubatch=32, flash_attn="off"))
        assert (llama_cpp.llama_n_batch(engine._ctx.ctx), llama_cpp.llama_n_ubatch(engine._ctx.ctx)) == (128, 32)
        assert engine.chat(user("hello"), GREEDY).stats.completion_tokens > 0
    with LlamaEngine() as engine:  # n_ubatch 0: the same as n_batch, never above it
        engine.load(tiny_gguf, LoadOptions(n_ctx=256, n_threads=1, n_batch=64))
        assert (llama_cpp.llama_n_batch(engine._ctx.ctx), llama_cpp.llama_n_ubatch(engine._ctx.ctx)) == (64, 64)


def test_loading_leaves_the_process_stdout_and_stderr_alone(tiny_gguf, monkeypatch):
    """llama-cpp-python's verbose=False swaps sys.stdout/stderr (and fds 1 and 2) for /dev/null while a model
    loads: output of every other thread is lost meanwhile (the frozen startup probe's last line was), and two
    loads at once can leave them swapped for good."""
    import sys

    from llama_cpp import _internals

    seen = []
    load = _internals.llama_cpp.llama_model_load_from_file

    def spy(*args):
        seen.append((sys.stdout, sys.stderr))
        return load(*args)

    monkeypatch.setattr(_internals.llama_cpp, "llama_model_load_from_file", spy)
    before = (sys.stdout, sys.stderr)
    with LlamaEngine() as engine:
        engine.load(tiny_gguf, LoadOptions(n_ctx=256, n_threads=1, probe=False))
    assert seen and all(streams == before for streams in seen)
