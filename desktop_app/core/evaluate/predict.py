"""What to download next: each catalog model's speed on this machine, predicted from the measured run.

Generation reads every weight once per token (plus the KV cache so far), so on a CPU it is bound by
memory bandwidth: seconds per token = overhead + bytes read per token / effective bandwidth. The
bandwidth (and, when models of different sizes were measured, the per-token overhead) is fitted to
the run's generation speeds. Prompt processing is bound by compute: about 2 FLOPs per parameter per
token, so prompt tok/s scales with 1 / parameters from the measured compute rate.

For a catalog entry only its size and parameter count are known, so its bytes per token is its file
size (its KV traffic, a few per cent for grouped-query models at these contexts, is left out).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.core import system
from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.report import EvaluationReport, LanguageModelResult, RowStatus

SIZE_SPREAD = 1.5  # fit an overhead only when the measured models differ this much in bytes per token
MEMORY_FACTOR = 1.1  # weights resident, plus ~10% for vocabulary and output buffers
CONTEXT_RESERVE = 512 * system.MiB  # KV cache and compute buffers at the default context, about
FLOPS_PER_PARAMETER = 2  # one multiply-add per weight per token


@dataclass(frozen=True)
class SpeedModel:
    """What the measured run says about this machine's language-model speed (one device)."""

    device: str
    bandwidth_bps: float  # effective bytes read per second while generating
    overhead_s: float  # per-token time that does not grow with bytes read (0 when not separable)
    flops: float  # effective prompt-processing FLOP/s
    basis: str  # which models and figures, as a sentence

    def gen_tps(self, bytes_per_token: float) -> float:
        return 1.0 / (self.overhead_s + bytes_per_token / self.bandwidth_bps)

    def prompt_tps(self, parameters: float) -> float:
        return self.flops / (FLOPS_PER_PARAMETER * parameters)


@dataclass
class Prediction:
    name: str
    repo: str
    file: str
    parameters: int
    size_bytes: int
    memory_bytes: int  # what it needs in RAM, by MEMORY_FACTOR and CONTEXT_RESERVE
    fits: bool
    device: str
    prompt_tps: float
    gen_tps: float
    basis: str
    note: str = ""

    @property
    def source(self) -> str:
        return f"hf:{self.repo}/{self.file}"

    def to_json(self) -> dict:
        return asdict(self)


def decode_bytes_per_token(row: LanguageModelResult, prompt_tokens: int, gen_tokens: int) -> float:
    """Weights plus the KV cache read at the mean position while generating."""
    return row.size_bytes + row.kv_bytes_per_token * (prompt_tokens + gen_tokens / 2)


def _usable(report: EvaluationReport, device: str) -> list[LanguageModelResult]:
    return [m for m in report.language if m.device == device and m.status == RowStatus.OK and m.timed_shapes()
            and m.size_bytes > 0 and m.parameters > 0]


def fit_speed(report: EvaluationReport, device: str = "CPU") -> SpeedModel | None:
    """The bandwidth/overhead/compute model from the run's rows on ``device``; None without a measured model."""
    rows = _usable(report, device)
    if not rows:
        return None
    by_row = {id(m): _points(m) for m in rows}
    points = [p for m in rows for p in by_row[id(m)]]
    sizes = [m.size_bytes for m in rows]
    overhead, bandwidth = 0.0, 0.0
    if max(sizes) >= SIZE_SPREAD * min(sizes):
        overhead, slope = _least_squares(points)
        if slope > 0 and 0 <= overhead < min(t for _x, t in points):
            bandwidth = 1.0 / slope
    names = ", ".join(m.name for m in rows)
    if bandwidth:
        basis = (f"{bandwidth / 1e9:.1f} GB/s and {overhead * 1000:.1f} ms per token, fitted to the generation "
                 f"speeds of {names}")
    else:  # one size: all time is put down to bandwidth, so bigger models come out a little slow
        largest = max(rows, key=lambda m: m.size_bytes)
        mine = by_row[id(largest)]
        bandwidth, overhead = sum(x / t for x, t in mine) / len(mine), 0.0
        basis = (f"{bandwidth / 1e9:.1f} GB/s effective, from {largest.name}'s generation speed "
                 "(one model size: per-token overhead counted as bandwidth, so this leans slow)")
    biggest = max(rows, key=lambda m: m.parameters)
    prompt_rates = [s.prompt_tps.median for s in biggest.timed_shapes()]
    flops = FLOPS_PER_PARAMETER * biggest.parameters * sum(prompt_rates) / len(prompt_rates)
    basis += f"; prompt speed scaled from {biggest.name}'s {flops / 1e9:.1f} GFLOP/s"
    return SpeedModel(device, bandwidth, overhead, flops, basis)


