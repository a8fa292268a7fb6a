"""The workspace in the GUI: the lock screen hides everything, a damaged database is recovered,
one app per data dir, the passphrase asked at start when there is no keychain."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from database_factory import damage_pages, fill
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QListWidget, QTextEdit

from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.instance import InstanceLock
from desktop_app.core.storage.keys import TEST_COST
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store
from desktop_app.ui.app import build_context
from desktop_app.ui.main_window import MainWindow

SECRET = "meet me at the blue door at nine"
PASS = "a long passphrase"

pytestmark = pytest.mark.usefixtures("no_keychain")  # headless Linux: no keychain


def write_conversation(key: bytes | None = None, status: str = "done") -> None:
    store = Store(paths.database_path(), key)
    c = store.create_conversation(title="the plan")
    store.add_message(c.id, "user", SECRET)
    store.add_message(c.id, "assistant", "Understood.", status=status)
    store.close()


def encrypted_workspace() -> bytes:
    write_conversation()
    workspace.encrypt(paths.database_path(), PASS, cost=TEST_COST)
    return workspace.unlock(paths.database_path(), passphrase=PASS)


def open_window(qtbot, key: bytes | None) -> MainWindow:
    settings = Settings(encryption_offered=True)
    window = MainWindow(build_context(settings, key))
    qtbot.addWidget(window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.context.close()


def visible_text(window: MainWindow) -> str:
    """Every piece of text a user could see in the window right now."""
    parts = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible():
            parts.append(widget.text())
    for widget in window.findChildren(QTextEdit):
        if widget.isVisible():
            parts.append(widget.toPlainText())
    for widget in window.findChildren(QLineEdit):
        if widget.isVisible():
            parts.append(widget.text())
    for widget in window.findChildren(QListWidget):
        if widget.isVisible():
            parts.extend(widget.item(i).text() for i in range(widget.count()))
    parts.append(window.windowTitle())
    parts.append(window.statusBar().currentMessage())
    return "\n".join(parts)


def test_ctrl_l_hides_every_conversation_until_the_passphrase_is_typed(qtbot):
    key = encrypted_workspace()
    window = open_window(qtbot, key)
    qtbot.waitUntil(lambda: SECRET in visible_text(window) and "the plan" in visible_text(window))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    text = visible_text(window)
    assert SECRET not in text and "the plan" not in text and "locked" in text
    assert not window.panes["chat"].isVisible() and not window.nav.isVisible()
    form = window.lock_screen.form
    form.secret.setText("not the passphrase")
    form.submit()
    qtbot.waitUntil(lambda: "does not open" in form.error.text())
    assert window.locked and SECRET not in visible_text(window)
    form.secret.setText(PASS)
    form.submit()
    qtbot.waitUntil(lambda: not window.locked)
    qtbot.waitUntil(lambda: SECRET in visible_text(window))
    close_window(window)


def test_idle_minutes_lock_the_window(qtbot):
    window = open_window(qtbot, encrypted_workspace())
    window.idle.timer.setInterval(50)  # the setting is in minutes; the test does not wait minutes
    window.idle.timer.start()
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert SECRET not in visible_text(window)
    close_window(window)


def test_a_plain_workspace_cannot_be_locked_and_says_why(qtbot):
    write_conversation()
    window = open_window(qtbot, None)
    window.lock()
    assert not window.locked and "Encrypt" in window.statusBar().currentMessage()
    close_window(window)


def test_a_damaged_database_keeps_the_app_usable_and_is_recovered_into_a_new_file(qtbot, data_dir):
    db = paths.database_path()
    fill(db)
    damage_pages(db, "conversations", "root")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    window = open_window(qtbot, None)
    pane = window.panes["chat"]
    assert window.context.store.path is None and window.context.damaged_database == db  # in memory meanwhile
    assert "damaged" in pane.banner.text() and window.recover_bar.isVisible()
    pane.composer.edit.setPlainText("still usable")  # the pane works: a new conversation in memory
    pane._ensure_conversation()
    assert window.context.store.list_conversations()
    with qtbot.waitSignal(window.recover_bar.recovered, timeout=30000) as blocker:
        window.recover_bar.button.click()
    report = blocker.args[0]
    assert not isinstance(report, BaseException), report
    assert report.rows["messages"] == 240 and "Restart Hearth" in window.recover_bar.text()
    assert hashlib.sha256(report.kept.read_bytes()).hexdigest() == before  # the damaged file, kept byte for byte
    close_window(window)
    recovered = Store(db)
    recovered.check()
    assert len(recovered.list_conversations()) == 120  # rows of the lost page come back as "Recovered conversation"
    recovered.close()


def test_a_second_app_on_the_same_data_dir_brings_the_first_forward_and_leaves_its_reply_alone(qtbot, data_dir):
    from desktop_app.ui.workspace.instance import InstanceServer, server_name

    write_conversation(status="streaming")  # the first app is writing this reply right now
    first = InstanceLock(data_dir)
    assert first.acquire()
    server = InstanceServer(server_name(data_dir))
    assert server.listening
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HEARTH_DATA_DIR=str(data_dir))
    second = None
    try:
        with qtbot.waitSignal(server.show_requested, timeout=60000):
            second = subprocess.Popen(
                [sys.executable, "-m", "desktop_app", "gui"], env=env, stderr=subprocess.PIPE, text=True
            )
        _out, err = second.communicate(timeout=60)
    finally:
        if second is not None and second.poll() is None:  # a second app that did start: never leave it running
            second.kill()
            second.communicate()
        server.close()
        first.release()
    assert second.returncode == 0 and "already open" in err and "brought forward" in err
    store = Store(paths.database_path())
    assert store.messages(store.list_conversations()[0].id)[-1].status == "streaming"
    store.close()


def test_no_keychain_asks_the_passphrase_at_start(qtbot):
    from desktop_app.ui.workspace.unlock_dialog import UnlockDialog, unlock_at_start

    key = encrypted_workspace()

    def type_passphrase() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, UnlockDialog) and w.isVisible()), None)
        if dialog is None:  # the keychain is still being asked (a job): the dialog comes after its answer
            QTimer.singleShot(10, type_passphrase)
            return
        dialog.form.secret.setText(PASS)
        dialog.form.submit()

    QTimer.singleShot(0, type_passphrase)  # runs in the event loops unlock_at_start runs
    assert unlock_at_start(paths.database_path()) == key


def test_encrypting_from_the_privacy_menu_keeps_the_open_window_working(qtbot, data_dir, monkeypatch):
    from desktop_app.ui.workspace.encrypt_dialogs import RecoveryKeyDialog

    write_conversation()
    window = open_window(qtbot, None)
    shown = {}
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda self: shown.setdefault("key", self.key_label.text()))
    menu = window.privacy_menu
    assert not menu.encrypted
    # what the passphrase dialog's OK starts, with the test-only KDF cost
    menu._convert(lambda db: workspace.encrypt(db, PASS, cost=TEST_COST, remember=False), PASS)
    qtbot.waitUntil(lambda: "key" in shown, timeout=30000)
    assert window.context.database_key == workspace.unlock(paths.database_path(), recovery_key=shown["key"])
    store = window.context.store
    store.add_message(store.list_conversations()[0].id, "user", "written after encrypting: " + SECRET)
    assert menu.encrypted and window.screens.isEnabled()
    close_window(window)
    raw = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert SECRET.encode() not in raw
