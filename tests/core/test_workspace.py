"""The encrypted workspace: keys, unlock, conversions both ways, a crash at every step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.core.storage import workspace
from desktop_app.core.errors import StorageError, WorkspaceLocked, WrongPassphrase
from desktop_app.core.storage.keys import TEST_COST, keyset_path
from desktop_app.core.storage.store import Store, is_encrypted

SECRET_TEXT = "the treasure is buried under the old oak tree"
PASS = "correct horse battery staple"


def fill(path: Path, key: bytes | None = None) -> dict:
    store = Store(path, key)
    c = store.create_conversation(title="secret plans")
    store.add_message(c.id, "user", SECRET_TEXT)
    store.add_message(c.id, "assistant", "Noted. " * 40)
    store.add_summary("notes.txt", "a summary of " + SECRET_TEXT)
    store._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS probe_fts USING fts5(body)")  # as a search index would
    store._db.execute("INSERT INTO probe_fts (body) VALUES (?)", (SECRET_TEXT,))
    store.close()
    return contents(path, key)


def contents(path: Path, key: bytes | None) -> dict:
    store = Store(path, key)
    try:
        conversations = store.list_conversations()
        return {
            "conversations": [(c.id, c.title) for c in conversations],
            "messages": [(m.id, m.role, m.content) for c in conversations for m in store.messages(c.id)],
            "summaries": [(s.id, s.summary) for s in store.list_summaries()],
        }
    finally:
        store.close()


def all_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "hearth.sqlite3"


def test_encrypted_file_has_no_plaintext_and_stdlib_sqlite_cannot_read_it(db, no_keychain):
    before = fill(db)
    assert SECRET_TEXT.encode() in all_bytes(db.parent)
    recovery = workspace.encrypt(db, PASS, cost=TEST_COST)
    assert is_encrypted(db) and recovery.count("-") == 7
    assert SECRET_TEXT.encode() not in all_bytes(db.parent)  # nor in a leftover journal, WAL or temp file
    assert SECRET_TEXT.encode("utf-16-le") not in all_bytes(db.parent)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()
    key = workspace.unlock(db, passphrase=PASS)
    assert contents(db, key) == before
    store = Store(db, key)  # writes after encryption are encrypted too
    store.add_message(store.list_conversations()[0].id, "user", "another " + SECRET_TEXT)
    store.close()
    assert SECRET_TEXT.encode() not in all_bytes(db.parent)


def test_wrong_passphrase_and_wrong_recovery_key_are_refused(db, no_keychain):
    fill(db)
    recovery = workspace.encrypt(db, PASS, cost=TEST_COST)
    with pytest.raises(WrongPassphrase, match="passphrase"):
        workspace.unlock(db, passphrase="not it")
    with pytest.raises(WrongPassphrase, match="recovery key"):
        workspace.unlock(db, recovery_key="AAAA-" + recovery[5:])
    with pytest.raises(WrongPassphrase):
        Store(db, b"\x00" * 32)
    with pytest.raises(WorkspaceLocked):
        Store(db)  # no key at all: a plain message, not a crash
    assert workspace.unlock(db, recovery_key=recovery.lower().replace("-", " ")) == workspace.unlock(db, passphrase=PASS)


def test_keychain_absent_asks_the_passphrase(db, no_keychain):
    fill(db)
    workspace.encrypt(db, PASS, cost=TEST_COST)
    assert not workspace.status(db).keychain_available
    with pytest.raises(WorkspaceLocked, match="passphrase"):
        workspace.unlock(db)
    assert workspace.unlock(db, passphrase=PASS) is not None


def test_keychain_present_opens_without_typing_and_a_changed_keychain_never_locks_out(db, memory_keychain):
    before = fill(db)
    recovery = workspace.encrypt(db, PASS, cost=TEST_COST)
    assert workspace.status(db).key_in_keychain
    assert contents(db, workspace.unlock(db)) == before
    # the keychain loses or garbles the entry (a new login keyring, another app): passphrase and recovery key still open
    for item in list(memory_keychain.items):
        memory_keychain.items[item] = "00" * 32
    with pytest.raises(WorkspaceLocked):
        workspace.unlock(db)
    memory_keychain.items.clear()
    with pytest.raises(WorkspaceLocked):
        workspace.unlock(db)
    assert contents(db, workspace.unlock(db, passphrase=PASS)) == before
    assert contents(db, workspace.unlock(db, recovery_key=recovery)) == before


def test_decrypt_gives_back_the_same_plain_database(db, memory_keychain):
    before = fill(db)
    workspace.encrypt(db, PASS, cost=TEST_COST)
    workspace.decrypt(db, workspace.unlock(db, passphrase=PASS))
    assert not is_encrypted(db) and not keyset_path(db).exists()
    assert not memory_keychain.items
    assert workspace.unlock(db) is None and contents(db, None) == before


def test_change_passphrase_rekeys_the_file_and_issues_a_new_recovery_key(db, no_keychain):
    before = fill(db)
    old_recovery = workspace.encrypt(db, PASS, cost=TEST_COST)
    old_key = workspace.unlock(db, passphrase=PASS)
    new_recovery = workspace.change_passphrase(db, old_key, "a new passphrase", cost=TEST_COST)
    new_key = workspace.unlock(db, passphrase="a new passphrase")
    assert new_key != old_key and new_recovery != old_recovery
    with pytest.raises(WrongPassphrase):
        workspace.unlock(db, passphrase=PASS)
    with pytest.raises(WrongPassphrase):
        workspace.unlock(db, recovery_key=old_recovery)
    with pytest.raises(WrongPassphrase):
        Store(db, old_key)  # the old data key opens nothing any more
    assert contents(db, workspace.unlock(db, recovery_key=new_recovery)) == before


def test_encrypting_an_encrypted_workspace_is_refused(db, no_keychain):
    fill(db)
    workspace.encrypt(db, PASS, cost=TEST_COST)
    with pytest.raises(StorageError, match="already encrypted"):
        workspace.encrypt(db, PASS, cost=TEST_COST)


class Crash(Exception):
    pass


def crash_at(step: workspace.Step):
    def on_step(current: workspace.Step) -> None:
        if current is step:
            raise Crash(step.value)

    return on_step


def open_after_restart(db: Path, secrets: list[str]) -> tuple[dict, bool]:
    """What the next start sees: the one database, opened with whichever secret fits it."""
    if not is_encrypted(db):
        return contents(db, workspace.unlock(db)), False
    for secret in secrets:
        try:
            return contents(db, workspace.unlock(db, passphrase=secret)), True
        except WrongPassphrase:
            continue
    raise AssertionError("no passphrase opens the database")


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name not in {db.name, keyset_path(db).name})


@pytest.mark.parametrize("step", list(workspace.Step))
def test_a_crash_at_any_step_of_encrypting_leaves_one_good_database(db, no_keychain, step):
    before = fill(db)
    with pytest.raises(Crash):
        workspace.encrypt(db, PASS, cost=TEST_COST, on_step=crash_at(step))
    after, encrypted = open_after_restart(db, [PASS])
    assert after == before
    assert encrypted == (list(workspace.Step).index(step) > list(workspace.Step).index(workspace.Step.SWAP))
    assert leftovers(db) == []  # no half-made copy, no pending keys file


@pytest.mark.parametrize("step", list(workspace.Step))
def test_a_crash_at_any_step_of_decrypting_leaves_one_good_database(db, no_keychain, step):
    before = fill(db)
    workspace.encrypt(db, PASS, cost=TEST_COST)
    key = workspace.unlock(db, passphrase=PASS)
    with pytest.raises(Crash):
        workspace.decrypt(db, key, on_step=crash_at(step))
    after, encrypted = open_after_restart(db, [PASS])
    assert after == before
    assert encrypted == (list(workspace.Step).index(step) <= list(workspace.Step).index(workspace.Step.SWAP))
    assert leftovers(db) == [] and keyset_path(db).exists() == encrypted


@pytest.mark.parametrize("step", list(workspace.Step))
def test_a_crash_at_any_step_of_a_passphrase_change_leaves_one_good_database(db, no_keychain, step):
    before = fill(db)
    workspace.encrypt(db, PASS, cost=TEST_COST)
    key = workspace.unlock(db, passphrase=PASS)
    with pytest.raises(Crash):
        workspace.change_passphrase(db, key, "new one", cost=TEST_COST, on_step=crash_at(step))
    after, encrypted = open_after_restart(db, [PASS, "new one"])
    assert after == before and encrypted
    swapped = list(workspace.Step).index(step) > list(workspace.Step).index(workspace.Step.SWAP)
    opener = "new one" if swapped else PASS
    workspace.unlock(db, passphrase=opener)  # exactly the passphrase that fits the file in place


KILL_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import keyring
    from keyring.backends import fail
    keyring.set_keyring(fail.Keyring())
    from desktop_app.core.storage import workspace
    from desktop_app.core.storage.keys import TEST_COST
    target = sys.argv[2]
    def on_step(step):
        if step.name == target:
            os._exit(9)  # no cleanup, no finally: as a power cut would leave it
    workspace.encrypt(Path(sys.argv[1]), "pw", cost=TEST_COST, on_step=on_step)
    """
)


