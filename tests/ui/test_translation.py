"""Hearth in Simplified Chinese: the shipped catalogue is complete and the window really uses it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication

from desktop_app.core.settings import Settings
from desktop_app.ui.app import I18N_DIR, build_context, install_translators
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.network_status import NetworkStatusLabel

TS_FILE = Path(__file__).resolve().parents[2] / "desktop_app" / "i18n" / "hearth_zh_CN.ts"
# str.format fields ({n}, {n:,}, {tps:.1f}) and Qt's %1 style
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d+")


def ts_messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name"), message.findtext("source"), message.find("translation"))
        for context in root.iter("context")
        for message in context.iter("message")
    ]


@pytest.fixture
def language(qapp):
    """Install the translators for a language (as run_app does) and remove them afterwards."""
    installed = []

    def use(code: str):
        installed.extend(install_translators(qapp, code))
        return installed

    yield use
    for translator in installed:
        QApplication.removeTranslator(translator)


@pytest.fixture
def window(qtbot, data_dir, tiny_gguf):
    """The main window on the tiny GGUF, built after the fixture `language` was called."""
    data_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"models": [{"name": "tiny", "kind": "gguf", "task": "chat", "path": str(tiny_gguf), "source": "imported"}]}
    (data_dir / "models.json").write_text(json.dumps(manifest))
    settings = Settings(context_length=1024, n_threads=2, default_models={"chat": "tiny"})
    context = build_context(settings)
    holder = {}

    def build() -> MainWindow:
        holder["window"] = MainWindow(context)
        qtbot.addWidget(holder["window"])
        with qtbot.waitSignal(_chat_pane_signal(holder["window"]), timeout=30000):
            holder["window"].show()
        return holder["window"]

    yield build
    if "window" in holder:
        holder["window"].close()
    context.close()


def _chat_pane_signal(window: MainWindow):
    # the chat pane is built on first show; its model loads on the engine thread
    window.show_pane("chat")
    return window.panes["chat"].model_loaded


def pane_titles(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_every_message_is_translated_with_its_placeholders():
    messages = ts_messages()
    assert len(messages) > 300
    for context, source, translation in messages:
        where = f"{context}: {source!r}"
        assert translation.get("type") is None, f"{translation.get('type')} translation for {where}"
        assert (translation.text or "").strip(), f"empty translation for {where}"
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation.text)), where


def test_compiled_catalogue_is_where_the_app_loads_it(qapp):
    translator = QTranslator()
    assert translator.load(str(I18N_DIR / "hearth_zh_CN.qm"))
    assert translator.translate("MainWindow", "Chat") == "聊天"
    assert translator.translate("ChatPane", "Loading {name}…") == "正在加载 {name}…"


def test_window_in_chinese(qtbot, language, window):
    assert [t.language() for t in language("zh_CN")] == ["zh_CN", "zh_CN"]  # ours and Qt's own
    win = window()
    assert pane_titles(win) == ["聊天", "文档", "分类", "检测", "模型", "评估", "服务器"]
    chat = win.panes["chat"]
    assert chat.settings_toggle.text() == "设置"
    assert chat.composer.send_button.text() == "发送"
    assert chat.title.text() == "新对话"
    assert re.match(r"上下文 \d+ token", chat.settings_panel.model_note.text())
    assert win.findChild(NetworkStatusLabel).text() == "一切都在本机运行，不会向任何地方发送数据。"
    assert [a.text() for a in win.menuBar().actions()] == ["视图(&V)", "隐私(&P)"]
    assert [a.text() for a in win.privacy_menu.actions()] == ["加密我的对话、摘要和结果…", "更改密码短语…", "立即锁定", "自动锁定"]
    assert win.language_menu.title() == "语言(&L)"


@pytest.mark.slow  # building the Classify pane loads the real default classifier
def test_vision_pane_strings_from_the_shared_base_class_are_translated(qtbot, language, window):
    language("zh_CN")
    win = window()
    with qtbot.waitSignal(_classify_ready(win), timeout=60000) as loaded:
        pass
    assert not isinstance(loaded.args[0], BaseException), loaded.args[0]
    pane = win.panes["classify"]
    headers = [pane.table_model.headerData(i, Qt.Orientation.Horizontal) for i in range(pane.table_model.columnCount())]
    assert headers == ["文件", "最可能的标签", "置信度", "备注"]
    assert pane.add_files_button.text() == "添加图片…"  # written in VisionBatchPane, shown by ClassifyPane


def _classify_ready(window: MainWindow):
    window.show_pane("classify")
    return window.panes["classify"].model_ready


def test_english_stays_english(qtbot, language, window):
    language("en")
    win = window()
    assert pane_titles(win) == ["Chat", "Documents", "Classify", "Detect", "Models", "Evaluate", "Server"]
    assert [a.text() for a in win.menuBar().actions()] == ["&View", "&Privacy"]
    chat = win.panes["chat"]
    assert chat.composer.send_button.text() == "Send"
    assert re.match(r"\d+ tokens of context", chat.settings_panel.model_note.text())


def test_language_menu_saves_the_choice_for_the_next_start(qtbot, language, window):
    win = window()
    chinese = next(a for a in win.language_menu.actions() if a.data() == "zh_CN")
    with qtbot.waitSignal(win.language_menu.changed, timeout=10000):  # saved off the GUI thread
        chinese.trigger()
    assert Settings.load().language == "zh_CN"
    assert "next time" in win.statusBar().currentMessage()
    automatic = next(a for a in win.language_menu.actions() if a.data() == "auto")
    with qtbot.waitSignal(win.language_menu.changed, timeout=10000):
        automatic.trigger()
    assert Settings.load().language == "auto"


def test_core_sentences_are_shown_translated(language):
    from desktop_app.core.evaluate.language import verdicts
    from desktop_app.ui.texts import translated

    chat, summary = verdicts(prompt_tps=400.0, gen_tps=40.0)  # 200/400 + 1/40 s to start; 20 pages in ~39 s
    assert translated(chat) == str(chat)  # no translator: the English
    language("zh_CN")
    assert translated(chat) == "聊天：回复在 0.5 秒内开始，生成速度快于人的阅读速度。"
    assert translated(summary) == "摘要：一份 20 页的 PDF 不到一分钟。"
    slow = verdicts(prompt_tps=50.0, gen_tps=2.0)  # 13000/50 + 600/2 s = 9.3 min
    assert [translated(v) for v in slow] == ["聊天：回复生成速度为每秒 2.0 个 token，慢于人的阅读速度（约 5.5）。",
                                             "摘要：一份 20 页的 PDF 约需 9 分钟。"]
    assert translated("plain text") == "plain text"
