"""Markdown to the HTML subset Qt's rich text understands (markdown-it-py, CommonMark + tables)."""

from __future__ import annotations

from functools import lru_cache

CSS = """
pre { font-family: monospace; background-color: rgba(127,127,127,0.16); padding: 6px; white-space: pre-wrap; }
code { font-family: monospace; background-color: rgba(127,127,127,0.16); }
table { border-collapse: collapse; }
th, td { border: 1px solid rgba(127,127,127,0.5); padding: 3px 6px; }
blockquote { margin-left: 12px; color: gray; }
"""


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # html=False: model output is never trusted as raw HTML
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(["table", "strikethrough"])


def to_html(markdown_text: str) -> str:
    body = _parser().render(markdown_text)
    return f"<html><head><style>{CSS}</style></head><body>{body}</body></html>"