@pytest.mark.parametrize("step", [workspace.Step.VERIFY, workspace.Step.SWAP, workspace.Step.PROMOTE_KEYS])
def test_a_killed_encryption_leaves_one_good_database(db, no_keychain, step):
    before = fill(db)
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(db), step.name], cwd=root, capture_output=True, timeout=120
    )
    assert result.returncode == 9, result.stderr
    assert open_after_restart(db, ["pw"])[0] == before
    assert leftovers(db) == []


def test_a_copy_that_differs_from_the_original_is_never_swapped_in(db, no_keychain):
    before = fill(db)

    def damage_the_copy(step: workspace.Step) -> None:
        if step is workspace.Step.VERIFY:  # as a bad disk or a bug in the export would
            import sqlcipher3.dbapi2 as sqlcipher

            copy = sqlcipher.connect(str(workspace.converting_path(db)))
            copy.execute(f"PRAGMA key = \"x'{captured['key'].hex()}'\"")
            copy.execute("DELETE FROM messages WHERE role = 'assistant'")
            copy.commit()
            copy.close()

    captured = {}
    real_new_key = workspace.new_data_key

    def remember_key():
        captured["key"] = real_new_key()
        return captured["key"]

    workspace.new_data_key = remember_key
    try:
        with pytest.raises(StorageError, match="messages"):
            workspace.encrypt(db, PASS, cost=TEST_COST, on_step=damage_the_copy)
    finally:
        workspace.new_data_key = real_new_key
    assert not is_encrypted(db) and contents(db, None) == before and leftovers(db) == []
