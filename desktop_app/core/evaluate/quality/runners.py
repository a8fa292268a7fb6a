"""One quality run: every chosen model over the same data through the app's own engines, item by item.

Chat models answer through the shared LlamaHost (greedy, so a run is reproducible), summaries go through
the real map-reduce summarizer, images through the vision engines. A bad item or a model that fails is a
Problem and the run goes on; what was scored before stays in the result.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Callable

from desktop_app.core import texts
from desktop_app.core.documents.load import load_document
from desktop_app.core.documents.summarize import DocumentSummarizer, SummaryRequest
from desktop_app.core.errors import HearthError, PromptTooLong
from desktop_app.core.evaluate.quality import classification, datasets, detection, text
from desktop_app.core.evaluate.quality.labels import label_to_class, suggest_mapping
from desktop_app.core.evaluate.quality.results import ItemScore, ModelQuality, Problem, QualityRun, QualityTask
from desktop_app.core.llm.types import ChatMessage, LoadOptions
from desktop_app.core.sampling import SamplingParams

GREEDY = SamplingParams(temperature=0.0, max_tokens=96, seed=0, repeat_penalty=1.0)
WORDS_PER_PAGE = 500  # a page of a text file, as the cost figures count pages
DETECT_CONF = 0.05  # COCO mAP ranks every candidate: a low floor, as the COCO evaluations run
SHOWN_CONF = 0.3  # the Detect pane's default threshold, for the per-image count
WORST = 8  # images kept as "worst mistakes" / "most misses"
COCO_MAX_DETS = 100  # COCOeval's detections per image and category
MAX_SCORED_DETECTIONS = 250_000  # with COCOeval per category, about 400 MB at most


@dataclass
class QualityRequest:
    task: QualityTask
    data: Path
    models: list = field(default_factory=list)  # library ModelEntry objects
    load: LoadOptions = field(default_factory=LoadOptions)
    max_tokens: int = GREEDY.max_tokens
    limit: int | None = None  # score only the first N items (a quick look)
    labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # model -> folder -> labels (the user's)
    threads: int = 0
    summary_length: str = "short"  # reference summaries are usually short; the summarizer's own lengths


@dataclass(frozen=True)
class QualityProgress:
    done: int
    total: int
    model: str
    text: str


Progress = Callable[[QualityProgress], None]


class _Steps:
    def __init__(self, total: int, on_progress: Progress | None):
        self.done, self.total, self.on_progress = 0, total, on_progress or (lambda _p: None)

    def __call__(self, model: str, message: str, advance: bool = True) -> None:
        self.done += int(advance)
        self.on_progress(QualityProgress(self.done, self.total, model, message))


def run_quality(request: QualityRequest, host=None, on_progress: Progress | None = None,
                cancel: threading.Event | None = None, on_item: Callable[[ItemScore], None] | None = None) -> QualityRun:
    """``host``: the app's LlamaHost (chat and summary tasks)."""
    cancel = cancel or threading.Event()
    run = QualityRun(request.task, str(request.data))
    cases, run.problems = _read(request)
    count = _count(request.task, cases)
    steps = _Steps(count * len(request.models), on_progress)
    task = {QualityTask.QA: _answer, QualityTask.SUMMARY: _summarize,
            QualityTask.CLASSIFY: _classify, QualityTask.DETECT: _detect}[request.task]
    for entry in request.models if count else ():  # nothing usable: no model is loaded for nothing
        if cancel.is_set():
            break
        model = ModelQuality(entry.name, str(entry.path))
        run.models.append(model)
        try:
            task(request, entry, model, cases, run, host, steps, cancel, on_item or (lambda _i: None))
        except HearthError as exc:  # a model that cannot load or fails mid-run: its finished items stay
            model.reason = str(exc)
            run.problems.append(Problem(entry.name, None, f"stopped after {model.items} items: {exc}"))
        _overall(run, model, cases)
    run.cancelled = cancel.is_set()
    return run


