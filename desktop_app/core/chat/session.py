"""One reply in a stored conversation: persist the user's turn, stream the reply to disk.

The streaming reply is written to the database at least every FLUSH_SECONDS so a
killed app loses at most that much of it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from desktop_app.core.errors import HearthError, StorageError
from desktop_app.core.llm.protocol import Engine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage, GenerationResult, StopReason
from desktop_app.core.storage.store import Message, MessageStatus, Store
from desktop_app.core.texts import translate

FLUSH_SECONDS = 1.0
MAX_MESSAGE_CHARS = 1_000_000


class EmptyMessage(HearthError):
    pass


@dataclass
class Reply:
    message: Message
    result: GenerationResult
    unsaved: bool = False  # the disk filled up mid-reply: the text is only in ``message``, not on disk


def history_messages(store: Store, conversation_id: int) -> list[ChatMessage]:
    conversation = store.get_conversation(conversation_id)
    messages = [ChatMessage("system", conversation.system_prompt)] if conversation.system_prompt.strip() else []
    for message in store.messages(conversation_id):
        if message.role in ("user", "assistant") and (message.content or message.role == "user"):
            messages.append(ChatMessage(message.role, message.content))
    return messages


class ChatSession:
    def __init__(self, store: Store, engine: Engine, flush_seconds: float = FLUSH_SECONDS):
        self.store = store
        self.engine = engine
        self.flush_seconds = flush_seconds

    def send(self, conversation_id: int, text: str, sampling: SamplingParams, on_text=None, cancel=None) -> Reply:
        if not text.strip():
            raise EmptyMessage(translate("ChatErrors", "Type a message first."))
        if len(text) > MAX_MESSAGE_CHARS:
            raise EmptyMessage(translate("ChatErrors", "The message is too long ({count:,} "
                                                       "characters). Use Summarize for documents.").fill(count=len(text)))
        self.store.add_message(conversation_id, "user", text)
        return self.reply(conversation_id, sampling, on_text, cancel)

    def regenerate(self, conversation_id: int, sampling: SamplingParams, on_text=None, cancel=None) -> Reply:
        messages = self.store.messages(conversation_id)
        last_user = max((m.id for m in messages if m.role == "user"), default=None)
        if last_user is None:
            raise EmptyMessage(translate("ChatErrors", "There is no message to answer yet."))
        following = [m.id for m in messages if m.id > last_user]
        if following:
            self.store.delete_messages_from(conversation_id, following[0])
        return self.reply(conversation_id, sampling, on_text, cancel)

    def edit_and_resend(
        self, conversation_id: int, message_id: int, text: str, sampling: SamplingParams, on_text=None, cancel=None
    ) -> Reply:
        if not text.strip():
            raise EmptyMessage(translate("ChatErrors", "Type a message first."))
        self.store.delete_messages_from(conversation_id, message_id)
        return self.send(conversation_id, text, sampling, on_text, cancel)

    def reply(
        self,
        conversation_id: int,
        sampling: SamplingParams,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Reply:
        history = history_messages(self.store, conversation_id)
        message = self.store.add_message(conversation_id, "assistant", "", status=MessageStatus.STREAMING)
        parts: list[str] = []
        last_flush = time.monotonic()
        unsaved = False

        def save(**fields) -> None:
            """A failed save (disk full) does not stop the reply: the text stays in memory and on screen."""
            nonlocal unsaved
            try:
                self.store.update_message(message.id, **fields)
            except StorageError:
                unsaved = True

        def collect(chunk: str) -> None:
            nonlocal last_flush
            parts.append(chunk)
            if on_text is not None:
                on_text(chunk)
            now = time.monotonic()
            if now - last_flush >= self.flush_seconds and not unsaved:
                save(content="".join(parts))
                last_flush = now

        try:
            result = self.engine.chat(history, sampling, on_text=collect, cancel=cancel)
        except BaseException as exc:
            if parts:
                save(content="".join(parts), status=MessageStatus.ERROR)
            else:
                self.store.delete_messages_from(conversation_id, message.id)
            raise exc
        status = MessageStatus.CANCELLED if result.stats.stop_reason == StopReason.CANCELLED else MessageStatus.DONE
        stats = result.stats.to_dict()
        unsaved = False  # the final save writes the whole reply: if it succeeds, nothing is lost
        save(content=result.text, status=status, stats=stats)
        message.content, message.status, message.stats = result.text, status, stats
        return Reply(message, result, unsaved=unsaved)
