"""Which of a model's labels a class folder means, suggested by name and editable by the user."""

from __future__ import annotations

import difflib
import re


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s_\-.,/]+", name.casefold()) if w]


def suggest_labels(folder: str, labels: list[str] | tuple[str, ...]) -> list[str]:
    """The same name; else every label holding all the folder's words ("cat" -> "tiger cat", "Persian cat");
    else the closest name (difflib ratio at least 0.6); else nothing."""
    words = _words(folder)
    joined = " ".join(words)
    exact = [label for label in labels if " ".join(_words(label)) == joined]
    if exact:
        return exact
    holding = [label for label in labels if words and all(w in _words(label) for w in words)]
    if holding:
        return holding
    close = difflib.get_close_matches(joined, [" ".join(_words(label)) for label in labels], n=1, cutoff=0.6)
    by_norm = {" ".join(_words(label)): label for label in labels}
    return [by_norm[c] for c in close]


def suggest_mapping(folders: list[str], labels, saved: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Folder -> model labels: what the user saved for a folder wins over a suggestion."""
    saved = saved or {}
    return {f: list(saved[f]) if f in saved else suggest_labels(f, labels) for f in folders}


def label_to_class(mapping: dict[str, list[str]]) -> dict[str, str]:
    """The inverse: a model label -> the class folder it counts as (the first folder that claims it)."""
    inverse: dict[str, str] = {}
    for folder, labels in mapping.items():
        for label in labels:
            inverse.setdefault(label, folder)
    return inverse