def _read(request: QualityRequest):
    if request.task is QualityTask.QA:
        found = datasets.load_questions(request.data)
        return found.questions[: request.limit], found.problems
    if request.task is QualityTask.SUMMARY:
        cases, problems = datasets.load_summary_folder(request.data)
        return cases[: request.limit], problems
    if request.task is QualityTask.CLASSIFY:
        found = datasets.load_image_folder(request.data)
        found.images = found.images[: request.limit]
        return found, found.problems
    found = datasets.load_detection_set(request.data)
    if request.limit:
        keep = set(list(found.paths)[: request.limit])
        found.paths = {k: v for k, v in found.paths.items() if k in keep}
        found.dataset["images"] = [i for i in found.dataset["images"] if i["id"] in keep]
        found.dataset["annotations"] = [a for a in found.dataset["annotations"] if a["image_id"] in keep]
    return found, found.problems


def _count(task: QualityTask, cases) -> int:
    if task is QualityTask.CLASSIFY:
        return len(cases.images)
    if task is QualityTask.DETECT:
        return len(cases.paths)
    return len(cases)


def _add(run: QualityRun, model: ModelQuality, item: ItemScore, on_item) -> None:
    run.items.append(item)
    model.items += 1
    model.seconds += item.seconds
    model.score_seconds += item.score_seconds
    on_item(item)


# chat models


def _answer(request, entry, model, questions, run, host, steps, cancel, on_item) -> None:
    steps(entry.name, "loading", advance=False)
    host.ensure(entry, request.load)
    text.warm_up()
    sampling = SamplingParams(**{**GREEDY.to_dict(), "max_tokens": request.max_tokens})
    for q in questions:
        if cancel.is_set():
            return
        messages = ([ChatMessage("system", q.system)] if q.system else []) + [ChatMessage("user", q.prompt)]
        start = time.perf_counter()
        try:
            reply = host.engine.chat(messages, sampling, cancel=cancel).text.strip()
        except PromptTooLong as exc:  # this question only: the next one may fit
            run.problems.append(Problem(Path(request.data).name, int(q.item), f"was not scored: {exc}"))
            steps(entry.name, f"row {q.item}")
            continue
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        scores = text.answer_scores(reply, q.expected)
        review = text.needs_review(scores)
        _add(run, model, ItemScore(q.item, entry.name, reply, q.expected, scores, seconds, time.perf_counter() - start,
                                   q.category, review, q.prompt), on_item)
        steps(entry.name, f"row {q.item}")


def _summarize(request, entry, model, cases, run, host, steps, cancel, on_item) -> None:
    steps(entry.name, "loading", advance=False)
    host.ensure(entry, request.load)
    text.warm_up()
    pages = 0.0
    for case in cases:
        if cancel.is_set():
            return
        try:
            document = load_document(case.document)
        except HearthError as exc:
            run.problems.append(Problem(case.document.name, None, f"could not be read: {exc}"))
            steps(entry.name, case.document.name)
            continue
        start = time.perf_counter()
        greedy = SummaryRequest(request.summary_length, temperature=0.0, seed=0)
        result = DocumentSummarizer(host.engine, document, greedy).run(cancel=cancel)
        seconds = time.perf_counter() - start
        if result.cancelled:
            return
        start = time.perf_counter()
        scores = text.rouge(result.summary, case.reference)
        doc_pages = document.pages or max(1.0, len(document.text.split()) / WORDS_PER_PAGE)
        scores["words"] = float(len(result.summary.split()) if not text.is_chinese(result.summary) else len(result.summary))
        scores["s_per_page"] = seconds / doc_pages
        pages += doc_pages
        _add(run, model, ItemScore(case.document.name, entry.name, result.summary, case.reference, scores, seconds,
                                   time.perf_counter() - start), on_item)
        steps(entry.name, case.document.name)
    model.details["pages"] = pages


# vision models


def _open_vision(entry, threads: int):
    from desktop_app.core.vision.engine import open_registry_engine

    return open_registry_engine(entry, threads=threads)


