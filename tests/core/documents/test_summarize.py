"""Map-reduce summaries: planning, progress, recursion, cancel, language, history.

Fast tests run a tiny random-weight GGUF (its text is noise, but every call is
real llama.cpp work); the slow test summarises a document eight times the
context with the real default model.
"""

from __future__ import annotations

import threading

import pytest
from document_factory import chinese_paragraphs, english_paragraphs

from desktop_app.core.documents.load import document_from_text
from desktop_app.core.storage.store import Store
from desktop_app.core.documents.summarize import SUMMARY_SAMPLING, DocumentSummarizer, SummaryError, SummaryRequest, Throughput
from desktop_app.core.documents.prompts import ChinesePrompts, EnglishPrompts, prompts_for


class RecordingEngine:
    """The real engine, with every prompt it was sent kept for inspection."""

    def __init__(self, engine):
        self.engine = engine
        self.prompts: list[str] = []
        self.samplings: list = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def chat(self, messages, sampling=None, on_text=None, cancel=None):
        self.prompts.append(messages[-1].content)
        self.samplings.append(sampling)
        return self.engine.chat(messages, sampling, on_text=on_text, cancel=cancel)


def long_document(paragraphs: int = 40):
    return document_from_text("\n\n".join(english_paragraphs(paragraphs)), "millbrook.txt")


def test_plan_fits_every_chunk_in_the_context(tiny_engine):
    summarizer = DocumentSummarizer(tiny_engine, long_document(60), SummaryRequest(length="short"))
    plan = summarizer.plan()
    assert plan.parts > 3
    assert plan.source_tokens == tiny_engine.count_tokens(summarizer.document.text)
    assert plan.chunk_tokens + plan.prompt_overhead + plan.map_answer_tokens < plan.n_ctx
    assert all(c.tokens <= plan.chunk_tokens for c in plan.chunks)
    assert plan.estimated_calls > plan.parts
    slow, fast = Throughput(100, 10), Throughput(1000, 100)
    assert plan.estimate_seconds(slow) > plan.estimate_seconds(fast) > 0


def test_every_call_samples_with_the_summary_defaults_and_the_request(tiny_engine):
    recorder = RecordingEngine(tiny_engine)
    request = SummaryRequest(length="short", temperature=0.5, seed=7)
    DocumentSummarizer(recorder, long_document(20), request).run()
    assert recorder.samplings
    for sampling in recorder.samplings:
        assert (sampling.temperature, sampling.seed, sampling.repeat_penalty) == (0.5, 7, SummaryRequest().repeat_penalty)
        assert (sampling.top_p, sampling.top_k) == (SUMMARY_SAMPLING.top_p, SUMMARY_SAMPLING.top_k) == (0.9, 40)
        assert 0 < sampling.max_tokens < 2048


def test_estimate_grows_linearly_with_length(tiny_engine):
    def estimate(paragraphs):
        plan = DocumentSummarizer(tiny_engine, long_document(paragraphs), SummaryRequest()).plan()
        return plan.estimate_seconds(Throughput(300, 60))

    small, large = estimate(40), estimate(160)
    assert 3.0 < large / small < 5.5


def test_map_reduce_reports_every_part_and_streams_the_final_summary(tiny_engine):
    recorder = RecordingEngine(tiny_engine)
    summarizer = DocumentSummarizer(recorder, long_document(40), SummaryRequest(length="short", style="bullets"))
    parts = summarizer.plan().parts
    events, streamed = [], []
    result = summarizer.run(on_text=streamed.append, on_progress=events.append)
    assert not result.cancelled
    assert result.chunks == parts == result.parts_done == len(result.partials)
    finished_parts = [e.part for e in events if e.phase == "map" and e.partial is not None]
    assert finished_parts == list(range(1, parts + 1))
    assert [e.phase for e in events][-2:] == ["final", "done"]
    assert events[-1].step == events[-1].total == result.llm_calls
    assert events[-1].eta_s == 0.0
    assert all(e.eta_s > 0 for e in events[:-1]), "time remains until the summary is done"
    assert "".join(streamed).strip() == result.summary
    assert result.summary
    # each map prompt holds its chunk and names its place in the document
    for number, chunk in enumerate(summarizer.plan().chunks, 1):
        assert chunk.text in recorder.prompts[number - 1]
        assert f"Part {number} of {parts}" in recorder.prompts[number - 1]
    assert "bullet points" in recorder.prompts[-1]
    assert result.prompt_tps > 0 and result.decode_tps > 0


