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
