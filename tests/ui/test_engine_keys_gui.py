"""The add-engine form on a system without a keychain: it offers the encrypted workspace, or says how to get it."""

from __future__ import annotations

import pytest

from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.storage.keys import TEST_COST
from desktop_app.core.remote import engines
from desktop_app.core.remote.engines import KeyPlace
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow
from serve_factory import running_server

pytestmark = [pytest.mark.allow_loopback, pytest.mark.usefixtures("no_keychain")]


@pytest.fixture(autouse=True)
def fresh_session():
    yield
    engines._session_keys.clear()
    engines._session_logins.clear()
    engines.use_workspace(None)

API_KEY = "sk-office-31d8c0f2a9b74e55"
PASS = "correct horse battery staple"


@pytest.fixture(scope="module")
def keyed_server(tiny_gguf):
    with running_server(tiny_gguf, n_ctx=2048, api_key=API_KEY) as server:
        yield server


def open_window(qtbot, key: bytes | None):
    settings = Settings()
    settings.encryption_offered = True  # no offer bar over the panes
    window = MainWindow(build_context(settings, key))
    qtbot.addWidget(window)
    window.show()
    return window, window.show_pane("serve")


def close_window(window) -> None:
    window.close()
    window.context.close()


def offered(pane) -> list:
    return [pane.key_place.itemData(i) for i in range(pane.key_place.count())]


def wait_offered(qtbot, pane, places: list) -> None:
    """The form comes to offer ``places``, in that order (the keychain is asked off the GUI thread)."""
    qtbot.waitUntil(lambda: offered(pane) == places, timeout=10000)


def add(qtbot, pane, server) -> None:
    pane.engine_name.setText("office")
    pane.engine_url.setText(server.url)
    pane.engine_key.setText(API_KEY)
    with qtbot.waitSignal(pane.engines_changed, timeout=30000) as added:
        pane.add_button.click()
    assert not isinstance(added.args[0], BaseException), pane.engine_status.text()


def test_with_an_encrypted_workspace_the_form_offers_it_and_keeps_the_key_there(qtbot, keyed_server):
    database = paths.database_path()
    Store(database).close()
    workspace.encrypt(database, PASS, cost=TEST_COST, remember=False)
    window, pane = open_window(qtbot, workspace.unlock(database, passphrase=PASS, use_keychain=False))
    try:
        wait_offered(qtbot, pane, [KeyPlace.WORKSPACE, KeyPlace.SESSION])
        assert pane.key_place.currentData() == KeyPlace.WORKSPACE and "no keychain" in pane.key_note.text()
        add(qtbot, pane, keyed_server)
        assert "kept in the encrypted workspace" in pane.engine_status.text()
        assert window.context.store.get_secret(engines.secret_name("office")) == API_KEY
        saved = paths.settings_path()
        qtbot.waitUntil(lambda: saved.exists() and '"office"' in saved.read_text(encoding="utf-8"), timeout=10000)
        assert API_KEY not in saved.read_text(encoding="utf-8") and '"workspace"' in saved.read_text(encoding="utf-8")
        pane.engine_list.setCurrentRow(0)
        with qtbot.waitSignal(pane.engines_changed, timeout=10000):
            pane.remove_button.click()
        assert window.context.store.get_secret(engines.secret_name("office")) is None
        assert "and its key" in pane.engine_status.text()
    finally:
        close_window(window)


def test_with_a_plain_workspace_the_form_says_the_key_is_not_kept_and_how_to_keep_it(qtbot, keyed_server):
    window, pane = open_window(qtbot, None)
    try:
        wait_offered(qtbot, pane, [KeyPlace.SESSION])
        assert "not encrypted" in pane.key_note.text() and "Privacy › Encrypt my conversations" in pane.key_note.text()
        add(qtbot, pane, keyed_server)
        assert "only until Hearth closes" in pane.engine_status.text()
        assert engines.find_engine(window.context.settings, "office").key == KeyPlace.SESSION
    finally:
        close_window(window)
    assert API_KEY.encode() not in paths.database_path().read_bytes()


def test_encrypting_the_workspace_while_the_pane_is_open_offers_it_once_a_key_is_typed(qtbot):
    window, pane = open_window(qtbot, None)
    try:
        wait_offered(qtbot, pane, [KeyPlace.SESSION])
        database, keys = paths.database_path(), {}
        with window.context.store.closed_while(lambda: keys["now"]):  # as Privacy › Encrypt does
            workspace.encrypt(database, PASS, cost=TEST_COST, remember=False)
            keys["now"] = workspace.unlock(database, passphrase=PASS, use_keychain=False)
        window.context.database_key = keys["now"]
        qtbot.keyClicks(pane.engine_key, "s")
        wait_offered(qtbot, pane, [KeyPlace.WORKSPACE, KeyPlace.SESSION])
        assert pane.key_place.currentData() == KeyPlace.WORKSPACE
    finally:
        close_window(window)


def test_a_login_in_the_address_is_kept_like_a_key_and_never_shown(qtbot):
    from hostile_server import HostileServer

    database = paths.database_path()
    Store(database).close()
    workspace.encrypt(database, PASS, cost=TEST_COST, remember=False)
    with HostileServer("ok") as server:
        window, pane = open_window(qtbot, workspace.unlock(database, passphrase=PASS, use_keychain=False))
        try:
            pane.engine_name.setText("office")
            pane.engine_url.setText(server.url.replace("http://", "http://alice:s3cret@"))
            with qtbot.waitSignal(pane.engines_changed, timeout=30000) as added:
                pane.add_button.click()
            assert not isinstance(added.args[0], BaseException), pane.engine_status.text()
            shown = pane.engine_status.text() + " ".join(pane.engine_list.item(i).text() for i in range(pane.engine_list.count()))
            assert "s3cret" not in shown and "The login in the address is kept in the encrypted workspace." in shown
            assert server.requests[0][3]["Authorization"].startswith("Basic ")
            assert window.context.store.get_secret(engines.secret_name("office", engines.Secret.LOGIN)) == "alice:s3cret"
            saved = paths.settings_path()
            qtbot.waitUntil(lambda: saved.exists() and '"office"' in saved.read_text(encoding="utf-8"), timeout=10000)
            assert "s3cret" not in saved.read_text(encoding="utf-8")
        finally:
            close_window(window)