def test_partials_that_do_not_fit_are_reduced_recursively(tiny_engine):
    # a long final answer leaves the least room for partials: eleven of them cannot share one prompt
    summarizer = DocumentSummarizer(tiny_engine, long_document(40), SummaryRequest(length="long"))
    events = []
    result = summarizer.run(on_progress=events.append)
    assert result.chunks >= 8
    assert result.reduce_rounds >= 1
    assert any(e.phase == "reduce" for e in events)
    assert result.llm_calls > result.chunks + 1
    assert result.summary


def test_cancel_during_map_keeps_finished_parts(tiny_engine):
    summarizer = DocumentSummarizer(tiny_engine, long_document(60), SummaryRequest())
    cancel = threading.Event()

    def on_progress(event):
        if event.partial is not None and event.part == 2:
            cancel.set()

    result = summarizer.run(on_progress=on_progress, cancel=cancel)
    assert result.cancelled
    assert result.parts_done == 2 and len(result.partials) == 2
    assert result.summary == ""
    assert result.display_text() == "\n\n".join(p for p in result.partials if p.strip())
    assert result.chunks > 2


def test_cancel_while_the_final_summary_streams_keeps_its_text(tiny_engine):
    summarizer = DocumentSummarizer(tiny_engine, long_document(20), SummaryRequest())
    cancel = threading.Event()
    streamed = []

    def on_text(text):
        streamed.append(text)
        cancel.set()  # the engine stops before its next token

    result = summarizer.run(on_text=on_text, cancel=cancel)
    assert result.cancelled
    assert result.parts_done == result.chunks
    assert result.summary == "".join(streamed).strip()


def test_short_document_is_one_streamed_call(tiny_engine):
    recorder = RecordingEngine(tiny_engine)
    document = document_from_text("The bridge opened in May. It cost 1200 pounds.", "note.txt")
    result = DocumentSummarizer(recorder, document, SummaryRequest(target_words=30)).run()
    assert result.chunks == 1 and result.llm_calls == 1
    assert "It cost 1200 pounds." in recorder.prompts[0]
    assert "about 30 words" in recorder.prompts[0]


def test_focus_reaches_every_prompt(tiny_engine):
    recorder = RecordingEngine(tiny_engine)
    request = SummaryRequest(length="short", focus="what are the risks?")
    DocumentSummarizer(recorder, long_document(30), request).run()
    assert len(recorder.prompts) > 2
    assert all("what are the risks?" in p for p in recorder.prompts)


def test_chinese_documents_get_chinese_instructions(tiny_engine):
    recorder = RecordingEngine(tiny_engine)
    document = document_from_text("\n\n".join(chinese_paragraphs(60)), "报告.txt")
    assert document.language == "zh"
    summarizer = DocumentSummarizer(recorder, document, SummaryRequest(length="short"))
    result = summarizer.run()
    assert result.language == "zh" and result.chunks > 1
    assert "请用中文概括上面这一部分" in recorder.prompts[0]
    assert "《报告.txt》" in recorder.prompts[-1] and "请把上面的摘要合并成一份整篇文档的中文总结" in recorder.prompts[-1]


def test_chosen_language_overrides_the_documents():
    assert isinstance(prompts_for("auto", "zh"), ChinesePrompts)
    english = prompts_for("en", "zh")
    assert isinstance(english, EnglishPrompts)
    assert "Write in English." in english.single("a.txt", 50, "paragraph", "", "text")
    assert "Write in French." in prompts_for("French", "en").single("a.txt", 50, "paragraph", "", "text")
    assert "same language as the text" in prompts_for("auto", "und").single("a.txt", 50, "paragraph", "", "text")
    assert isinstance(prompts_for("中文", "en"), ChinesePrompts)


