"""The main window: a pane switcher, a status bar. It knows the panes exist, not how they work."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QSize
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from desktop_app.core import paths
from desktop_app.ui import workers
from desktop_app.ui.context import AppContext
from desktop_app.ui.language_menu import LanguageMenu


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
    from desktop_app.ui.summarize.pane import SummarizePane

    return SummarizePane(context, parent)


def _models(context, parent):
    from desktop_app.ui.models.pane import ModelsPane

    return ModelsPane(context, parent)


# (key, title, factory(context, parent) -> QWidget). Panes are built lazily on first show.
PANES: list[tuple[str, str, Callable]] = [
    ("chat", QT_TRANSLATE_NOOP("MainWindow", "Chat"), _chat),
    ("summarize", QT_TRANSLATE_NOOP("MainWindow", "Summarize"), _summarize),
    ("classify", QT_TRANSLATE_NOOP("MainWindow", "Classify"), _classify),
    ("detect", QT_TRANSLATE_NOOP("MainWindow", "Detect"), _detect),
    ("models", QT_TRANSLATE_NOOP("MainWindow", "Models"), _models),
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
        self.setCentralWidget(central)
        self.language_menu = LanguageMenu(context.settings, self)
        self.language_menu.changed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.menuBar().addMenu(self.tr("&View")).addMenu(self.language_menu)
        self.statusBar().showMessage(self.tr("Everything runs on this computer. Nothing is sent anywhere."), 8000)
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

    def _restore_geometry(self) -> None:
        geometry = QSettings("Hearth", "Hearth").value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings("Hearth", "Hearth").setValue("window/geometry", self.saveGeometry())
        for pane in self.panes.values():
            shutdown = getattr(pane, "shutdown", None)
            if shutdown:
                shutdown()
        workers.cancel_all()
        super().closeEvent(event)
