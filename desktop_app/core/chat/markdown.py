"""Markdown for the chat transcript: rendering to Qt's rich-text HTML subset, and where a
growing text can be cut so the part before it never changes its rendering.

A streamed reply is shown as a column of blocks: settled blocks render once and only
the tail re-renders, so the cost of each update does not grow with the reply.
Rendering uses markdown-it-py (CommonMark + tables) with raw HTML disabled.
"""

from __future__ import annotations

from functools import lru_cache

FENCES = ("```", "~~~")


def settled_cut(text: str, min_chars: int) -> int | None:
    """The end of the first blank line at or after ``min_chars`` that lies outside code
    fences and is followed by a line that starts a new block (not an indented
    continuation); None when there is no such place yet."""
    in_fence = False
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines[:-1]):
        offset += len(line) + 1
        if line.lstrip().startswith(FENCES):
            in_fence = not in_fence
            continue
        if in_fence or line.strip() or offset < min_chars:
            continue
        following = lines[index + 1]
        if following and not following[0].isspace() and index + 2 < len(lines):
            return offset
    return None


def split_settled(text: str, min_chars: int) -> list[str]:
    """Cut ``text`` into blocks of at least ``min_chars`` at settled places; the last is the tail."""
    blocks = []
    while (cut := settled_cut(text, min_chars)) is not None:
        blocks.append(text[:cut])
        text = text[cut:]
    return blocks + [text]


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
