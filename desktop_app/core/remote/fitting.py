"""Fitting a prompt to a remote model's context: the oldest turns left out, the reply's length clamped.

The server applies its own chat template; the ChatML rendering here is only what Hearth counts, with a
margin for what the server's template may add.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from desktop_app.core.errors import PromptTooLong
from desktop_app.core.llm.fitting import drop_oldest_turns
from desktop_app.core.llm.types import ChatMessage
from desktop_app.core.remote.tokens import surely_fits
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.texts import translate

CONTEXT_MARGIN = 8  # tokens the server's own template may add beyond our count of the prompt


def render(messages: list[ChatMessage]) -> str:
    turns = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def fit_history(messages: list[ChatMessage], room: int, count: Callable[[str], int]) -> tuple[list[ChatMessage], int]:
    """Leave out the oldest turns until the prompt fits ``room`` tokens, by the local engine's rule; also how many
    messages were left out."""
    return drop_oldest_turns(messages, lambda kept: fits(render(kept), room, count))


def fits(text: str, room: int, count: Callable[[str], int]) -> bool:
    return surely_fits(text, room) or count(text) <= room


def fit_reply(prompt: str, sampling: SamplingParams, n_ctx: int, count: Callable[[str], int],
              where: str) -> tuple[SamplingParams, bool, int | None]:
    """Ask for no more tokens than the context has room for, as the local engine stops at a full context
    (some servers fail the request mid-stream instead). Also: whether the reply was cut to fit, and
    the prompt's token count (for servers that send no usage; None when the byte count sufficed)."""
    if surely_fits(prompt, n_ctx - CONTEXT_MARGIN - sampling.max_tokens):
        return sampling, False, None  # no round trip to count a prompt that fits by its byte count
    counted = count(prompt)
    needed = counted + CONTEXT_MARGIN
    room = n_ctx - needed
    if room < 1:
        raise PromptTooLong(translate(
            "RemoteErrors", "The prompt needs about {needed} tokens and {where} holds {n_ctx}. Shorten the message, "
            "or use Summarize for long documents.").fill(needed=needed, where=where, n_ctx=n_ctx))
    if sampling.max_tokens <= room:
        return sampling, False, counted
    return replace(sampling, max_tokens=room), True, counted
