"""Conversations out of the app: Markdown for people, JSON for programs."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from desktop_app.core.storage.store import Conversation, Message

ROLE_TITLES = {"user": "You", "assistant": "Assistant", "system": "System"}


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def conversation_to_markdown(conversation: Conversation, messages: list[Message]) -> str:
    lines = [f"# {conversation.title or 'Conversation'}", ""]
    if conversation.model:
        lines += [f"*Model: {conversation.model}*", ""]
    if conversation.system_prompt.strip():
        lines += ["## System", "", conversation.system_prompt.strip(), ""]
    for message in messages:
        lines += [f"## {ROLE_TITLES.get(message.role, message.role)}", "", message.content.rstrip(), ""]
    return "\n".join(lines)


def conversation_to_json(conversation: Conversation, messages: list[Message]) -> str:
    document = {
        "format": "hearth.conversation/1",
        "title": conversation.title,
        "model": conversation.model,
        "system_prompt": conversation.system_prompt,
        "sampling": conversation.sampling,
        "created_at": _iso(conversation.created_at),
        "updated_at": _iso(conversation.updated_at),
        "messages": [
            {
                "role": m.role,
                "content": m.content,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "stats": m.stats,
            }
            for m in messages
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
