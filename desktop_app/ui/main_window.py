"""The main window: a pane switcher, a status bar. It knows the panes exist, not how they work."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QSize
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import paths
from desktop_app.ui import workers
from desktop_app.ui.context import AppContext
from desktop_app.ui.language_menu import LanguageMenu
from desktop_app.ui.network_status import NetworkStatusLabel
from desktop_app.ui.workspace.lock_screen import IdleTimer, LockScreen
from desktop_app.ui.workspace.offer_bar import EncryptOfferBar
from desktop_app.ui.workspace.privacy_menu import PrivacyMenu
from desktop_app.ui.workspace.recover_bar import RecoverBar


def _chat(context, parent):
    from desktop_app.ui.chat.pane import ChatPane

    return ChatPane(context, parent)


def _classify(context, parent):
    from desktop_app.ui.classify.pane import ClassifyPane

    return ClassifyPane(context, parent)


def _detect(context, parent):
    from desktop_app.ui.detect.pane import DetectPane

    return DetectPane(context, parent)


def _summarize(context, parent):
    from desktop_app.ui.summarize.documents_pane import DocumentsPane

    return DocumentsPane(context, parent)


def _models(context, parent):
    from desktop_app.ui.models.pane import ModelsPane

    return ModelsPane(context, parent)


def _evaluate(context, parent):
    from desktop_app.ui.evaluate.pane import EvaluatePane

    return EvaluatePane(context, parent)


def _serve(context, parent):
    from desktop_app.ui.serve.pane import ServePane

    return ServePane(context, parent)


# (key, title, factory(context, parent) -> QWidget). Panes are built lazily on first show.
PANES: list[tuple[str, str, Callable]] = [
    ("chat", QT_TRANSLATE_NOOP("MainWindow", "Chat"), _chat),
    ("summarize", QT_TRANSLATE_NOOP("MainWindow", "Documents"), _summarize),
    ("classify", QT_TRANSLATE_NOOP("MainWindow", "Classify"), _classify),
    ("detect", QT_TRANSLATE_NOOP("MainWindow", "Detect"), _detect),
    ("models", QT_TRANSLATE_NOOP("MainWindow", "Models"), _models),
    ("evaluate", QT_TRANSLATE_NOOP("MainWindow", "Evaluate"), _evaluate),
    ("serve", QT_TRANSLATE_NOOP("MainWindow", "Server"), _serve),
]


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setWindowTitle("Hearth")
        icon = paths.assets_dir() / "hearth.png"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.nav = QListWidget()
        self.nav.setObjectName("PaneSwitcher")
        self.nav.setFixedWidth(130)
        self.nav.setStyleSheet("#PaneSwitcher { border: none; } #PaneSwitcher::item { padding: 9px 12px; }")
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.panes: dict[str, QWidget] = {}
        self._factories: dict[str, Callable] = {}
        for index, (key, title, factory) in enumerate(PANES):
            item = QListWidgetItem(self.tr(title))
            item.setData(256, key)
            self.nav.addItem(item)
            self._factories[key] = factory
            self.stack.addWidget(QWidget())
            QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self, activated=lambda i=index: self.nav.setCurrentRow(i))
        self.nav.currentRowChanged.connect(self.show_pane_at)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(self._guarded(central))
        self.language_menu = LanguageMenu(context.settings, self)
        self.language_menu.changed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.menuBar().addMenu(self.tr("&View")).addMenu(self.language_menu)
        self.privacy_menu = PrivacyMenu(context, self)
        self.menuBar().addMenu(self.privacy_menu)
        self.privacy_menu.lock_requested.connect(self.lock)
        self.privacy_menu.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.privacy_menu.busy_changed.connect(lambda busy: self.screens.setEnabled(not busy))
        self.idle = IdleTimer(QApplication.instance(), self)
        self.idle.idle.connect(self.lock)
        self.privacy_menu.idle_minutes_changed.connect(self.idle.set_minutes)
        self.idle.set_minutes(context.settings.lock_after_minutes)
        self._offer_encryption()
        self.statusBar().addPermanentWidget(NetworkStatusLabel(parent=self))
        self._restore_geometry()
        self.nav.setCurrentRow(0)

    def pane_keys(self) -> list[str]:
        return [key for key, _, _ in PANES]

    def show_pane(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self.pane_keys().index(key))
        return self.panes[key]

    def show_pane_at(self, row: int) -> None:
        key = self.pane_keys()[row]
        if key not in self.panes:
            pane = self._factories[key](self.context, self)
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, pane)
            self.panes[key] = pane
        self.stack.setCurrentIndex(row)

    # the workspace: lock screen, damaged-database and encryption bars

    def _guarded(self, content: QWidget) -> QWidget:
        """The panes, behind a lock screen that can cover all of them, under the workspace's message bars."""
        self.lock_screen = LockScreen(self.context.store.path or paths.database_path(), self)
        self.lock_screen.unlocked.connect(self.unlock)
        self.screens = QStackedWidget()
        self.screens.addWidget(content)
        self.screens.addWidget(self.lock_screen)
        outer = QWidget()
        self.bars = QVBoxLayout(outer)
        self.bars.setContentsMargins(0, 0, 0, 0)
        if self.context.damaged_database is not None:
            self.recover_bar = RecoverBar(self.context.damaged_database, self.context.database_key)
            self.bars.addWidget(self.recover_bar)
        self.bars.addWidget(self.screens, 1)
        return outer

    def _offer_encryption(self) -> None:
        settings = self.context.settings
        if settings.encryption_offered or self.privacy_menu.encrypted or not self.privacy_menu.on_disk:
            return
        self.offer_bar = EncryptOfferBar(settings)
        self.offer_bar.accepted.connect(self.privacy_menu.encrypt)
        self.bars.insertWidget(0, self.offer_bar)

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Hide every conversation, result and document until the passphrase is typed again."""
        if self.context.database_key is None:
            self.statusBar().showMessage(
                self.tr("Only an encrypted workspace can be locked: choose Privacy › Encrypt… first."), 8000
            )
            return
        self.screens.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.statusBar().clearMessage()
        self.idle.timer.stop()
        self.lock_screen.form.reset()

    def unlock(self) -> None:
        self.screens.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.idle.set_minutes(self.context.settings.lock_after_minutes)

    def bring_forward(self) -> None:
        """Another start on this data dir was refused: show this window instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _restore_geometry(self) -> None:
        geometry = _window_settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        _window_settings().setValue("window/geometry", self.saveGeometry())
        for pane in self.panes.values():
            shutdown = getattr(pane, "shutdown", None)
            if shutdown:
                shutdown()
        self.idle.stop()
        workers.cancel_all()
        super().closeEvent(event)


def _window_settings() -> QSettings:
    """Window geometry beside the other settings in the data dir (so HEARTH_DATA_DIR keeps it apart)."""
    return QSettings(str(paths.data_dir() / "window.ini"), QSettings.Format.IniFormat)
