"""The shared engine host: vocab-only tokenizers that leave the loaded model alone, and who holds the engine."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from document_factory import chinese_paragraphs, english_paragraphs
from gguf_factory import write_tiny_llama

from desktop_app.core.documents.load import document_from_text
from desktop_app.core.documents.summarize import DocumentSummarizer
from desktop_app.core.llm.types import ChatMessage, LoadOptions
from desktop_app.core.llm.host import EngineTask, LlamaHost
from desktop_app.core.llm.tokenizer import LlamaTokenizer
from desktop_app.core.settings import Settings


@dataclass
class Entry:
    path: Path


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gguf")
    return write_tiny_llama(folder / "chat.gguf"), write_tiny_llama(folder / "docs-2k.gguf", context_length=2048)


@pytest.fixture
def host():
    host = LlamaHost(Settings(context_length=2048, n_threads=1))
    yield host
    host.close()


def test_tokenizer_counts_and_renders_exactly_as_the_loaded_engine(host, models):
    _chat, docs = models
    host.ensure(Entry(docs))
    tokenizer = LlamaTokenizer(docs, n_ctx=2048)
    messages = [ChatMessage("system", "Be brief."), ChatMessage("user", "Summarize: 你好，世界。 The mill opened in 1820.")]
    assert tokenizer.render(messages) == host.engine.render(messages)
    prompt = tokenizer.render(messages)
    assert tokenizer.tokenize(prompt, special=True) == host.engine.tokenize(prompt, special=True)
    assert tokenizer.info.n_ctx == host.engine.info.n_ctx == 2048
    assert tokenizer.info.n_ctx_train == host.engine.info.n_ctx_train
    assert tokenizer.info.n_params == host.engine.info.n_params
    tokenizer.close()


def test_tokenizer_caps_the_context_as_the_engine_does(models):
    chat, _docs = models
    with LlamaTokenizer(chat, n_ctx=100_000) as tokenizer:
        assert tokenizer.info.n_ctx == tokenizer.info.n_ctx_train == 512


@pytest.mark.parametrize("paragraphs", [english_paragraphs(30), chinese_paragraphs(30)])
def test_a_plan_from_the_tokenizer_equals_the_plan_from_the_engine(host, models, paragraphs):
    _chat, docs = models
    document = document_from_text("\n\n".join(paragraphs), "doc.txt")
    host.ensure(Entry(docs))
    from_engine = DocumentSummarizer(host.engine, document).plan()
    from_tokenizer = DocumentSummarizer(host.tokenizer(Entry(docs)), document).plan()
    assert from_engine.parts > 1
    assert from_tokenizer == from_engine


def test_counting_a_documents_tokens_leaves_the_chat_model_loaded(host, models):
    chat, docs = models
    info = host.ensure(Entry(chat), LoadOptions(n_ctx=512, n_threads=1))
    tokenizer = host.tokenizer(Entry(docs))
    assert tokenizer.count_tokens("The mill opened in 1820.") > 0
    assert host.engine.loaded and host.engine.info is info and host.info.path == chat
    assert host.tokenizer(Entry(docs)) is tokenizer  # cached: the second document costs nothing


def test_holder_names_the_task_and_cancels_only_its_work(host):
    cancel = threading.Event()
    assert host.holder is None
    with host.hold(EngineTask.SUMMARIZE, cancel):
        assert host.holder.task is EngineTask.SUMMARIZE
        assert not host.cancel_holder(EngineTask.CHAT) and not cancel.is_set()
        assert host.cancel_holder(EngineTask.SUMMARIZE) and cancel.is_set()
    assert host.holder is None
    assert not host.cancel_holder(EngineTask.SUMMARIZE)
