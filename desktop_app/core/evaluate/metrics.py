"""Summaries of repeated timings and the LocalScore score."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import numpy as np


@dataclass
class Spread:
    median: float
    low: float
    high: float
    n: int

    @property
    def relative(self) -> float:
        """(high - low) / median: how much the repetitions disagreed."""
        return (self.high - self.low) / self.median if self.median else 0.0

    def to_json(self) -> dict:
        return {"median": self.median, "low": self.low, "high": self.high, "n": self.n}

    @classmethod
    def from_json(cls, raw: dict) -> "Spread":
        return cls(float(raw["median"]), float(raw["low"]), float(raw["high"]), int(raw["n"]))


def spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0.0, 0.0, 0.0, 0)
    return Spread(statistics.median(values), min(values), max(values), len(values))


def percentile(values: list[float], q: float) -> float:
    """numpy's linear-interpolated percentile, q in 0..100 (0.0 for no values)."""
    return float(np.percentile(values, q)) if values else 0.0


def localscore(prompt_tps: float, gen_tps: float, ttft_ms: float) -> float:
    """LocalScore's score: 10 * cube root of (prompt tok/s * generation tok/s * 1000 / TTFT in ms)."""
    if prompt_tps <= 0 or gen_tps <= 0 or ttft_ms <= 0:
        return 0.0
    return 10 * (prompt_tps * gen_tps * 1000 / ttft_ms) ** (1 / 3)
