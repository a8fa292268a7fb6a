"""Errors that carry a message a user can read.

Core raises these; the UI shows ``str(error)`` in the pane, the CLI prints it
on one line and exits non-zero. Anything else is a bug and goes to the log.
"""

from __future__ import annotations

import errno
import os

from desktop_app.core.texts import Text, translate


class HearthError(Exception):
    """Base class: ``str(err)`` is a plain sentence for the user."""

    exit_code = 1


class ModelNotFound(HearthError):
    exit_code = 2


class ModelLoadError(HearthError):
    pass


class InsufficientMemory(ModelLoadError):
    pass


class EngineBusy(HearthError):
    pass


class PromptTooLong(HearthError):
    pass


class StorageError(HearthError):
    pass


class UnsupportedDocument(HearthError):
    pass


class ImageReadError(HearthError):
    pass


class DownloadError(HearthError):
    pass


class InvalidModelFile(HearthError):
    """A file offered to the library is not a model Hearth can use (wrong format, truncated, fails a check)."""


class ModelNameTaken(HearthError):
    pass


class ModelRemovalRefused(HearthError):
    pass


class DatabaseCorrupt(StorageError):
    """The database file is damaged: some of it cannot be read. It is never overwritten or deleted."""


class WorkspaceLocked(StorageError):
    """The workspace is encrypted and no key was given (no keychain entry, no passphrase)."""


class WrongPassphrase(HearthError):
    exit_code = 3


class AlreadyRunning(HearthError):
    """Another Hearth window already uses this data dir."""


# what an OSError means, by errno: the reason and what the user can do (Windows' sharing violations by winerror)
_IN_USE = translate("Errors", "another program is using the file. Close it there and try again.")
_REASONS_BY_NAME = {
    "ENOSPC": translate("Errors", "the disk is full. Free some space and try again."),
    "EDQUOT": translate("Errors", "your disk quota is used up. Free some space and try again."),
    "EACCES": translate("Errors", "permission is denied. Choose another place or change its permissions."),
    "EPERM": translate("Errors", "permission is denied. Choose another place or change its permissions."),
    "EROFS": translate("Errors", "the disk is read-only. Choose a place on another disk."),
    "ENOENT": translate("Errors", "it, or a folder on its way, does not exist (moved, removed, or on a "
                        "disconnected drive). Check the place and try again."),
    "ENOTDIR": translate("Errors", "a part of its path is a file, not a folder. Choose another place."),
    "EISDIR": translate("Errors", "it is a folder, not a file. Choose a file name."),
    "EEXIST": translate("Errors", "it already exists. Choose another name."),
    "ENAMETOOLONG": translate("Errors", "the name is too long for this disk. Choose a shorter name or folder."),
    "EINVAL": translate("Errors", "this disk does not allow that name. Choose another name."),
    "EBUSY": _IN_USE,
    "ETXTBSY": _IN_USE,
    "EMFILE": translate("Errors", "too many files are open. Close some programs and try again."),
    "ENFILE": translate("Errors", "too many files are open. Close some programs and try again."),
    "EIO": translate("Errors", "the disk reported a read or write error. Check the disk, or use another one."),
    "EFBIG": translate("Errors", "the file is larger than this disk allows. Choose a place on another disk."),
    "ENODEV": translate("Errors", "the disk is not available (a removed drive or a lost network share?)."),
    "ENXIO": translate("Errors", "the disk is not available (a removed drive or a lost network share?)."),
    "ESTALE": translate("Errors", "the network share is no longer available. Reconnect it and try again."),
    "ELOOP": translate("Errors", "it leads through too many links. Choose another place."),
}
_REASONS = {getattr(errno, name): text for name, text in _REASONS_BY_NAME.items() if hasattr(errno, name)}
_WINDOWS_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_UNKNOWN = translate("Errors", "the system refused it ({reason}). Details are in the log file.")


def describe_os_error(exc: OSError, doing: Text | str, path: str | os.PathLike | None = None) -> Text:
    """One plain sentence for an OSError a user meets: ``doing`` says what failed (a clause such as
    ``translate("Errors", "Could not export to {path}")``; its ``{path}`` is ``path``, else the error's file name),
    then why (disk full, permission denied, read-only disk, missing folder, name too long, file in use…) and
    what to do. Never an errno number or an exception's class name: the log has those."""
    where = os.fspath(path) if path is not None else os.fspath(exc.filename) if exc.filename else ""
    if isinstance(doing, Text) and "{path}" in doing.template:
        doing = doing.fill(path=where or translate("Errors", "the file"))
    if getattr(exc, "winerror", None) in _WINDOWS_IN_USE:
        reason = _IN_USE
    elif exc.errno == errno.EEXIST and exc.filename and where and os.fspath(exc.filename) != where:
        reason = _REASONS[errno.ENOTDIR]  # a file stands where a folder on the way should be (mkdir said EEXIST)
    elif exc.errno in _REASONS:
        reason = _REASONS[exc.errno]
    else:  # the system's own words for a rare error, never its number
        reason = _UNKNOWN.fill(reason=(exc.strerror or translate("Errors", "no reason given")).rstrip("."))
    return translate("Errors", "{doing}: {reason}").fill(doing=doing, reason=reason)


_UNWRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}  # the data folder's own trouble


def plain_storage_errors(func):
    """A read-only or forbidden data folder becomes one sentence (StorageError) instead of an OSError."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            if exc.errno not in _UNWRITABLE or isinstance(exc, HearthError):
                raise
            where = os.fspath(exc.filename) if exc.filename else translate("Errors", "the data folder")
            sentence = describe_os_error(exc, translate("Errors", "Hearth cannot write to {path}"), where)
            raise StorageError(translate("Errors", "{sentence} Or set HEARTH_DATA_DIR to a writable folder.").fill(
                sentence=sentence)) from exc

    return wrapper
