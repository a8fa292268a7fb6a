"""The measurement runner on a tiny real GGUF and a bundled ONNX model: rows, bad input, cancel."""

from __future__ import annotations

import pytest

from desktop_app.core import system
from desktop_app.core.evaluate.report import RowStatus, ShapeStatus
from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
from desktop_app.core.evaluate.shapes import parse_shapes
from desktop_app.core.library.registry import ModelRegistry, entry_for_path
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.llm.host import LlamaHost


@pytest.fixture
def host():
    host = LlamaHost()
    yield host
    host.close()


def request_for(models, shapes="1024/16,64/8", reps=2, vision=()):
    return EvaluationRequest(language=list(models), vision=list(vision), shapes=parse_shapes(shapes), reps=reps,
                             load=LoadOptions(n_ctx=512, n_threads=2, probe=False), vision_runs=3)


def test_a_run_times_each_shape_clips_to_the_context_and_scores(tiny_gguf, host):
    rows = []
    report = EvaluationRunner(request_for([entry_for_path(tiny_gguf)], "1024/16,64/8,16/1536"), host,
                              on_row=rows.append).run()
    (row,) = report.language
    assert rows == [row] and row.status is RowStatus.OK and row.device == "CPU"
    clipped, full, unfit = row.shapes
    assert (clipped.status, clipped.prompt_tokens, clipped.gen_tokens) == (ShapeStatus.CLIPPED, 495, 16)
    assert full.status is ShapeStatus.MEASURED and len(full.reps) == 2
    assert unfit.status is ShapeStatus.DID_NOT_FIT and not unfit.reps
    assert all(r["generated"] == s.gen_tokens for s in (clipped, full) for r in s.reps)  # fixed lengths
    assert full.gen_tps.low <= full.gen_tps.median <= full.gen_tps.high
    assert row.score > 0 and row.load_s > 0 and row.peak_ram_bytes > 0 and row.sha256 and len(row.verdicts) == 2
    assert row.quantization == "F32" and not report.cancelled


def test_a_model_that_fails_to_load_is_a_row_and_the_run_goes_on(tiny_gguf, tmp_path, host):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    report = EvaluationRunner(request_for([entry_for_path(broken), entry_for_path(tiny_gguf)], "64/8"), host).run()
    first, second = report.language
    assert first.status is RowStatus.FAILED and first.reason and "\n" not in first.reason
    assert second.status is RowStatus.OK and second.shapes[0].reps


def test_a_model_too_large_for_memory_is_skipped_without_loading(tiny_gguf, host, monkeypatch):
    monkeypatch.setattr(system, "available_ram", lambda: 1 << 20)  # 1 MiB free
    loads = []
    monkeypatch.setattr(host, "ensure", lambda *a, **k: loads.append(a))
    report = EvaluationRunner(request_for([entry_for_path(tiny_gguf)]), host).run()
    (row,) = report.language
    assert row.status is RowStatus.SKIPPED and "needs about" in row.reason and row.estimated_ram_bytes > 0
    assert loads == [] and not row.shapes


def test_cancel_mid_run_keeps_a_valid_partial_report(tiny_gguf, host):
    vision = [e for e in ModelRegistry().list(kind="onnx") if e.exists][:1]
    runner = EvaluationRunner(request_for([entry_for_path(tiny_gguf)], "64/8,32/8", reps=3, vision=vision), host)
    steps, fractions = [], []

    def progress(p):
        steps.append(p.step)
        fractions.append(p.fraction)
        if p.step.startswith("64/8 tokens, run 2"):
            runner.cancel.set()

    runner.on_progress = progress
    report = runner.run()
    assert report.cancelled and report.notes
    # the bar moves at every step (load, warm-up, each repetition), never back, and stops short of the end
    assert steps[-4:] == ["loading", "warming up", "64/8 tokens, run 1 of 3", "64/8 tokens, run 2 of 3"]
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions) and 0 < fractions[-1] < 0.5
    (row,) = report.language
    assert row.status is RowStatus.CANCELLED
    assert len(row.shapes) == 1 and len(row.shapes[0].reps) == 1  # the finished repetition is kept
    assert report.vision == []  # never started
    from desktop_app.core.evaluate.report import EvaluationReport

    assert EvaluationReport.from_json(report.to_json()) == report


