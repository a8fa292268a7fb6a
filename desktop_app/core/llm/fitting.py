"""The one rule for fitting a conversation to a context, used by the local and the remote engines alike."""

from __future__ import annotations

from typing import Callable

from desktop_app.core.llm.types import ChatMessage


def reply_reserve(max_tokens: int, n_ctx: int) -> int:
    """Context tokens kept free for the reply while fitting the history: what it asks for, within bounds."""
    return min(max(max_tokens, 16), n_ctx // 2)


def drop_oldest_turns(messages: list[ChatMessage], fits: Callable[[list[ChatMessage]], bool]) -> tuple[list[ChatMessage], int]:
    """Leave out the oldest turns (a user message and the replies after it; never the system prompt) until
    ``fits`` accepts what is left or one turn is left; also how many messages were left out."""
    system = [m for m in messages[:1] if m.role == "system"]
    turns = list(messages[len(system):])
    dropped = 0
    while len(turns) > 1 and not fits(system + turns):
        cut = 1
        while cut < len(turns) - 1 and turns[cut].role != "user":
            cut += 1
        dropped += cut
        turns = turns[cut:]
    return system + turns, dropped
