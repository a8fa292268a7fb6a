"""One real run on the default chat model with short shapes: the figures are those the engine reports."""

from __future__ import annotations

import pytest

from desktop_app.core.evaluate.report import RowStatus, ShapeStatus
from desktop_app.core.evaluate.runner import EvaluationRequest, EvaluationRunner
from desktop_app.core.evaluate.shapes import parse_shapes
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.llm.host import LlamaHost


@pytest.mark.slow
def test_default_chat_model_short_shapes():
    entry = ModelRegistry().default("chat")
    host = LlamaHost()
    try:
        request = EvaluationRequest(language=[entry], shapes=parse_shapes("64/16,128/8"), reps=2,
                                    load=LoadOptions(n_ctx=1024, n_threads=2))
        report = EvaluationRunner(request, host).run()
    finally:
        host.close()
    (row,) = report.language
    assert row.status is RowStatus.OK and row.sha256 == entry.sha256 and row.quantization == "Q4_1"
    assert [s.status for s in row.shapes] == [ShapeStatus.MEASURED, ShapeStatus.MEASURED]
    for shape in row.shapes:
        assert all(r["generated"] == shape.gen_tokens for r in shape.reps)
        assert shape.prompt_tps.median > 0 and shape.gen_tps.median > 0 and shape.ttft_ms.median > 0
    assert row.load_s > 0 and row.peak_ram_bytes > entry.size_bytes // 2  # the weights were touched
    assert row.score > 0 and len(row.verdicts) == 2
