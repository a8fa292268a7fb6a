"""Start the GUI: one QApplication, translations, the app context, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.core import paths
from desktop_app.core.errors import DatabaseCorrupt, StorageError
from desktop_app.core.instance import InstanceLock
from desktop_app.core.llm.host import LlamaHost
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.remote import engines
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store
from desktop_app.ui.context import AppContext
from desktop_app.ui.workers import SerialExecutor, describe_error

log = logging.getLogger(__name__)
I18N_DIR = paths.bundle_root() / "desktop_app" / "i18n"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    locale = QLocale(language) if language and language != "auto" else QLocale.system()
    translators = []
    ours = QTranslator(app)
    if ours.load(locale, "hearth", "_", str(I18N_DIR)):
        app.installTranslator(ours)
        translators.append(ours)
    qt_base = QTranslator(app)
    if qt_base.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        translators.append(qt_base)
    return translators


def open_store(key: bytes | None = None) -> tuple[Store, str, Path | None]:
    """The database on disk; if that fails, an in-memory one and a warning for the user.

    The third value is a damaged database file the app did not open (it is never written to).
    """
    path = paths.database_path()
    try:
        store = Store(path, key)
        try:
            store.check()  # a damaged page shows up now, not as a broken pane later
            store.mark_interrupted()
        except StorageError:
            store.close()
            raise
        return store, "", None
    except DatabaseCorrupt as exc:
        log.error("damaged database, falling back to an in-memory one: %s", exc)
        warning = QCoreApplication.translate(
            "App",
            "{error} Conversations in this session will not be saved until the database is recovered.",
        ).format(error=exc)
        return Store.in_memory(), warning, path
    except StorageError as exc:
        log.error("falling back to an in-memory database: %s", exc)
        warning = QCoreApplication.translate(
            "App",
            "{error} Conversations in this session will not be saved. "
            "Set HEARTH_DATA_DIR to a writable folder or fix the permissions, then restart.",
        ).format(error=exc)
        return Store.in_memory(), warning, None


def build_context(settings: Settings | None = None, key: bytes | None = None) -> AppContext:
    settings = settings or Settings.load()
    store, warning, damaged = open_store(key)
    engines.use_workspace(store)  # remote engines' API keys kept in an encrypted workspace are read there
    return AppContext(
        settings=settings,
        registry=ModelRegistry(),
        store=store,
        llm=LlamaHost(settings),
        llm_thread=SerialExecutor("llm"),
        storage_warning=warning,
        database_key=key,
        damaged_database=damaged,
    )


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("hearth")
    icon = paths.assets_dir() / "hearth.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def apply_theme(app: QApplication, theme: str) -> None:
    """'auto' follows the OS light/dark setting (Qt does that by itself); 'light'/'dark' force one."""
    from PySide6.QtCore import Qt

    schemes = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    hints = app.styleHints()
    if theme in schemes and hasattr(hints, "setColorScheme"):
        hints.setColorScheme(schemes[theme])


def _excepthook(exc_type, exc, tb) -> None:
    log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is not None:
        QMessageBox.critical(None, APP_NAME, describe_error(exc))


def run_app(argv: list[str]) -> int:
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.workspace.instance import InstanceServer, ask_to_show, server_name
    from desktop_app.ui.workspace.unlock_dialog import UnlockCancelled, unlock_at_start

    app = create_application(argv)
    instance = InstanceLock(paths.data_dir())
    name = server_name(paths.data_dir())
    if not instance.acquire():
        # a second app would mark the first one's live reply interrupted: show the first window instead
        shown = ask_to_show(name)
        print(f"hearth: Hearth is already open on {paths.data_dir()}"
              + ("; its window was brought forward." if shown else ", but did not answer."), file=sys.stderr)
        return 0 if shown else 1
    server = InstanceServer(name, app)
    settings = Settings.load()
    install_translators(app, settings.language)
    apply_theme(app, settings.theme)
    sys.excepthook = _excepthook
    try:
        key = unlock_at_start(paths.database_path())
    except UnlockCancelled:
        return 0
    except StorageError as exc:  # e.g. the keys file is gone: the app still starts, on an in-memory database
        log.error("workspace cannot be unlocked: %s", exc)
        key = None
    context = build_context(settings, key)
    window = MainWindow(context)
    server.show_requested.connect(window.bring_forward)
    window.show()
    try:
        return app.exec()
    finally:
        context.close()
        server.close()
        instance.release()
