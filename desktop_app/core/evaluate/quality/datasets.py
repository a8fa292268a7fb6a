"""Reading the user's evaluation data: question sets (CSV, XLSX, JSONL), documents with reference summaries,
class-per-folder images, and detection sets (COCO JSON or YOLO labels).

A bad row or file is a Problem (file, row, one sentence) and the rest is read; nothing raises for bad data
except a path that is not there at all or holds nothing usable (EvaluationDataError).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core import texts
from desktop_app.core.documents.load import FORMATS
from desktop_app.core.errors import HearthError
from desktop_app.core.evaluate.quality import question_files
from desktop_app.core.evaluate.quality.results import Problem, printable
from desktop_app.core.vision.images import is_image_path
from desktop_app.core.texts import translate

QUESTION_SUFFIXES = (".csv", ".xlsx", ".jsonl")
REFERENCE_SUFFIX = ".summary.txt"
LABELS_FILE = "hearth-labels.json"  # folder name -> model labels, written by the user or the pane
MAX_REFERENCE_BYTES = 1024 * 1024  # a reference summary, or hearth-labels.json
MAX_IMAGES = 100_000  # images in one classification set


class EvaluationDataError(HearthError):
    """The evaluation data cannot be used at all."""


@dataclass(frozen=True)
class Question:
    item: str  # the row as a spreadsheet numbers it (the header is row 1) or the JSONL line
    prompt: str
    expected: str
    system: str = ""
    category: str = ""


@dataclass
class QuestionSet:
    path: Path
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_questions(path: Path | str) -> QuestionSet:
    path = Path(path)
    if not path.is_file():
        raise EvaluationDataError(translate("EvaluateErrors", "The question set {path} does not "
                                                              "exist; choose a CSV, XLSX or JSONL "
                                                              "file.").fill(path=printable(str(path))))
    suffix = path.suffix.lower()
    if suffix not in QUESTION_SUFFIXES:
        raise EvaluationDataError(translate("EvaluateErrors", "{name} is not a question set; use a "
                                                              "CSV, XLSX or JSONL file with prompt "
                                                              "and expected.").fill(name=printable(path.name)))
    result = QuestionSet(path)
    readers = {".csv": lambda: question_files.csv_rows(path, result.problems, _check_header),
               ".xlsx": lambda: question_files.xlsx_rows(path, result.problems, _check_header),
               ".jsonl": lambda: question_files.jsonl_rows(path, result.problems)}
    try:
        for row, record in readers[suffix]():
            if len(result.questions) >= MAX_QUESTIONS:
                result.problems.append(Problem(path.name, row, texts.translate(
                    "QualityData", "a set holds at most {n:,} questions; this row and the rest are not read.").fill(n=MAX_QUESTIONS)))
                break
            _add_question(result, row, record)
    except OSError as exc:
        result.problems.append(Problem(path.name, None, texts.translate(
            "QualityData", "could not be read: {reason}.").fill(reason=exc.strerror or exc.__class__.__name__)))
    return result


MAX_QUESTIONS = question_files.MAX_ROWS
MAX_QUESTION_CHARS = 100_000  # a prompt, an expected answer or a system prompt


def _add_question(result: QuestionSet, row: int, record: dict) -> None:
    values = {str(k).strip().casefold(): ("" if v is None else str(v).strip()) for k, v in record.items() if k is not None}
    missing = [name for name in ("prompt", "expected") if not values.get(name)]
    if missing:
        result.problems.append(Problem(result.path.name, row, f"no {' and no '.join(missing)}; the row is skipped."))
        return
    used = [values.get(name, "") for name in ("prompt", "expected", "system", "category")]
    if any(len(value) > MAX_QUESTION_CHARS for value in used):
        result.problems.append(Problem(result.path.name, row, texts.translate(
            "QualityData", "has a value longer than {n:,} characters; the row is skipped.").fill(n=MAX_QUESTION_CHARS)))
        return
    if not all(_encodable(value) for value in used):
        result.problems.append(Problem(result.path.name, row, texts.translate(
            "QualityData", "holds a character that is not valid Unicode (a lone surrogate such as \\ud800); the row is skipped.")))
        return
    result.questions.append(Question(str(row), *used))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_header(path: Path, header, problems: list[Problem]) -> bool:
    names = {str(h).strip().casefold() for h in header or [] if h is not None}
    missing = [n for n in ("prompt", "expected") if n not in names]
    if missing:
        problems.append(Problem(path.name, 1, f"the header has no {' or '.join(missing)} column "
                                              f"(it has: {', '.join(sorted(names)) or 'nothing'}); no question was read."))
        return False
    return True


# summaries


@dataclass(frozen=True)
class SummaryCase:
    document: Path
    reference: str


def load_summary_folder(folder: Path | str) -> tuple[list[SummaryCase], list[Problem]]:
    folder = folder_of(folder, "documents with .summary.txt reference summaries")
    cases, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(REFERENCE_SUFFIX):
            if not any((folder / (path.name[: -len(REFERENCE_SUFFIX)] + s)).is_file() for s in FORMATS):
                problems.append(Problem(path.name, None, "has no document of the same name beside it; skipped."))
            continue
        if not path.is_file() or path.suffix.lower() not in FORMATS:
            continue
        reference = folder / (path.stem + REFERENCE_SUFFIX)
        if not reference.is_file():
            problems.append(Problem(path.name, None, f"has no reference summary ({reference.name}); skipped."))
            continue
        if reference.stat().st_size > MAX_REFERENCE_BYTES:
            problems.append(Problem(reference.name, None, texts.translate(
                "QualityData", "is longer than a reference summary can be ({limit}); its document is skipped.").fill(
                limit=question_files.mb(MAX_REFERENCE_BYTES))))
            continue
        text = reference.read_text(encoding="utf-8-sig", errors="replace").strip()
        if not text:
            problems.append(Problem(reference.name, None, "is empty; its document is skipped."))
            continue
        cases.append(SummaryCase(path, text))
    return cases, problems


# image classes


@dataclass
class ImageClasses:
    folder: Path
    classes: list[str]
    images: list[tuple[Path, str]]  # (image, its class folder)
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)  # from hearth-labels.json, if the folder has one


def load_image_folder(folder: Path | str) -> ImageClasses:
    """One subfolder per class (torchvision's ImageFolder layout); an empty class folder is a problem."""
    folder = folder_of(folder, "one subfolder of images per class")
    found = ImageClasses(folder, [], [])
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        images = sorted(p for p in sub.rglob("*") if is_image_path(p) and p.is_file())
        if len(found.images) + len(images) > MAX_IMAGES:
            found.problems.append(Problem(sub.name, None, texts.translate(
                "QualityData", "would bring the set past {n:,} images; this class folder and those after it are left out.").fill(n=MAX_IMAGES)))
            break
        if not images:
            found.problems.append(Problem(sub.name, None, "is an empty class folder (no images); it is left out."))
            continue
        found.classes.append(sub.name)
        found.images += [(p, sub.name) for p in images]
    if not found.classes:
        raise EvaluationDataError(translate("EvaluateErrors", "{folder} has no class subfolders with "
                                                              "images; put each class's images in a "
                                                              "folder named after it.").fill(folder=printable(str(folder))))
    found.labels = _saved_labels(folder / LABELS_FILE, found.problems)
    return found


def _saved_labels(path: Path, problems: list[Problem]) -> dict[str, list[str]]:
    if not path.is_file():
        return {}
    try:
        if path.stat().st_size > MAX_REFERENCE_BYTES:
            raise ValueError("too large")
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): [v] if isinstance(v, str) else [str(x) for x in v] for k, v in raw.items()}
    except (ValueError, AttributeError, TypeError, OSError, RecursionError):
        problems.append(Problem(path.name, None, "is not a JSON object of folder name to labels; suggestions are used."))
        return {}


# detection


@dataclass
class DetectionSet:
    folder: Path
    dataset: dict  # COCO ground truth: images, categories, annotations
    paths: dict[int, Path]  # image id -> file
    problems: list[Problem] = field(default_factory=list)


def load_detection_set(path: Path | str) -> DetectionSet:
    """A COCO JSON (the file, or the one .json in the folder) or a YOLO folder (labels/*.txt, classes.txt),
    each entry checked against its schema (detection_files)."""
    from desktop_app.core.evaluate.quality import detection_files

    return detection_files.load_detection_set(path)


def folder_of(path: Path | str, what: str) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise EvaluationDataError(translate("EvaluateErrors", "{path} is not a folder; choose a "
                                                              "folder of {what}.").fill(path=printable(str(path)), what=what))
    return path
