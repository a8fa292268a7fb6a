"""Report charts with matplotlib's object API and its SVG/PDF backends (never pyplot, never Qt)."""

from __future__ import annotations

import io
import re

from matplotlib import rc_context
from matplotlib.figure import Figure

from desktop_app.core.evaluate.quality.pictures import quality_figures
from desktop_app.core.evaluate.report import EvaluationReport

GB = 1e9
STYLE = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def speed_figure(report: EvaluationReport) -> Figure | None:
    """Prompt and generation tokens/s per model (one bar group per shape)."""
    rows = [m for m in report.language if m.timed_shapes()]
    if not rows:
        return None
    shapes = sorted({s.shape for m in rows for s in m.timed_shapes()}, key=lambda k: [int(v) for v in k.split("/")])
    fig = Figure(figsize=(8, 2.2 + 0.5 * len(rows)), layout="constrained")
    for ax, metric, title in zip(fig.subplots(1, 2), ("prompt_tps", "gen_tps"), ("Reading (prompt tokens/s)", "Writing (generated tokens/s)")):
        height = 0.8 / len(shapes)
        for i, shape in enumerate(shapes):
            values = []
            for m in rows:
                run = next((s for s in m.timed_shapes() if s.shape == shape), None)
                values.append(getattr(run, metric).median if run else 0.0)
            ax.barh([r + i * height for r in range(len(rows))], values, height, label=shape)
        ax.set_yticks([r + 0.4 - height / 2 for r in range(len(rows))], [m.key for m in rows])
        ax.invert_yaxis()
        ax.set_title(title)
    fig.axes[1].set_yticklabels([])
    fig.axes[0].legend(title="prompt/generated", fontsize=7)
    return fig


def vision_figure(report: EvaluationReport) -> Figure | None:
    rows = [v for v in report.vision if v.single_ips]
    if not rows:
        return None
    fig = Figure(figsize=(8, 1.4 + 0.45 * len(rows)), layout="constrained")
    ax = fig.subplots()
    y = range(len(rows))
    ax.barh([i - 0.2 for i in y], [v.single_ips or 0 for v in rows], 0.4, label="one image at a time")
    ax.barh([i + 0.2 for i in y], [v.folder_ips or 0 for v in rows], 0.4, label="a folder")
    ax.set_yticks(list(y), [v.key for v in rows])
    ax.invert_yaxis()
    ax.set_title("Images per second")
    ax.legend(fontsize=7)
    return fig


def memory_figure(report: EvaluationReport) -> Figure | None:
    rows = [(m.key, m.peak_ram_bytes or m.estimated_ram_bytes) for m in report.language if m.peak_ram_bytes or m.estimated_ram_bytes]
    rows += [(v.key, v.peak_ram_bytes) for v in report.vision if v.peak_ram_bytes]
    if not rows:
        return None
    fig = Figure(figsize=(8, 1.4 + 0.4 * len(rows)), layout="constrained")
    ax = fig.subplots()
    ax.barh(range(len(rows)), [b / GB for _, b in rows], 0.6)
    ram = report.machine.ram_total_bytes / GB
    ax.axvline(ram, color="firebrick", linestyle="--", label=f"this computer's memory ({ram:.1f} GB)")
    ax.set_yticks(range(len(rows)), [name for name, _ in rows])
    ax.invert_yaxis()
    ax.set_xlabel("GB (peak resident memory of the app while measuring; estimate for skipped models)")
    ax.legend(fontsize=7, loc="lower right")
    return fig


def figures(report: EvaluationReport) -> list[tuple[str, Figure]]:
    with rc_context(STYLE):
        made = [("Speed per model and shape", speed_figure(report)), ("Vision models", vision_figure(report)),
                ("Memory", memory_figure(report))]
        for run in report.quality:
            made += quality_figures(run)
    return [(title, fig) for title, fig in made if fig is not None]


def to_svg(fig: Figure) -> str:
    """Inline SVG: no XML prolog and no metadata block (it names web addresses of the RDF schema)."""
    out = io.StringIO()
    with rc_context(STYLE):
        fig.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    text = text[text.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
