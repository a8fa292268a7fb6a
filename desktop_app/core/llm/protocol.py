"""The one surface every engine offers: the local LlamaEngine and the remote engines (core/remote) both fit it,
so Chat, Documents and Evaluate drive either without knowing which (tests/core/llm/test_engine_protocol.py
runs the same checks against both)."""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from desktop_app.core.llm.types import ChatMessage, GenerationResult, ModelInfo, OnText
from desktop_app.core.sampling import SamplingParams


@runtime_checkable
class Engine(Protocol):
    @property
    def info(self) -> ModelInfo | None:
        """The model's facts (context size above all) once loaded or connected; None before."""

    @property
    def loaded(self) -> bool: ...

    def tokenize(self, text: str, add_bos: bool = False, special: bool = False) -> list[int]: ...

    def count_tokens(self, text: str) -> int: ...

    def render(self, messages: list[ChatMessage]) -> str:
        """The prompt text these messages make (for counting; a remote server applies its own template)."""

    def chat(
        self,
        messages: list[ChatMessage],
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
        grammar: str | None = None,
    ) -> GenerationResult:
        """A reply to the conversation, streamed through ``on_text``; the oldest turns are left out to fit."""

    def complete(
        self,
        prompt: str,
        sampling: SamplingParams | None = None,
        on_text: OnText | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Raw text continued, no chat template."""

    def close(self) -> None: ...
