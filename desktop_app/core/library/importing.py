"""Bring a local .gguf or .onnx into the library: validate first, then copy or register in place.

Validation is the same for imports and downloads: a GGUF must parse (header, metadata,
tensor table, and its size must cover every tensor) and pass llama.cpp's vocabulary
probe in a child process; an ONNX must pass the checker and open in a trial
onnxruntime session, and a vision model must say (by sidecar or metadata) how to run it.
Nothing is recorded until every step has passed; a failed copy leaves no file behind.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import HearthError, InvalidModelFile, ModelLoadError, plain_storage_errors
from desktop_app.core.hashing import read_chunks, sha256_digest, sha256_file
from desktop_app.core.llm.gguf_info import GGUFInfo, read_gguf_info
from desktop_app.core.vision.onnx_info import ONNXInfo, validate_onnx
from desktop_app.core.library.registry import KIND_BY_SUFFIX, ModelEntry, ModelRegistry, clean_model_name
from desktop_app.core.vision.spec import ModelIO, SidecarNeeded, build_spec, read_sidecar, sidecar_path_for
from desktop_app.core.texts import translate

@dataclass(frozen=True)
class ValidatedModel:
    path: Path
    kind: str
    task: str
    gguf: GGUFInfo | None = None
    onnx: ONNXInfo | None = None
    sidecar: dict | None = None  # the vision sidecar that will be used (file or form), labels inlined

    @property
    def license(self) -> str | None:
        info = self.gguf or self.onnx
        return (self.sidecar or {}).get("license") or (info.license if info else None)


def kind_of(path: Path) -> str:
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        with open(path, "rb") as handle:
            kind = "gguf" if handle.read(4) == b"GGUF" else None
    if kind is None:
        raise InvalidModelFile(translate("LibraryErrors", "{name} is not a model file Hearth can use "
                                                          "(expected .gguf or .onnx).").fill(name=path.name))
    return kind


def validate_model_file(path: Path, task: str | None = None, sidecar: dict | None = None, probe: bool = True) -> ValidatedModel:
    """Raise InvalidModelFile / SidecarNeeded with a plain sentence, or describe a usable model.

    ``sidecar``: what the user filled in for a vision model without one (overrides a file next to it).
    """
    path = Path(path).expanduser()
    problem = paths.model_file_problem(path)
    if problem:
        raise InvalidModelFile(problem)
    kind = kind_of(path)
    if kind == "gguf":
        info = read_gguf_info(path)
        if probe:
            from desktop_app.core.llm.probe import ensure_loadable

            try:
                ensure_loadable(path)
            except ModelLoadError as exc:
                raise InvalidModelFile(str(exc)) from exc
        return ValidatedModel(path, "gguf", "chat", gguf=info)
    info = validate_onnx(path)
    raw, base_dir = (dict(sidecar), None) if sidecar else read_sidecar(sidecar_path_for(path))
    io = ModelIO(
        inputs=[(t.name, t.shape, f"tensor({t.dtype})") for t in info.inputs],
        outputs=[(t.name, t.shape) for t in info.outputs],
        metadata=info.metadata,
    )
    spec = build_spec(raw, base_dir, io, task or raw.get("task") or info.task, path.stem)  # raises SidecarNeeded
    resolved = _inline_labels(raw, base_dir) if raw else None
    return ValidatedModel(path, "onnx", spec.task, onnx=info, sidecar=resolved)


def _inline_labels(raw: dict, base_dir: Path | None) -> dict:
    """A self-contained sidecar: a relative labels_file would break once the model is copied."""
    raw = dict(raw)
    labels_file = raw.pop("labels_file", None)
    if labels_file and not raw.get("labels"):
        labels_path = Path(labels_file)
        if not labels_path.is_absolute() and base_dir is not None:
            labels_path = base_dir / labels_path
        try:
            raw["labels"] = [ln.strip() for ln in labels_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        except OSError as exc:
            raise InvalidModelFile(translate("LibraryErrors", "The labels file {name} could not be "
                                                              "read: {strerror}.").fill(name=labels_path.name, strerror=exc.strerror)) from exc
    return raw


def safe_file_stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return stem[:80] or "model"


def free_target(folder: Path, stem: str, suffix: str) -> Path:
    candidate, n = folder / f"{stem}{suffix}", 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{suffix}", n + 1
    return candidate


def copy_with_hash(source: Path, target: Path, cancel=None) -> str:
    """Copy to ``target`` through a .part file, hashing as it goes; nothing at ``target`` unless complete."""
    part = target.with_name(target.name + ".part")
    digest = sha256_digest()
    try:
        with open(source, "rb") as src, open(part, "wb") as dst:
            for chunk in read_chunks(src, _cancel_check(cancel)):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno == 28:
            raise HearthError(translate("LibraryErrors", "The disk is full: {name} could not be "
                                                         "copied into the library.").fill(name=source.name)) from exc
        raise HearthError(translate("LibraryErrors", "{name} could not be copied into the library: "
                                                     "{value}.").fill(name=source.name, value=exc.strerror or exc)) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _cancel_check(cancel):
    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise HearthError(translate("LibraryErrors", "Import cancelled."))

    return check


@plain_storage_errors
def import_model(
    registry: ModelRegistry,
    path: Path | str,
    *,
    name: str | None = None,
    copy: bool = True,
    task: str | None = None,
    sidecar: dict | None = None,
    source: str = "imported",
    probe: bool = True,
    cancel=None,
) -> ModelEntry:
    """Validate, then copy into the library (or register in place), then record. All or nothing."""
    path = Path(path).expanduser()
    model = validate_model_file(path, task, sidecar, probe=probe)
    name = clean_model_name(name or "") or clean_model_name(_default_name(model)) or "model"
    registry.check_name_free(name)
    created: list[Path] = []
    try:
        if copy:
            registry.library_dir.mkdir(parents=True, exist_ok=True)
            target = free_target(registry.library_dir, safe_file_stem(name), path.suffix.lower() or f".{model.kind}")
            digest = copy_with_hash(path, target, cancel)
            created.append(target)
        else:
            target, digest = path.resolve(), sha256_file(path, _cancel_check(cancel))
        extra: dict = {"in_place": not copy, "original_path": str(path.resolve())}
        if model.sidecar is not None:
            sidecar_file = free_target(registry.library_dir, safe_file_stem(name), ".sidecar.json")
            write_text_atomic(sidecar_file, json.dumps(model.sidecar, indent=2))
            created.append(sidecar_file)
            extra["sidecar"] = str(sidecar_file)
        entry = ModelEntry(
            name=name,
            kind=model.kind,
            task=model.task,
            path=target,
            source=source,
            size_bytes=target.stat().st_size,
            sha256=digest,
            license=model.license,
            extra=extra,
        )
        return registry.add(entry)
    except BaseException:
        for leftover in created:
            leftover.unlink(missing_ok=True)
        raise


def _default_name(model: ValidatedModel) -> str:
    return model.path.stem


__all__ = ["SidecarNeeded", "ValidatedModel", "validate_model_file", "import_model", "copy_with_hash", "kind_of"]
