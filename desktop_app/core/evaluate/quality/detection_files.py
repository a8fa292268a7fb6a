"""Detection sets checked against their schema before anything is scored: COCO JSON and YOLO labels.

Every entry of a COCO file is validated on its own (an object, a whole-number id, a file name inside the
dataset folder, a box of four finite numbers with a positive width and height): a bad entry is one
problem line with its index and the rest is used. The ground truth handed on holds only the checked
fields, renumbered, so pycocotools never sees a string id or a NaN. Sizes are bounded before parsing:
the COCO file by bytes and by entries, a YOLO label file by bytes, data.yaml by bytes and by YAML nodes
(with no aliases: an alias can repeat a list a billion times) through PyYAML's safe loader.
"""

from __future__ import annotations

import json
import math
from pathlib import Path, PurePosixPath

from desktop_app.core import texts
from desktop_app.core.evaluate.quality.datasets import DetectionSet, EvaluationDataError, folder_of
from desktop_app.core.evaluate.quality.question_files import mb
from desktop_app.core.evaluate.quality.results import Problem, printable
from desktop_app.core.vision.images import is_image_path
from desktop_app.core.texts import translate

# reading holds about 7 bytes of Python objects per byte of a COCO file: a 92 MB file of 440,000 boxes peaked at
# 662 MB while read and 704 MB while scored against 250,000 detections (the 500 MB file of 870,000 took 3.3 GB)
MAX_COCO_BYTES = 96 * 1024 * 1024
MAX_IMAGES = 100_000
MAX_ANNOTATIONS = 500_000
MAX_CATEGORIES = 10_000
MAX_LABEL_BYTES = 1024 * 1024  # one YOLO label file: tens of thousands of boxes
MAX_NAMES_BYTES = 256 * 1024  # data.yaml or classes.txt
MAX_YAML_EVENTS = 20_000


def load_detection_set(path: Path | str) -> DetectionSet:
    """A COCO JSON (the file, or the one .json in the folder) or a YOLO folder (labels/*.txt, classes.txt)."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".json":
        return coco_set(path.parent, path)
    folder = folder_of(path, "images with a COCO .json beside them or YOLO labels/")
    jsons = sorted(folder.glob("*.json"))
    if (folder / "labels").is_dir():
        return yolo_set(folder)
    if len(jsons) == 1:
        return coco_set(folder, jsons[0])
    raise EvaluationDataError(translate("EvaluateErrors", "{folder} needs one COCO .json beside the "
                                                          "images or a labels/ folder of YOLO .txt "
                                                          "files (found {count} .json files).").fill(folder=printable(str(folder)), count=len(jsons)))


# COCO


def coco_set(folder: Path, file: Path) -> DetectionSet:
    raw = _coco_json(file)
    images, categories, annotations = (raw.get(key) for key in ("images", "categories", "annotations"))
    annotations = [] if annotations is None else annotations
    if not all(isinstance(part, list) for part in (images, categories, annotations)):
        raise _not_coco(file, texts.translate("QualityData", "its images, categories and annotations must be lists"))
    for name, items, limit in (("images", images, MAX_IMAGES), ("annotations", annotations, MAX_ANNOTATIONS),
                               ("categories", categories, MAX_CATEGORIES)):
        if len(items) > limit:
            raise EvaluationDataError(texts.translate(
                "QualityData", "{file} lists {n:,} {what}; Hearth scores at most {limit:,} in one run: split the set.").fill(
                file=printable(file.name), n=len(items), what=name, limit=limit))
    found = DetectionSet(folder, {"images": [], "categories": [], "annotations": []}, {})
    known = _coco_categories(file, categories, found)
    if not known:
        raise _not_coco(file, texts.translate("QualityData", "it has no usable category (an object with a whole-number id and a name)"))
    _coco_images(folder, file, images, found)
    _coco_annotations(file, annotations, known, found)
    return found


def _coco_json(file: Path) -> dict:
    size = file.stat().st_size
    if size > MAX_COCO_BYTES:
        raise EvaluationDataError(texts.translate(
            "QualityData", "{file} is {size}; a COCO file for Hearth holds at most {limit}: split the set.").fill(
            file=printable(file.name), size=mb(size), limit=mb(MAX_COCO_BYTES)))
    try:
        raw = json.loads(file.read_bytes())
    except (ValueError, RecursionError):
        raise _not_coco(file, texts.translate("QualityData", "it is not valid JSON")) from None
    except OSError as exc:
        raise EvaluationDataError(texts.translate("QualityData", "{file} could not be read: {reason}.").fill(
            file=printable(file.name), reason=exc.strerror or exc.__class__.__name__)) from None
    if not isinstance(raw, dict):
        raise _not_coco(file, texts.translate("QualityData", "its top level is not an object"))
    return raw


def _not_coco(file: Path, why: str) -> EvaluationDataError:
    return EvaluationDataError(texts.translate(
        "QualityData", "{file} is not a COCO file with images and categories: {why}.").fill(file=printable(file.name), why=why))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _coco_categories(file: Path, categories: list, found: DetectionSet) -> set[int]:
    known: set[int] = set()
    for number, category in enumerate(categories, 1):
        if not isinstance(category, dict) or not _whole(category.get("id")) or not isinstance(category.get("name"), str) \
                or not category["name"].strip():
            found.problems.append(Problem(file.name, None, texts.translate(
                "QualityData", "category entry {n} is not an object with a whole-number id and a name; it is left out.").fill(n=number)))
        elif category["id"] in known:
            found.problems.append(Problem(file.name, None, texts.translate(
                "QualityData", "category entry {n} repeats the id {id}; it is left out.").fill(n=number, id=category["id"])))
        else:
            known.add(category["id"])
            found.dataset["categories"].append({"id": category["id"], "name": category["name"]})
    return known


def _coco_images(folder: Path, file: Path, images: list, found: DetectionSet) -> None:
    for number, image in enumerate(images, 1):
        problem = _image_problem(image, found.paths)
        if problem is None:
            path = inside(folder, image["file_name"])
            if path is None:
                problem = texts.translate("QualityData", "points outside the dataset folder ({name})").fill(
                    name=_shown(image["file_name"]))
            elif not path.is_file():
                found.problems.append(Problem(file.name, None, f"image {image['id']} points at {image['file_name']}, "
                                                               "which is missing; it and its boxes are left out."))
                continue
        if problem is not None:
            found.problems.append(Problem(file.name, None, texts.translate(
                "QualityData", "image entry {n} {problem}; it and its boxes are left out.").fill(n=number, problem=problem)))
            continue
        found.dataset["images"].append({"id": image["id"], "file_name": image["file_name"]})
        found.paths[image["id"]] = path


def _image_problem(image, seen: dict) -> str | None:
    if not isinstance(image, dict):
        return texts.translate("QualityData", "is not an object")
    if not _whole(image.get("id")):
        return texts.translate("QualityData", "has no whole-number id (it has {value})").fill(value=_shown(image.get("id")))
    if image["id"] in seen:
        return texts.translate("QualityData", "repeats the id {id}").fill(id=image["id"])
    if not isinstance(image.get("file_name"), str) or not image["file_name"].strip():
        return texts.translate("QualityData", "has no file_name")
    return None


def inside(folder: Path, name: str) -> Path | None:
    """``folder / name`` when the name stays inside the folder (not absolute, no "..", no drive), else None.
    Links the user put inside the folder are followed, as for any image they chose."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts or ":" in relative.parts[0]:
        return None
    return folder / relative


