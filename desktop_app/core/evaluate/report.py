"""What an evaluation found, as plain dataclasses, written and read back as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from pathlib import Path

from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.evaluate.errors import ReportUnreadable
from desktop_app.core.evaluate.machine import MachineFingerprint
from desktop_app.core.evaluate.metrics import Spread
from desktop_app.core.evaluate.quality.results import QualityRun
from desktop_app.core.texts import translate

REPORT_FORMAT = "hearth-evaluation"
REPORT_VERSION = 1


class RowStatus(str, Enum):
    OK = "ok"
    FAILED = "failed"  # could not load or run: the reason says why
    SKIPPED = "skipped"  # would not fit in memory: not loaded
    CANCELLED = "cancelled"


class ShapeStatus(str, Enum):
    MEASURED = "measured"
    CLIPPED = "clipped"  # the prompt was shortened to fit the context
    DID_NOT_FIT = "did not fit"
    CANCELLED = "cancelled"


@dataclass
class ShapeRun:
    shape: str  # as asked, "PROMPT/GEN"
    use: str
    prompt_tokens: int  # as run
    gen_tokens: int
    status: ShapeStatus
    prompt_tps: Spread | None = None
    gen_tps: Spread | None = None
    ttft_ms: Spread | None = None
    reps: list[dict] = field(default_factory=list)  # raw: one dict per timed repetition

    @property
    def timed(self) -> bool:
        return self.status in (ShapeStatus.MEASURED, ShapeStatus.CLIPPED) and self.gen_tps is not None


@dataclass
class LanguageModelResult:
    name: str
    path: str
    sha256: str | None = None
    quantization: str = ""
    parameters: int = 0
    size_bytes: int = 0
    device: str = "CPU"  # "GPU" (offloaded) or "CPU"
    n_ctx: int = 0
    threads: int = 0
    gpu_layers: str = "0"
    status: RowStatus = RowStatus.OK
    reason: str = ""
    load_s: float | None = None
    peak_ram_bytes: int = 0
    peak_vram_bytes: int = 0
    estimated_ram_bytes: int = 0
    shapes: list[ShapeRun] = field(default_factory=list)
    score: float | None = None
    verdicts: list[str] = field(default_factory=list)
    energy: dict | None = None
    cost: dict | None = None
    others_cpu_percent: float = 0.0
    notes: list[str] = field(default_factory=list)
    source: str = ""  # where the library got it ("hf:REPO/FILE", a URL), to match an earlier prediction
    kv_bytes_per_token: int = 0  # KV cache bytes per token of context (f16), for bytes read per token
    predicted: dict | None = None  # an earlier run's prediction for this model: prompt_tps, gen_tps, basis

    @property
    def key(self) -> str:
        return f"{self.name} [{self.device}]"

    def timed_shapes(self) -> list[ShapeRun]:
        return [s for s in self.shapes if s.timed]


@dataclass
class VisionModelResult:
    name: str
    path: str
    task: str
    sha256: str | None = None
    size_bytes: int = 0
    status: RowStatus = RowStatus.OK
    reason: str = ""
    provider: str = ""
    provider_notes: list[str] = field(default_factory=list)
    images: int = 0
    single_ips: float | None = None  # one image at a time, prepare + run
    folder_ips: float | None = None  # a folder through run_batch (decode overlapped)
    latency_ms: Spread | None = None
    p95_ms: float | None = None
    peak_ram_bytes: int = 0
    others_cpu_percent: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)  # raw

    @property
    def key(self) -> str:
        return f"{self.name} [{self.provider or 'CPU'}]"


@dataclass
class EvaluationReport:
    machine: MachineFingerprint
    created_at: float = field(default_factory=time.time)
    settings: dict = field(default_factory=dict)  # reps, shapes, context, threads, GPU layers, cost inputs
    language: list[LanguageModelResult] = field(default_factory=list)
    vision: list[VisionModelResult] = field(default_factory=list)
    cancelled: bool = False
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    predictions: list[dict] = field(default_factory=list)  # "what to download next"
    quality: list[QualityRun] = field(default_factory=list)  # quality on the user's data, one per task run

    def to_json(self) -> dict:
        data = asdict(self)
        data["quality"] = [q.to_json() for q in self.quality]
        data["format"], data["version"] = REPORT_FORMAT, REPORT_VERSION
        return _plain(data)

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2)

    @classmethod
    def from_json(cls, raw: dict) -> "EvaluationReport":
        if not isinstance(raw, dict) or raw.get("format") != REPORT_FORMAT:
            raise ReportUnreadable(translate("EvaluateErrors", "This file is not a Hearth evaluation "
                                                               "report."))
        if int(raw.get("version", 0)) > REPORT_VERSION:
            raise ReportUnreadable(translate("EvaluateErrors", "This report was written by a newer "
                                                               "Hearth; update Hearth to open it."))
        try:
            return cls(
                machine=MachineFingerprint.from_json(raw["machine"]),
                created_at=float(raw.get("created_at", 0)),
                settings=dict(raw.get("settings") or {}),
                language=[_language(r) for r in raw.get("language", [])],
                vision=[_vision(r) for r in raw.get("vision", [])],
                cancelled=bool(raw.get("cancelled")),
                elapsed_s=float(raw.get("elapsed_s", 0)),
                notes=list(raw.get("notes") or []),
                predictions=list(raw.get("predictions") or []),
                quality=[QualityRun.from_json(q) for q in raw.get("quality") or []],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReportUnreadable(translate("EvaluateErrors", "This evaluation report is damaged (a field is missing "
                                                               "or has the wrong type).")) from exc


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _spread(raw) -> Spread | None:
    return Spread.from_json(raw) if raw else None


def _known(cls, raw: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def _shape(raw: dict) -> ShapeRun:
    values = _known(ShapeRun, raw)
    values["status"] = ShapeStatus(raw["status"])
    for name in ("prompt_tps", "gen_tps", "ttft_ms"):
        values[name] = _spread(raw.get(name))
    return ShapeRun(**values)


def _language(raw: dict) -> LanguageModelResult:
    values = _known(LanguageModelResult, raw)
    values["status"] = RowStatus(raw.get("status", "ok"))
    values["shapes"] = [_shape(s) for s in raw.get("shapes", [])]
    return LanguageModelResult(**values)


def _vision(raw: dict) -> VisionModelResult:
    values = _known(VisionModelResult, raw)
    values["status"] = RowStatus(raw.get("status", "ok"))
    values["latency_ms"] = _spread(raw.get("latency_ms"))
    return VisionModelResult(**values)


# files


def read_report(path: Path | str) -> EvaluationReport:
    """A report JSON, or ReportUnreadable with one sentence saying what is wrong."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportUnreadable(translate("EvaluateErrors", "The report {name} does not exist.").fill(name=path.name)) from None
    except UnicodeDecodeError:
        raise ReportUnreadable(translate("EvaluateErrors", "{name} is not a text file, so it is not "
                                                           "an evaluation report.").fill(name=path.name)) from None
    except ValueError:
        raise ReportUnreadable(translate("EvaluateErrors", "{name} is not valid JSON, so it is not "
                                                           "an evaluation report.").fill(name=path.name)) from None
    except OSError as exc:
        raise ReportUnreadable(translate("EvaluateErrors", "The report {name} could not be read: "
                                                           "{value}.").fill(name=path.name, value=exc.strerror or exc)) from None
    return EvaluationReport.from_json(raw)


