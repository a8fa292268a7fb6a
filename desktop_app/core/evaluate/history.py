"""Evaluation reports kept in the app's database (the same one, encrypted with the workspace when it is),
so any two runs can be opened side by side later."""

from __future__ import annotations

from desktop_app.core.errors import StorageError
from desktop_app.core.evaluate.errors import ReportUnreadable
from desktop_app.core.evaluate.report import EvaluationReport
from desktop_app.core.storage.store import EvaluationRecord, Store
from desktop_app.core.texts import translate

TITLE_MODELS = 3  # names in a title before "and N more"


def run_title(report: EvaluationReport) -> str:
    names = list(dict.fromkeys([r.name for r in report.language + report.vision] +
                               [m.name for q in report.quality for m in q.models]))
    shown = ", ".join(names[:TITLE_MODELS]) or "no models"
    if len(names) > TITLE_MODELS:
        shown += f" and {len(names) - TITLE_MODELS} more"
    tasks = ", ".join(dict.fromkeys(q.task.value for q in report.quality))
    prefix = f"Quality ({tasks}): " if tasks else ""
    return f"{prefix}{shown} on {report.machine.cpu_model}" + (" (cancelled)" if report.cancelled else "")


def keep_report(store: Store, report: EvaluationReport) -> int:
    """Save the report; its id in the history."""
    return store.add_evaluation(run_title(report), report.to_json(), report.created_at)


def replace_kept(store: Store, evaluation_id: int, report: EvaluationReport) -> None:
    """Save a kept run again, after hand marks or votes were added to it."""
    store.update_evaluation(evaluation_id, run_title(report), report.to_json())


def kept_runs(store: Store, limit: int = 200) -> list[EvaluationRecord]:
    return store.list_evaluations(limit)


def open_kept(store: Store, evaluation_id: int) -> EvaluationReport:
    try:
        return EvaluationReport.from_json(store.get_evaluation(evaluation_id))
    except ReportUnreadable as exc:
        raise StorageError(translate("EvaluateErrors", "The kept evaluation {evaluation_id} cannot "
                                                       "be read: {reason}").fill(evaluation_id=evaluation_id, reason=exc.args[0] if exc.args else "")) from exc


def saved_labels(store: Store, data: str, model: str, limit: int = 50) -> dict[str, list[str]]:
    """The folder-to-label mapping used for ``model`` on ``data`` in the newest kept quality run that has one."""
    for record in kept_runs(store, limit=limit):
        try:
            report = open_kept(store, record.id)
        except StorageError:
            continue
        for run in report.quality:
            if run.data == data and model in run.labels:
                return run.labels[model]
    return {}


def latest_predictions(store: Store) -> list[dict]:
    """The predictions of the newest kept run that made any (what the next run checks against)."""
    for record in kept_runs(store, limit=20):
        try:
            report = open_kept(store, record.id)
        except StorageError:
            continue
        if report.predictions:
            return report.predictions
    return []
