"""Shared fixtures. Tests never touch the real user data dir: HEARTH_DATA_DIR points to a temp dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from gguf_factory import write_tiny_llama  # noqa: E402


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "hearth-data"
    monkeypatch.setenv("HEARTH_DATA_DIR", str(directory))
    return directory


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-llama.gguf")


@pytest.fixture(scope="session")
def tiny_gguf_no_template(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "tiny-no-template.gguf", chat_template=None)


@pytest.fixture(scope="session")
def default_chat_model() -> Path:
    from desktop_app.core.library.registry import ModelRegistry

    entry = ModelRegistry().default("chat")
    return entry.path


@pytest.fixture(scope="session")
def real_engine(default_chat_model):
    """The real default model, loaded once for the session (2048-token context keeps it quick)."""
    from desktop_app.core.llm.engine import LlamaEngine, LoadOptions

    engine = LlamaEngine()
    engine.load(default_chat_model, LoadOptions(n_ctx=2048, n_threads=2))
    yield engine
    engine.close()


@pytest.fixture
def model_server():
    """A real HTTP server on 127.0.0.1 (tests/model_server.py) for download tests."""
    from model_server import ModelServer

    with ModelServer() as server:
        yield server
