"""The encrypted workspace: status, unlock, encrypt, decrypt, change the passphrase.

A conversion never edits a database in place. It exports into a new file, checks every
row of every table against the original, swaps the new file in with one atomic rename,
and only then updates the keys file. A crash at any step leaves one complete database:
before the swap the old one, after it the new one, and ``finish_interrupted`` (run at
every unlock) removes the half-made file and moves a keys file written just before the
swap into place. Which keys open which file is decided by the file itself: a plain
SQLite file starts with its magic header; an SQLCipher file with its random salt, which
the keys file records.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from desktop_app.core import paths, texts
from desktop_app.core.storage import keychain
from desktop_app.core.errors import StorageError, WorkspaceLocked, WrongPassphrase
from desktop_app.core.storage.keys import (
    DEFAULT_COST,
    KdfCost,
    Keyset,
    key_check,
    keyset_path,
    make_keyset,
    new_data_key,
    new_recovery_key,
    normalize_recovery_key,
    read_keyset,
    unwrap,
    write_keyset,
)
from desktop_app.core.storage.store import SQLITE_HEADER, is_encrypted
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)


class Step(enum.Enum):
    """The steps of a conversion, in order; ``on_step`` is called before each (tests crash there)."""

    EXPORT = "export"
    VERIFY = "verify"
    WRITE_KEYS = "write keys"
    RECOVERY_KEY = "recovery key"  # shown (on_recovery_key) before the swap: a crash after it never hides the key
    SWAP = "swap"
    PROMOTE_KEYS = "promote keys"
    KEYCHAIN = "keychain"


@dataclass(frozen=True)
class WorkspaceStatus:
    database: Path
    exists: bool
    encrypted: bool
    keychain_available: bool
    key_in_keychain: bool


def converting_path(database: Path) -> Path:
    return database.with_name(database.name + ".converting")


def _next_keys(database: Path) -> Path:
    return keyset_path(database).with_name(keyset_path(database).name + ".next")


def database_salt(database: Path) -> bytes:
    with open(database, "rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def status(database: Path | None = None) -> WorkspaceStatus:
    database = database or paths.database_path()
    finish_interrupted(database)
    encrypted = is_encrypted(database)
    key = keychain.recall(database) if encrypted else None
    return WorkspaceStatus(database, database.exists(), encrypted, keychain.available(), key is not None)


def finish_interrupted(database: Path) -> None:
    """Clean up after a conversion that a crash cut short. Never touches the database file itself."""
    for leftover in (converting_path(database), Path(str(converting_path(database)) + "-journal")):
        leftover.unlink(missing_ok=True)
    pending = _next_keys(database)
    if pending.exists():
        keyset = read_keyset(pending)
        if is_encrypted(database) and keyset.database_salt == database_salt(database).hex():
            os.replace(pending, keyset_path(database))  # the swap happened: these keys open the file now
        else:
            pending.unlink()  # the swap never happened: the old keys still open the old file
    if database.exists() and not is_encrypted(database):
        keyset_path(database).unlink(missing_ok=True)  # a decryption finished its swap


def unlock(
    database: Path | None = None,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    use_keychain: bool = True,
) -> bytes | None:
    """The data key that opens the database, or None when it is not encrypted.

    Raises WorkspaceLocked when it is encrypted and neither a secret nor a keychain entry was given,
    WrongPassphrase when the secret is wrong.
    """
    database = database or paths.database_path()
    finish_interrupted(database)
    if not is_encrypted(database):
        return None
    keyset = _keyset_for(database)
    if passphrase:
        return unwrap(keyset.passphrase, passphrase, "passphrase")
    if recovery_key:
        return unwrap(keyset.recovery, normalize_recovery_key(recovery_key), "recovery key")
    if use_keychain:
        key = keychain.recall(database)
        if key is not None and key_check(key) == keyset.check:
            return key
        if key is not None:
            log.warning("the keychain holds a key that does not open %s; asking the passphrase", database)
    raise WorkspaceLocked(translate("StorageErrors", "Your conversations are encrypted: enter the "
                                                     "passphrase (or the recovery key) to open them."))


def _keyset_for(database: Path) -> Keyset:
    keyset = read_keyset(keyset_path(database))
    if keyset is None or keyset.database_salt != database_salt(database).hex():
        raise StorageError(
            translate("StorageErrors", "The keys file for the encrypted database {database} is "
                                       "missing or belongs to another file; restore {name} from a "
                                       "backup.").fill(database=database, name=keyset_path(database).name)
        )
    return keyset


def encrypt(
    database: Path | None = None,
    passphrase: str = "",
    *,
    cost: KdfCost = DEFAULT_COST,
    remember: bool = True,
    on_step: Callable[[Step], None] | None = None,
    on_recovery_key: Callable[[str], None] | None = None,
) -> str:
    """Encrypt a plain workspace; returns the recovery key, to be shown once.

    ``on_recovery_key`` shows the key before the new file is swapped in; if it raises, nothing is swapped.
    """
    database = database or paths.database_path()
    finish_interrupted(database)
    if is_encrypted(database):
        raise StorageError(translate("StorageErrors", "The workspace is already encrypted."))
    if not passphrase:
        raise WrongPassphrase(translate("StorageErrors", "Choose a passphrase first."))
    if not database.exists():
        from desktop_app.core.storage.store import Store

        Store(database).close()  # an empty workspace at the current schema, then encrypted like any other
    recovery = new_recovery_key()
    data_key = new_data_key()
    _convert(database, None, data_key, lambda salt: make_keyset(data_key, salt, passphrase, recovery, cost), on_step,
             _shown(on_recovery_key, recovery))
    _step(on_step, Step.KEYCHAIN)
    if remember:
        keychain.remember(database, data_key)
    return recovery


def decrypt(database: Path | None, key: bytes, *, on_step: Callable[[Step], None] | None = None) -> int:
    """Turn an encrypted workspace back into a plain one (the user's choice; the README says what that means).

    The secrets it kept (remote engines' API keys) are deleted first, inside the encrypted file, so none
    reaches the plain one; returns how many were forgotten (those engines ask for their key again).
    """
    database = database or paths.database_path()
    finish_interrupted(database)
    if not is_encrypted(database):
        raise StorageError(translate("StorageErrors", "The workspace is not encrypted."))
    try:
        forgotten = _forget_secrets(database, key)
    except Exception as exc:
        if _disk_trouble(exc):
            raise StorageError(_unchanged(database, exc)) from exc
        raise
    _convert(database, key, None, None, on_step)
    _step(on_step, Step.KEYCHAIN)
    keychain.forget(database)
    return forgotten


def _forget_secrets(database: Path, key: bytes) -> int:
    db = _connect(database, key)
    try:
        try:
            has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'secrets'").fetchone()
        except Exception as exc:
            raise WrongPassphrase(translate("StorageErrors", "The key does not open the workspace "
                                                             "database.")) from exc
        if not has_table:
            return 0
        forgotten = db.execute("DELETE FROM secrets").rowcount
        if forgotten:
            log.info("forgot %d secrets kept in the encrypted workspace before decrypting it", forgotten)
        return forgotten
    finally:
        db.close()


def change_passphrase(
    database: Path | None,
    key: bytes,
    new_passphrase: str,
    *,
    cost: KdfCost = DEFAULT_COST,
    remember: bool = True,
    on_step: Callable[[Step], None] | None = None,
    on_recovery_key: Callable[[str], None] | None = None,
) -> str:
    """Rekey: a new data key, the whole file re-encrypted, a new recovery key (returned, shown once).

    A new data key, not only a new wrapping: whoever saw the old passphrase and kept a copy of
    the keys file learns nothing about the new file.
    """
    database = database or paths.database_path()
    finish_interrupted(database)
    if not is_encrypted(database):
        raise StorageError(translate("StorageErrors", "The workspace is not encrypted."))
    if not new_passphrase:
        raise WrongPassphrase(translate("StorageErrors", "Choose a passphrase first."))
    recovery = new_recovery_key()
    new_key = new_data_key()
    _convert(database, key, new_key, lambda salt: make_keyset(new_key, salt, new_passphrase, recovery, cost), on_step,
             _shown(on_recovery_key, recovery))
    _step(on_step, Step.KEYCHAIN)
    if remember:
        keychain.remember(database, new_key)
    else:
        keychain.forget(database)
    return recovery


def _step(on_step: Callable[[Step], None] | None, step: Step) -> None:
    if on_step is not None:
        on_step(step)


def _shown(on_recovery_key: Callable[[str], None] | None, recovery: str) -> Callable[[], None] | None:
    return (lambda: on_recovery_key(recovery)) if on_recovery_key is not None else None


def _convert(
    database: Path,
    source_key: bytes | None,
    target_key: bytes | None,
    keyset_for: Callable[[bytes], Keyset] | None,
    on_step: Callable[[Step], None] | None,
    before_swap: Callable[[], None] | None = None,
) -> None:
    target = converting_path(database)
    target.unlink(missing_ok=True)
    try:
        _step(on_step, Step.EXPORT)
        _export(database, source_key, target, target_key)
        _step(on_step, Step.VERIFY)
        _verify(database, source_key, target, target_key)
        _step(on_step, Step.WRITE_KEYS)
        if keyset_for is not None:
            write_keyset(_next_keys(database), keyset_for(database_salt(target)))
        _step(on_step, Step.RECOVERY_KEY)
        if before_swap is not None:
            before_swap()
    except BaseException as exc:  # nothing was swapped: the workspace is as it was, and no half-made file stays
        _abandon(database)
        if _disk_trouble(exc):
            raise StorageError(_unchanged(database, exc)) from exc
        raise
    _step(on_step, Step.SWAP)
    try:
        for side_file in ("-wal", "-shm"):  # the source was checkpointed and closed: these are empty leftovers
            Path(str(database) + side_file).unlink(missing_ok=True)
        os.replace(target, database)
    except OSError as exc:  # the rename is atomic: it happened whole or not at all
        _abandon(database)
        raise StorageError(_unchanged(database, exc)) from exc
    _fsync_dir(database.parent)
    _step(on_step, Step.PROMOTE_KEYS)
    if keyset_for is not None:
        os.replace(_next_keys(database), keyset_path(database))
    else:
        keyset_path(database).unlink(missing_ok=True)


def _abandon(database: Path) -> None:
    for leftover in (converting_path(database), Path(str(converting_path(database)) + "-journal"), _next_keys(database)):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:  # finish_interrupted tries again at the next start
            log.warning("could not remove %s after a failed conversion: %s", leftover.name, exc)


def _disk_trouble(exc: BaseException) -> bool:
    """A write that failed in the OS or in SQLite (a full disk, an I/O error), as opposed to a refusal of ours."""
    if isinstance(exc, OSError):
        return True
    return type(exc).__module__.startswith(("sqlcipher3", "sqlite3")) and isinstance(exc, Exception)


def _unchanged(database: Path, exc: BaseException) -> str:
    full = getattr(exc, "errno", None) == errno.ENOSPC or "full" in str(exc).lower()
    if full:
        return texts.translate(
            "Workspace", "The disk is full, so the workspace could not be converted; it is unchanged. Free at least "
                         "{size} (a converted copy is written beside it) and try again.").fill(size=_size(database))
    log.error("workspace conversion failed: %s", exc)
    return texts.translate(
        "Workspace", "The converted copy of the workspace could not be written or put in place (a disk error); the "
                     "workspace is unchanged. Check the disk and try again.")


def _size(database: Path) -> str:
    try:
        size = database.stat().st_size
    except OSError:
        size = 0
    return f"{max(1, round(size / 2**20))} MB"


def _connect(path: Path, key: bytes | None):
    import sqlcipher3.dbapi2 as sqlcipher  # the export function exists only in SQLCipher

    db = sqlcipher.connect(str(path), isolation_level=None)
    if key is not None:
        db.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    db.execute("PRAGMA temp_store = MEMORY")  # no plaintext in temporary files
    return db


def _attach_key(key: bytes | None) -> str:
    return f"x'{key.hex()}'" if key is not None else ""


def _export(database: Path, source_key: bytes | None, target: Path, target_key: bytes | None) -> None:
    db = _connect(database, source_key)
    try:
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except Exception as exc:
            raise WrongPassphrase(translate("StorageErrors", "The key does not open the workspace "
                                                             "database.")) from exc
        db.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), _attach_key(target_key)))
        db.execute("SELECT sqlcipher_export('converted')").fetchall()
        db.execute(f"PRAGMA converted.user_version = {int(version)}")
        db.execute("DETACH DATABASE converted")
        db.execute("PRAGMA journal_mode = DELETE")  # the source leaves no WAL behind to pair with the new file
    finally:
        db.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def _verify(database: Path, source_key: bytes | None, target: Path, target_key: bytes | None) -> None:
    if (target_key is not None) != is_encrypted(target):
        raise StorageError(translate("StorageErrors", "The converted copy {target} is not in the "
                                                      "expected form; the workspace is unchanged.").fill(target=target))
    source, copy = _connect(database, source_key), _connect(target, target_key)
    try:
        expected, found = fingerprint(source), fingerprint(copy)
    finally:
        source.close()
        copy.close()
    if expected != found:
        target.unlink(missing_ok=True)
        differing = sorted(name for name in set(expected) | set(found) if expected.get(name) != found.get(name))
        raise StorageError(translate("StorageErrors", "The converted copy differs in {value}; the "
                                                      "workspace is unchanged.").fill(value=', '.join(differing)))


def fingerprint(db) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of every row: two databases with equal fingerprints hold the same data."""
    result = {"(schema version)": (db.execute("PRAGMA user_version").fetchone()[0], "")}
    tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    for (name,) in tables.fetchall():
        columns = len(db.execute(f'SELECT * FROM "{name}" LIMIT 0').description)
        order = ", ".join(str(i + 1) for i in range(columns))  # full order: also fits tables without rowid
        digest, count = hashlib.sha256(), 0
        for row in db.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
            digest.update(repr(tuple(row)).encode("utf-8"))
            count += 1
        result[name] = (count, digest.hexdigest())
    return result


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a directory for fsync; its rename is journaled by NTFS
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
