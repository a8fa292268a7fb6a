"""An OSError a user meets becomes one plain sentence: what failed, why, what to do; never an errno or a class name."""

from __future__ import annotations

import errno
import re

import pytest

from desktop_app.core.errors import StorageError, describe_os_error, plain_storage_errors
from desktop_app.core.texts import Text, translate

EXPORT = translate("Errors", "Could not export to {path}")
WHY = {
    errno.ENOSPC: "the disk is full. Free some space and try again.",
    errno.EDQUOT: "your disk quota is used up. Free some space and try again.",
    errno.EACCES: "permission is denied. Choose another place or change its permissions.",
    errno.EPERM: "permission is denied. Choose another place or change its permissions.",
    errno.EROFS: "the disk is read-only. Choose a place on another disk.",
    errno.ENOENT: "it, or a folder on its way, does not exist (moved, removed, or on a disconnected drive). Check the "
                  "place and try again.",
    errno.ENAMETOOLONG: "the name is too long for this disk. Choose a shorter name or folder.",
    errno.EBUSY: "another program is using the file. Close it there and try again.",
    errno.EISDIR: "it is a folder, not a file. Choose a file name.",
    errno.EIO: "the disk reported a read or write error. Check the disk, or use another one.",
}


@pytest.mark.parametrize("code", sorted(WHY))
def test_each_common_error_says_why_and_what_to_do(code):
    sentence = describe_os_error(OSError(code, "raw system text", "/home/ann/report.md"), EXPORT)
    assert sentence == f"Could not export to /home/ann/report.md: {WHY[code]}"
    assert "raw system text" not in sentence and "Errno" not in sentence and "OSError" not in sentence
    assert not re.search(rf"\b{code}\b", sentence)  # never the bare errno number


def test_the_sentence_keeps_its_templates_for_translation():
    sentence = describe_os_error(OSError(errno.ENOSPC, "No space left on device"), EXPORT, "/tmp/a.md")
    assert isinstance(sentence, Text) and sentence.template == "{doing}: {reason}"
    assert sentence.values["doing"].template == "Could not export to {path}"
    assert sentence.values["reason"].template == WHY[errno.ENOSPC]


def test_a_windows_sharing_violation_is_a_file_in_use():
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32
    assert describe_os_error(exc, EXPORT, "C:/report.md").endswith(
        ": another program is using the file. Close it there and try again.")


def test_a_file_standing_where_a_folder_should_be_is_named_as_such():
    # mkdir of a folder on the way says EEXIST about that folder, not about the file being written
    exc = FileExistsError(errno.EEXIST, "File exists", "/home/ann/notes")
    assert describe_os_error(exc, EXPORT, "/home/ann/notes/a.md") == (
        "Could not export to /home/ann/notes/a.md: a part of its path is a file, not a folder. Choose another place.")


def test_a_rare_error_gives_the_systems_words_and_the_log_never_its_number():
    sentence = describe_os_error(OSError(errno.EXDEV, "Invalid cross-device link"), EXPORT, "/mnt/b.md")
    assert sentence == ("Could not export to /mnt/b.md: the system refused it (Invalid cross-device link). Details are "
                        "in the log file.")


def test_a_read_only_data_folder_is_a_storage_error_with_the_way_out():
    @plain_storage_errors
    def write():
        raise OSError(errno.EROFS, "Read-only file system", "/media/cd/hearth")

    with pytest.raises(StorageError) as raised:
        write()
    assert str(raised.value) == ("Hearth cannot write to /media/cd/hearth: the disk is read-only. Choose a place on "
                                 "another disk. Or set HEARTH_DATA_DIR to a writable folder.")
