"""The Server pane: serve a local model to the office, and add the remote engines this app can use.

Serving runs in a child process (core/remote/serve.py); starting, stopping, polling its stats, testing
an engine and every keychain read or write (where a key can be kept, adding and removing an engine) are
jobs, so the GUI thread never waits on a socket or a keychain.
"""

from __future__ import annotations

import copy
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.remote import engines
from desktop_app.core.remote.address import shown, split_login
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.engines import KeyPlace
from desktop_app.core.remote.errors import ServeError, StrayServer
from desktop_app.core.remote.serve import DEFAULT_PORT, ServeOptions, ServeProcess, new_api_key, stop_stray
from desktop_app.core.settings import Settings
from desktop_app.ui.context import AppContext
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.workers import Job, describe_error, run_job

log = logging.getLogger(__name__)

STATS_EVERY_MS = 2000


def client_examples(base_url: str, model: str, keyed: bool) -> str:
    auth = ' -H "Authorization: Bearer $HEARTH_KEY"' if keyed else ""
    key = 'os.environ["HEARTH_KEY"]' if keyed else '"none"'
    return (
        f"curl {base_url}/chat/completions -H \"Content-Type: application/json\"{auth} \\\n"
        f"  -d '{{\"model\": \"{model}\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello\"}}]}}'\n\n"
        "import os\nfrom openai import OpenAI\n"
        f"client = OpenAI(base_url=\"{base_url}\", api_key={key})\n"
        f"reply = client.chat.completions.create(model=\"{model}\", messages=[{{\"role\": \"user\", \"content\": \"Hello\"}}])\n"
        "print(reply.choices[0].message.content)\n"
    )


