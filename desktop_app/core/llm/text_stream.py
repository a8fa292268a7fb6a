"""Token bytes to text as a reply streams: whole characters only, stop strings held back and cut."""

from __future__ import annotations

import codecs

from desktop_app.core.llm.types import OnText


class TextStream:
    """Bytes in, text out: whole UTF-8 characters only, stop strings held back and cut."""

    def __init__(self, stop_strings, on_text: OnText | None):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._stops = tuple(s for s in stop_strings if s)
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._on_text = on_text
        self._text = ""
        self._emitted = 0

    def feed(self, piece: bytes) -> bool:
        """Add a piece; True when a stop string has appeared."""
        self._text += self._decoder.decode(piece)
        if self._stops:
            window_start = max(0, self._emitted - self._hold)
            for stop in self._stops:
                at = self._text.find(stop, window_start)
                if at >= 0:
                    self._text = self._text[:at]
                    self._flush(len(self._text))
                    return True
        self._flush(len(self._text) - self._hold if self._stops else len(self._text))
        return False

    def _flush(self, upto: int) -> None:
        if upto > self._emitted:
            chunk = self._text[self._emitted : upto]
            self._emitted = upto
            if self._on_text is not None:
                self._on_text(chunk)

    def finish(self) -> str:
        # Bytes still held here are the start of a character the generation stopped inside (token
        # limit, stop string, cancel): a split, not something the model wrote, so they are dropped
        # rather than shown as U+FFFD. Invalid bytes mid-stream were the model's own; those stay.
        self._decoder.reset()
        self._flush(len(self._text))
        return self._text
