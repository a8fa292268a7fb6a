"""Score, percentiles, shapes and the cost model against hand-computed values."""

from __future__ import annotations

import pytest

from desktop_app.core.evaluate.cost import CostInputs, estimate_cost
from desktop_app.core.evaluate.errors import BadShape
from desktop_app.core.evaluate.metrics import localscore, percentile, spread
from desktop_app.core.evaluate.runner import EvaluationRequest
from desktop_app.core.evaluate.shapes import LOCALSCORE_SHAPES, QUICK_SHAPES, Shape, clip_to_context, parse_shapes


def test_localscore_matches_hand_computed_values():
    # 10 * cbrt(1000 * 100 * 1000 / 100) = 10 * cbrt(1e6) = 1000
    assert localscore(1000, 100, 100) == pytest.approx(1000.0)
    # 512 * 27 * 1000 / 2000 = 6912; cbrt(6912) = 19.0488...; * 10
    assert localscore(512, 27, 2000) == pytest.approx(190.488, abs=1e-3)
    assert localscore(0, 27, 2000) == 0.0


def test_spread_and_percentile():
    s = spread([3.0, 1.0, 2.0, 10.0])
    assert (s.median, s.low, s.high, s.n) == (2.5, 1.0, 10.0, 4)
    assert s.relative == pytest.approx(9.0 / 2.5)
    values = [float(v) for v in range(1, 21)]  # 1..20: p95 at position 18.05 -> 19.05
    assert percentile(values, 95) == pytest.approx(19.05)
    assert percentile([], 95) == 0.0


def test_shapes_parse_presets_and_lists():
    assert len(LOCALSCORE_SHAPES) == 9 and parse_shapes("localscore") == list(LOCALSCORE_SHAPES)
    assert parse_shapes("") == list(QUICK_SHAPES) == parse_shapes("quick")
    # the default: LocalScore's title shape as it is and a chat turn, cheap enough for four models in 2 minutes
    assert [s.key for s in QUICK_SHAPES] == ["1024/16", "512/128"] and QUICK_SHAPES[0] == LOCALSCORE_SHAPES[0]
    assert EvaluationRequest().reps == 2 and EvaluationRequest().shapes == list(QUICK_SHAPES)
    shapes = parse_shapes("1024/16, 7/3")
    assert [s.key for s in shapes] == ["1024/16", "7/3"] and shapes[0].use  # a LocalScore shape keeps its use
    for bad in ("1024x16", "0/5", "a/b"):
        with pytest.raises(BadShape):
            parse_shapes(bad)


def test_clip_shortens_the_prompt_or_refuses():
    assert clip_to_context(Shape(100, 10), 512) == Shape(100, 10)
    assert clip_to_context(Shape(1024, 16), 512) == Shape(495, 16)  # 495 + 16 + 1 = 512
    assert clip_to_context(Shape(16, 1536), 512) is None


def test_cost_per_million_tokens_and_per_100_pages():
    inputs = CostInputs(price_per_kwh=0.40, cloud_price_per_mtok=2.0)
    cost = estimate_cost(prompt_tps=650.0, gen_tps=30.0, watts=60.0, watts_source="typed-in 60 W", inputs=inputs)
    # 1e6 tokens at 30 tok/s = 33,333 s; 60 W -> 0.5556 kWh; * 0.40
    assert cost.local_per_mtok == pytest.approx(60 * (1e6 / 30) / 3.6e6 * 0.40)
    # 100 pages: 65,000 tokens read at 650/s = 100 s, 3,000 written at 30/s = 100 s -> 200 s
    assert cost.hours_per_100_pages == pytest.approx(200 / 3600)
    assert cost.local_per_100_pages == pytest.approx(60 * 200 / 3.6e6 * 0.40)
    assert cost.cloud_per_100_pages == pytest.approx(2.0 * 68_000 / 1e6)
    assert any("0.4 EUR/kWh" in a for a in cost.assumptions) and any("60.0 W" in a for a in cost.assumptions)


def test_cost_without_power_says_so():
    cost = estimate_cost(650.0, 30.0, None, "none", CostInputs())
    assert cost.local_per_mtok is None and cost.local_per_100_pages is None
    assert any("no power figure" in a for a in cost.assumptions)


def test_localscore_shapes_are_upstreams_in_its_order():
    # localscore/localscore.cpp, get_baseline_test_configs() (Mozilla-Ocho/llamafile 4f13b86)
    upstream = [(1024, 16), (4096, 256), (2048, 256), (2048, 768), (1024, 1024), (1280, 3072), (384, 1152),
                (64, 1024), (16, 1536)]
    assert [(s.prompt, s.generate) for s in LOCALSCORE_SHAPES] == upstream
