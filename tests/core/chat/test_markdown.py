"""Cutting streamed Markdown into blocks that render the same as the whole."""

from __future__ import annotations

from desktop_app.core.chat.markdown import settled_cut, split_settled
from desktop_app.core.chat.markdown import to_html


def test_no_cut_before_the_minimum_or_without_a_following_block():
    assert settled_cut("para one\n\npara two\n\n", 1000) is None
    assert settled_cut("para one\n\n", 1) is None  # nothing after the blank line yet


def test_cut_after_a_blank_line_once_the_next_block_has_started():
    text = "para one\n\npara two\nmore"
    assert text[: settled_cut(text, 1)] == "para one\n\n"


def test_never_cut_inside_a_code_fence_or_before_an_indented_continuation():
    fenced = "```python\nx = 1\n\ny = 2\n```\n\nafter\n"
    cut = settled_cut(fenced, 1)
    assert fenced[:cut].count("```") == 2
    continuation = "- item\n\n    more of the item\n\nnext\n"
    assert continuation[: settled_cut(continuation, 1)].endswith("more of the item\n\n")


def test_blocks_join_back_and_render_the_same_text():
    paragraph = "Some **bold** text and `code`.\n\n1. first\n2. second\n\n```\nprint('hi')\n\nprint('bye')\n```\n\n"
    text = paragraph * 40
    blocks = split_settled(text, 300)
    assert len(blocks) > 5 and "".join(blocks) == text

    def strip_tags(html: str) -> str:
        import re

        return re.sub(r"<[^>]+>|\s+", "", html.split("<body>")[1])

    assert "".join(strip_tags(to_html(b)) for b in blocks) == strip_tags(to_html(text))