def test_bad_requests_are_user_errors(tiny_engine):
    document = long_document(2)
    with pytest.raises(SummaryError, match="length"):
        DocumentSummarizer(tiny_engine, document, SummaryRequest(length="epic"))
    with pytest.raises(SummaryError, match="form"):
        DocumentSummarizer(tiny_engine, document, SummaryRequest(style="haiku"))


def test_summary_history_round_trip():
    store = Store.in_memory()
    first = store.add_summary(
        "report.pdf",
        "The town grew.",
        source_path="/docs/report.pdf",
        model="SmolLM2-135M-Instruct",
        settings={"length": "short", "style": "bullets"},
        stats={"chunks": 3, "seconds": 12.5},
    )
    second = store.add_summary("notes.txt", "Partial.", status="cancelled")
    assert [s.id for s in store.list_summaries()] == [second.id, first.id]
    loaded = store.get_summary(first.id)
    assert loaded.settings == {"length": "short", "style": "bullets"}
    assert loaded.stats["chunks"] == 3 and loaded.model == "SmolLM2-135M-Instruct"
    assert store.get_summary(second.id).status == "cancelled"
    store.delete_summary(first.id)
    assert [s.source_name for s in store.list_summaries()] == ["notes.txt"]


def test_summaries_survive_reopening_a_database_from_before_they_existed(tmp_path):
    import sqlite3

    from desktop_app.core.storage.store import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('kept', 1, 1)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert [c.title for c in store.list_conversations()] == ["kept"]
    store.add_summary("a.txt", "Short.")
    store.close()
    assert [s.summary for s in Store(path).list_summaries()] == ["Short."]


@pytest.mark.slow
def test_real_model_summarizes_a_document_eight_times_its_context(default_chat_model):
    """SmolLM2-135M loaded with a 1024-token context (its training context is 8192) keeps this quick: every
    token of a prompt attends to those before it, so shorter chunks are cheaper per token (a 2048-token context
    and twice the text took 132-136 s on the quiet 2-core CI machine)."""
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.llm.types import LoadOptions

    with LlamaEngine() as engine:
        engine.load(default_chat_model, LoadOptions(n_ctx=1024, n_threads=2))
        n_ctx = engine.info.n_ctx
        paragraphs = english_paragraphs(60)  # about 8,700 tokens: 8.5x the 1024-token context
        document = document_from_text("\n\n".join(paragraphs), "millbrook-history.txt")
        summarizer = DocumentSummarizer(engine, document, SummaryRequest(length="short"))
        plan = summarizer.plan()
        assert plan.source_tokens >= 8 * n_ctx
        events = []
        result = summarizer.run(on_progress=events.append)
        assert not result.cancelled
        assert result.parts_done == result.chunks == plan.parts >= 8
        assert [e.part for e in events if e.partial is not None] == list(range(1, plan.parts + 1))
        assert all(p.strip() for p in result.partials), "every part got a partial summary"
        assert result.summary.strip()
        assert result.prompt_tps > 0 and result.decode_tps > 0


def test_save_summary_keeps_the_partial_text_and_what_made_it(tmp_path):
    from desktop_app.core.documents.summarize import SummaryResult, save_summary

    source = tmp_path / "notes.txt"
    source.write_text("Some notes.", encoding="utf-8")
    document = document_from_text("Some notes.", "notes.txt")
    document.path = source
    request = SummaryRequest(length="short", focus="risks")
    result = SummaryResult("", ["Part one.", " ", "Part two."], 3, 2, 900, 4.5, cancelled=True, language="en")
    store = Store.in_memory()
    saved = save_summary(store, document, "tiny", request, result)
    loaded = store.get_summary(saved.id)
    assert (loaded.source_name, loaded.source_path, loaded.model) == ("notes.txt", str(source), "tiny")
    assert loaded.summary == "Part one.\n\nPart two." and loaded.status == "cancelled"
    assert loaded.settings == request.to_dict() and loaded.stats["parts_done"] == 2 and "partials" not in loaded.stats
    done = save_summary(store, None, "tiny", request, SummaryResult("All.", [], 1, 1, 10, 0.1, False, "en"))
    assert (store.get_summary(done.id).status, store.get_summary(done.id).source_name) == ("done", "")


