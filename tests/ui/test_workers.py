"""The job runner: results always arrive, dead widgets are never called, a parent's death cancels its jobs."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
from PySide6.QtWidgets import QLabel

from desktop_app.core.errors import HearthError
from desktop_app.ui import workers
from desktop_app.ui.workers import SerialExecutor, run_job


def wait_delivered(qtbot, *jobs, timeout=10000):
    qtbot.waitUntil(lambda: all(not job.running for job in jobs), timeout=timeout)


def test_a_result_finished_but_not_yet_delivered_survives_the_next_run_job(qtbot):
    results = []
    # no reference to the jobs is kept, as at most call sites: only the runner keeps them alive
    first = run_job(lambda ctx: "first", on_result=results.append).future
    first.result(timeout=10)  # its thread is done; the result still waits in the GUI queue
    run_job(lambda ctx: "second", on_result=results.append)
    qtbot.waitUntil(lambda: not workers.active_jobs(), timeout=10000)
    assert sorted(results) == ["first", "second"]


def test_every_result_of_200_short_jobs_arrives(qtbot):
    results = []
    for i in range(200):
        run_job(lambda ctx, i=i: i * i, on_result=results.append)
    qtbot.waitUntil(lambda: not workers.active_jobs(), timeout=20000)
    assert sorted(results) == [i * i for i in range(200)]


def test_a_job_stays_in_the_keep_alive_set_until_its_outcome_was_delivered(qtbot):
    gate = threading.Event()
    delivered = []
    job = run_job(lambda ctx: gate.wait(10), on_result=delivered.append)
    assert job in workers.active_jobs()
    gate.set()
    job.future.result(timeout=10)
    assert job in workers.active_jobs() and delivered == []  # thread returned, outcome still queued
    wait_delivered(qtbot, job)
    assert delivered == [True]
    assert job not in workers.active_jobs()


def test_progress_arrives_in_order_before_the_result(qtbot):
    seen = []

    def work(ctx):
        for i in range(50):
            ctx.progress(i)
        return "done"

    job = run_job(work, on_progress=seen.append, on_result=seen.append)
    wait_delivered(qtbot, job)
    assert seen == list(range(50)) + ["done"]


def test_an_error_goes_to_on_error_on_the_gui_thread(qtbot):
    errors, threads = [], []

    def failed(exc):
        errors.append(exc)
        threads.append(threading.current_thread())

    def work(ctx):
        raise HearthError("The model file is damaged.")

    job = run_job(work, on_error=failed)
    wait_delivered(qtbot, job)
    assert [str(e) for e in errors] == ["The model file is damaged."]
    assert threads == [threading.main_thread()]


def test_an_unexpected_job_error_is_logged_and_fails_the_test_unless_expected(qtbot, job_log):
    job = run_job(lambda ctx: 1 / 0)  # no on_error: reported as unhandled
    wait_delivered(qtbot, job)
    messages = [r.getMessage() for r in job_log]
    assert any("failed" in m for m in messages)  # logged on the worker, with the traceback
    assert any("unhandled job error: ZeroDivisionError" in m for m in messages)  # the type: messages can quote user text


def test_a_callback_that_raises_still_leaves_the_keep_alive_set(qtbot):
    def broken(_result):
        raise ValueError("bug in a pane")

    job = run_job(lambda ctx: 1, on_result=broken)
    with qtbot.captureExceptions() as raised:
        wait_delivered(qtbot, job)
    assert [str(e[1]) for e in raised] == ["bug in a pane"]
    assert job not in workers.active_jobs()


def test_a_dead_widget_is_never_called_and_its_job_is_cancelled(qtbot):
    label = QLabel("waiting")
    started, release = threading.Event(), threading.Event()
    saw_cancel = []
    calls = []

    def work(ctx):
        started.set()
        release.wait(10)
        saw_cancel.append(ctx.cancelled)
        return "late result"

    job = run_job(work, parent=label, on_result=lambda text: (calls.append(text), label.setText(text)),
                  on_error=lambda exc: calls.append(exc))
    assert started.wait(10)
    with qtbot.waitSignal(label.destroyed, timeout=5000):
        label.deleteLater()
    release.set()
    wait_delivered(qtbot, job)  # a RuntimeError from a deleted QLabel would fail the test here
    assert calls == []
    assert saw_cancel == [True]


def test_destroying_the_parent_cancels_a_long_job_promptly(qtbot):
    owner = QLabel()
    started = threading.Event()
    ended_early = []

    def work(ctx):
        started.set()
        ended_early.append(ctx.cancel.wait(30))  # only a cancel ends this early

    job = run_job(work, parent=owner, on_result=lambda r: owner.setText(str(r)))
    assert started.wait(10)
    with qtbot.waitSignal(owner.destroyed, timeout=5000):
        owner.deleteLater()
    job.future.result(timeout=5)  # would wait 30 s without the cancel
    assert ended_early == [True]
    wait_delivered(qtbot, job)


def test_a_parent_that_outlives_its_job_still_gets_the_result(qtbot):
    owner = QLabel()
    qtbot.addWidget(owner)
    job = run_job(lambda ctx: "ready", parent=owner, on_result=owner.setText)
    wait_delivered(qtbot, job)
    assert owner.text() == "ready"
    assert not job.cancel_event.is_set()


def test_serial_jobs_run_in_order_on_one_thread(qtbot):
    serial = SerialExecutor("test-serial")
    names, results = [], []

    def work(i):
        def fn(ctx):
            names.append(threading.current_thread().name)
            return i
        return fn

    jobs = [run_job(work(i), serial=serial, on_result=results.append) for i in range(20)]
    wait_delivered(qtbot, *jobs)
    assert results == list(range(20))
    assert len(set(names)) == 1
    serial.executor.shutdown()


@pytest.mark.parametrize("cancel_first", [True, False])
def test_cancel_all_and_wait_all(qtbot, cancel_first):
    started = threading.Event()

    def work(ctx):
        started.set()
        return ctx.cancel.wait(30)

    job = run_job(work)
    assert started.wait(10)
    if cancel_first:
        workers.cancel_all()
        assert workers.wait_all(5)
    else:
        assert not workers.wait_all(0.05)  # still running: wait_all reports it
        job.cancel()
    wait_delivered(qtbot, job)


def test_delivering_outcomes_does_not_drain_the_refcount_of_true(qtbot):
    # PySide6 6.12's Signal.emit() returns an unowned True; 3.11 aborts once True's count reaches 0
    gc.collect()  # earlier tests' garbage (each delivered Job holds a True) must not be freed during the count
    before = sys.getrefcount(True)
    for i in range(300):
        run_job(lambda ctx: True, on_progress=lambda _: None, on_result=lambda _: None)
    qtbot.waitUntil(lambda: not workers.active_jobs(), timeout=20000)
    assert sys.getrefcount(True) >= before - 30


# the finished hook: once, after the result or the error, whichever it was

@pytest.mark.parametrize("outcome", ["result", "error", "cancelled", "handler raises"])
def test_on_finished_runs_once_after_the_outcome(qtbot, outcome):
    seen = []

    def work(ctx):
        if outcome == "error":
            raise HearthError("The model file is damaged.")
        if outcome == "cancelled":
            ctx.cancel.wait(10)
            return "stopped early" if ctx.cancelled else "ran out the clock"
        return "done"

    def on_result(value):
        seen.append(("result", value))
        if outcome == "handler raises":
            raise ValueError("bug in a pane")

    job = run_job(work, on_result=on_result, on_error=lambda exc: seen.append(("error", str(exc))),
                  on_finished=lambda: seen.append("finished"))
    if outcome == "cancelled":
        job.cancel()
    with qtbot.captureExceptions() as raised:
        wait_delivered(qtbot, job)
    expected = {"result": [("result", "done")], "error": [("error", "The model file is damaged.")],
                "cancelled": [("result", "stopped early")], "handler raises": [("result", "done")]}[outcome]
    assert seen == expected + ["finished"]
    assert [str(e[1]) for e in raised] == (["bug in a pane"] if outcome == "handler raises" else [])


def test_on_finished_is_never_called_on_a_dead_widget(qtbot):
    label = QLabel()
    release, finished = threading.Event(), []
    job = run_job(lambda ctx: release.wait(10), parent=label, on_finished=lambda: finished.append(label.text()))
    with qtbot.waitSignal(label.destroyed, timeout=5000):
        label.deleteLater()
    release.set()
    wait_delivered(qtbot, job)
    assert finished == []


# what the user reads about an error

def test_an_os_error_from_a_job_is_a_sentence_without_its_number_or_class():
    text = workers.describe_error(PermissionError(13, "Permission denied", "/srv/share/report.pdf"))
    assert text == ("Hearth could not use /srv/share/report.pdf: permission is denied. Choose another place or change "
                    "its permissions.")


def test_an_unexpected_error_names_the_log_file_not_the_exception(qtbot, tmp_path, monkeypatch):
    from desktop_app.core import logs

    monkeypatch.setattr(logs, "log_file", lambda: str(tmp_path / "hearth.log"))
    text = workers.describe_error(KeyError("secret document text"))
    assert text == f"Something went wrong that Hearth did not expect. The details are in the log file {tmp_path / 'hearth.log'}."
    assert "KeyError" not in text and "secret" not in text


def test_a_hearth_error_made_of_a_core_text_is_shown_translated(qtbot, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from desktop_app.core.texts import translate

    wanted = {("RemoteErrors", "{where} serves no models."): "{where} 没有提供模型。"}
    monkeypatch.setattr(QCoreApplication, "translate", staticmethod(lambda context, text, *a: wanted.get((context, text), text)))
    error = HearthError(translate("RemoteErrors", "{where} serves no models.").fill(where="http://office:8080"))
    assert workers.describe_error(error) == "http://office:8080 没有提供模型。"
