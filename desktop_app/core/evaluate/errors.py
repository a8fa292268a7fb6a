"""What can go wrong in an evaluation, as one plain sentence each."""

from desktop_app.core.errors import HearthError


class BadShape(HearthError):
    """A shape the user typed is not PROMPT/GEN."""


class ReportUnreadable(HearthError):
    """A report JSON that is missing, not JSON, or not a Hearth evaluation report."""