class PacedEngine:
    """The tiny engine's tokens, timed as a machine reading ``prompt_tps`` and writing ``decode_tps``."""

    def __init__(self, engine, prompt_tps: float, decode_tps: float):
        self.engine, self.prompt_tps, self.decode_tps = engine, prompt_tps, decode_tps
        self.call_seconds: list[float] = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def chat(self, messages, sampling=None, on_text=None, cancel=None):
        result = self.engine.chat(messages, sampling, on_text=on_text, cancel=cancel)
        stats = result.stats
        stats.ttft_s = (stats.prompt_tokens - stats.cached_tokens) / self.prompt_tps
        stats.total_s = stats.ttft_s + stats.completion_tokens / self.decode_tps
        self.call_seconds.append(stats.total_s)
        return result


def test_the_time_left_switches_to_the_measured_rate_after_the_first_call(tiny_engine):
    assumed = Throughput(330.0, 60.0)
    busy = PacedEngine(tiny_engine, prompt_tps=33.0, decode_tps=6.0)  # ten times slower than assumed
    summarizer = DocumentSummarizer(busy, long_document(16), SummaryRequest(length="short"))
    assert summarizer.plan().parts >= 3
    plan = summarizer.plan()
    events = []
    summarizer.run(on_progress=events.append, speed=assumed)
    first = events[0]
    assert not first.eta_measured and first.eta_s == pytest.approx(plan.estimate_seconds(assumed))
    after_one = next(e for e in events if e.step == 1 and e.partial is None)
    assert after_one.eta_measured
    assert after_one.speed.prompt_tps == pytest.approx(33.0, rel=0.01)
    assert after_one.speed.decode_tps == pytest.approx(6.0, rel=0.01)
    truly_left = sum(busy.call_seconds[1:])
    assert 0.5 < after_one.eta_s / truly_left < 2.0  # the assumed rate was ten times off
    assert all(e.eta_measured for e in events[events.index(after_one) :])


class StatsEngine(RecordingEngine):
    """The real engine, with every call's stats kept."""

    def __init__(self, engine):
        super().__init__(engine)
        self.stats: list = []

    def chat(self, messages, sampling=None, on_text=None, cancel=None):
        result = super().chat(messages, sampling, on_text=on_text, cancel=cancel)
        self.stats.append(result.stats)
        return result


def test_summaries_report_speculative_tokens_per_step(tiny_engine):
    """tokens/step is over the calls that drafted: greedy and sampled summaries (the default) both draft;
    with speculation off none does and the figure is 0.0."""
    try:
        for temperature, spec in ((0.0, True), (SUMMARY_SAMPLING.temperature, True), (SUMMARY_SAMPLING.temperature, False)):
            tiny_engine.speculative = spec
            recorder = StatsEngine(tiny_engine)
            request = SummaryRequest(length="short", temperature=temperature)
            # one call: the tiny model's greedy noise re-tokenizes longer than it was written, so reduce prompts overflow
            result = DocumentSummarizer(recorder, long_document(4), request).run()
            drafting = [s for s in recorder.stats if s.speculative]
            if spec:
                assert len(drafting) == len(recorder.stats) == result.llm_calls == 1
                tokens = sum(s.completion_tokens for s in drafting)
                steps = sum(s.decode_steps for s in drafting)
                assert result.tokens_per_step == pytest.approx(tokens / steps, abs=0.01) and result.tokens_per_step >= 1.0
                assert result.stats()["tokens_per_step"] == result.tokens_per_step
            else:
                assert drafting == [] and result.tokens_per_step == 0.0
    finally:
        tiny_engine.speculative = True
