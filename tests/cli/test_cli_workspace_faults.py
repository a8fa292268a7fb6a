"""`hearth workspace` against faults, driven on the real command: a kill -9 before each step of `encrypt`, a full
disk, hostile keys files and passphrase files. The command stops at each step on a pipe only the test opens
(HEARTH_TEST_STEP_PIPES), so every kill lands exactly where it is meant to, without timing luck."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_data_factory import HEARTH, run_with_peak

from desktop_app.commands.workspace import STEP_PIPES_ENV
from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.errors import WrongPassphrase
from desktop_app.core.storage.keys import keyset_path
from desktop_app.core.storage.store import Store, is_encrypted

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pipes handed to the child by number, /dev/full")

SECRET = "the launch code is 0000"
PASS = "pass phrase"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workspace_with_a_message(data_dir):
    store = Store(paths.database_path())
    c = store.create_conversation()
    store.add_message(c.id, "user", SECRET)
    store.close()
    return paths.database_path()


def env() -> dict:
    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PYTHONIOENCODING="utf-8")


def pass_file(tmp_path, raw: bytes) -> Path:
    path = tmp_path / "pw"
    path.write_bytes(raw)
    return path


class SteppedRun:
    """`hearth workspace ARGS` stopped before each conversion step until the test lets it go on."""

    def __init__(self, *args: str):
        self._from_child, to_test = os.pipe()
        from_test, self._to_child = os.pipe()
        self.child = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "workspace", *args], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, pass_fds=(to_test, from_test), env={**env(), STEP_PIPES_ENV: f"{to_test},{from_test}"},
        )
        os.close(to_test)
        os.close(from_test)

    def next_step(self) -> str | None:
        """The step the command waits before, or None once it has ended."""
        ready, _, _ = select.select([self._from_child], [], [], 120)
        assert ready, "the command neither reached a step nor ended within 120 s"
        line = b""
        while not line.endswith(b"\n"):
            piece = os.read(self._from_child, 64)
            if not piece:
                return None
            line += piece
        return line.decode("ascii").strip()

    def go_on(self) -> None:
        os.write(self._to_child, b"g")

    def finish(self, kill: bool = False) -> tuple[int, str, str]:
        if kill:
            self.child.kill()  # SIGKILL: no handler, no finally, no flush
        out, err = self.child.communicate(timeout=120)
        os.close(self._from_child)
        os.close(self._to_child)
        return self.child.returncode, out.decode("utf-8"), err.decode("utf-8")


def recovery_key_in(out: str) -> str | None:
    return next((line.strip() for line in out.splitlines() if line.strip().count("-") == 7), None)


ENCRYPT_STEPS = [step.name for step in workspace.Step]


@pytest.mark.parametrize("kill_before", ENCRYPT_STEPS + ["END"])
def test_a_kill_at_any_step_of_encrypt_never_leaves_it_encrypted_without_the_recovery_key_shown(
        tmp_path, workspace_with_a_message, kill_before):
    db = workspace_with_a_message
    run = SteppedRun("encrypt", "--passphrase-file", str(pass_file(tmp_path, PASS.encode() + b"\n")), "--no-keychain")
    seen = []
    while (step := run.next_step()) is not None and step != kill_before:
        seen.append(step)
        run.go_on()
    assert seen == ENCRYPT_STEPS[: len(seen)] and (step == kill_before or kill_before == "END")
    code, out, err = run.finish(kill=step is not None)
    workspace.finish_interrupted(db)  # what the next start does
    recovery = recovery_key_in(out)
    if is_encrypted(db):
        assert recovery is not None, f"killed before {kill_before}: encrypted, but the recovery key was never shown"
        for opened_with in (workspace.unlock(db, recovery_key=recovery, use_keychain=False),
                            workspace.unlock(db, passphrase=PASS, use_keychain=False)):
            store = Store(db, opened_with)
            assert [m.content for m in store.messages(store.list_conversations()[0].id)] == [SECRET]
            store.close()
    else:
        assert not keyset_path(db).exists()
        store = Store(db)
        assert [m.content for m in store.messages(store.list_conversations()[0].id)] == [SECRET]
        store.close()
    shown_at = ENCRYPT_STEPS.index("RECOVERY_KEY")
    expected_encrypted = kill_before == "END" or ENCRYPT_STEPS.index(kill_before) > ENCRYPT_STEPS.index("SWAP")
    assert is_encrypted(db) == expected_encrypted
    assert (recovery is not None) == (kill_before == "END" or ENCRYPT_STEPS.index(kill_before) > shown_at)
    if kill_before == "END":
        assert code == 0 and err == "", err
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == sorted(
        [db.name] + ([keyset_path(db).name] if expected_encrypted else []))


def test_encrypt_on_a_full_disk_leaves_the_workspace_as_it_was_and_says_so(tmp_path, workspace_with_a_message):
    db = workspace_with_a_message
    before = db.read_bytes()
    run = SteppedRun("encrypt", "--passphrase-file", str(pass_file(tmp_path, PASS.encode())), "--no-keychain")
    assert run.next_step() == "EXPORT"
    workspace.converting_path(db).symlink_to("/dev/full")  # every write of the encrypted copy: ENOSPC
    run.go_on()
    while run.next_step() is not None:
        run.go_on()
    code, out, err = run.finish()
    assert code == 1 and out == ""  # no recovery key for a workspace that was not encrypted
    assert err.strip() == ("hearth: The disk is full, so the workspace could not be converted; it is unchanged. "
                           "Free at least 1 MB (a converted copy is written beside it) and try again.")
    assert not is_encrypted(db) and db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [db.name]


def test_a_failed_swap_after_the_key_was_shown_says_the_key_opens_nothing(tmp_path, workspace_with_a_message,
                                                                          monkeypatch, capsys):
    from desktop_app.cli import main

    db = workspace_with_a_message
    real_replace = os.replace

    def no_swap(source, target):
        if Path(target) == db:
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(workspace.os, "replace", no_swap)
    code = main(["workspace", "encrypt", "--passphrase-file", str(pass_file(tmp_path, PASS.encode())), "--no-keychain"])
    captured = capsys.readouterr()
    assert code == 1 and recovery_key_in(captured.out) is not None and not is_encrypted(db)
    assert captured.err.strip() == (
        "hearth: The converted copy of the workspace could not be written or put in place (a disk error); the workspace "
        "is unchanged. Check the disk and try again. The recovery key printed above opens nothing: discard it.")


# keys files


def encrypted_workspace(tmp_path, workspace_with_a_message) -> Path:
    code, out, err = SteppedRun_free("encrypt", "--passphrase-file", str(pass_file(tmp_path, PASS.encode())), "--no-keychain")
    assert code == 0, err
    return keyset_path(workspace_with_a_message)


def SteppedRun_free(*args: str) -> tuple[int, str, str]:  # noqa: N802 - the command without the step pipes
    done = subprocess.run([sys.executable, "-m", "desktop_app", "workspace", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env(), timeout=120)
    return done.returncode, done.stdout, done.stderr


def altered(keys: Path, change) -> None:
    raw = json.loads(keys.read_text(encoding="utf-8"))
    raw = change(raw)
    keys.write_text(json.dumps(raw), encoding="utf-8")


def set_cost(field, value):
    def change(raw):
        raw["passphrase"]["cost"][field] = value
        return raw
    return change


HOSTILE_KEYS = [
    (set_cost("memory_kib", 16 * 1024 * 1024), "its passphrase Argon2 memory_kib is 16777216, outside what Hearth writes (1 to 131072)"),
    (set_cost("time_cost", 100_000), "its passphrase Argon2 time_cost is 100000, outside what Hearth writes (1 to 6)"),
    (set_cost("time_cost", -1), "its passphrase Argon2 time_cost is -1, outside what Hearth writes (1 to 6)"),
    (set_cost("parallelism", 2.5), "its passphrase Argon2 parallelism is 2.5, outside what Hearth writes (1 to 8)"),
    (lambda raw: {**raw, "passphrase": {**raw["passphrase"], "salt": "not hex at all"}}, "its passphrase salt is not 16 bytes of hex"),
    (lambda raw: [raw], "it is not a JSON object"),
    (lambda raw: {**raw, "recovery": None}, "it has no recovery entry with a cost"),
    (lambda raw: {**raw, "version": 99}, "it has the unknown version 99"),
]


@pytest.mark.parametrize("change, why", HOSTILE_KEYS, ids=["16-GB", "100000-passes", "negative", "float", "salt",
                                                           "list", "no-recovery", "version"])
def test_a_hostile_keys_file_is_one_sentence_without_deriving_anything(tmp_path, workspace_with_a_message, change, why):
    keys = encrypted_workspace(tmp_path, workspace_with_a_message)
    altered(keys, change)
    result, peak_mb = run_with_peak(HEARTH, "workspace", "decrypt", "--passphrase-file",
                                    str(pass_file(tmp_path, PASS.encode())), timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (f"hearth: The workspace keys file {keys} is damaged or was altered ({why}); "
                                     "Hearth does not use it: restore it from a backup.")
    assert peak_mb < 400  # before: the 16 GB cost drove the process to 6 GB, 100,000 passes hung past 60 s


def test_a_keys_file_that_is_not_utf8_or_not_json_is_one_sentence(tmp_path, workspace_with_a_message):
    keys = encrypted_workspace(tmp_path, workspace_with_a_message)
    for raw, why in ((b"\xff\xfe{}", "it is not UTF-8 text"), (b"[" * 30_000, "it is not JSON"), (b"{" * 100_000, "it is far larger than a keys file")):
        keys.write_bytes(raw)
        with pytest.raises(workspace.StorageError) as error:
            workspace.unlock(workspace_with_a_message, passphrase=PASS, use_keychain=False)
        assert f"is damaged or was altered ({why}); Hearth does not use it" in str(error.value)


# passphrase files


def test_a_passphrase_file_that_is_not_utf8_is_one_sentence(tmp_path, workspace_with_a_message, capsys):
    from desktop_app.cli import main

    path = pass_file(tmp_path, b"caf\xe9 latte\n")
    assert main(["workspace", "encrypt", "--passphrase-file", str(path), "--no-keychain"]) == 2
    assert capsys.readouterr().err.strip() == (f"hearth: The passphrase file {path} is not UTF-8 text; save it as UTF-8 "
                                              "(the passphrase on its first line).")
    assert not is_encrypted(workspace_with_a_message)


def test_a_byte_order_mark_is_not_part_of_the_passphrase(tmp_path, workspace_with_a_message, capsys):
    from desktop_app.cli import main

    with_bom = pass_file(tmp_path, "\ufeffpass phrase\r\n".encode("utf-8"))
    assert main(["workspace", "encrypt", "--passphrase-file", str(with_bom), "--no-keychain"]) == 0
    capsys.readouterr()
    assert workspace.unlock(workspace_with_a_message, passphrase=PASS, use_keychain=False)
    with pytest.raises(WrongPassphrase):
        workspace.unlock(workspace_with_a_message, passphrase="\ufeff" + PASS, use_keychain=False)
