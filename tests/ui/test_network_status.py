"""The status bar says 'Nothing is sent anywhere' only while nothing is online."""

from __future__ import annotations

import threading

from desktop_app.core.privacy import NetworkActivity
from desktop_app.ui.network_status import NetworkStatusLabel


def test_the_promise_is_withdrawn_while_a_download_runs_on_another_thread(qtbot):
    activity = NetworkActivity()
    label = NetworkStatusLabel(activity)
    qtbot.addWidget(label)
    assert "Nothing is sent anywhere" in label.text()
    started, finish = threading.Event(), threading.Event()

    def download():
        with activity.online("huggingface.co"):
            started.set()
            finish.wait(10)

    worker = threading.Thread(target=download)
    worker.start()
    assert started.wait(10)
    qtbot.waitUntil(lambda: "huggingface.co" in label.text())
    assert "Nothing is sent" not in label.text()
    finish.set()
    worker.join(10)
    qtbot.waitUntil(lambda: "Nothing is sent anywhere" in label.text())


def test_a_destroyed_label_stops_listening(qtbot):
    activity = NetworkActivity()
    label = NetworkStatusLabel(activity)
    assert activity._listeners
    label.deleteLater()
    qtbot.waitUntil(lambda: not activity._listeners)
    with activity.online("example.org"):  # must not touch the deleted widget
        pass


def test_a_remote_engine_in_use_is_named_and_the_promise_withdrawn(qtbot):
    activity = NetworkActivity()
    label = NetworkStatusLabel(activity)
    qtbot.addWidget(label)
    threading.Thread(target=activity.set_remote_engine, args=("http://10.0.0.5:8080",)).start()
    qtbot.waitUntil(lambda: "Replies come from http://10.0.0.5:8080" in label.text())
    assert "sent there" in label.text() and "Nothing is sent" not in label.text()
    activity.set_remote_engine(None)
    qtbot.waitUntil(lambda: "Nothing is sent anywhere" in label.text())
