"""What the chat-model pickers list and what a picked name means: local models beside remote ones.

A remote model is listed as ``MODEL @ ENGINE`` (Settings → Engines adds them). While this app serves
a local model, picking that model uses the server instead of loading a second copy.
"""

from __future__ import annotations

from desktop_app.core.remote import engines


def chat_models(context) -> list:
    return list(context.registry.list(task="chat")) + engines.picker_models(context.settings)


def resolve_chat_model(context, name: str | None):
    remote = engines.resolve_picked(name)
    if remote is not None:
        return remote
    entry = context.registry.resolve(name or None, "chat", context.settings.default_models.get("chat"))
    return engines.serving_twin(entry.path) or entry