def _points(row: LanguageModelResult) -> list[tuple[float, float]]:
    """(bytes read per token, seconds per token) for each timed shape."""
    return [(decode_bytes_per_token(row, s.prompt_tokens, s.gen_tokens), 1.0 / s.gen_tps.median)
            for s in row.timed_shapes() if s.gen_tps.median > 0]


def _least_squares(points: list[tuple[float, float]]) -> tuple[float, float]:
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(t for _, t in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0, 0.0
    slope = sum((x - mx) * (t - my) for x, t in points) / sxx
    return my - slope * mx, slope


def parse_parameters(text: str | int | float) -> int:
    """'1.5B', '135M', 3.8e9 -> a parameter count (0 when unreadable)."""
    if isinstance(text, (int, float)):
        return int(text)
    match = re.fullmatch(r"\s*([\d.]+)\s*([KMBT]?)\s*", str(text), re.IGNORECASE)
    if not match:
        return 0
    scale = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[match.group(2).upper()]
    return int(float(match.group(1)) * scale)


def catalog_size_bytes(model: dict) -> int:
    """An exact size when the entry has one, else its approx_size_gb (decimal GB, as the catalog writes)."""
    return int(model.get("size_bytes") or float(model.get("approx_size_gb") or 0) * 1e9)


def predict_catalog(speed: SpeedModel, catalog: list[dict], ram_available: int | None = None) -> list[Prediction]:
    ram = system.available_ram() if ram_available is None else ram_available
    out = []
    for model in catalog:
        size, params = catalog_size_bytes(model), parse_parameters(model.get("parameters", 0))
        if size <= 0 or params <= 0:
            continue
        memory = int(size * MEMORY_FACTOR + CONTEXT_RESERVE)
        fits = memory + system.MARGIN_BYTES <= ram
        note = "" if fits else f"needs about {memory / 1e9:.1f} GB; {ram / 1e9:.1f} GB is free"
        out.append(Prediction(model["name"], model.get("repo", ""), model.get("file", ""), params, size, memory, fits,
                              speed.device, speed.prompt_tps(params), speed.gen_tps(size), speed.basis, note))
    return out


def predict_next(report: EvaluationReport, catalog: list[dict], ram_available: int | None = None) -> list[dict]:
    """Predictions for every catalog model, as JSON for the report (CPU rows; none without a measured model)."""
    speed = fit_speed(report, "CPU")
    return [p.to_json() for p in predict_catalog(speed, catalog, ram_available)] if speed else []


# checking an earlier run's predictions


def matches(prediction: dict, row: LanguageModelResult) -> bool:
    """The downloaded file is the predicted one: by its download source, else by its file name."""
    source = f"hf:{prediction.get('repo')}/{prediction.get('file')}"
    return bool(row.source and row.source == source) or (bool(prediction.get("file"))
                                                         and Path(row.path).name == prediction["file"])


def check_predictions(report: EvaluationReport, expected: list[dict]) -> None:
    """Put each earlier prediction beside the measured row it was about, with a closing note per model."""
    for row in report.language:
        found = next((p for p in expected if p.get("device", "CPU") == row.device and matches(p, row)), None)
        figures = aggregate(row) if found else None
        if figures is None:
            continue
        prompt_tps, gen_tps, _ttft = figures
        row.predicted = {"prompt_tps": found["prompt_tps"], "gen_tps": found["gen_tps"], "basis": found.get("basis", "")}
        note = (f"Prediction check, {row.key}: generation predicted {found['gen_tps']:.1f} tok/s, measured {gen_tps:.1f} "
                f"({_percent(gen_tps, found['gen_tps'])}); prompt predicted {found['prompt_tps']:.0f} tok/s, measured "
                f"{prompt_tps:.0f} ({_percent(prompt_tps, found['prompt_tps'])}).")
        row.notes.append(note)
        report.notes.append(note)


def _percent(measured: float, predicted: float) -> str:
    return f"{(measured / predicted - 1) * 100:+.0f}% against the prediction" if predicted else "no prediction"
