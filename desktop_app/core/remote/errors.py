"""What can go wrong talking to a remote engine, each as one plain sentence."""

from __future__ import annotations

from desktop_app.core.errors import HearthError


class RemoteError(HearthError):
    """A remote engine could not answer; never followed by a silent switch to a local model."""


class RemoteUnreachable(RemoteError):
    pass


class RemoteAuthFailed(RemoteError):
    pass


class RemoteModelUnknown(RemoteError):
    pass


class RemoteTimeout(RemoteError):
    pass


class NotOpenAICompatible(RemoteError):
    pass


class ConnectionDropped(RemoteError):
    """The stream broke after some text came back; ``partial`` is what arrived (the caller keeps it)."""

    def __init__(self, message: str, partial: str = ""):
        super().__init__(message)
        self.partial = partial


class ServeError(HearthError):
    """The serve child process could not start or stopped."""


class PortInUse(ServeError):
    pass
