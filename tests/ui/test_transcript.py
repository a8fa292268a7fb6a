"""The transcript renders long streamed replies in settled blocks plus a short tail."""

from __future__ import annotations

from desktop_app.core.storage.store import Message
from desktop_app.ui.chat.transcript import MarkdownStack, Transcript

PARAGRAPH = "Here is **bold** text and `code`.\n\n- one\n- two\n\n```python\nprint('hi')\n\nprint('bye')\n```\n\n"


def test_streamed_reply_settles_into_blocks_and_only_the_tail_grows(qtbot):
    transcript = Transcript()
    qtbot.addWidget(transcript)
    view = transcript.add(Message(1, 1, "assistant", ""))
    full = PARAGRAPH * 60
    tails = []
    for start in range(0, len(full), 37):
        view.append(full[start : start + 37])
        tails.append(len(view.body.tail.markdown))
    assert view.body.markdown == full
    assert len(view.body.blocks) >= 4
    assert max(tails) < 3 * MarkdownStack.BLOCK_CHARS  # each update re-renders a bounded tail
    assert view.body.toPlainText().count("print('bye')") == 60


def test_replacing_the_text_rebuilds_the_blocks(qtbot):
    stack = MarkdownStack()
    qtbot.addWidget(stack)
    stack.set_markdown(PARAGRAPH * 40)
    assert stack.blocks
    stack.set_markdown("A short, different reply.")
    assert stack.blocks == [] and stack.toPlainText() == "A short, different reply."