def _classify(request, entry, model, found, run, host, steps, cancel, on_item) -> None:
    steps(entry.name, "loading", advance=False)
    with _open_vision(entry, request.threads) as engine:
        mapping = suggest_mapping(found.classes, engine.spec.labels,
                                  {**found.labels, **request.labels.get(entry.name, {})})
        run.labels[entry.name] = mapping
        unmapped = [c for c, labels in mapping.items() if not labels]
        if unmapped:
            run.problems.append(Problem(entry.name, None, f"none of its labels matches the folder(s) {', '.join(unmapped)}; "
                                                          "choose labels for them or every image there counts as wrong."))
        to_class = label_to_class(mapping)
        for path, truth in found.images:
            if cancel.is_set():
                return
            start = time.perf_counter()
            try:
                result = engine.classify(path, k=5)
            except HearthError as exc:
                run.problems.append(Problem(str(path.relative_to(found.folder)), None, f"was not scored: {exc}"))
                steps(entry.name, path.name)
                continue
            seconds = time.perf_counter() - start
            start = time.perf_counter()
            ranked = list(dict.fromkeys(to_class.get(p.label, classification.OTHER) for p in result.predictions))
            top = result.top
            scores = {"top1": float(ranked[:1] == [truth]), "top5": float(truth in ranked[:5]),
                      "confidence": top.score if top else 0.0}
            output = ", ".join(f"{p.label} {p.score:.2f}" for p in result.predictions[:3])
            _add(run, model, ItemScore(str(path.relative_to(found.folder)), entry.name, output, truth, scores, seconds,
                                       time.perf_counter() - start, truth, predicted=ranked[0] if ranked else classification.OTHER), on_item)
            steps(entry.name, path.name)


def _detect(request, entry, model, found, run, host, steps, cancel, on_item) -> None:
    steps(entry.name, "loading", advance=False)
    by_name = {c["name"].casefold(): c["id"] for c in found.dataset["categories"]}
    detections = []
    truths = Counter(a["image_id"] for a in found.dataset["annotations"])
    with _open_vision(entry, request.threads) as engine:
        missing = [c["name"] for c in found.dataset["categories"] if c["name"].casefold() not in
                   {label.casefold() for label in engine.spec.labels}]
        if missing:
            run.problems.append(Problem(entry.name, None, f"has no label named {', '.join(missing)}; those boxes count as missed."))
        for image_id, path in found.paths.items():
            if cancel.is_set():
                return
            start = time.perf_counter()
            try:
                result = engine.detect(path, conf=DETECT_CONF)
            except HearthError as exc:
                run.problems.append(Problem(path.name, None, f"was not scored: {exc}"))
                steps(entry.name, path.name)
                continue
            seconds = time.perf_counter() - start
            found_here = [{"image_id": image_id, "category_id": by_name[d.label.casefold()], "score": d.score,
                           "bbox": [d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1]]}
                          for d in result.detections if d.label.casefold() in by_name]
            detections += _top_per_category(found_here)
            if len(detections) > 2 * MAX_SCORED_DETECTIONS:
                detections = _highest(detections, run, entry.name)
            truth = truths[image_id]
            shown = sum(d["score"] >= SHOWN_CONF for d in found_here)  # what the Detect pane would draw
            _add(run, model, ItemScore(path.name, entry.name, f"{shown} boxes (score ≥ {SHOWN_CONF})", f"{truth} boxes",
                                       {"boxes": float(shown)}, seconds, 0.0), on_item)
            steps(entry.name, path.name)
    if not model.items:
        return  # nothing to score: no figures rather than zeros
    if len(detections) > MAX_SCORED_DETECTIONS:
        detections = _highest(detections, run, entry.name)
    start = time.perf_counter()
    scored = {i["id"] for i in found.dataset["images"]} & {int(k) for k in found.paths}
    scores = detection.coco_scores(found.dataset, [d for d in detections if d["image_id"] in scored])
    model.score_seconds += time.perf_counter() - start
    model.overall.update(map50=scores.map50, map=scores.map, recall=scores.recall)
    names = {i: p.name for i, p in found.paths.items()}
    worst = sorted(scores.misses.items(), key=lambda kv: -kv[1])[:WORST]
    model.details.update(per_class=scores.per_class, curves=scores.curves,
                         worst=[{"image": str(found.paths[i]), "name": names[i], "misses": n} for i, n in worst])


