"""The one debouncer: bursts collapse into one call with the latest arguments."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop_app.ui.throttle import Throttle


class Fired(QObject):
    called = Signal(object)


def test_a_burst_of_calls_runs_once_with_the_last_arguments(qtbot):
    fired = Fired()
    throttle = Throttle(lambda *args: fired.called.emit(args), 30)
    with qtbot.waitSignal(fired.called, timeout=2000) as blocker:
        for text in ("b", "br", "bre", "brea", "bread"):
            throttle(text)
        assert throttle.pending
    assert blocker.args == [("bread",)]
    assert not throttle.pending  # nothing left over from the burst


def test_flush_runs_a_pending_call_now_and_cancel_drops_it(qtbot):
    seen = []
    throttle = Throttle(seen.append, 10_000)
    throttle("now")
    throttle.flush()
    assert seen == ["now"] and not throttle.pending
    throttle.flush()
    assert seen == ["now"]  # nothing pending: nothing runs
    throttle("never")
    throttle.cancel()
    assert not throttle.pending and seen == ["now"]
