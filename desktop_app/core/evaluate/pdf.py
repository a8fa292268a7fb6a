"""The report as a PDF through matplotlib's PDF backend: machine and result tables, then the charts.

Qt is not allowed in core or in the CLI, and matplotlib already draws the charts, so one Qt-free
path serves both the pane and ``hearth eval speed --pdf``.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from desktop_app.core.evaluate import charts
from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.quality.results import METRIC_NAMES
from desktop_app.core.evaluate.report import EvaluationReport


def _table_page(title: str, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))  # A4
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.85))
    ax.axis("off")
    fig.suptitle(title, x=0.05, ha="left", fontsize=13)
    table = ax.table(cellText=rows or [["–"] * len(header)], colLabels=header, loc="upper left", cellLoc="left",
                     colWidths=widths)
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.4)
    return fig


def _n(value, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _language_rows(report: EvaluationReport) -> list[list[str]]:
    rows = []
    for m in report.language:
        a = aggregate(m)
        status = m.status.value if not m.reason else f"{m.status.value}: {m.reason[:60]}"
        rows.append([m.name[:28], m.device, status, _n(a[0] if a else None, 1), _n(a[1] if a else None, 1),
                     _n(a[2] if a else None, 0), _n(m.score, 0)])
    for v in report.vision:
        status = v.status.value if not v.reason else f"{v.status.value}: {v.reason[:60]}"
        rows.append([v.name[:28], v.provider or "–", status, f"{_n(v.single_ips, 1)} img/s", f"{_n(v.folder_ips, 1)} img/s",
                     _n(v.latency_ms.median if v.latency_ms else None, 1), "–"])
    return rows


def write_pdf(report: EvaluationReport, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with rc_context(charts.STYLE), PdfPages(path, metadata={"Title": "Hearth evaluation", "Creator": "Hearth"}) as pdf:
        machine = [[label, value[:90]] for label, value in report.machine.rows()]
        pdf.savefig(_table_page("The machine", ["", "This computer"], machine, [0.18, 0.82]))
        header = ["Model", "Device", "Status", "Prompt tok/s", "Generation tok/s", "TTFT ms / latency ms", "LocalScore"]
        pdf.savefig(_table_page("Results", header, _language_rows(report), [0.22, 0.08, 0.26, 0.11, 0.12, 0.12, 0.09]))
        for run in report.quality:
            names = [m.name[:22] for m in run.models]
            rows = [[METRIC_NAMES.get(metric, metric)] + [_n(run.value(m, metric), 3) for m in run.models]
                    for metric in run.metrics()]
            rows.append(["Items per second"] + [_n(m.items_per_s, 2) for m in run.models])
            rows += [["Problem", p.line()[:100]] + [""] * (len(names) - 1) for p in run.problems[:20]]
            pdf.savefig(_table_page(f"Quality: {run.task.value} on {Path(run.data).name}", ["Figure"] + names, rows))
        for _title, fig in charts.figures(report):
            pdf.savefig(fig)
    return path
