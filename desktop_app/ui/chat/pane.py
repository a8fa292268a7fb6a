"""The Chat pane: wires the sidebar, transcript, composer and settings to core.

Each user action is a few lines: collect intent, hand a plain request to a job on
the engine's thread, render what comes back.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.chat import export
from desktop_app.core.chat.session import ChatSession
from desktop_app.core.errors import HearthError
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.threads import physical_cores
from desktop_app.core.llm.types import StopReason
from desktop_app.core.llm.host import EngineHolder, EngineTask
from desktop_app.core.storage.store import Message, MessageStatus
from desktop_app.ui.chat.composer import Composer
from desktop_app.ui.chat.settings_panel import ChatSettingsPanel
from desktop_app.ui.chat.sidebar import ConversationSidebar
from desktop_app.ui.chat.transcript import Transcript, copy_to_clipboard
from desktop_app.ui.context import AppContext
from desktop_app.ui.disk_writes import save_settings
from desktop_app.ui.model_choice import chat_models, resolve_chat_model
from desktop_app.ui.throttle import Throttle
from desktop_app.ui.widgets.banner import BannerLevel, MessageBanner
from desktop_app.ui.widgets.engine_wait import EngineWaitNotice
from desktop_app.ui.widgets.export_file import choose_export_path, write_export
from desktop_app.ui.workers import Job, StreamBuffer, describe_error, run_job

log = logging.getLogger(__name__)


class ChatPane(QWidget):
    reply_finished = Signal(object)  # the Reply, or the exception
    model_loaded = Signal(object)  # ModelInfo
    conversations_listed = Signal()  # the sidebar shows the list for the current search

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.store = context.store
        self.conversation_id: int | None = None
        self.job: Job | None = None
        self._outcome = None  # the reply (or its exception) between its delivery and the job's end
        self._search_generation = 0
        self._search_soon = Throttle(self.refresh_conversations, 250, self)  # search once typing pauses
        self.sidebar = ConversationSidebar()
        self.transcript = Transcript()
        self.composer = Composer()
        self.settings_panel = ChatSettingsPanel()
        self.banner = MessageBanner()
        self.waiting = EngineWaitNotice(context.llm)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setObjectName("ChatStatus")
        self.status.setStyleSheet("color: gray;")
        self.settings_toggle = QPushButton(self.tr("Settings"))
        self.settings_toggle.setCheckable(True)
        self.settings_toggle.setChecked(True)
        self.settings_toggle.toggled.connect(self.settings_panel.setVisible)
        self._build_layout()
        self._connect()
        self.settings_panel.set_sampling(SamplingParams.from_dict(vars(context.settings.sampling)))
        settings = context.settings
        self.settings_panel.set_load_settings(settings.context_length, settings.gpu_layers, settings.n_threads)
        self._refresh_models(context.settings.default_models.get("chat", ""))
        self.refresh_conversations()
        if context.storage_warning:
            self.banner.show_message(context.storage_warning, BannerLevel.WARNING)
        conversations = self.store.list_conversations()
        if conversations:
            self.open_conversation(conversations[0].id)
        else:
            self.new_conversation()
        self.preload_model()

    # layout

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.settings_toggle)
        center = QWidget()
        column = QVBoxLayout(center)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(header)
        column.addWidget(self.banner)
        column.addWidget(self.transcript, 1)
        column.addWidget(self.waiting)
        column.addWidget(self.status)
        column.addWidget(self.composer)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(center)
        splitter.addWidget(self.settings_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 680, 280])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.new_requested.connect(self.new_conversation)
        self.sidebar.rename_requested.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.export_requested.connect(self.export_conversation_dialog)
        self.sidebar.search_changed.connect(lambda _text: self._search_soon())
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.transcript.copy_requested.connect(copy_to_clipboard)
        self.transcript.edit_requested.connect(self.begin_edit)
        self.transcript.regenerate_requested.connect(self.regenerate)
        self.settings_panel.model.currentIndexChanged.connect(lambda _i: self._model_changed())
        self.settings_panel.load_settings_changed.connect(self.apply_load_settings)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_conversation)

    # conversations

    def refresh_conversations(self) -> None:
        """The whole list at once (an indexed query); a search runs as a job, and only its latest answer is shown."""
        self._search_generation += 1
        search = self.sidebar.search.text()
        if not search.strip():
            self._show_conversations(self._search_generation, self.store.list_conversations())
            return
        generation, store = self._search_generation, self.store
        run_job(
            lambda ctx: store.list_conversations(search),
            parent=self,
            on_result=lambda found: self._show_conversations(generation, found),
            on_error=lambda exc: self.banner.show_message(describe_error(exc)),
        )

    def _show_conversations(self, generation: int, conversations) -> None:
        if generation == self._search_generation:  # an older search answering late is dropped
            self.sidebar.set_conversations(conversations, self.conversation_id)
            self.conversations_listed.emit()

    def new_conversation(self) -> None:
        if self.busy:
            self.banner.show_message(self.tr("Stop the current reply before starting a new conversation."), BannerLevel.INFO)
            return
        self._save_conversation_settings()
        self.conversation_id = None
        self.transcript.set_messages([])
        self.title.setText(self.tr("New conversation"))
        self.composer.clear()
        self.composer.edit.setFocus()
        self.settings_panel.system_prompt.setPlainText("")
        self.refresh_conversations()

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id:
            return
        if self.busy:
            self.banner.show_message(self.tr("Stop the current reply before switching conversations."), BannerLevel.INFO)
            self.refresh_conversations()
            return
        self._save_conversation_settings()
        conversation = self.store.get_conversation(conversation_id)
        self.conversation_id = conversation_id
        self.title.setText(conversation.title or self.tr("New conversation"))
        self.settings_panel.blockSignals(True)
        self.settings_panel.system_prompt.setPlainText(conversation.system_prompt)
        if conversation.sampling:
            self.settings_panel.set_sampling(SamplingParams.from_dict(conversation.sampling))
        if conversation.model:
            self._refresh_models(conversation.model)
        self.settings_panel.blockSignals(False)
        self.transcript.set_messages(self.store.messages(conversation_id))
        self.composer.end_edit()
        self.refresh_conversations()

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        if title:
            self.store.update_conversation(conversation_id, title=title)
            if conversation_id == self.conversation_id:
                self.title.setText(title)
        self.refresh_conversations()

    def delete_conversation(self, conversation_id: int, confirm: bool = True) -> None:
        if self.busy and conversation_id == self.conversation_id:
            self.banner.show_message(self.tr("Stop the reply before deleting this conversation."), BannerLevel.INFO)
            return
        if confirm:
            title = self.store.get_conversation(conversation_id).title or self.tr("this conversation")
            answer = QMessageBox.question(
                self, self.tr("Delete conversation"), self.tr("Delete “{title}”? This cannot be undone.").format(title=title)
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.store.delete_conversation(conversation_id)
        if conversation_id == self.conversation_id:
            self.conversation_id = None
            remaining = self.store.list_conversations()
            if remaining:
                self.open_conversation(remaining[0].id)
            else:
                self.new_conversation()
        self.refresh_conversations()

    def export_conversation(self, conversation_id: int, fmt: str, path: Path) -> Job:
        conversation = self.store.get_conversation(conversation_id)
        messages = self.store.messages(conversation_id)
        if fmt == "markdown":
            text = export.conversation_to_markdown(conversation, messages)
        else:
            text = export.conversation_to_json(conversation, messages)
        return write_export(self.banner, path, text, parent=self)

    def export_conversation_dialog(self, conversation_id: int, fmt: str) -> None:
        suffix, filt = (".md", self.tr("Markdown (*.md)")) if fmt == "markdown" else (".json", self.tr("JSON (*.json)"))
        title = self.store.get_conversation(conversation_id).title or "conversation"
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip() or "conversation"
        path = choose_export_path(self, self.tr("Export conversation"), safe + suffix, filt)
        if path:
            self.export_conversation(conversation_id, fmt, path)

    def _ensure_conversation(self) -> int:
        if self.conversation_id is None:
            conversation = self.store.create_conversation(
                system_prompt=self.settings_panel.system_prompt.toPlainText(),
                model=self.settings_panel.model_name(),
                sampling=self.settings_panel.sampling().to_dict(),
            )
            self.conversation_id = conversation.id
        else:
            self._save_conversation_settings()
        return self.conversation_id

    def _save_conversation_settings(self) -> None:
        if self.conversation_id is None:
            return
        try:
            self.store.update_conversation(
                self.conversation_id,
                system_prompt=self.settings_panel.system_prompt.toPlainText(),
                model=self.settings_panel.model_name(),
                sampling=self.settings_panel.sampling().to_dict(),
            )
        except HearthError as exc:
            self.banner.show_message(str(exc))

    # models

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refresh_models(self.settings_panel.model_name())  # engines added in the Server pane appear

    def _refresh_models(self, current: str) -> None:
        self.settings_panel.set_models(chat_models(self.context), current)

    def _model_entry(self):
        return resolve_chat_model(self.context, self.settings_panel.model_name())

    def _model_changed(self) -> None:
        self._save_conversation_settings()
        self.preload_model()

    def apply_load_settings(self) -> None:
        """Context length, GPU layers and threads are global settings: save them and reload."""
        if self.busy:
            self.banner.show_message(self.tr("Stop the reply before reloading the model."), BannerLevel.INFO)
            return
        settings = self.context.settings
        settings.context_length, settings.gpu_layers, settings.n_threads = self.settings_panel.load_settings()
        save_settings(settings, parent=self, on_failed=lambda exc: self.banner.show_message(
            describe_error(exc), BannerLevel.WARNING))
        self.preload_model()

    def preload_model(self) -> None:
        """Load the chosen model in the background so the first reply starts fast."""
        try:
            entry = self._model_entry()
        except HearthError as exc:
            self.banner.show_message(str(exc))
            return
        host = self.context.llm
        self.settings_panel.model_note.setText(self.tr("Loading {name}…").format(name=entry.name))
        run_job(
            lambda ctx: host.ensure(entry),
            parent=self, serial=self.context.llm_thread,
            on_result=self._model_ready,
            on_error=self._model_failed,
        )

    def _model_ready(self, info) -> None:
        note = self.tr("{ctx} tokens of context").format(ctx=info.n_ctx)
        if info.template_note:
            note += "\n" + info.template_note
        elif info.template_source == "fallback":
            note += "\n" + self.tr("This model has no chat template; Hearth uses a generic (ChatML) one.")
        if info.gpu_layers != 0:
            note += "\n" + self.tr("Running on the GPU")
        if info.metadata.get("server"):
            note += "\n" + self.tr("Runs on {server}").format(server=info.metadata["server"])
            if info.metadata.get("remote_note"):  # a context size or token counts the server does not give
                note += "\n" + info.metadata["remote_note"]
        self.settings_panel.model_note.setText(note)
        self.model_loaded.emit(info)

    def _model_failed(self, exc: BaseException) -> None:
        self.settings_panel.model_note.setText(self.tr("Not loaded"))
        self.banner.show_message(describe_error(exc) + " " + self.tr("Choose another model in Settings."))
        self.model_loaded.emit(exc)

    # replies

    @property
    def busy(self) -> bool:
        return self.job is not None

    def send(self, text: str) -> None:
        if self.busy:
            self.banner.show_message(self.tr("A reply is still being written. Stop it or wait for it to finish."), BannerLevel.INFO)
            return
        if not text.strip():
            self.banner.show_message(self.tr("Type a message first."), BannerLevel.INFO)
            return
        editing = self.composer.editing_id
        conversation_id = self._ensure_conversation()
        if editing is not None:
            keep = [v.message for v in self.transcript.views if v.message.id < editing]
            self.transcript.set_messages(keep)
        self.transcript.add(Message(-1, conversation_id, "user", text))
        self.composer.clear()

        def work(session: ChatSession, sampling, on_text, cancel):
            if editing is not None:
                return session.edit_and_resend(conversation_id, editing, text, sampling, on_text, cancel)
            return session.send(conversation_id, text, sampling, on_text, cancel)

        self._start_reply(work)

    def regenerate(self) -> None:
        if self.busy or self.conversation_id is None:
            return
        last = self.transcript.last()
        if last is not None and last.message.role == "assistant":
            self.transcript.remove_last()
        conversation_id = self.conversation_id
        self._start_reply(lambda session, sampling, on_text, cancel: session.regenerate(conversation_id, sampling, on_text, cancel))

    def begin_edit(self, message_id: int) -> None:
        if self.busy:
            return
        view = next((v for v in self.transcript.views if v.message.id == message_id), None)
        if view is not None:
            self.composer.begin_edit(message_id, view.message.content)

    def _start_reply(self, work) -> None:
        host, store = self.context.llm, self.store
        try:
            entry = self._model_entry()
        except HearthError as exc:
            self.banner.show_message(str(exc))
            self.transcript.set_messages(self.store.messages(self.conversation_id))
            return
        self.banner.hide()
        sampling = self.settings_panel.sampling()
        view = self.transcript.add(Message(-2, self.conversation_id or 0, "assistant", "", status=MessageStatus.STREAMING))
        buffer = StreamBuffer(view.append)  # no parent: it goes with this reply's job, not with the pane

        def job(ctx):
            # the resident local engine, or the remote one serving the model (opening it reads its key: not
            # on the GUI thread)
            session = ChatSession(store, host.engine_for(entry))
            with host.hold(EngineTask.CHAT, ctx.cancel) as holder:
                ctx.progress(holder)  # our turn on the shared engine has come
                host.ensure(entry)
                return work(session, sampling, buffer.push, ctx.cancel)

        self._set_busy(True)
        self.status.setText(self.tr("Thinking…"))
        buffer.start()
        self.job = run_job(
            job,
            parent=self, serial=self.context.llm_thread,
            on_progress=self._reply_progress,
            on_result=lambda reply: self._reply_done(buffer, reply),
            on_error=lambda exc: self._reply_failed(buffer, exc),
            on_finished=self._reply_ended,
        )
        self.waiting.show_if_waiting(EngineTask.CHAT)

    def _reply_progress(self, event) -> None:
        if isinstance(event, EngineHolder):
            self.waiting.clear()

    def _reply_ended(self) -> None:
        """After the reply's result or error, once: the pane is ready for the next message, then says so."""
        outcome, self._outcome = self._outcome, None
        self.job = None
        self.waiting.clear()
        self._set_busy(False)
        self.reply_finished.emit(outcome)

    def _reply_done(self, buffer: StreamBuffer, reply) -> None:
        buffer.stop()  # the last streamed text first: the stored reply replaces it below
        self._outcome = reply
        stats = reply.result.stats
        if reply.unsaved:
            self._show_unsaved(reply)
        else:
            self._sync_transcript()
        self.status.setText(self.format_stats(stats))
        if reply.unsaved:
            pass  # the disk-full banner stays
        elif stats.dropped_messages:
            self.banner.show_message(
                self.tr(
                    "This conversation is longer than the model's context: the {n} oldest messages were left out of "
                    "this reply (the system prompt was kept)."
                ).format(n=stats.dropped_messages),
                BannerLevel.INFO,
            )
        elif stats.stop_reason == StopReason.CONTEXT:
            self.banner.show_message(self.tr("The reply stopped because the model's context is full."), BannerLevel.INFO)
        self.refresh_conversations()
        self.title.setText(self.store.get_conversation(self.conversation_id).title)

    def _reply_failed(self, buffer: StreamBuffer, exc: BaseException) -> None:
        buffer.stop()
        self._outcome = exc
        self.status.setText("")
        self.banner.show_message(describe_error(exc))
        if self.conversation_id is not None:
            self.transcript.set_messages(self.store.messages(self.conversation_id))
            self.refresh_conversations()

    def _show_unsaved(self, reply) -> None:
        """The disk filled up mid-reply: keep the text the user saw, from memory, and say it is not saved."""
        view = self.transcript.last()
        if view is not None and view.message.role == "assistant":
            view.message = reply.message
            view.set_text(reply.message.content)
            view.set_status("unsaved")
        self.banner.show_message(
            self.tr("The disk is full: this reply is shown but was not saved. Free some space to keep the next ones."),
            "warning",
        )

    def _sync_transcript(self) -> None:
        """Give the views just added their stored ids and final text, without rebuilding the rest."""
        stored = self.store.messages(self.conversation_id)
        views = self.transcript.views
        if len(stored) != len(views) or any(v.message.id != m.id for v, m in zip(views, stored) if v.message.id > 0):
            self.transcript.set_messages(stored)
            return
        for view, message in zip(views[-2:], stored[-2:]):
            if view.message.id != message.id or view.body.markdown != message.content:
                view.message = message
                view.set_text(message.content)
            view.set_status(message.status)
        self.transcript.update_actions()

    def format_stats(self, stats) -> str:
        text = self.tr("{tps:.1f} tokens/s · first token {ttft:.2f} s · context {used} / {ctx} tokens").format(
            tps=stats.tokens_per_s, ttft=stats.ttft_s, used=stats.context_used, ctx=stats.n_ctx
        )
        if stats.speculative and stats.decode_steps:
            text += self.tr(" · speculative: {rate:.1f} tokens/step").format(rate=stats.tokens_per_step)
        if stats.others_cores is not None and 0 < stats.threads < physical_cores():
            text += self.tr(" · {threads} of {cores} CPU cores: other programs are busy").format(
                threads=stats.threads, cores=physical_cores())
        return text

    def _set_busy(self, busy: bool) -> None:
        self.composer.set_busy(busy)
        self.transcript.update_actions(busy)

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Stopping…"))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape()
            return
        super().keyPressEvent(event)

    def escape(self) -> None:
        if self.busy:
            self.stop()
        elif self.composer.editing_id is not None:
            self.composer.clear()

    def shutdown(self) -> None:
        self.stop()
        self._save_conversation_settings()
