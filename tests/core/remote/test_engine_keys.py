"""Where a remote engine's API key is kept: the keychain, else the encrypted workspace, else this session only."""

from __future__ import annotations


import pytest

from desktop_app.core import paths
from desktop_app.core.storage import keychain, workspace
from desktop_app.core.errors import StorageError
from desktop_app.core.storage.keys import TEST_COST
from desktop_app.core.remote import engines
from desktop_app.core.remote.engines import KeyPlace
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store

API_KEY = "sk-hearth-7f3e9a1c55d04b2e"
PASS = "correct horse battery staple"
URL = "http://192.168.1.20:8080"


@pytest.fixture(autouse=True)
def fresh_session():
    yield
    engines._session_keys.clear()
    engines._session_logins.clear()
    engines.use_workspace(None)


def encrypted_store() -> Store:
    database = paths.database_path()
    Store(database).close()
    workspace.encrypt(database, PASS, cost=TEST_COST, remember=False)
    return Store(database, workspace.unlock(database, passphrase=PASS, use_keychain=False))


def everything_on_disk() -> bytes:
    return b"".join(p.read_bytes() for p in sorted(paths.data_dir().rglob("*")) if p.is_file())


def test_without_a_keychain_the_key_goes_to_the_encrypted_workspace_and_survives_a_restart(no_keychain):
    store = encrypted_store()
    engines.use_workspace(store)
    assert engines.key_places() == [KeyPlace.WORKSPACE, KeyPlace.SESSION]
    settings = Settings.load()
    config = engines.add_engine(settings, "office", URL, API_KEY, "big-model")
    settings.save()
    assert config.key == KeyPlace.WORKSPACE and not engines._session_keys
    assert engines.find_engine(settings, "office").api_key() == API_KEY
    store.close()  # the app quits
    engines.use_workspace(None)

    disk = everything_on_disk()  # the database, its WAL, the keys file and settings.json
    assert API_KEY.encode() not in disk and API_KEY.encode("utf-16-le") not in disk
    assert API_KEY not in paths.settings_path().read_text(encoding="utf-8")
    assert b"remote engine api key" not in disk  # not even the secret's name is readable

    database = paths.database_path()
    reopened = Store(database, workspace.unlock(database, passphrase=PASS, use_keychain=False))
    try:
        config = engines.find_engine(Settings.load(), "office")
        assert config.key == KeyPlace.WORKSPACE and config.api_key(reopened) == API_KEY
    finally:
        reopened.close()


def test_a_locked_workspace_says_so_instead_of_sending_no_key(no_keychain):
    store = encrypted_store()
    settings = Settings.load()
    engines.add_engine(settings, "office", URL, API_KEY, workspace=store)
    store.close()
    with pytest.raises(RemoteError, match="kept in the encrypted workspace"):
        engines.find_engine(settings, "office").api_key()
    _, problems = engines.remote_models(settings)
    assert problems and "office" in problems[0]  # the pickers list the problem, they do not crash


def test_with_no_keychain_and_a_plain_workspace_the_key_is_kept_for_this_session_only(no_keychain):
    store = Store(paths.database_path())
    engines.use_workspace(store)
    try:
        assert engines.key_places() == [KeyPlace.SESSION]
        settings = Settings.load()
        config = engines.add_engine(settings, "office", URL, API_KEY)
        settings.save()
        assert config.key == KeyPlace.SESSION and config.api_key() == API_KEY
    finally:
        store.close()
    assert API_KEY.encode() not in everything_on_disk()
    engines._session_keys.clear()  # the app restarts
    assert engines.find_engine(Settings.load(), "office").api_key() is None


def test_a_plain_store_refuses_to_keep_a_secret():
    store = Store(paths.database_path())
    try:
        with pytest.raises(StorageError, match="not encrypted"):
            store.put_secret("x", API_KEY)
    finally:
        store.close()
    assert API_KEY.encode() not in everything_on_disk()


def test_the_keychain_comes_first_and_declining_keeps_the_key_nowhere(memory_keychain):
    store = encrypted_store()
    engines.use_workspace(store)
    try:
        assert engines.key_places() == [KeyPlace.KEYCHAIN, KeyPlace.WORKSPACE, KeyPlace.SESSION]
        settings = Settings.load()
        assert engines.add_engine(settings, "office", URL, API_KEY).key == KeyPlace.KEYCHAIN
        assert memory_keychain.items == {(keychain.API_KEY_SERVICE, "office"): API_KEY}
        assert store.get_secret(engines.secret_name("office")) is None
        chosen = engines.add_engine(settings, "office", URL, API_KEY, place=KeyPlace.WORKSPACE)  # the user's choice
        assert chosen.key == KeyPlace.WORKSPACE and not memory_keychain.items  # the old copy is gone
        declined = engines.add_engine(settings, "office", URL, API_KEY, store_key=False)
        assert declined.key == KeyPlace.SESSION and store.get_secret(engines.secret_name("office")) is None
        assert not memory_keychain.items and engines.find_engine(settings, "office").api_key() == API_KEY
    finally:
        store.close()