def test_a_vision_model_reports_latency_throughput_and_provider():
    entry = next(e for e in ModelRegistry().list(kind="onnx") if e.exists and e.task == "classify")
    report = EvaluationRunner(request_for([], vision=[entry]), LlamaHost()).run()
    (row,) = report.vision
    assert row.status is RowStatus.OK and row.provider == "CPU"
    assert len(row.latencies_ms) == 3 and row.latency_ms.median > 0 and row.p95_ms >= row.latency_ms.median
    assert row.folder_ips > 0 and row.images >= 16
    assert any("CUDA" in note for note in row.provider_notes)  # why the accelerator was not used


def test_generate_from_tokens_decodes_the_whole_prompt_every_time(tiny_gguf):
    from desktop_app.core.errors import PromptTooLong
    from desktop_app.core.llm.engine import LlamaEngine
    from desktop_app.core.sampling import SamplingParams

    with LlamaEngine() as engine:
        engine.load(tiny_gguf, LoadOptions(n_ctx=256, n_threads=2, probe=False))
        tokens = engine.tokenize("the capital of France is Paris. " * 20, add_bos=True)[:100]
        sampling = SamplingParams(temperature=0, max_tokens=5, ignore_eos=True)
        for _ in range(2):  # the second call must not reuse the first one's cache
            stats = engine.generate_from_tokens(tokens, sampling).stats
            assert (stats.prompt_tokens, stats.cached_tokens, stats.completion_tokens) == (100, 0, 5)
            # timed as llama-bench times: one token per decode, even with prompt-lookup drafting switched on
            assert engine.speculative and not stats.speculative and stats.decode_steps == 5
        with pytest.raises(PromptTooLong):
            engine.generate_from_tokens(tokens * 3, sampling)


def test_a_model_cancelled_before_it_measured_anything_is_not_a_row(tiny_gguf, host):
    vision = [e for e in ModelRegistry().list(kind="onnx") if e.exists][:1]
    runner = EvaluationRunner(request_for([entry_for_path(tiny_gguf)], "64/8", reps=1, vision=vision), host)
    runner.on_progress = lambda p: runner.cancel.set() if p.model == vision[0].name and p.step == "warming up" else None
    report = runner.run()
    assert report.cancelled and [m.status for m in report.language] == [RowStatus.OK] and report.vision == []


def test_progress_covers_every_step_of_every_model_and_the_time_left_is_measured(tiny_gguf, host, monkeypatch):
    from desktop_app.core.evaluate import runner as runner_module

    monkeypatch.setattr(runner_module, "MIN_PACE_S", 0.0)
    vision = [e for e in ModelRegistry().list(kind="onnx") if e.exists][:1]
    seen = []
    runner = EvaluationRunner(request_for([entry_for_path(tiny_gguf)], "64/8,32/8", reps=2, vision=vision), host,
                              on_progress=seen.append)
    report = runner.run()
    assert not report.cancelled and len(report.language) == len(report.vision) == 1
    fractions = [p.fraction for p in seen]
    assert fractions[0] == 0 and fractions == sorted(fractions) and 0.5 < fractions[-1] < 1  # the last step is running
    language = [p.step for p in seen if p.model_index == 1 and p.step != "checksum"]
    assert language == ["loading", "warming up"] + [f"{k} tokens, run {r} of 2" for k in ("64/8", "32/8") for r in (1, 2)]
    assert seen[0].eta_s is None and all(p.eta_s is not None and p.eta_s >= 0 for p in seen[1:])
    assert {p.total for p in seen} == {seen[0].total}