def _coco_annotations(file: Path, annotations: list, known: set[int], found: DetectionSet) -> None:
    kept = found.dataset["annotations"]
    for number, a in enumerate(annotations, 1):
        problem = _annotation_problem(a, known)
        if problem is not None:
            label = a.get("id", number) if isinstance(a, dict) else number
            found.problems.append(Problem(file.name, number, texts.translate(
                "QualityData", "annotation {id} {problem}; it is left out.").fill(id=_shown(label), problem=problem)))
        elif a["image_id"] in found.paths:  # the boxes of an image left out go with it
            kept.append({"id": len(kept) + 1, "image_id": a["image_id"], "category_id": a["category_id"],
                         "bbox": [float(v) for v in a["bbox"]], "iscrowd": 1 if a.get("iscrowd") == 1 else 0})


def _annotation_problem(a, known: set[int]) -> str | None:
    if not isinstance(a, dict):
        return texts.translate("QualityData", "is not an object")
    if not _whole(a.get("category_id")) or a["category_id"] not in known:
        return f"has the unknown category id {_shown(a.get('category_id'))}"
    if not _whole(a.get("image_id")):
        return texts.translate("QualityData", "has no whole-number image_id (it has {value})").fill(value=_shown(a.get("image_id")))
    if not _good_box(a.get("bbox")):
        return texts.translate("QualityData", "has the box {box}, not four finite numbers x, y, width, height "
                                              "with x and y at least 0 and a width and height above 0").fill(box=_shown(a.get("bbox")))
    return None


def _good_box(box) -> bool:
    if not isinstance(box, list) or len(box) != 4:
        return False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in box):
        return False
    return box[0] >= 0 and box[1] >= 0 and box[2] > 0 and box[3] > 0