@pytest.mark.parametrize("place", [KeyPlace.KEYCHAIN, KeyPlace.WORKSPACE, KeyPlace.SESSION])
def test_removing_an_engine_removes_its_key_wherever_it_is(memory_keychain, place):
    store = encrypted_store()
    engines.use_workspace(store)
    try:
        settings = Settings.load()
        config = engines.add_engine(settings, "office", URL, API_KEY, place=place)
        assert config.key == place
        engines.remove_engine(settings, "office")
        assert not memory_keychain.items and not engines._session_keys
        assert store.get_secret(engines.secret_name("office")) is None
        assert engines.find_engine(settings, "office") is None
    finally:
        store.close()


def test_removing_an_engine_whose_key_is_in_a_locked_workspace_asks_to_unlock_first(no_keychain):
    store = encrypted_store()
    settings = Settings.load()
    engines.add_engine(settings, "office", URL, API_KEY, workspace=store)
    store.close()
    with pytest.raises(RemoteError, match="unlock it first"):
        engines.remove_engine(settings, "office")
    assert engines.find_engine(settings, "office") is not None


def test_decrypting_the_workspace_forgets_its_keys_before_anything_is_written_in_plain(no_keychain):
    store = encrypted_store()
    settings = Settings.load()
    engines.add_engine(settings, "office", URL, API_KEY, workspace=store)
    key = workspace.unlock(paths.database_path(), passphrase=PASS, use_keychain=False)
    store.close()
    assert workspace.decrypt(paths.database_path(), key) == 1
    assert API_KEY.encode() not in everything_on_disk()
    plain = Store(paths.database_path())
    engines.use_workspace(plain)
    try:
        with pytest.raises(RemoteError, match="add the engine again"):
            engines.find_engine(settings, "office").api_key()
        engines.remove_engine(settings, "office")  # nothing left to delete: removing still works
    finally:
        plain.close()


LOGIN_URL = "http://alice:s3cr%3At@192.168.1.20:8080"  # the password is "s3cr:t", percent-encoded in an address


def assert_no_login_on_disk() -> None:
    disk = everything_on_disk()
    assert b"s3cr" not in disk and b"alice" not in disk


def test_a_login_in_the_address_goes_to_the_keychain_and_the_address_is_stored_without_it(memory_keychain):
    settings = Settings.load()
    config = engines.add_engine(settings, "office", LOGIN_URL, model="m")
    settings.save()
    assert config.login == KeyPlace.KEYCHAIN and config.base_url == URL + "/v1"
    assert memory_keychain.items == {(keychain.API_KEY_SERVICE, "office@login"): "alice:s3cr%3At"}
    assert_no_login_on_disk()
    engine = engines.RemoteModel("office", "m").open(Settings.load())
    try:
        assert engine.login == "alice:s3cr%3At" and engine.server_root == URL  # sent, never shown
    finally:
        engine.close()
    engines.remove_engine(settings, "office")
    assert not memory_keychain.items


def test_without_a_keychain_a_login_goes_to_the_encrypted_workspace(no_keychain):
    store = encrypted_store()
    engines.use_workspace(store)
    try:
        settings = Settings.load()
        config = engines.add_engine(settings, "office", LOGIN_URL, API_KEY)
        settings.save()
        assert config.login == config.key == KeyPlace.WORKSPACE and not engines._session_logins
        assert store.get_secret(engines.secret_name("office", engines.Secret.LOGIN)) == "alice:s3cr%3At"
    finally:
        store.close()
    assert_no_login_on_disk()
    with pytest.raises(RemoteError, match="login of office's address is kept in the encrypted workspace"):
        engines.find_engine(Settings.load(), "office").address_login()


def test_with_no_keychain_and_a_plain_workspace_a_login_is_kept_for_this_session_only(no_keychain):
    settings = Settings.load()
    config = engines.add_engine(settings, "office", LOGIN_URL)
    settings.save()
    assert config.login == KeyPlace.SESSION and config.address_login() == "alice:s3cr%3At"
    assert_no_login_on_disk()


def test_a_login_stored_in_an_address_by_an_older_hearth_is_moved_to_the_keychain(memory_keychain):
    settings = Settings.load()
    settings.engines = [{"name": "old", "base_url": LOGIN_URL + "/v1", "model": "m", "key": "none"}]
    settings.save()
    (config,) = engines.list_engines(Settings.load())
    assert config.base_url == URL + "/v1" and config.address_login() == "alice:s3cr%3At"  # used, never shown
    assert engines.store_logins(settings)
    settings.save()
    assert_no_login_on_disk()
    assert memory_keychain.items == {(keychain.API_KEY_SERVICE, "old@login"): "alice:s3cr%3At"}
    engines._session_logins.clear()  # a later run
    assert engines.find_engine(Settings.load(), "old").address_login() == "alice:s3cr%3At"
    assert not engines.store_logins(Settings.load())  # nothing left to move
