"""Where a growing Markdown text can be cut so the part before it never changes its rendering.

A streamed reply is shown as a column of blocks: settled blocks render once and only
the tail re-renders, so the cost of each update does not grow with the reply.
"""

from __future__ import annotations

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
