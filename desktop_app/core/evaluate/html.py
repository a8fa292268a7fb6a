"""The report as one self-contained HTML file: tables and inline SVG charts, no external assets."""

from __future__ import annotations

import datetime
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.evaluate import charts
from desktop_app.core.evaluate.language import aggregate
from desktop_app.core.evaluate.quality.pictures import thumbnail_uri
from desktop_app.core.evaluate.quality.results import METRIC_NAMES, mark_key
from desktop_app.core.evaluate.quality.votes import standings
from desktop_app.core.evaluate.report import EvaluationReport

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Hearth evaluation: {{ machine.cpu_model }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: 0.6em 0 1.4em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #666; font-size: 0.9em; }
.bad { color: #a00; }
</style></head><body>
<h1>What can this computer do?</h1>
<p class="note">Measured by Hearth {{ machine.app_version }} on {{ when }}{% if report.cancelled %} (cancelled: partial report){% endif %},
in {{ "%.0f"|format(report.elapsed_s) }} s. {{ settings_line }}</p>
{% for note in report.notes %}<p class="note">{{ note }}</p>{% endfor %}
<h2>The machine</h2>
<table id="machine">{% for label, value in machine.rows() %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
{% if report.language %}
<h2>Language models</h2>
<table id="language"><tr><th>Model</th><th>Device</th><th>Status</th><th>Load s</th><th>Prompt tok/s</th><th>Generation tok/s</th><th>TTFT ms</th><th>LocalScore</th><th>Peak RAM GB</th></tr>
{% for m in report.language %}{% set a = agg(m) %}
<tr><td>{{ m.name }}<br><span class="note">{{ m.quantization }} · sha256 {{ (m.sha256 or "unknown")[:16] }}… · ctx {{ m.n_ctx }} · {{ m.threads or "auto" }} threads</span></td>
<td>{{ m.device }}</td><td{% if m.status.value != "ok" %} class="bad"{% endif %}>{{ m.status.value }}{% if m.reason %}: {{ m.reason }}{% endif %}</td>
<td class="n">{{ fmt(m.load_s, 2) }}</td><td class="n">{{ fmt(a[0] if a else None, 1) }}</td><td class="n">{{ fmt(a[1] if a else None, 1) }}</td>
<td class="n">{{ fmt(a[2] if a else None, 0) }}</td><td class="n">{{ fmt(m.score, 0) }}</td><td class="n">{{ fmt(m.peak_ram_bytes / 1e9 if m.peak_ram_bytes else None, 2) }}</td></tr>
{% endfor %}</table>
<h3>Per shape (median, low–high over repetitions)</h3>
<table id="shapes"><tr><th>Model</th><th>Shape (prompt/generated)</th><th>As run</th><th>Status</th><th>Prompt tok/s</th><th>Generation tok/s</th><th>TTFT ms</th></tr>
{% for m in report.language %}{% for s in m.shapes %}
<tr><td>{{ m.key }}</td><td>{{ s.shape }} <span class="note">{{ s.use }}</span></td><td>{{ s.prompt_tokens }}/{{ s.gen_tokens }}</td><td>{{ s.status.value }}</td>
<td class="n">{{ sp(s.prompt_tps, 1) }}</td><td class="n">{{ sp(s.gen_tps, 1) }}</td><td class="n">{{ sp(s.ttft_ms, 0) }}</td></tr>
{% endfor %}{% endfor %}</table>
<h3>What it means</h3>
<ul>{% for m in report.language %}{% for v in m.verdicts %}<li><b>{{ m.key }}</b>: {{ v }}</li>{% endfor %}{% for n in m.notes %}<li class="note">{{ m.key }}: {{ n }}</li>{% endfor %}{% endfor %}</ul>
{% endif %}
{% if report.vision %}
<h2>Vision models</h2>
<table id="vision"><tr><th>Model</th><th>Task</th><th>Status</th><th>Provider</th><th>Images/s (single)</th><th>Images/s (folder)</th><th>Latency p50 ms</th><th>p95 ms</th><th>Peak RAM GB</th></tr>
{% for v in report.vision %}
<tr><td>{{ v.name }}<br><span class="note">sha256 {{ (v.sha256 or "unknown")[:16] }}…</span></td><td>{{ v.task }}</td>
<td{% if v.status.value != "ok" %} class="bad"{% endif %}>{{ v.status.value }}{% if v.reason %}: {{ v.reason }}{% endif %}</td>
<td>{{ v.provider }}{% for n in v.provider_notes %}<br><span class="note">{{ n }}</span>{% endfor %}</td>
<td class="n">{{ fmt(v.single_ips, 1) }}</td><td class="n">{{ fmt(v.folder_ips, 1) }}</td><td class="n">{{ fmt(v.latency_ms.median if v.latency_ms else None, 1) }}</td>
<td class="n">{{ fmt(v.p95_ms, 1) }}</td><td class="n">{{ fmt(v.peak_ram_bytes / 1e9 if v.peak_ram_bytes else None, 2) }}</td></tr>
{% endfor %}</table>
{% endif %}
{% set costed = report.language|selectattr("cost")|list %}
{% if costed %}
<h2>Cost</h2>
<table id="cost"><tr><th>Model</th><th>Local per million generated tokens</th><th>Local per 100 pages summarized</th><th>Cloud per million tokens</th><th>Cloud per 100 pages</th><th>Assumptions</th></tr>
{% for m in costed %}{% set c = m.cost %}
<tr><td>{{ m.key }}</td><td class="n">{{ money(c.local_per_mtok) }}</td><td class="n">{{ money(c.local_per_100_pages) }}</td>
<td class="n">{{ money(c.cloud_per_mtok) }}</td><td class="n">{{ money(c.cloud_per_100_pages) }}</td><td class="note">{{ c.assumptions|join("; ") }}</td></tr>
{% endfor %}</table>
{% endif %}
{% if report.predictions %}
<h2>What to download next</h2>
<table id="predictions"><tr><th>Model</th><th>Size GB</th><th>Fits here</th><th>Prompt tok/s (predicted)</th><th>Generation tok/s (predicted)</th></tr>
{% for p in report.predictions %}
<tr><td>{{ p.name }}</td><td class="n">{{ fmt(p.size_bytes / 1e9, 1) }}</td><td>{{ "yes" if p.fits else "no: " ~ p.note }}</td>
<td class="n">{{ fmt(p.prompt_tps, 0) }}</td><td class="n">{{ fmt(p.gen_tps, 1) }}</td></tr>
{% endfor %}</table>
<p class="note">Predicted from this run: {{ report.predictions[0].basis }}. A catalog model's bytes read per token is its file size.</p>
{% endif %}
{% for q in report.quality %}
<h2>Quality: {{ task_titles[q.task.value] }}</h2>
<p class="note">Data: {{ q.data }}{% if q.cancelled %} (cancelled: partial){% endif %}. {{ q.items|length }} items scored. The best value of each row is in bold.</p>
<table class="quality"><tr><th>Figure</th>{% for m in q.models %}<th>{{ m.name }}</th>{% endfor %}</tr>
{% for metric in q.metrics() %}{% set best = q.best(metric) %}<tr><td>{{ metric_names.get(metric, metric) }}</td>
{% for m in q.models %}{% set v = q.value(m, metric) %}<td class="n">{% if m.name == best %}<b>{{ pct(v, metric) }}</b>{% else %}{{ pct(v, metric) }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}<tr><td>Items per second</td>{% for m in q.models %}<td class="n">{{ fmt(m.items_per_s, 2) }}</td>{% endfor %}</tr>
<tr><td>Scoring time, share of the model's time</td>{% for m in q.models %}<td class="n">{{ fmt(100 * m.score_seconds / m.seconds if m.seconds else None, 2) }} %</td>{% endfor %}</tr>
{% if q.task.value == "summary" %}<tr><td>Words per summary</td>{% for m in q.models %}<td class="n">{{ fmt(m.overall.get("words"), 0) }}</td>{% endfor %}</tr>
<tr><td>Seconds per page</td>{% for m in q.models %}<td class="n">{{ fmt(m.overall.get("s_per_page"), 1) }}</td>{% endfor %}</tr>{% endif %}
</table>
{% for m in q.models %}{% if m.reason %}<p class="bad">{{ m.name }}: {{ m.reason }}</p>{% endif %}
{% if m.per_category %}<h3>{{ m.name }} per category</h3><table><tr><th>Category</th><th>Items</th><th>Exact</th><th>Contains</th><th>chrF</th></tr>
{% for c, v in m.per_category.items() %}<tr><td>{{ c }}</td><td class="n">{{ v["items"] }}</td><td class="n">{{ pct(v["exact"], "exact") }}</td><td class="n">{{ pct(v["contains"], "contains") }}</td><td class="n">{{ fmt(v["chrf"], 1) }}</td></tr>{% endfor %}</table>{% endif %}
{% if m.details.get("per_class") %}<h3>{{ m.name }} per class</h3><table><tr><th>Class</th>{% for k in m.details["per_class"][0].keys() if k != "name" %}<th>{{ k }}</th>{% endfor %}</tr>
{% for c in m.details["per_class"] %}<tr><td>{{ c["name"] }}</td>{% for k, v in c.items() if k != "name" %}<td class="n">{{ fmt(v, 3) }}</td>{% endfor %}</tr>{% endfor %}</table>{% endif %}
{% if m.details.get("worst") %}<h3>{{ m.name }}: {{ "most missed boxes" if q.task.value == "detect" else "worst mistakes" }}</h3><p>
{% for w in m.details["worst"] %}{% set uri = thumb(w["image"]) %}<span style="display:inline-block;margin:0 .5em .5em 0;font-size:.8em">{% if uri %}<img src="{{ uri }}" alt="{{ w['name'] }}"><br>{% endif %}{{ w["name"] }}: {% if w.get("misses") %}{{ w["misses"] }} missed{% else %}{{ w["truth"] }} → {{ w["output"] }}{% endif %}</span>{% endfor %}</p>{% endif %}
{% endfor %}
{% if q.votes %}<h3>Blind votes</h3><table><tr><th>Model</th><th>Votes</th><th>Win rate (95% interval)</th><th>Rating (Bradley–Terry, Elo scale)</th></tr>
{% for s in standings(q) %}<tr><td>{{ s.model }}</td><td class="n">{{ s.votes }}</td><td class="n">{{ "%.0f"|format(100 * s.win_rate) }} % ({{ "%.0f"|format(100 * s.low) }}–{{ "%.0f"|format(100 * s.high) }})</td><td class="n">{{ "%.0f"|format(s.rating) }}</td></tr>{% endfor %}</table>{% endif %}
<h3>Items</h3><table><tr><th>Item</th><th>Model</th><th>Output</th><th>Expected</th><th>Scores</th><th>By hand</th></tr>
{% for i in q.items[:200] %}<tr><td>{{ i.item }}{% if i.needs_review %} <span class="bad">needs review</span>{% endif %}</td><td>{{ i.model }}</td><td>{{ i.output[:300] }}</td><td>{{ i.expected[:300] }}</td>
<td class="note">{% for k, v in i.scores.items() %}{{ k }} {{ fmt(v, 2) }} {% endfor %}</td><td>{{ hand(q, i) }}</td></tr>{% endfor %}</table>
{% if q.items|length > 200 %}<p class="note">The first 200 of {{ q.items|length }} items; the CSV export has them all.</p>{% endif %}
{% if q.problems %}<h3>Problems</h3><ul>{% for p in q.problems %}<li class="bad">{{ p.line() }}</li>{% endfor %}</ul>{% endif %}
{% endfor %}
{% for title, svg in charts %}<h2>{{ title }}</h2><div class="chart">{{ svg }}</div>{% endfor %}
<p class="note">Speeds are medians over {{ report.settings.get("reps", "?") }} repetitions after an untimed warm-up; greedy decoding at fixed lengths,
timed through Hearth's own engine as benchmarks/bench_chat.py times it (benchmarks/bench_eval.py checks, in one run on the same shape,
that this generation speed is within 5% of bench_chat's engine figure and at least 0.95× llama.cpp's llama-bench).
Score: LocalScore's 10 × ∛(prompt tok/s × generation tok/s × 1000 / TTFT ms), from the mean over shapes of each median.</p>
</body></html>
"""


def _fmt(value, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _spread(s, digits: int) -> str:
    return "–" if s is None else f"{s.median:,.{digits}f} ({s.low:,.{digits}f}–{s.high:,.{digits}f})"


TASK_TITLES = {"qa": "answers to a question set", "summary": "summaries against references",
               "classify": "image classification", "detect": "object detection"}
PERCENT = {"exact", "contains", "rouge1", "rouge2", "rougeL", "top1", "top5", "macro_f1", "map50", "map", "recall", "hand"}


def _pct(value, metric: str) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f} %" if metric in PERCENT else f"{value:.1f}"


def _hand(run, item) -> str:
    mark = run.marks.get(mark_key(item.model, item.item))
    return "" if mark is None else ("right" if mark else "wrong")


def _standings(run):
    return standings(run.votes, [m.name for m in run.models])


def render_html(report: EvaluationReport) -> str:
    env = Environment(autoescape=True)
    currency = (report.settings.get("cost") or {}).get("currency", "")
    settings = report.settings
    line = (f"Shapes {', '.join(settings.get('shapes', []))}; context {settings.get('n_ctx')} tokens; "
            f"threads {settings.get('threads') or 'auto'}; GPU layers {settings.get('gpu_layers')}.")
    return env.from_string(TEMPLATE).render(
        report=report, machine=report.machine, settings_line=line,
        when=datetime.datetime.fromtimestamp(report.created_at).strftime("%Y-%m-%d %H:%M"),
        agg=aggregate, fmt=_fmt, sp=_spread,
        money=lambda v: "–" if v is None else f"{v:,.4f} {currency}",
        task_titles=TASK_TITLES, metric_names=METRIC_NAMES, pct=_pct, hand=_hand, standings=_standings,
        thumb=thumbnail_uri,
        charts=[(title, Markup(charts.to_svg(fig))) for title, fig in charts.figures(report)],
    )


def write_html(report: EvaluationReport, path: Path | str) -> Path:
    write_text_atomic(Path(path), render_html(report))
    return Path(path)
