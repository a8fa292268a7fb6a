"""What to download next, end to end: run, predict a catalog model, download it from a loopback
"Hugging Face", run again, and see predicted against measured in the rows and the closing note."""

from __future__ import annotations

import pytest
from gguf_factory import write_tiny_llama

from desktop_app.core.evaluate.history import keep_report, latest_predictions
from desktop_app.core.evaluate.report import RowStatus
from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
from desktop_app.core.evaluate.shapes import parse_shapes
from desktop_app.core.library.registry import ModelRegistry, entry_for_path
from desktop_app.core.library.remote import download_model, remote_from_hf
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.llm.gguf_info import read_gguf_info
from desktop_app.core.llm.host import LlamaHost
from desktop_app.core.storage.store import Store

pytestmark = pytest.mark.allow_loopback  # the model server on 127.0.0.1

REPO, FILE = "someone/Bigger-GGUF", "bigger-f16.gguf"


def catalog_for(path) -> list[dict]:
    info = read_gguf_info(path)
    return [{"name": "Bigger F16", "repo": REPO, "file": FILE, "parameters": info.parameter_count,
             "size_bytes": info.size_bytes, "approx_size_gb": info.size_bytes / 1e9}]


def predict_download_measure(installed, bigger, model_server, tmp_path, shapes: str, reps: int, n_ctx: int):
    """The two runs around a download; (first report, second report, the downloaded model's row)."""
    catalog = catalog_for(bigger)
    model_server.add(f"/{REPO}/resolve/main/{FILE}", bigger.read_bytes())
    store, host = Store(tmp_path / "db.sqlite3"), LlamaHost()
    load = LoadOptions(n_ctx=n_ctx, n_threads=2, probe=False)
    try:
        first = EvaluationRunner(EvaluationRequest(language=[installed], shapes=parse_shapes(shapes), reps=reps, load=load,
                                                   catalog=catalog), host).run()
        keep_report(store, first)
        registry = ModelRegistry()
        entry = download_model(registry, remote_from_hf(REPO, FILE, endpoint=model_server.base_url), probe=False)
        second = EvaluationRunner(EvaluationRequest(language=[installed, entry], shapes=parse_shapes(shapes), reps=reps,
                                                    load=load, catalog=catalog, expected=latest_predictions(store)),
                                  host).run()
    finally:
        host.close()
        store.close()
    row = next(r for r in second.language if r.name == entry.name)
    return first, second, row


def test_a_prediction_is_checked_after_the_download(model_server, tiny_gguf, tmp_path):
    bigger = write_tiny_llama(tmp_path / "bigger.gguf", n_embd=256, n_layer=4, n_head=4, n_ff=768, f16=True)
    first, second, row = predict_download_measure(entry_for_path(tiny_gguf), bigger, model_server, tmp_path, "64/8", 1, 512)
    (predicted,) = first.predictions
    assert predicted["name"] == "Bigger F16" and predicted["fits"] and predicted["gen_tps"] > 0
    assert "leans slow" in predicted["basis"]  # one installed model size
    assert row.status is RowStatus.OK and row.source == f"hf:{REPO}/{FILE}"
    assert row.predicted["gen_tps"] == predicted["gen_tps"] and row.predicted["prompt_tps"] == predicted["prompt_tps"]
    (note,) = [n for n in second.notes if n.startswith("Prediction check")]
    assert f"generation predicted {predicted['gen_tps']:.1f} tok/s" in note and note in row.notes
    assert second.language[0].predicted is None  # the installed model was never a prediction
    assert {p["name"] for p in second.predictions} == {"Bigger F16"}  # and the next run predicts again


@pytest.mark.slow
def test_prediction_for_a_model_bigger_than_the_default_is_close(model_server, tmp_path):
    """The real default chat model measured, a 171 MB F16 model predicted, downloaded and measured."""
    bigger = write_tiny_llama(tmp_path / "bigger.gguf", n_embd=768, n_layer=12, n_head=12, n_ff=2048, f16=True,
                              context_length=4096)
    default = ModelRegistry().default("chat")
    first, second, row = predict_download_measure(default, bigger, model_server, tmp_path, "512/64", 2, 2048)
    from desktop_app.core.evaluate.language import aggregate

    measured_prompt, measured_gen, _ = aggregate(row)
    gen_ratio, prompt_ratio = measured_gen / row.predicted["gen_tps"], measured_prompt / row.predicted["prompt_tps"]
    print(f"\nbasis: {first.predictions[0]['basis']}\n{[n for n in second.notes if n.startswith('Prediction')][0]}"
          f"\nmeasured/predicted: generation {gen_ratio:.2f}, prompt {prompt_ratio:.2f}; "
          f"others' CPU {row.others_cpu_percent:.0f}%")
    # One installed size: the bundled model's per-token overhead (30 layers of thread barriers) is counted as
    # bandwidth, so the prediction is conservative. Measured on the shared 2-core machine with others using 82% of
    # the CPU: generation 2.47x the prediction, prompt 1.18x; loaded runs also gave 0.67x and 0.26x. How close the
    # prediction comes is a benchmark figure (printed above), not a pass/fail bound: the timed runs swing several-fold
    # when another process holds a core. The bound only catches a wrong unit (bytes vs GB, per-ms vs per-s).
    assert 0.02 <= gen_ratio <= 50 and 0.02 <= prompt_ratio <= 50
