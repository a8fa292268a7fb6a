"""The HTML report parsed back (every model and figure, no external URL) and the PDF opened with pypdfium2."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pypdfium2
from evaluation_factory import sample_report

from desktop_app.core.evaluate.html import render_html, write_html
from desktop_app.core.evaluate.pdf import write_pdf


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.links += [v for k, v in attrs if k in ("href", "src", "xlink:href") and v]

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


def test_html_has_every_model_and_figure_and_nothing_external(tmp_path):
    report = sample_report()
    html = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    page = parse(html)
    text = " ".join(page.text)
    for name in ("Chatty", "Huge", "Seer", "Test CPU 9000", "Q4_K_M"):
        assert name in text
    assert "21.0 (20.0–22.0)" in text  # generation tok/s: median (low–high)
    assert "500.5" not in text and "501.0 (500.0–502.0)" in text
    assert "Huge needs 90 GB." in text and "did not fit" in text
    assert "123" in text and "181.8" in text and "250.0" in text  # score, images/s single and folder
    assert "svg" in page.tags and html.count("<svg") == 3  # speed, vision and memory charts
    assert not [link for link in page.links if not link.startswith("#")]
    # the only web addresses left are XML namespace names, which no browser fetches
    assert re.findall(r"(?<!xmlns=\")(?<!xmlns:xlink=\")https?://", html) == []
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html) and "@import" not in html and "url(http" not in html


def test_model_names_are_escaped():
    report = sample_report()
    report.language[0].name = "<script>alert(1)</script>"
    html = render_html(report)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_pdf_opens_and_has_the_machine_table(tmp_path):
    path = write_pdf(sample_report(), tmp_path / "r.pdf")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        assert len(pdf) >= 3
        first = pdf[0].get_textpage().get_text_range()
        assert "The machine" in first and "Test CPU 9000" in first and "Memory" in first
        second = pdf[1].get_textpage().get_text_range()
        assert "Chatty" in second and "Seer" in second
    finally:
        pdf.close()
