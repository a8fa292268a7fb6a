"""Remember a workspace's data key in the OS keychain (Windows Credential Manager, macOS Keychain,
Secret Service), when there is one.

Only a convenience: a keychain can vanish or change under the app (a new login keyring,
a reinstalled OS), so every caller falls back to the passphrase or the recovery key.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

SERVICE = "Hearth workspace"


def _account(database: Path) -> str:
    return str(Path(database).resolve())


def _backend():
    """The keyring backend, or None on a machine without a usable keychain (headless Linux)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


def available() -> bool:
    return _backend() is not None


def remember(database: Path, data_key: bytes) -> bool:
    """True when the keychain now holds the key."""
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, _account(database), data_key.hex())
        return True
    except Exception as exc:  # noqa: BLE001 - any backend failure means "not remembered", never a crash
        log.warning("keychain refused the workspace key: %s", exc)
        return False


def recall(database: Path) -> bytes | None:
    backend = _backend()
    if backend is None:
        return None
    try:
        value = backend.get_password(SERVICE, _account(database))
        return bytes.fromhex(value) if value else None
    except Exception as exc:  # noqa: BLE001 - a locked or broken keychain: ask the passphrase instead
        log.warning("keychain could not be read: %s", exc)
        return None


def forget(database: Path) -> None:
    backend = _backend()
    if backend is None:
        return
    try:
        backend.delete_password(SERVICE, _account(database))
    except Exception as exc:  # noqa: BLE001 - nothing stored is fine too
        log.info("keychain had no workspace key to forget: %s", exc)


API_KEY_SERVICE = "Hearth remote engine"


def remember_api_key(engine: str, api_key: str) -> bool:
    """True when the keychain now holds the remote engine's API key."""
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(API_KEY_SERVICE, engine, api_key)
        return True
    except Exception as exc:  # noqa: BLE001 - not remembered, never a crash
        log.warning("keychain refused the API key of %s: %s", engine, exc)
        return False


def recall_api_key(engine: str) -> str | None:
    backend = _backend()
    if backend is None:
        return None
    try:
        return backend.get_password(API_KEY_SERVICE, engine) or None
    except Exception as exc:  # noqa: BLE001 - a locked keychain: the request goes without the key and says so
        log.warning("keychain could not be read: %s", exc)
        return None


def forget_api_key(engine: str) -> None:
    backend = _backend()
    if backend is None:
        return
    try:
        backend.delete_password(API_KEY_SERVICE, engine)
    except Exception as exc:  # noqa: BLE001 - nothing stored is fine too
        log.info("keychain had no API key for %s: %s", engine, exc)