class ServePane(QWidget):
    serving_changed = Signal(object)  # the ServeProcess, None when stopped, or the exception
    engines_changed = Signal(object)  # the engine list after a change, or the exception
    stray_stopped = Signal(object)  # the stray server stopped, or the exception
    key_places_shown = Signal(list)  # the places a key can be kept now (KeyPlace), best first

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.server: ServeProcess | None = None
        self.job: Job | None = None
        self._closing = False
        self._key_places_asked = 0  # generations: only the newest answer is shown
        self._stats_job: Job | None = None
        self.banner = MessageBanner()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self._build_serve_box())
        layout.addWidget(self._build_engines_box(), 1)
        self.stats_timer = QTimer(self)
        self.stats_timer.setInterval(STATS_EVERY_MS)
        self.stats_timer.timeout.connect(self._poll_stats)
        self.refresh_models()
        self.refresh_engines()
        self._store_logins()

    def _store_logins(self) -> None:
        """Older settings kept a login in an engine's address: move it to where keys are kept (a job: the keychain
        may be slow), and save the settings without it."""
        settings, store = self.context.settings, self.context.store
        if not any(split_login(str(raw.get("base_url", "")))[1] for raw in settings.engines if isinstance(raw, dict)):
            return

        def stored(changed: bool) -> None:
            if changed:
                save_settings(settings, parent=self, on_failed=lambda exc: self.banner.show_message(
                    describe_error(exc), BannerLevel.WARNING))

        run_job(lambda ctx: engines.store_logins(settings, store), parent=self, on_result=stored)

    # serving

    def _build_serve_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Serve a model to other programs and PCs (OpenAI-compatible)"))
        form = QFormLayout(box)
        self.model = QComboBox()
        self.share = QCheckBox(self.tr("Share on my network (anyone with the key can use it)"))
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.parallel = QSpinBox()
        self.parallel.setRange(1, 32)
        self.parallel.setValue(4)
        self.start_button = QPushButton(self.tr("Serve this model"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        self.url = QLabel(self.tr("Not serving."))
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setPlaceholderText(self.tr("No key: this PC only"))
        self.examples = QPlainTextEdit()
        self.examples.setReadOnly(True)
        self.examples.setMaximumHeight(140)
        self.copy_button = QPushButton(self.tr("Copy example"))
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.examples.toPlainText()))
        self.stats = QLabel("")
        form.addRow(self.tr("Model"), self.model)
        form.addRow("", self.share)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Clients at once"), self.parallel)
        form.addRow("", buttons)
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Example"), self.examples)
        form.addRow("", self.copy_button)
        form.addRow(self.tr("Activity"), self.stats)
        self.start_button.clicked.connect(self.start_serving)
        self.stop_button.clicked.connect(self.stop_serving)
        return box

    def refresh_models(self) -> None:
        self.model.clear()
        for entry in self.context.registry.list(task="chat"):
            self.model.addItem(entry.name, entry)
        self.model.setCurrentIndex(max(0, self.model.findText(self.context.settings.default_models.get("chat", ""))))

    @property
    def serving(self) -> bool:
        return self.server is not None

    def start_serving(self) -> None:
        entry = self.model.currentData()
        if entry is None or self.job is not None or self.serving:
            return
        share = self.share.isChecked()
        settings = self.context.settings
        options = ServeOptions(
            model=entry.path, host="0.0.0.0" if share else "127.0.0.1", port=self.port.value(),
            api_key=new_api_key() if share else None, parallel=self.parallel.value(),
            n_ctx=min(int(settings.context_length), 4096), threads=settings.resolved_threads(), alias=entry.name,
        )
        self.banner.hide()
        self.start_button.setEnabled(False)
        self.stats.setText(self.tr("Starting…"))

        def work(ctx):
            server = ServeProcess(options)
            try:
                server.start(cancel=ctx.cancel)
            except ServeError as exc:
                plain = _without_output(exc, server)
                if plain is exc:
                    raise
                raise plain from exc
            if ctx.cancelled:  # the pane went away while the server started: nobody would ever stop it
                server.stop()
                raise ServeError("Serving was cancelled before the server was ready.")
            return server

        def served(server: ServeProcess) -> None:
            if isValid(self) and not self._closing:
                self._served(server)
            else:  # the pane went away after the server was ready: stop it, off the GUI thread
                run_job(lambda ctx: server.stop())

        # no parent: a pane destroyed meanwhile must still get the server back, to stop it (cancelled, see above)
        self.job = run_job(work, on_result=served, on_error=lambda exc: self._serve_failed(exc) if isValid(self) else None)
        self.destroyed.connect(self.job.cancel)

    def _served(self, server: ServeProcess) -> None:
        self.job = None
        self.server = server
        options = server.options
        config = engines.EngineConfig(engines.SERVING_ENGINE, server.base_url, options.model_id)
        engines.set_session_engine(config, options.api_key, served=options.model)
        self._forget_remote(engines.SERVING_ENGINE)
        where = server.base_url if not options.shared else server.base_url.replace("127.0.0.1", self.tr("this PC's address"))
        self.url.setText(where)
        self.key.setText(options.api_key or "")
        self.examples.setPlainText(client_examples(server.base_url, options.model_id, bool(options.api_key)))
        self.stop_button.setEnabled(True)
        self.stats.setText(self.tr("Serving {model}; Chat and Summarize use this server for it.").format(model=options.model_id))
        if options.api_key:
            self.banner.show_message(
                self.tr("Give this key only to the people who may use the model; it is shown only while serving."),
                BannerLevel.INFO,
            )
        self.stats_timer.start()
        self.serving_changed.emit(server)

    def _serve_failed(self, exc: BaseException) -> None:
        self.job = None
        self.start_button.setEnabled(True)
        self.stats.setText("")
        if isinstance(exc, StrayServer):
            self.banner.show_message(
                self.tr("Port {port} is in use by a server that an earlier Hearth started and left running "
                        "(process {pid}).").format(port=exc.server.port, pid=exc.server.pid),
                action=(self.tr("Stop it"), lambda: self.stop_stray(exc.server)),
            )
        else:
            self._show_problem(describe_error(exc), getattr(exc, "details", ""))
        self.serving_changed.emit(exc)

    def _show_problem(self, sentence: str, details: str = "") -> None:
        """One plain sentence in the banner; the server's own lines only behind its Details button."""
        if not details:
            self.banner.show_message(sentence)
            return
        self.banner.show_message(sentence + " " + self.tr("Its last lines are under Details."),
                                 action=(self.tr("Details"), lambda: self._show_details(sentence, details)))

    def _show_details(self, sentence: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Server"), sentence, QMessageBox.StandardButton.Close, self)
        box.setDetailedText(details)
        box.open()
        self.details_box = box  # the tests read it

    def stop_stray(self, server) -> None:
        """End the server an earlier Hearth left on the port (the banner's button)."""

        def done(_stopped) -> None:
            self.banner.show_message(self.tr("Stopped the server that was left running on port {port}; you can serve "
                                             "now.").format(port=server.port), BannerLevel.INFO)
            self.stray_stopped.emit(server)

        def failed(exc) -> None:
            self.banner.show_message(describe_error(exc))
            self.stray_stopped.emit(exc)

        run_job(lambda ctx: stop_stray(server), parent=self, on_result=done, on_error=failed)

    def _poll_stats(self) -> None:
        server = self.server
        if server is None or self._stats_job is not None:
            return
        if not server.running:
            log.warning("the server stopped unexpectedly")
            run_job(lambda ctx: server.stop())  # what it leaves: its output pipe, its tie to this process, its record
            self._stopped(self.tr("The server stopped unexpectedly. Start it again, or choose another model."),
                          details=server.output_tail())
            return

        def done(stats) -> None:
            self._stats_job = None
            if self.server is server:
                self.stats.setText(
                    self.tr("{served} requests served · {active} active now · {tps:.1f} tokens/s").format(
                        served=stats.requests_served, active=stats.active_clients, tps=stats.tokens_per_s
                    )
                )

        def failed(exc) -> None:
            self._stats_job = None

        self._stats_job = run_job(lambda ctx: server.stats(), parent=self, on_result=done, on_error=failed)

    def stop_serving(self) -> None:
        server = self.server
        if server is None:
            return
        self.stop_button.setEnabled(False)
        self.job = run_job(lambda ctx: server.stop(), parent=self, on_result=lambda _r: self._stopped(), on_error=lambda exc: self._stopped(describe_error(exc)))

    def _stopped(self, problem: str | None = None, details: str = "") -> None:
        self.job = None
        self.stats_timer.stop()
        if self.server is not None and self.server.running:
            self.server.stop()
        self.server = None
        engines.set_session_engine(None)
        self._forget_remote(engines.SERVING_ENGINE)
        self.url.setText(self.tr("Not serving."))
        self.key.clear()
        self.examples.clear()
        self.stats.setText("")
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if problem:
            self._show_problem(problem, details)
        self.serving_changed.emit(None)

    def shutdown(self) -> None:
        """The app is closing: the child process goes with it (one still starting is stopped by its job)."""
        self._closing = True
        if self.job is not None:
            self.job.cancel()
        self.stats_timer.stop()
        if self.server is not None:
            self.server.stop()
            self.server = None
            engines.set_session_engine(None)

    # remote engines

    def _build_engines_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Remote engines (llama.cpp server, vLLM, Ollama, another Hearth)"))
        layout = QVBoxLayout(box)
        self.engine_list = QListWidget()
        form = QFormLayout()
        self.engine_name = QLineEdit()
        self.engine_name.setPlaceholderText(self.tr("office-gpu"))
        self.engine_url = QLineEdit()
        self.engine_url.setPlaceholderText("http://192.168.1.20:8080")
        self.engine_key = QLineEdit()
        self.engine_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.engine_key.setPlaceholderText(self.tr("optional"))
        self.key_place = QComboBox()  # where the key is kept: refreshed when the pane shows (see refresh_key_places)
        self.key_note = QLabel("")
        self.key_note.setWordWrap(True)
        form.addRow(self.tr("Name"), self.engine_name)
        form.addRow(self.tr("Address"), self.engine_url)
        form.addRow(self.tr("API key"), self.engine_key)
        form.addRow(self.tr("Keep the key"), self.key_place)
        form.addRow("", self.key_note)
        self.add_button = QPushButton(self.tr("Test and add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.engine_status = QLabel("")
        self.engine_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.engine_list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.engine_status)
        self.add_button.clicked.connect(self.add_engine)
        self.remove_button.clicked.connect(self.remove_engine)
        self.engine_key.textEdited.connect(self.refresh_key_places)  # the workspace may be encrypted meanwhile
        self.refresh_key_places()
        return box

    def _key_place_names(self) -> dict[KeyPlace, str]:
        return {
            KeyPlace.KEYCHAIN: self.tr("in the system keychain"),
            KeyPlace.WORKSPACE: self.tr("in the encrypted workspace"),
            KeyPlace.SESSION: self.tr("only until Hearth closes (not stored)"),
        }

    def refresh_key_places(self, *_typed) -> None:
        """The places a key can go now, best first: the workspace may have been encrypted since. Asking the
        keychain whether it is there is a job (a keychain can take its time to answer)."""
        self._key_places_asked += 1
        asked, store = self._key_places_asked, self.context.store
        run_job(lambda ctx: engines.key_places(store), parent=self,
                on_result=lambda places: self._show_key_places(asked, places))

    def _show_key_places(self, asked: int, places: list[KeyPlace]) -> None:
        if asked != self._key_places_asked:
            return  # a newer question is on its way
        shown = [self.key_place.itemData(i) for i in range(self.key_place.count())]
        if places != shown:
            chosen = self.key_place.currentData()
            names = self._key_place_names()
            self.key_place.clear()
            for place in places:
                self.key_place.addItem(names[place], place)
            if chosen in places and chosen != KeyPlace.SESSION:  # a new, better place is offered first
                self.key_place.setCurrentIndex(places.index(chosen))
        if KeyPlace.KEYCHAIN in places:
            self.key_note.setText("")
        elif KeyPlace.WORKSPACE in places:
            self.key_note.setText(self.tr("This system has no keychain: the key can be kept in your encrypted workspace."))
        else:
            self.key_note.setText(self.tr(
                "This system has no keychain and your workspace is not encrypted, so the key is kept only until "
                "Hearth closes. To keep it, choose Privacy › Encrypt my conversations…, then add the engine again."))
        self.key_places_shown.emit(places)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.refresh_key_places()
        super().showEvent(event)

    def refresh_engines(self) -> None:
        self.engine_list.clear()
        for config in engines.list_engines(self.context.settings):
            item = QListWidgetItem(f"{config.name} — {config.base_url} — {config.model or self.tr('any model')}")
            item.setData(256, config.name)
            self.engine_list.addItem(item)

    def add_engine(self) -> None:
        name, url, key = self.engine_name.text().strip(), self.engine_url.text().strip(), self.engine_key.text().strip()
        if not name or not url:
            self.engine_status.setText(self.tr("Give the engine a name and an address."))
            return
        place = self.key_place.currentData()
        self.add_button.setEnabled(False)
        self.engine_status.setText(self.tr("Asking {url} for its models…").format(url=shown(url)))
        settings, store = self.context.settings, self.context.store
        scratch = Settings(engines=copy.deepcopy(settings.engines))  # the job's own copy; the GUI's changes on return

        def work(ctx):
            with RemoteEngine(url, api_key=key or None, max_retries=0, timeout=15) as probe:
                models = probe.list_models()
            if not models:
                return models, None
            # the key goes to the keychain or the workspace here, off the GUI thread
            config = engines.add_engine(scratch, name, url, key or None, models[0], store_key=place != KeyPlace.SESSION,
                                        place=place, workspace=store)
            return models, config

        def done(result) -> None:
            models, config = result
            if config is None:
                self.engine_status.setText(self.tr("{url} serves no models yet.").format(url=shown(url)))
                self.engines_changed.emit(RuntimeError("no models"))
                return
            added = [raw for raw in scratch.engines if raw.get("name") == config.name]
            settings.engines = [raw for raw in settings.engines if raw.get("name") != config.name] + added
            save_settings(settings, parent=self, on_failed=lambda exc: self.banner.show_message(
                describe_error(exc), BannerLevel.WARNING))
            self._forget_remote(name)
            self.engine_key.clear()
            note = self.tr("Added {name}: {models}. Chat and Summarize list it as “{model} @ {name}”.").format(
                name=config.name, models=", ".join(models), model=models[0])
            if key:
                note += " " + {
                    KeyPlace.KEYCHAIN: self.tr("The key is kept in the system keychain."),
                    KeyPlace.WORKSPACE: self.tr("The key is kept in the encrypted workspace."),
                }.get(config.key, self.tr("The key is kept only until Hearth closes."))
            if config.login != KeyPlace.NONE:
                note += " " + {
                    KeyPlace.KEYCHAIN: self.tr("The login in the address is kept in the system keychain."),
                    KeyPlace.WORKSPACE: self.tr("The login in the address is kept in the encrypted workspace."),
                }.get(config.login, self.tr("The login in the address is kept only until Hearth closes."))
            self.engine_status.setText(note)
            self.refresh_engines()
            self.engines_changed.emit(engines.list_engines(settings))

        self.job_engine = run_job(work, parent=self, on_result=done, on_error=self._engine_failed,
                                  on_finished=lambda: self.add_button.setEnabled(True))

    def _engine_failed(self, exc: BaseException) -> None:
        self.engine_status.setText(describe_error(exc))
        self.engines_changed.emit(exc)

    def remove_engine(self) -> None:
        item = self.engine_list.currentItem()
        if item is None:
            return
        settings, store, name = self.context.settings, self.context.store, item.data(256)
        scratch = Settings(engines=copy.deepcopy(settings.engines))
        self.remove_button.setEnabled(False)

        def work(ctx):  # its secrets leave the keychain or the workspace here, off the GUI thread
            return engines.remove_engine(scratch, name, workspace=store)

        def done(config) -> None:
            settings.engines = [raw for raw in settings.engines if raw.get("name") != name]
            self._forget_remote(name)
            save_settings(settings, parent=self, on_failed=lambda exc: self.banner.show_message(
                describe_error(exc), BannerLevel.WARNING))
            self.engine_status.setText(self.tr("Removed {name} and its key.").format(name=name) if config.key != KeyPlace.NONE
                                       else self.tr("Removed {name}.").format(name=name))
            self.refresh_engines()
            self.engines_changed.emit(engines.list_engines(settings))

        run_job(work, parent=self, on_result=done, on_error=self._engine_failed,
                on_finished=lambda: self.remove_button.setEnabled(True))

    def _forget_remote(self, name: str) -> None:
        """The host drops its cached engine for ``name`` at once; closing it (its connections) is a job."""
        dropped = self.context.llm.forget_remote(name)
        if dropped:  # no parent: the engines are closed even if this pane goes away meanwhile
            run_job(lambda ctx: [engine.close() for engine in dropped])


def _without_output(exc: ServeError, server: ServeProcess) -> ServeError:
    """The start's error as one sentence; the server's last output lines go to ``details`` (the Details button)."""
    tail = server.output_tail()
    message = str(exc)
    if type(exc) is not ServeError or not message.endswith(": " + tail):
        return exc
    plain = ServeError(message[: -len(tail) - 2].rstrip(".") + ".")
    plain.details = tail
    return plain
