"""Start the GUI: one QApplication, translations, the app context, the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.core import paths
from desktop_app.core.errors import StorageError
from desktop_app.core.llm.host import LlamaHost
from desktop_app.core.library.registry import ModelRegistry
from desktop_app.core.settings import Settings
from desktop_app.core.store import Store
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


def open_store() -> tuple[Store, str]:
    """The database on disk; if that fails, an in-memory one and a warning for the user."""
    try:
        store = Store(paths.database_path())
        store.mark_interrupted()
        return store, ""
    except StorageError as exc:
        log.error("falling back to an in-memory database: %s", exc)
        warning = QCoreApplication.translate(
            "App",
            "{error} Conversations in this session will not be saved. "
            "Set HEARTH_DATA_DIR to a writable folder or fix the permissions, then restart.",
        ).format(error=exc)
        return Store.in_memory(), warning


def build_context(settings: Settings | None = None) -> AppContext:
    settings = settings or Settings.load()
    store, warning = open_store()
    return AppContext(
        settings=settings,
        registry=ModelRegistry(),
        store=store,
        llm=LlamaHost(settings),
        llm_thread=SerialExecutor("llm"),
        storage_warning=warning,
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

    app = create_application(argv)
    settings = Settings.load()
    install_translators(app, settings.language)
    apply_theme(app, settings.theme)
    sys.excepthook = _excepthook
    context = build_context(settings)
    window = MainWindow(context)
    window.show()
    try:
        return app.exec()
    finally:
        context.close()
