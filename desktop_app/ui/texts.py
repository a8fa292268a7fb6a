"""Core's ``Text`` sentences in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.core.texts import Text


def translated(text: str) -> str:
    """``text`` translated when it is a core ``Text`` the translations know (values too); else as it is."""
    if not isinstance(text, Text):
        return text
    values = {key: translated(value) if isinstance(value, str) else value for key, value in text.values.items()}
    template = QCoreApplication.translate(text.context, text.template)
    try:
        return template.format(**values) if values else template
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English is right
        return str.__str__(text)