def _shown(value, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return printable(text if len(text) <= limit else text[: limit - 1] + "…")


# YOLO


def yolo_set(folder: Path) -> DetectionSet:
    from PIL import Image

    names = yolo_names(folder)
    image_dir = folder / "images" if (folder / "images").is_dir() else folder
    images = {p.stem: p for p in image_dir.iterdir() if p.is_file() and is_image_path(p)}
    found = DetectionSet(folder, {"images": [], "categories": [{"id": i + 1, "name": n} for i, n in enumerate(names)],
                                  "annotations": []}, {})
    for label_file in sorted((folder / "labels").glob("*.txt")):
        where = f"labels/{label_file.name}"
        image = images.get(label_file.stem)
        if image is None:
            found.problems.append(Problem(where, None, "points at an image that is missing; skipped."))
            continue
        lines = _label_lines(label_file, where, found.problems)
        if lines is None:
            continue
        try:
            with Image.open(image) as im:
                width, height = im.size
        except (OSError, ValueError):
            found.problems.append(Problem(image.name, None, "cannot be read as an image; skipped."))
            continue
        image_id = len(found.paths) + 1
        found.paths[image_id] = image
        found.dataset["images"].append({"id": image_id, "file_name": image.name, "width": width, "height": height})
        for number, line in enumerate(lines, 1):
            _yolo_box(line, number, where, len(names), image_id, (width, height), found)
    return found


def _label_lines(label_file: Path, where: str, problems: list[Problem]) -> list[str] | None:
    try:
        size = label_file.stat().st_size
        if size > MAX_LABEL_BYTES:
            problems.append(Problem(where, None, texts.translate(
                "QualityData", "is {size}, more than a label file holds ({limit}); skipped.").fill(size=mb(size), limit=mb(MAX_LABEL_BYTES))))
            return None
        return label_file.read_bytes().decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        problems.append(Problem(where, None, texts.translate(
            "QualityData", "is not UTF-8 text (byte {byte}); its image is skipped.").fill(byte=exc.start + 1)))
    except OSError as exc:
        problems.append(Problem(where, None, texts.translate("QualityData", "could not be read: {reason}.").fill(
            reason=exc.strerror or exc.__class__.__name__)))
    return None


def _yolo_box(line: str, number: int, where: str, classes: int, image_id: int, size: tuple[int, int],
              found: DetectionSet) -> None:
    parts = line.split()
    if not parts:
        return
    try:
        cls, cx, cy, w, h = int(parts[0]), *map(float, parts[1:5])
    except (ValueError, TypeError):
        found.problems.append(Problem(where, number, "is not 'class cx cy w h'; skipped."))
        return
    if not 0 <= cls < classes:
        found.problems.append(Problem(where, number, f"has the unknown class {cls}; skipped."))
        return
    if not all(math.isfinite(v) and 0 <= v <= 1 for v in (cx, cy, w, h)) or w <= 0 or h <= 0:
        found.problems.append(Problem(where, number, texts.translate(
            "QualityData", "has a box outside 0-1 (or empty, or not a number); skipped.")))
        return
    width, height = size
    box = [max(0.0, (cx - w / 2) * width), max(0.0, (cy - h / 2) * height), w * width, h * height]
    found.dataset["annotations"].append({"id": len(found.dataset["annotations"]) + 1, "image_id": image_id,
                                         "category_id": cls + 1, "bbox": box})


def yolo_names(folder: Path) -> list[str]:
    classes, data = folder / "classes.txt", folder / "data.yaml"
    if classes.is_file():
        text = _small_text(classes)
        names = [line.strip() for line in text.splitlines() if line.strip()]
    elif data.is_file():
        names = _yaml_names(data)
    else:
        names = []
    if not names:
        raise EvaluationDataError(translate("EvaluateErrors", "{folder} has YOLO labels but no "
                                                              "classes.txt or data.yaml naming the "
                                                              "classes.").fill(folder=printable(str(folder))))
    return names


def _small_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_NAMES_BYTES:
        raise EvaluationDataError(texts.translate(
            "QualityData", "{file} is {size}; a list of class names holds at most {limit}.").fill(
            file=printable(path.name), size=f"{size:,} bytes", limit=f"{MAX_NAMES_BYTES:,} bytes"))
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvaluationDataError(texts.translate("QualityData", "{file} is not UTF-8 text; save it as UTF-8.").fill(
            file=printable(path.name))) from None


def _yaml_names(path: Path) -> list[str]:
    """names: [a, b] or {0: a, 1: b}, read by PyYAML's safe loader after a bound on size, nodes and aliases."""
    import yaml

    text = _small_text(path)
    refused = EvaluationDataError(texts.translate(
        "QualityData", "{file} is not plain YAML Hearth reads safely (it uses aliases, tags such as !!python/object, "
                       "or more than {n:,} nodes, or it is not YAML); list the class names in classes.txt instead.").fill(
        file=printable(path.name), n=MAX_YAML_EVENTS))
    try:
        for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), 1):
            if count > MAX_YAML_EVENTS or isinstance(event, yaml.AliasEvent):
                raise refused
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise refused from None
    names = data.get("names") if isinstance(data, dict) else None
    if isinstance(names, dict) and all(_whole(k) for k in names):
        names = [names[k] for k in sorted(names)]
    if not isinstance(names, list) or not all(isinstance(n, (str, int)) and not isinstance(n, bool) for n in names):
        raise EvaluationDataError(texts.translate(
            "QualityData", "{file} has no names: list (or map of class number to name); list the class names in classes.txt.").fill(
            file=printable(path.name)))
    return [str(n).strip() for n in names]
