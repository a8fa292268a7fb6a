"""Errors that carry a message a user can read.

Core raises these; the UI shows ``str(error)`` in the pane, the CLI prints it
on one line and exits non-zero. Anything else is a bug and goes to the log.
"""


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


_UNWRITABLE = {30: "the disk is read-only", 13: "permission is denied", 1: "permission is denied"}  # EROFS, EACCES, EPERM


def plain_storage_errors(func):
    """A read-only or forbidden data folder becomes one sentence (StorageError) instead of an OSError."""
    import functools
    import os

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            if exc.errno not in _UNWRITABLE or isinstance(exc, HearthError):
                raise
            where = os.fspath(exc.filename) if exc.filename else "the data folder"
            raise StorageError(
                f"Hearth cannot write to {where}: {_UNWRITABLE[exc.errno]}. "
                "Set HEARTH_DATA_DIR to a writable folder or fix the permissions."
            ) from exc

    return wrapper
