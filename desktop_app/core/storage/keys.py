"""The keys of an encrypted workspace: a random data key, wrapped under the passphrase and the recovery key.

SQLCipher encrypts the database with a random 256-bit data key. Beside the database,
the keys file holds that key only wrapped, twice: under a key derived from the
passphrase and under one derived from the recovery key, each with Argon2id and its
own salt. So the passphrase and the recovery key both open the database whatever
happens to the OS keychain, which only saves typing.

Wrapping: Argon2id gives 64 bytes; the first 32 are a one-time pad for the data key,
the last 32 an HMAC-SHA256 key over the result (encrypt-then-MAC). A pad is used once:
every wrap draws a fresh salt, so a new passphrase never reuses an old pad.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.core import texts
from desktop_app.core.atomic import write_text_atomic
from desktop_app.core.errors import StorageError, WrongPassphrase
from desktop_app.core.texts import translate

KEY_BYTES = 32
SALT_BYTES = 16
KEYSET_VERSION = 1


@dataclass(frozen=True)
class KdfCost:
    time_cost: int  # passes over memory
    memory_kib: int
    parallelism: int


# RFC 9106's second recommended Argon2id option (64 MiB, 3 passes); about 0.2-0.5 s on a laptop
DEFAULT_COST = KdfCost(time_cost=3, memory_kib=64 * 1024, parallelism=4)
# tests pass this explicitly; nothing in the app uses it
TEST_COST = KdfCost(time_cost=1, memory_kib=8, parallelism=1)
# What a keys file may ask for: what Hearth writes, with a small margin. A file asking for more (16 GB of
# memory, 100,000 passes) would make opening the workspace eat the machine or hang, so it is refused unread.
MAX_COST = KdfCost(time_cost=2 * DEFAULT_COST.time_cost, memory_kib=2 * DEFAULT_COST.memory_kib,
                   parallelism=2 * DEFAULT_COST.parallelism)
MAX_KEYS_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class WrappedKey:
    salt: str  # hex
    cost: KdfCost
    wrapped: str  # hex: data key XOR pad
    tag: str  # hex: HMAC-SHA256 over salt + wrapped


@dataclass(frozen=True)
class Keyset:
    database_salt: str  # hex of the encrypted file's first 16 bytes (SQLCipher's salt): the file it opens
    check: str  # hex: identifies the data key (an HMAC of it), to test a keychain entry without the database
    passphrase: WrappedKey
    recovery: WrappedKey
    version: int = KEYSET_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Keyset":
        """Raises KeysFileInvalid (its message: what is wrong, for the sentence around it) for any other shape."""
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError):
            raise KeysFileInvalid(texts.translate("Workspace", "it is not JSON")) from None
        if not isinstance(raw, dict):
            raise KeysFileInvalid(texts.translate("Workspace", "it is not a JSON object"))
        if raw.get("version") != KEYSET_VERSION:
            raise KeysFileInvalid(texts.translate("Workspace", "it has the unknown version {version}").fill(
                version=_shown(raw.get("version"))))
        wrapped = {name: _wrapped_key(raw.get(name), name) for name in ("passphrase", "recovery")}
        return cls(database_salt=_hex(raw, "database_salt", SALT_BYTES), check=_hex(raw, "check", 16),
                   version=raw["version"], **wrapped)


class KeysFileInvalid(ValueError):
    """The keys file is not in the shape Hearth writes."""


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _hex(raw: dict, name: str, size: int, entry: str = "") -> str:
    value = raw.get(name)
    try:
        valid = isinstance(value, str) and len(bytes.fromhex(value)) == size
    except ValueError:
        valid = False
    if not valid:
        raise KeysFileInvalid(texts.translate("Workspace", "its {field} is not {size} bytes of hex").fill(
            field=f"{entry} {name}" if entry else name, size=size))
    return value


def _wrapped_key(raw, name: str) -> WrappedKey:
    if not isinstance(raw, dict) or not isinstance(raw.get("cost"), dict):
        raise KeysFileInvalid(texts.translate("Workspace", "it has no {field} entry with a cost").fill(field=name))
    cost = raw["cost"]
    values = {}
    for field, limit in (("time_cost", MAX_COST.time_cost), ("memory_kib", MAX_COST.memory_kib),
                         ("parallelism", MAX_COST.parallelism)):
        value = cost.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
            raise KeysFileInvalid(texts.translate(
                "Workspace", "its {field} Argon2 {name} is {value}, outside what Hearth writes (1 to {limit})").fill(
                field=name, name=field, value=_shown(value), limit=limit))
        values[field] = value
    if values["memory_kib"] < 8 * values["parallelism"]:  # Argon2's own rule
        raise KeysFileInvalid(texts.translate("Workspace", "its {field} Argon2 memory is below 8 KiB per lane").fill(field=name))
    return WrappedKey(salt=_hex(raw, "salt", SALT_BYTES, name), cost=KdfCost(**values),
                      wrapped=_hex(raw, "wrapped", KEY_BYTES, name), tag=_hex(raw, "tag", 32, name))


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_check(data_key: bytes) -> str:
    return hmac.new(data_key, b"hearth workspace key check", hashlib.sha256).hexdigest()[:32]


def new_recovery_key() -> str:
    """160 random bits as eight groups of four base32 letters: easy to print and type back."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_recovery_key(text: str) -> str:
    """Typed back with spaces, dashes or in lower case: the same key."""
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def _derive(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"), salt, cost.time_cost, cost.memory_kib, cost.parallelism, 2 * KEY_BYTES, Type.ID
    )


