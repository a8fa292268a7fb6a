"""Reading the user's evaluation data: question sets (CSV, XLSX, JSONL), documents with reference summaries,
class-per-folder images, and detection sets (COCO JSON or YOLO labels).

A bad row or file is a Problem (file, row, one sentence) and the rest is read; nothing raises for bad data
except a path that is not there at all or holds nothing usable (EvaluationDataError).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.documents.load import FORMATS
from desktop_app.core.errors import HearthError
from desktop_app.core.evaluate.quality.results import Problem
from desktop_app.core.vision.images import is_image_path

QUESTION_SUFFIXES = (".csv", ".xlsx", ".jsonl")
REFERENCE_SUFFIX = ".summary.txt"
LABELS_FILE = "hearth-labels.json"  # folder name -> model labels, written by the user or the pane


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
        raise EvaluationDataError(f"The question set {path} does not exist; choose a CSV, XLSX or JSONL file.")
    suffix = path.suffix.lower()
    if suffix not in QUESTION_SUFFIXES:
        raise EvaluationDataError(f"{path.name} is not a question set; use a CSV, XLSX or JSONL file with prompt and expected.")
    result = QuestionSet(path)
    try:
        records = {".csv": _csv_rows, ".xlsx": _xlsx_rows, ".jsonl": _jsonl_rows}[suffix](path, result.problems)
        for row, record in records:
            _add_question(result, row, record)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        result.problems.append(Problem(path.name, None, f"could not be read ({exc.__class__.__name__}: {exc})."))
    return result


def _add_question(result: QuestionSet, row: int, record: dict) -> None:
    values = {str(k).strip().casefold(): ("" if v is None else str(v).strip()) for k, v in record.items() if k is not None}
    missing = [name for name in ("prompt", "expected") if not values.get(name)]
    if missing:
        result.problems.append(Problem(result.path.name, row, f"no {' and no '.join(missing)}; the row is skipped."))
        return
    result.questions.append(Question(str(row), values["prompt"], values["expected"], values.get("system", ""),
                                     values.get("category", "")))


def _check_header(path: Path, header, problems: list[Problem]) -> bool:
    names = {str(h).strip().casefold() for h in header or [] if h is not None}
    missing = [n for n in ("prompt", "expected") if n not in names]
    if missing:
        problems.append(Problem(path.name, 1, f"the header has no {' or '.join(missing)} column "
                                              f"(it has: {', '.join(sorted(names)) or 'nothing'}); no question was read."))
        return False
    return True


def _csv_rows(path: Path, problems: list[Problem]):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not _check_header(path, reader.fieldnames, problems):
            return
        for record in reader:
            yield reader.line_num, record


def _xlsx_rows(path: Path, problems: list[Problem]):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not _check_header(path, header, problems):
            return
        for number, values in enumerate(rows, 2):
            if any(v not in (None, "") for v in values):
                yield number, dict(zip(header, values))
    finally:
        book.close()


def _jsonl_rows(path: Path, problems: list[Problem]):
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                problems.append(Problem(path.name, number, "is not valid JSON; the line is skipped."))
                continue
            if not isinstance(record, dict):
                problems.append(Problem(path.name, number, "is not a JSON object with prompt and expected; skipped."))
                continue
            yield number, record


# summaries


@dataclass(frozen=True)
class SummaryCase:
    document: Path
    reference: str


def load_summary_folder(folder: Path | str) -> tuple[list[SummaryCase], list[Problem]]:
    folder = _folder(folder, "documents with .summary.txt reference summaries")
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
    folder = _folder(folder, "one subfolder of images per class")
    found = ImageClasses(folder, [], [])
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        images = sorted(p for p in sub.rglob("*") if p.is_file() and is_image_path(p))
        if not images:
            found.problems.append(Problem(sub.name, None, "is an empty class folder (no images); it is left out."))
            continue
        found.classes.append(sub.name)
        found.images += [(p, sub.name) for p in images]
    if not found.classes:
        raise EvaluationDataError(f"{folder} has no class subfolders with images; put each class's images in a folder named after it.")
    found.labels = _saved_labels(folder / LABELS_FILE, found.problems)
    return found


def _saved_labels(path: Path, problems: list[Problem]) -> dict[str, list[str]]:
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): [v] if isinstance(v, str) else [str(x) for x in v] for k, v in raw.items()}
    except (ValueError, AttributeError, TypeError, OSError):
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
    """A COCO JSON (the file, or the one .json in the folder) or a YOLO folder (labels/*.txt, classes.txt)."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".json":
        return _coco(path.parent, path)
    folder = _folder(path, "images with a COCO .json beside them or YOLO labels/")
    jsons = sorted(folder.glob("*.json"))
    if (folder / "labels").is_dir():
        return _yolo(folder)
    if len(jsons) == 1:
        return _coco(folder, jsons[0])
    raise EvaluationDataError(f"{folder} needs one COCO .json beside the images or a labels/ folder of YOLO .txt files "
                              f"(found {len(jsons)} .json files).")


def _coco(folder: Path, file: Path) -> DetectionSet:
    try:
        raw = json.loads(file.read_text(encoding="utf-8-sig"))
        images, categories, annotations = raw["images"], raw["categories"], raw.get("annotations", [])
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise EvaluationDataError(f"{file.name} is not a COCO file with images and categories ({exc}).") from None
    found = DetectionSet(folder, {"images": [], "categories": categories, "annotations": []}, {})
    known = {c["id"] for c in categories}
    for image in images:
        image_path = folder / image["file_name"]
        if not image_path.is_file():
            found.problems.append(Problem(file.name, None, f"image {image['id']} points at {image['file_name']}, "
                                                           "which is missing; it and its boxes are left out."))
            continue
        found.dataset["images"].append(image)
        found.paths[int(image["id"])] = image_path
    for number, a in enumerate(annotations, 1):
        if a.get("category_id") not in known:
            found.problems.append(Problem(file.name, number, f"annotation {a.get('id', number)} has the unknown "
                                                             f"category id {a.get('category_id')}; it is left out."))
        elif a.get("image_id") in found.paths:
            found.dataset["annotations"].append(a)
    return found


def _yolo(folder: Path) -> DetectionSet:
    from PIL import Image

    names = _yolo_names(folder)
    image_dir = folder / "images" if (folder / "images").is_dir() else folder
    images = {p.stem: p for p in image_dir.iterdir() if p.is_file() and is_image_path(p)}
    found = DetectionSet(folder, {"images": [], "categories": [{"id": i + 1, "name": n} for i, n in enumerate(names)],
                                  "annotations": []}, {})
    for label_file in sorted((folder / "labels").glob("*.txt")):
        image = images.get(label_file.stem)
        if image is None:
            found.problems.append(Problem(f"labels/{label_file.name}", None, "points at an image that is missing; skipped."))
            continue
        try:
            with Image.open(image) as im:
                width, height = im.size
        except OSError:
            found.problems.append(Problem(image.name, None, "cannot be read as an image; skipped."))
            continue
        image_id = len(found.paths) + 1
        found.paths[image_id] = image
        found.dataset["images"].append({"id": image_id, "file_name": image.name, "width": width, "height": height})
        for number, line in enumerate(label_file.read_text(encoding="utf-8").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            try:
                cls, cx, cy, w, h = int(parts[0]), *map(float, parts[1:5])
            except (ValueError, TypeError):
                found.problems.append(Problem(f"labels/{label_file.name}", number, "is not 'class cx cy w h'; skipped."))
                continue
            if not 0 <= cls < len(names):
                found.problems.append(Problem(f"labels/{label_file.name}", number, f"has the unknown class {cls}; skipped."))
                continue
            box = [(cx - w / 2) * width, (cy - h / 2) * height, w * width, h * height]
            found.dataset["annotations"].append({"id": len(found.dataset["annotations"]) + 1, "image_id": image_id,
                                                 "category_id": cls + 1, "bbox": box})
    return found


def _yolo_names(folder: Path) -> list[str]:
    classes = folder / "classes.txt"
    if classes.is_file():
        return [line.strip() for line in classes.read_text(encoding="utf-8").splitlines() if line.strip()]
    yaml = folder / "data.yaml"
    if yaml.is_file():  # the names: [a, b] or "names:" list forms, without a YAML dependency
        names, listing = [], False
        for line in yaml.read_text(encoding="utf-8").splitlines():
            if line.startswith("names:"):
                rest = line[len("names:"):].strip()
                if rest.startswith("["):
                    return [n.strip().strip("'\"") for n in rest.strip("[]").split(",") if n.strip()]
                listing = True
            elif listing and line.strip().startswith(("-", *"0123456789")):
                names.append(line.split(":", 1)[-1].lstrip("- ").strip().strip("'\""))
            elif listing and line.strip():
                break
        if names:
            return names
    raise EvaluationDataError(f"{folder} has YOLO labels but no classes.txt or data.yaml naming the classes.")


def _folder(path: Path | str, what: str) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise EvaluationDataError(f"{path} is not a folder; choose a folder of {what}.")
    return path
