"""Two reports side by side: the same model on two machines (or two runs), with ratios."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.report import EvaluationReport


@dataclass
class ComparedRow:
    model: str  # "name [device or provider]"
    metric: str
    left: float | None
    right: float | None

    @property
    def ratio(self) -> float | None:
        """right / left: above 1 when the second report is faster (or bigger)."""
        return self.right / self.left if self.left and self.right is not None else None


def _figures(report: EvaluationReport) -> dict[tuple[str, str], float | None]:
    figures: dict[tuple[str, str], float | None] = {}
    for m in report.language:
        a = aggregate(m)
        figures[(m.key, "prompt tok/s")] = a[0] if a else None
        figures[(m.key, "generation tok/s")] = a[1] if a else None
        figures[(m.key, "TTFT ms")] = a[2] if a else None
        figures[(m.key, "LocalScore")] = m.score
    for v in report.vision:
        figures[(v.key, "images/s (single)")] = v.single_ips
        figures[(v.key, "images/s (folder)")] = v.folder_ips
        figures[(v.key, "latency p50 ms")] = v.latency_ms.median if v.latency_ms else None
    return figures


def compare_reports(left: EvaluationReport, right: EvaluationReport) -> list[ComparedRow]:
    """Every (model, metric) in either report; a model only one machine ran has None on the other side."""
    a, b = _figures(left), _figures(right)
    keys = list(a) + [k for k in b if k not in a]
    return [ComparedRow(model, metric, a.get((model, metric)), b.get((model, metric))) for model, metric in keys]