def _top_per_category(found: list[dict]) -> list[dict]:
    """At most COCOeval's 100 detections per image and category: it never looks past them."""
    kept, per_category = [], Counter()
    for d in sorted(found, key=lambda d: -d["score"]):
        per_category[d["category_id"]] += 1
        if per_category[d["category_id"]] <= COCO_MAX_DETS:
            kept.append(d)
    return kept


def _highest(detections: list[dict], run: QualityRun, model: str) -> list[dict]:
    """The MAX_SCORED_DETECTIONS highest-scoring detections, said once per model: memory stays bounded
    on a folder of tens of thousands of images."""
    if not any(p.file == model and p.message.startswith("only the") for p in run.problems):
        run.problems.append(Problem(model, None, texts.translate(
            "QualityRun", "only the {n:,} highest-scoring detections were scored, to bound memory; its mAP may read "
                          "slightly low.").fill(n=MAX_SCORED_DETECTIONS)))
    return sorted(detections, key=lambda d: -d["score"])[:MAX_SCORED_DETECTIONS]


# per model figures


def _overall(run: QualityRun, model: ModelQuality, cases) -> None:
    items = [i for i in run.items if i.model == model.name]
    if not items:
        return  # a model that scored nothing has no figures (the table shows –), never zeros
    if run.task is QualityTask.QA:
        _overall_text(model, items)
    elif run.task is QualityTask.SUMMARY:
        for name in ("rouge1", "rouge2", "rougeL", "words", "s_per_page"):
            model.overall[name] = mean(i.scores[name] for i in items) if items else 0.0
    elif run.task is QualityTask.CLASSIFY:
        _overall_classes(model, items, cases.classes, cases.folder)


def _overall_text(model: ModelQuality, items: list[ItemScore]) -> None:
    if not items:
        model.overall.update(exact=0.0, contains=0.0, chrf=0.0, bleu=0.0)
        return
    answers, references = [i.output for i in items], [[i.expected for i in items]]
    model.overall.update(exact=mean(i.scores["exact"] for i in items), contains=mean(i.scores["contains"] for i in items),
                         chrf=text.corpus_chrf(answers, references), bleu=text.corpus_bleu(answers, references))
    for category in sorted({i.category for i in items if i.category}):
        inside = [i for i in items if i.category == category]
        model.per_category[category] = {"items": len(inside), "exact": mean(i.scores["exact"] for i in inside),
                                        "contains": mean(i.scores["contains"] for i in inside),
                                        "chrf": mean(i.scores["chrf"] for i in inside)}


def _overall_classes(model: ModelQuality, items: list[ItemScore], classes: list[str], folder: Path) -> None:
    truth = [i.expected for i in items]
    predicted = [i.predicted for i in items]
    matrix = classification.confusion_matrix(truth, predicted, classes)
    per = classification.per_class(matrix, classes)
    model.overall.update(top1=mean(i.scores["top1"] for i in items) if items else 0.0,
                         top5=mean(i.scores["top5"] for i in items) if items else 0.0,
                         macro_f1=classification.macro_f1(per))
    wrong = sorted((i for i in items if not i.scores["top1"]), key=lambda i: -i.scores["confidence"])[:WORST]
    model.details.update(classes=classes, confusion=matrix.tolist(), per_class=[s.to_json() for s in per],
                         worst=[{"image": str(folder / i.item), "name": i.item, "truth": i.expected, "output": i.output} for i in wrong])


def model_labels(entry, threads: int = 0) -> tuple[str, ...]:
    """A vision model's label names (opens the model briefly: call it off the GUI thread)."""
    with _open_vision(entry, threads) as engine:
        return tuple(engine.spec.labels)


def label_plan(folder: Path, entry, saved: dict[str, list[str]] | None = None) -> tuple[list[str], tuple[str, ...], dict]:
    """The class folders, the model's labels and the mapping to start from: the user's saved choice for a
    folder, else the folder's hearth-labels.json, else a suggestion by name."""
    found = datasets.load_image_folder(folder)
    labels = model_labels(entry)
    return found.classes, labels, suggest_mapping(found.classes, labels, {**found.labels, **(saved or {})})