def write_json(report: EvaluationReport, path: Path | str) -> Path:
    write_text_atomic(Path(path), report.to_json_text())
    return Path(path)


CSV_COLUMNS = [
    "machine", "kind", "model", "device", "sha256", "quantization", "shape", "shape_status", "prompt_tokens",
    "gen_tokens", "rep", "prompt_tps", "gen_tps", "ttft_ms", "latency_ms", "provider", "status", "reason",
    "task", "item", "category", "output", "expected", "metric", "value", "seconds", "hand_mark",
]


def csv_rows(report: EvaluationReport) -> list[dict]:
    """Every raw measurement, one row each (a model without measurements is one row with its status)."""
    machine = report.machine.cpu_model
    rows = []
    for m in report.language:
        base = {"machine": machine, "kind": "language", "model": m.name, "device": m.device, "sha256": m.sha256,
                "quantization": m.quantization, "status": m.status.value, "reason": m.reason}
        if not m.shapes:
            rows.append(base)
        for s in m.shapes:
            shape = {**base, "shape": s.shape, "shape_status": s.status.value, "prompt_tokens": s.prompt_tokens,
                     "gen_tokens": s.gen_tokens}
            if not s.reps:
                rows.append(shape)
            for i, rep in enumerate(s.reps, 1):
                rows.append({**shape, "rep": i, "prompt_tps": rep["prompt_tps"], "gen_tps": rep["gen_tps"],
                             "ttft_ms": rep["ttft_ms"]})
    for v in report.vision:
        base = {"machine": machine, "kind": "vision", "model": v.name, "device": v.provider, "sha256": v.sha256,
                "provider": v.provider, "status": v.status.value, "reason": v.reason}
        if not v.latencies_ms:
            rows.append(base)
        rows.extend({**base, "rep": i, "latency_ms": ms} for i, ms in enumerate(v.latencies_ms, 1))
    for q in report.quality:
        for item in q.items:
            base = {"machine": machine, "kind": "quality", "model": item.model, "task": q.task.value, "item": item.item,
                    "category": item.category, "output": item.output, "expected": item.expected,
                    "seconds": round(item.seconds, 4), "hand_mark": q.marks.get(f"{item.model}\t{item.item}", "")}
            rows.extend({**base, "metric": name, "value": value} for name, value in item.scores.items())
    return rows


def to_csv_text(report: EvaluationReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(report))
    return out.getvalue()


def write_csv(report: EvaluationReport, path: Path | str) -> Path:
    write_text_atomic(Path(path), to_csv_text(report))
    return Path(path)
