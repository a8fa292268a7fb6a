"""An engine's address: normalized to its ``/v1`` base, its login (``user:password@``) taken out, shown without it.

A login in an address is a secret like an API key: it is kept where keys are kept (core/remote/engines.py),
sent as HTTP Basic auth, and never stored in settings.json nor shown in a message.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.texts import translate


def split_login(url: str) -> tuple[str, str | None]:
    """``http://user:pw@host:8080/v1`` → (``http://host:8080/v1``, ``"user:pw"``); the login stays percent-encoded."""
    parts = urlsplit((url or "").strip())
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at:
        return url.strip() if url else "", None
    return urlunsplit(parts._replace(netloc=hostport)), userinfo or None


def basic_auth(login: str) -> tuple[str, str]:
    """A stored login (``user:password``, percent-encoded as in an address) as the pair Basic auth sends."""
    user, _, password = login.partition(":")
    return unquote(user), unquote(password)


def shown(url: str) -> str:
    """The address as every message shows it: no login, no query (it may carry a token), no fragment."""
    bare, _login = split_login(url)
    parts = urlsplit(bare)
    if not parts.scheme or not parts.netloc:
        return bare[:200]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:200]


def normalize_url(url: str) -> str:
    """``http://host:port`` or ``…/v1`` → ``http://host:port/v1`` (the OpenAI protocol's base); a login stays in."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc.rpartition("@")[2]:
        raise RemoteError(
            translate("RemoteErrors", "{address} is not a web address. Write it like http://192.168.1.20:8080.").fill(
                address=shown(url) if url else translate("RemoteErrors", "An empty address")
            )
        )
    return url if parts.path.endswith("/v1") else url + "/v1"


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port): a request goes to one origin; a redirect to another is never followed."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)
