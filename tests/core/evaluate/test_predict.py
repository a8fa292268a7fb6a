"""What to download next: the bandwidth/compute model fitted to a run, predictions, and checking them later."""

from __future__ import annotations

import pytest
from evaluation_factory import machine

from desktop_app.core.evaluate.metrics import spread
from desktop_app.core.evaluate.predict import (
    CONTEXT_RESERVE, MEMORY_FACTOR, check_predictions, fit_speed, parse_parameters, predict_catalog, predict_next,
)
from desktop_app.core.evaluate.report import EvaluationReport, LanguageModelResult, ShapeRun, ShapeStatus
from desktop_app.core.system import GiB

SHAPES = ((1024, 16), (2048, 256))
KV = 20_000  # bytes per token of context


def row(name, size, params, seconds_per_byte, overhead_s, prompt_tps, device="CPU", source=""):
    """A measured row whose generation time is exactly overhead + bytes read / bandwidth."""
    shapes = []
    for prompt, gen in SHAPES:
        bytes_read = size + KV * (prompt + gen / 2)
        tps = 1 / (overhead_s + bytes_read * seconds_per_byte)
        shapes.append(ShapeRun(f"{prompt}/{gen}", "", prompt, gen, ShapeStatus.MEASURED, spread([prompt_tps]),
                               spread([tps]), spread([prompt / prompt_tps * 1000])))
    return LanguageModelResult(name, f"/m/{name}.gguf", size_bytes=size, parameters=params, device=device,
                               kv_bytes_per_token=KV, shapes=shapes, source=source)


def report(*rows):
    return EvaluationReport(machine(), language=list(rows))


CATALOG = [{"name": "Big", "repo": "org/Big-GGUF", "file": "big.gguf", "parameters": "1.5B", "approx_size_gb": 1.1},
           {"name": "Huge", "repo": "org/Huge-GGUF", "file": "huge.gguf", "parameters": "70B", "approx_size_gb": 40}]


def test_two_model_sizes_separate_bandwidth_from_overhead():
    per_byte, overhead = 1 / 8e9, 0.004  # 8 GB/s, 4 ms per token
    speed = fit_speed(report(row("Small", 100_000_000, 135_000_000, per_byte, overhead, 400.0),
                             row("Mid", 400_000_000, 500_000_000, per_byte, overhead, 120.0)))
    assert speed.bandwidth_bps == pytest.approx(8e9, rel=1e-6) and speed.overhead_s == pytest.approx(0.004, rel=1e-6)
    big = predict_catalog(speed, CATALOG, ram_available=16 * GiB)[0]
    assert big.gen_tps == pytest.approx(1 / (0.004 + 1.1e9 / 8e9))
    # compute rate from the model with most parameters: 2 * 500M * 120 tok/s, over 2 * 1.5B per token
    assert big.prompt_tps == pytest.approx(500e6 * 120 / 1.5e9)
    assert big.fits and big.memory_bytes == int(1.1e9 * MEMORY_FACTOR + CONTEXT_RESERVE)
    assert "fitted" in big.basis and "Small, Mid" in big.basis


def test_one_model_size_puts_all_time_down_to_bandwidth():
    small = row("Small", 100_000_000, 135_000_000, 1 / 8e9, 0.004, 400.0)
    speed = fit_speed(report(small))
    expected = sum(x / (0.004 + x / 8e9) for x in (100e6 + KV * (1024 + 8), 100e6 + KV * (2048 + 128))) / 2
    assert speed.overhead_s == 0 and speed.bandwidth_bps == pytest.approx(expected)
    assert "leans slow" in speed.basis


def test_what_does_not_fit_in_memory_says_so():
    speed = fit_speed(report(row("Small", 100_000_000, 135_000_000, 1 / 8e9, 0.0, 400.0)))
    big, huge = predict_catalog(speed, CATALOG, ram_available=8 * GiB)
    assert big.fits and not huge.fits and "needs about 44.5 GB; 8.6 GB is free" == huge.note


def test_no_measured_model_no_predictions():
    failed = LanguageModelResult("Broken", "/m/b.gguf", size_bytes=10, parameters=10)
    assert fit_speed(report(failed)) is None and predict_next(report(failed), CATALOG) == []
    assert fit_speed(report(row("Gpu", 10**8, 10**8, 1e-10, 0, 100.0, device="GPU"))) is None  # CPU rows only


@pytest.mark.parametrize("text,count", [("1.5B", 1_500_000_000), ("135M", 135_000_000), ("3.8b", 3_800_000_000),
                                        (7e9, 7_000_000_000), ("many", 0)])
def test_parameter_counts(text, count):
    assert parse_parameters(text) == count


def test_a_downloaded_model_is_checked_against_its_prediction():
    predicted = {"name": "Big", "repo": "org/Big-GGUF", "file": "big.gguf", "device": "CPU", "prompt_tps": 50.0,
                 "gen_tps": 10.0, "basis": "8 GB/s"}
    measured = row("big-renamed", 1_100_000_000, 1_500_000_000, 1 / 8e9, 0.0, 55.0, source="hf:org/Big-GGUF/big.gguf")
    other = row("Small", 100_000_000, 135_000_000, 1 / 8e9, 0.0, 400.0)
    r = report(other, measured)
    check_predictions(r, [predicted])
    assert other.predicted is None and measured.predicted["gen_tps"] == 10.0
    gen = (measured.shapes[0].gen_tps.median + measured.shapes[1].gen_tps.median) / 2
    assert r.notes == [f"Prediction check, big-renamed [CPU]: generation predicted 10.0 tok/s, measured {gen:.1f} "
                       f"({(gen / 10 - 1) * 100:+.0f}% against the prediction); prompt predicted 50 tok/s, measured 55 "
                       "(+10% against the prediction)."]
    assert EvaluationReport.from_json(r.to_json()).language[1].predicted == measured.predicted
