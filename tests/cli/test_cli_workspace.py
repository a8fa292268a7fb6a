"""`hearth workspace ...` and the passphrase for commands that open an encrypted database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from desktop_app.cli import main
from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.instance import InstanceLock
from desktop_app.core.storage.store import Store, is_encrypted

SECRET = "the launch code is 0000"

pytestmark = pytest.mark.usefixtures("no_keychain")  # headless Linux: no keychain


@pytest.fixture
def workspace_with_a_message(data_dir):
    store = Store(paths.database_path())
    c = store.create_conversation()
    store.add_message(c.id, "user", SECRET)
    store.close()
    return paths.database_path()


def secret_file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


def test_encrypt_with_a_passphrase_file_prints_the_recovery_key_once(tmp_path, workspace_with_a_message, capsys):
    db = workspace_with_a_message
    code = main(["workspace", "encrypt", "--passphrase-file", str(secret_file(tmp_path, "pw", "s3cret pass"))])
    out = capsys.readouterr().out
    assert code == 0 and is_encrypted(db) and "recovery key" in out
    recovery = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    assert SECRET.encode() not in db.read_bytes()
    assert main(["workspace", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["encrypted"] and not status["key_in_keychain"] and not status["keychain_available"]
    assert workspace.unlock(db, recovery_key=recovery) == workspace.unlock(db, passphrase="s3cret pass")


def test_wrong_passphrase_is_one_line_and_nonzero(tmp_path, workspace_with_a_message, capsys):
    main(["workspace", "encrypt", "--passphrase-file", str(secret_file(tmp_path, "pw", "right one"))])
    capsys.readouterr()
    code = main(["workspace", "decrypt", "--passphrase-file", str(secret_file(tmp_path, "bad", "wrong one"))])
    err = capsys.readouterr().err
    assert code == 3 and err.strip() == "hearth: That passphrase does not open this workspace."
    assert is_encrypted(workspace_with_a_message)


def test_no_terminal_and_no_passphrase_file_says_how_to_give_it(tmp_path, workspace_with_a_message, capsys):
    main(["workspace", "encrypt", "--passphrase-file", str(secret_file(tmp_path, "pw", "right one"))])
    capsys.readouterr()
    code = main(["workspace", "decrypt"])  # pytest's stdin is not a terminal
    assert code == 2 and "--passphrase-file" in capsys.readouterr().err


def test_decrypt_and_change_passphrase(tmp_path, workspace_with_a_message, capsys):
    db = workspace_with_a_message
    old, new = secret_file(tmp_path, "old", "old pass"), secret_file(tmp_path, "new", "new pass")
    assert main(["workspace", "encrypt", "--passphrase-file", str(old)]) == 0
    assert main(["workspace", "passphrase", "--passphrase-file", str(old), "--new-passphrase-file", str(new)]) == 0
    assert main(["workspace", "decrypt", "--passphrase-file", str(old)]) == 3
    assert main(["workspace", "decrypt", "--passphrase-file", str(new)]) == 0
    assert not is_encrypted(db)
    store = Store(db)
    assert store.messages(store.list_conversations()[0].id)[0].content == SECRET
    store.close()


def test_conversion_is_refused_while_the_app_is_open(tmp_path, workspace_with_a_message, capsys):
    app = InstanceLock(paths.data_dir())
    assert app.acquire()
    try:
        code = main(["workspace", "encrypt", "--passphrase-file", str(secret_file(tmp_path, "pw", "x"))])
    finally:
        app.release()
    assert code == 1 and "close the app first" in capsys.readouterr().err
    assert not is_encrypted(workspace_with_a_message)


def test_summarize_into_an_encrypted_workspace_asks_the_passphrase(tmp_path, workspace_with_a_message, tiny_2k, capsys):
    pw = secret_file(tmp_path, "pw", "right one")
    main(["workspace", "encrypt", "--passphrase-file", str(pw)])
    doc = tmp_path / "note.txt"
    doc.write_text("The bridge opened in May. It cost 1200 pounds.")
    capsys.readouterr()
    assert main(["summarize", str(doc), "--model", str(tiny_2k), "--json"]) == 2  # locked, no terminal: refused up front
    assert "--passphrase-file" in capsys.readouterr().err
    assert main(["summarize", str(doc), "--model", str(tiny_2k), "--json", "--passphrase-file", str(pw)]) == 0
    store = Store(workspace_with_a_message, workspace.unlock(passphrase="right one"))
    assert [s.source_name for s in store.list_summaries()] == ["note.txt"]
    store.close()


def test_the_real_command_line_with_no_keychain_backend(tmp_path, workspace_with_a_message):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    pw = secret_file(tmp_path, "pw", "pass phrase")
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "desktop_app", "workspace", *args], capture_output=True, text=True, env=env, timeout=120
    )
    encrypted = run("encrypt", "--passphrase-file", str(pw))
    assert encrypted.returncode == 0 and encrypted.stderr == "", encrypted.stderr
    status = run("status")
    assert "encrypted: yes" in status.stdout and "passphrase is asked" in status.stdout
