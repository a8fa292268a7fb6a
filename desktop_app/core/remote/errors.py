"""What can go wrong talking to a remote engine, each as one plain sentence."""

from __future__ import annotations

from desktop_app.core.errors import HearthError


class RemoteError(HearthError):
    """A remote engine could not answer; never followed by a silent switch to a local model."""

    status: int | None = None  # the HTTP status of a refusal (a probe tells "no such endpoint" from a passing failure)
    detail: str = ""  # the server's own message in a refusal, cleaned for one line


class RemoteUnreachable(RemoteError):
    pass


class RemoteAuthFailed(RemoteError):
    pass


class RemoteModelUnknown(RemoteError):
    pass


class RemoteTimeout(RemoteError):
    """The server did not connect, answer, or go on with its reply within the stated time (the sentence says which)."""


class NotOpenAICompatible(RemoteError):
    pass


class RemoteRedirected(RemoteError):
    """The server sent the request to another address (host, port or scheme); Hearth did not follow."""

    def __init__(self, message: str, target: str = ""):
        super().__init__(message)
        self.target = target  # where it pointed, shown without a login or query


class AnswerTooLarge(RemoteError):
    """An answer (a model list, a token list) larger than any real one: refused before it is parsed."""


class ConnectionDropped(RemoteError):
    """The stream broke after some text came back; ``partial`` is what arrived (the caller keeps it)."""

    def __init__(self, message: str, partial: str = ""):
        super().__init__(message)
        self.partial = partial


class ReplyCutOff(ConnectionDropped):
    """Hearth ended a reply that went on too long (more tokens than asked, too many bytes, silence, the deadline);
    ``partial`` is what arrived, kept and marked as incomplete."""


class ServeError(HearthError):
    """The serve child process could not start or stopped."""


class PortInUse(ServeError):
    pass


class StrayServer(PortInUse):
    """The port is held by a server an earlier Hearth started and left running; ``server`` says which."""

    def __init__(self, message: str, server):
        super().__init__(message)
        self.server = server  # a strays.StartedServer
