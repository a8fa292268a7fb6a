"""`hearth engines add --api-key-file` on a system without a keychain: the key goes to the encrypted workspace
(and the command says so), or is not stored (and the command says how to keep it)."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.storage.keys import TEST_COST
from desktop_app.core.remote import engines
from desktop_app.core.storage.store import Store
from serve_factory import running_server

API_KEY = "sk-cli-0b9d4e7a61c2f385"
PASS = "correct horse battery staple"
URL = "http://192.168.1.20:8080"

pytestmark = pytest.mark.usefixtures("no_keychain")  # headless Linux: no keychain


@pytest.fixture(autouse=True)
def fresh_session():
    yield
    engines._session_keys.clear()
    engines._session_logins.clear()


@pytest.fixture
def files(tmp_path):
    key_file, passphrase_file = tmp_path / "key.txt", tmp_path / "pass.txt"
    key_file.write_text(API_KEY + "\n", encoding="utf-8")
    passphrase_file.write_text(PASS + "\n", encoding="utf-8")
    return key_file, passphrase_file


def encrypt_workspace() -> None:
    Store(paths.database_path()).close()
    workspace.encrypt(paths.database_path(), PASS, cost=TEST_COST, remember=False)


def secret_in_workspace() -> str | None:
    database = paths.database_path()
    store = Store(database, workspace.unlock(database, passphrase=PASS, use_keychain=False))
    try:
        return store.get_secret(engines.secret_name("office"))
    finally:
        store.close()


def listed_key(capsys) -> str:
    capsys.readouterr()
    assert main(["engines", "list", "--offline", "--json"]) == 0
    return json.loads(capsys.readouterr().out)[0]["key"]


def test_the_key_goes_to_the_encrypted_workspace_and_remove_deletes_it(files, capsys):
    key_file, passphrase_file = files
    encrypt_workspace()
    code = main(["engines", "add", "office", URL, "--model", "m", "--no-check",
                 "--api-key-file", str(key_file), "--passphrase-file", str(passphrase_file)])
    assert code == 0
    assert "kept in the encrypted workspace" in capsys.readouterr().err
    assert secret_in_workspace() == API_KEY and listed_key(capsys) == "workspace"
    assert API_KEY not in paths.settings_path().read_text(encoding="utf-8")
    assert API_KEY.encode() not in paths.database_path().read_bytes()
    assert main(["engines", "remove", "office", "--passphrase-file", str(passphrase_file)]) == 0
    assert "and its API key" in capsys.readouterr().out
    assert secret_in_workspace() is None


def test_with_a_plain_workspace_the_key_is_not_stored_and_the_user_is_told_how_to_keep_it(files, capsys):
    key_file, _ = files
    assert main(["engines", "add", "office", URL, "--model", "m", "--no-check", "--api-key-file", str(key_file)]) == 0
    err = capsys.readouterr().err
    assert "was not stored" in err and "not encrypted" in err and "hearth workspace encrypt" in err
    assert listed_key(capsys) == "session"  # recorded as not kept: the next run asks for --api-key-file
    assert API_KEY not in paths.settings_path().read_text(encoding="utf-8")


@pytest.mark.allow_loopback
def test_chat_reads_the_key_from_the_workspace(tiny_gguf, files, capsys):
    key_file, passphrase_file = files
    encrypt_workspace()
    with running_server(tiny_gguf, n_ctx=2048, api_key=API_KEY) as server:
        assert main(["engines", "add", "office", server.url, "--api-key-file", str(key_file),
                     "--passphrase-file", str(passphrase_file)]) == 0
        engines._session_keys.clear()  # a later run: only the workspace knows the key
        capsys.readouterr()
        code = main(["chat", "--engine", "office", "--passphrase-file", str(passphrase_file),
                     "--max-tokens", "4", "--json", "hello"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert json.loads(captured.out)["engine"] == server.url
        assert main(["chat", "--engine", "office", "--max-tokens", "4", "hello"]) != 0  # no passphrase, no key
        assert "passphrase" in capsys.readouterr().err


def test_decrypting_the_workspace_says_its_api_keys_were_forgotten(files, capsys):
    key_file, passphrase_file = files
    encrypt_workspace()
    assert main(["engines", "add", "office", URL, "--model", "m", "--no-check",
                 "--api-key-file", str(key_file), "--passphrase-file", str(passphrase_file)]) == 0
    capsys.readouterr()
    assert main(["workspace", "decrypt", "--passphrase-file", str(passphrase_file)]) == 0
    assert "1 remote engine API key(s) kept in it were forgotten" in capsys.readouterr().err
    assert API_KEY.encode() not in paths.database_path().read_bytes()


@pytest.mark.allow_loopback
def test_a_login_in_an_address_is_used_and_never_printed_nor_stored_in_plain(files, capsys):
    import base64

    from hostile_server import HostileServer
    from serve_factory import free_port

    _key_file, passphrase_file = files
    encrypt_workspace()
    with HostileServer("ok") as server:
        address = server.url.replace("http://", "http://alice:s3cret@")
        assert main(["engines", "add", "box", address, "--passphrase-file", str(passphrase_file)]) == 0
        assert main(["engines", "list", "--passphrase-file", str(passphrase_file)]) == 0
        engines._session_logins.clear()  # a later run: only the workspace knows the login
        assert main(["chat", "--engine", "box", "--passphrase-file", str(passphrase_file), "hello"]) == 0
        sent = {headers.get("Authorization") for _method, _path, _body, headers in server.requests}
    out, err = capsys.readouterr()
    assert sent == {"Basic " + base64.b64encode(b"alice:s3cret").decode()}
    assert "s3cret" not in out + err and f"added box ({server.url}/v1)" in out and "Hello there!" in out
    assert "the login in the address is kept in the encrypted workspace" in err
    assert "s3cret" not in paths.settings_path().read_text(encoding="utf-8")
    assert b"s3cret" not in paths.database_path().read_bytes()
    closed = f"http://alice:s3cret@127.0.0.1:{free_port()}"
    assert main(["chat", "--engine", closed, "--timeout", "5", "hello"]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("hearth: Could not reach http://127.0.0.1:") and "s3cret" not in line and "alice" not in line
