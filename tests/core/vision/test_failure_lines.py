"""A failed image in a folder batch is named by its path inside the folder the user gave."""

from __future__ import annotations

from desktop_app.core.vision import ImageFailure
from desktop_app.core.vision.batch import failure_line


def test_two_files_with_one_name_in_different_subfolders_are_told_apart(tmp_path):
    folder = tmp_path / "photos"
    first = ImageFailure(str(folder / "2023" / "IMG_0001.jpg"), "IMG_0001.jpg: the file is empty.")
    second = ImageFailure(str(folder / "2024" / "trip" / "IMG_0001.jpg"), "IMG_0001.jpg: not an image Hearth can read.")
    assert failure_line(first, [str(folder)]) == "2023/IMG_0001.jpg: the file is empty."
    assert failure_line(second, [str(folder)]) == "2024/trip/IMG_0001.jpg: not an image Hearth can read."


def test_a_file_named_directly_keeps_the_path_as_given_and_other_sentences_get_a_prefix(tmp_path):
    named = str(tmp_path / "a.png")
    assert failure_line(ImageFailure(named, "a.png: the file is empty."), [named, str(tmp_path / "other")]) == (
        f"{named}: the file is empty."
    )
    odd = ImageFailure(str(tmp_path / "sub" / "b.png"), "The model failed on this image.")
    assert failure_line(odd, [str(tmp_path)]) == "sub/b.png: The model failed on this image."
