"""Summaries out of the app: Markdown with a short header, or the bare text."""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.storage.store import MessageStatus, Summary


def describe_settings(settings: dict) -> str:
    """'short · bullets · focus: risks · language: auto' from a SummaryRequest dict."""
    if settings.get("question"):  # an answer from Ask
        return f"question: {settings['question']}"
    length = f"{settings['target_words']} words" if settings.get("target_words") else settings.get("length", "")
    parts = [length, settings.get("style", "")]
    if settings.get("focus"):
        parts.append(f"focus: {settings['focus']}")
    if settings.get("language") and settings["language"] != "auto":
        parts.append(f"language: {settings['language']}")
    return " · ".join(p for p in parts if p)


def to_markdown(summary: Summary) -> str:
    when = datetime.fromtimestamp(summary.created_at).strftime("%Y-%m-%d %H:%M") if summary.created_at else ""
    details = " · ".join(p for p in (summary.model, describe_settings(summary.settings), when) if p)
    lines = [f"# Summary of {summary.source_name}", ""]
    if details:
        lines += [f"*{details}*", ""]
    if summary.status == MessageStatus.CANCELLED:
        lines += ["*(Cancelled before the end: partial results.)*", ""]
    lines += [summary.summary.strip(), ""]
    return "\n".join(lines)


def to_text(summary: Summary) -> str:
    return summary.summary.strip() + "\n"
