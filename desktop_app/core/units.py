"""Durations and sizes as a person reads them: one style everywhere, digits and unit symbols only.

The UI translates the words around these ("about {time} left"); the figures need no translation.
"""

from __future__ import annotations

UNKNOWN = "…"


def format_duration(seconds: float | None) -> str:
    """Elapsed time or time left on a clock: '0:07', '12:05', '1:02:05'; '…' while unknown."""
    if seconds is None:
        return UNKNOWN
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_size(n_bytes: float | None) -> str:
    """Decimal units as disks and downloads count them: '812.3 MB', '1.25 GB'."""
    n = max(0, n_bytes or 0)
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"