def wrap(data_key: bytes, secret: str, cost: KdfCost = DEFAULT_COST) -> WrappedKey:
    salt = secrets.token_bytes(SALT_BYTES)
    derived = _derive(secret, salt, cost)
    wrapped = bytes(a ^ b for a, b in zip(data_key, derived[:KEY_BYTES]))
    tag = hmac.new(derived[KEY_BYTES:], salt + wrapped, hashlib.sha256).digest()
    return WrappedKey(salt.hex(), cost, wrapped.hex(), tag.hex())


def unwrap(wrapped: WrappedKey, secret: str, what: str = "passphrase") -> bytes:
    salt, sealed = bytes.fromhex(wrapped.salt), bytes.fromhex(wrapped.wrapped)
    derived = _derive(secret, salt, wrapped.cost)
    tag = hmac.new(derived[KEY_BYTES:], salt + sealed, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, bytes.fromhex(wrapped.tag)):
        raise WrongPassphrase(translate("StorageErrors", "That {what} does not open this workspace.").fill(what=what))
    return bytes(a ^ b for a, b in zip(sealed, derived[:KEY_BYTES]))


def make_keyset(data_key: bytes, database_salt: bytes, passphrase: str, recovery_key: str, cost: KdfCost) -> Keyset:
    if not passphrase:
        raise WrongPassphrase(translate("StorageErrors", "The passphrase is empty."))
    return Keyset(
        database_salt=database_salt.hex(),
        check=key_check(data_key),
        passphrase=wrap(data_key, passphrase, cost),
        recovery=wrap(data_key, normalize_recovery_key(recovery_key), cost),
    )


def keyset_path(database: Path) -> Path:
    return database.with_name(database.name + ".keys.json")


def read_keyset(path: Path) -> Keyset | None:
    try:
        if path.stat().st_size > MAX_KEYS_FILE_BYTES:
            raise KeysFileInvalid(texts.translate("Workspace", "it is far larger than a keys file"))
        return Keyset.from_json(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        why = texts.translate("Workspace", "it is not UTF-8 text")
    except KeysFileInvalid as exc:
        why = exc.args[0]  # the Text itself, so the UI can translate it inside the sentence
    except OSError as exc:
        raise StorageError(texts.translate("Workspace", "The workspace keys file {path} cannot be read: {reason}.").fill(
            path=path, reason=exc.strerror or exc.__class__.__name__)) from exc
    raise StorageError(texts.translate(
        "Workspace", "The workspace keys file {path} is damaged or was altered ({why}); Hearth does not use it: "
                     "restore it from a backup.").fill(path=path, why=why))


def write_keyset(path: Path, keyset: Keyset) -> None:
    write_text_atomic(path, keyset.to_json())
